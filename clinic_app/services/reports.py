"""Build report PDFs: a visit record becomes a decision (readiness engine) and then PDF bytes.

One report is built in the calling thread (the GUI runs it as a background operation); a batch is
spread over a pool of worker processes with progress and cancellation, because ReportLab keeps
global state and is CPU-bound. Stored visits print the decision the clinician recorded; a visit
file prints the engine's proposal, marked as such.
"""

from __future__ import annotations

import datetime as dt
import importlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs

from clinic_app.domain.files import OutputFileError, write_file_atomically
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.decided import as_decided
from clinic_app.readiness.decision import (
    ClinicianAction,
    ClinicianDecision,
    Decision,
    RuleOverride,
    Status,
)
from clinic_app.readiness.engine import assess
from clinic_app.readiness.planning import advice_facts, review_weeks
from clinic_app.readiness.protocol import Protocol, default_protocol
from clinic_app.readiness.serialize import decision_from_json
from clinic_app.reporting import ReferralNotNeededError, ReportInput, ReportKind, render_report
from clinic_app.reporting.catalogue import bundled_forms
from clinic_app.reporting.inputs import FormInfo
from clinic_app.reporting.settings import Layout, Letterhead, load_layout, load_letterhead

APP_NAME = "RunReady Clinic"
LETTERHEAD_FILE = "letterhead.toml"
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """Layout and letterhead used for every report of one run."""

    layout: Layout
    letterhead: Letterhead


def user_letterhead_path() -> Path:
    """Return the per-user letterhead override (it need not exist)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / LETTERHEAD_FILE


def load_report_settings(
    letterhead: Path | None = None, *, page_size: str | None = None, layout: Path | None = None
) -> ReportSettings:
    """Load the print settings: an explicit letterhead file, else the per-user one, else the bundled one.

    Args:
        letterhead: a clinic's letterhead TOML file.
        page_size: ``"A4"`` or ``"Letter"`` to override the layout file.
        layout: a layout TOML file instead of the bundled one.

    Raises:
        SettingsError: a settings file is unreadable or holds an unusable value.
    """
    chosen = letterhead
    if chosen is None and user_letterhead_path().is_file():
        chosen = user_letterhead_path()
    return ReportSettings(load_layout(layout, page_size=page_size), load_letterhead(chosen))


@cache
def report_forms() -> tuple[FormInfo, ...]:
    """Return the print view of the bundled forms, read once per process."""
    return bundled_forms()


def report_input(
    record: VisitRecord,
    *,
    decision: Decision | None = None,
    clinician_decision: ClinicianDecision | None = None,
    settings: ReportSettings | None = None,
    printed_on: dt.date | None = None,
    protocol: Protocol | None = None,
) -> ReportInput:
    """Gather everything one report needs; the engine proposes when no decision is given.

    The decision printed for the patient follows the clinician's final status (``decided``), planned
    by the engine's own rules and fitted to her recorded values, so no two documents disagree.
    """
    settings = settings or load_report_settings()
    decision = decision or assess(record, protocol)
    rules = protocol or default_protocol()
    final = clinician_decision.final if clinician_decision is not None else decision.status
    return ReportInput(
        record=record,
        decision=decision,
        decided=as_decided(decision, clinician_decision, rules, advice_facts(record)),
        review_weeks=review_weeks(final, rules),
        letterhead=settings.letterhead,
        layout=settings.layout,
        printed_on=printed_on or dt.date.today(),
        clinician_decision=clinician_decision,
        forms=report_forms(),
        protocol=protocol,
    )


def build_report(
    record: VisitRecord,
    kind: ReportKind,
    *,
    decision: Decision | None = None,
    clinician_decision: ClinicianDecision | None = None,
    settings: ReportSettings | None = None,
    printed_on: dt.date | None = None,
    protocol: Protocol | None = None,
    invariant: bool = False,
) -> bytes:
    """Return the PDF of one report for ``record``.

    Raises:
        ReferralNotNeededError: a referral letter was asked for a visit that needs none.
    """
    data = report_input(
        record,
        decision=decision,
        clinician_decision=clinician_decision,
        settings=settings,
        printed_on=printed_on,
        protocol=protocol,
    )
    return render_report(data, kind, invariant=invariant)


def stored_report_input(
    db: Any, visit_id: str, *, settings: ReportSettings | None = None, printed_on: dt.date | None = None
) -> ReportInput:
    """Return the report input of a stored visit with the clinician's latest recorded decision.

    The decision printed is the proposal that was stored with the clinician's decision, so the
    report shows exactly what was confirmed; a visit without a recorded decision prints the
    engine's current proposal, marked as awaiting the clinician.

    Args:
        db: an open clinic database (``clinic_app.services.clinic.open_clinic``).
        visit_id: the visit to print.
        settings: print settings (default: :func:`load_report_settings`).
        printed_on: the date printed on the report.

    Raises:
        NotFoundError: no visit has that id.
    """
    # Imported on use: the storage-backed services are optional for file-based reports.
    visits = importlib.import_module("clinic_app.services.visits")
    decisions = importlib.import_module("clinic_app.services.decisions")
    record: VisitRecord = visits.load_visit_record(db, visit_id)
    entries = decisions.list_decisions(db, visit_id)
    if not entries:
        return report_input(record, settings=settings, printed_on=printed_on)
    last = entries[-1]
    decided_by = str(last.decided_by)
    clinician = ClinicianDecision(
        proposed=Status(last.proposed_status),
        final=Status(last.final_status),
        action=ClinicianAction(last.action),
        clinician_id=decided_by,
        clinician_name=record.clinician.name
        if record.clinician.id == decided_by
        else decisions.clinician_name(db, decided_by),
        decided_at=last.decided_at,
        protocol_version=str(last.protocol_version),
        overrides=tuple(RuleOverride(rule, reason) for rule, reason in last.overrides),
        comment=str(last.comment),
    )
    return report_input(
        record,
        decision=decision_from_json(last.decision),
        clinician_decision=clinician,
        settings=settings,
        printed_on=printed_on,
    )


def build_stored_report(
    db: Any,
    visit_id: str,
    kind: ReportKind,
    *,
    settings: ReportSettings | None = None,
    printed_on: dt.date | None = None,
) -> bytes:
    """Return the PDF of one report for a stored visit (what the desktop preview and print use).

    Raises:
        NotFoundError: no visit has that id.
        ReferralNotNeededError: a referral letter was asked for a visit that needs none.
    """
    return render_report(stored_report_input(db, visit_id, settings=settings, printed_on=printed_on), kind)


# --- batches ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One report to build in a batch; the file name is relative to the output folder."""

    record: VisitRecord
    kind: ReportKind
    filename: str
    decision: Decision | None = None
    clinician_decision: ClinicianDecision | None = None


@dataclass(slots=True)
class BatchResult:
    """What a batch produced: files written, items refused or failed, and whether it was cancelled."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(file name, reason) for items that produced no file."""
    cancelled: bool = False


def _build_one(
    item: BatchItem,
    out_dir: Path,
    settings: ReportSettings,
    printed_on: dt.date,
    invariant: bool,
    write: _BatchWrite,
) -> Path:
    """Build and write one batch item (runs in a worker process or thread) through the safe writer."""
    pdf = build_report(
        item.record,
        item.kind,
        decision=item.decision,
        clinician_decision=item.clinician_decision,
        settings=settings,
        printed_on=printed_on,
        invariant=invariant,
    )
    return write_file_atomically(
        out_dir / item.filename, pdf, protected=write.protected, overwrite=write.overwrite
    )


@dataclass(frozen=True, slots=True)
class _BatchWrite:
    """How a batch writes its files (passed to the worker processes): what to refuse, what to replace."""

    protected: tuple[Path, ...]
    overwrite: bool


def build_batch(
    items: Sequence[BatchItem],
    out_dir: Path,
    progress: Progress,
    cancel: threading.Event,
    *,
    workers: int | None = None,
    settings: ReportSettings | None = None,
    printed_on: dt.date | None = None,
    invariant: bool = False,
    processes: bool = True,
    overwrite: bool = False,
    protected: Sequence[Path] = (),
) -> BatchResult:
    """Build many reports on a pool of workers, reporting progress and honouring ``cancel``.

    Call it from a background thread (the GUI's operation runner); it blocks until the batch is
    done or cancelled. Only a few items are in flight at once, so a cancel takes effect within
    one report per worker; files already written stay, a cancelled item leaves no partial file.

    Args:
        items: the reports to build.
        out_dir: folder for the PDFs (created when missing).
        progress: called as ``progress(done, total)`` after each item, in the calling thread.
        cancel: set it to stop scheduling further items.
        workers: pool size (default: the number of CPUs).
        settings: print settings shared by every report.
        printed_on: the date printed on every report.
        invariant: reproducible output (tests).
        processes: use worker processes (default); threads are lighter for small batches and tests.
        overwrite: replace PDFs already in ``out_dir`` (otherwise such an item fails, the rest run).
        protected: database files never written over (the clinic database; see
            :func:`clinic_app.services.files.live_database_files`).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    settings = settings or load_report_settings()
    printed_on = printed_on or dt.date.today()
    size = max(1, workers or os.cpu_count() or 1)
    result = BatchResult()
    total = len(items)
    pool: Executor = (
        ProcessPoolExecutor(size, mp_context=multiprocessing.get_context("spawn"))
        if processes
        else ThreadPoolExecutor(size, thread_name_prefix="report")
    )
    write = _BatchWrite(tuple(protected), overwrite)
    pending: dict[Future[Path], BatchItem] = {}
    queue = iter(items)
    done = 0
    try:
        while True:
            while len(pending) < size * 2 and not cancel.is_set():
                item = next(queue, None)
                if item is None:
                    break
                pending[pool.submit(_build_one, item, out_dir, settings, printed_on, invariant, write)] = item
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                item = pending.pop(future)
                try:
                    result.written.append(future.result())
                except (ReferralNotNeededError, OutputFileError) as exc:
                    result.failed.append((item.filename, str(exc)))
                except Exception as exc:  # one bad visit must not stop the batch
                    result.failed.append((item.filename, f"{type(exc).__name__}: {exc}"))
                done += 1
                progress(done, total)
    finally:
        result.cancelled = cancel.is_set() and done < total
        pool.shutdown(wait=True, cancel_futures=True)
    return result
