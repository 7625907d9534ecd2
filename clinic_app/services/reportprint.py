"""What the window prints: one stored report with what the window must know about it, and batches.

:func:`window_report` builds one report of a stored visit as PDF bytes (the preview shows them, Print
and Save as use the same bytes) and says whether the visit is signed — only a signed visit's report
is issued, so only then is a report record with its SHA-256 kept (:func:`record_issued`).

A batch prints every signed visit of a period into one folder: the window gathers it on the
database worker (:func:`stored_batch`), builds it off that worker with
:func:`clinic_app.services.reports.build_batch` (progress, cancel), and then keeps a report record
for each file written (:func:`record_batch`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from clinic_app.domain.enums import VisitStatus
from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.samples import sample_input
from clinic_app.services.changes import Changes
from clinic_app.services.records import record_report
from clinic_app.services.reports import BatchItem, ReportSettings, report_forms, stored_report_input
from clinic_app.services.session import SignedIn
from clinic_app.storage import periods
from clinic_app.storage.database import Database

_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True, slots=True)
class WindowReport:
    """One report of a stored visit, as the preview shows it.

    Attributes:
        visit_id: the visit printed.
        kind: which document.
        pdf: the PDF bytes (what is previewed is what is printed and saved).
        signed: True when the visit is signed (its report is issued and recorded); False for a draft,
            whose pages carry the DRAFT mark.
        title: patient, document and date, for the window title.
        file_name: a suggested file name for Save as.
    """

    visit_id: str
    kind: ReportKind
    pdf: bytes
    signed: bool
    title: str
    file_name: str


KIND_TITLES = {
    ReportKind.PATIENT: "Patient report",
    ReportKind.CLINICIAN: "Clinician summary",
    ReportKind.REFERRAL: "Referral letter",
}


def window_report(
    db: Database,
    visit_id: str,
    kind: ReportKind,
    *,
    settings: ReportSettings | None = None,
    printed_on: dt.date | None = None,
) -> WindowReport:
    """Build one report of a stored visit for the preview (runs on the database worker).

    Raises:
        NotFoundError: no visit has that id.
        ReferralNotNeededError: a referral letter was asked for a visit that needs none.
    """
    data = stored_report_input(db, visit_id, settings=settings, printed_on=printed_on)
    pdf = render_report(data, kind)
    visit = data.record.visit
    patient = data.record.patient
    return WindowReport(
        visit_id=visit_id,
        kind=kind,
        pdf=pdf,
        signed=visit.status is VisitStatus.SIGNED,
        title=f"{KIND_TITLES[kind]} — {patient.display_name}, {visit.visit_date.isoformat()}",
        file_name=batch_file_name(visit.visit_date, patient.family_name, visit_id, kind),
    )


def record_issued(db: Database, report: WindowReport, *, file_name: str, user: SignedIn) -> Changes | None:
    """Keep the report record (SHA-256 of the bytes) of a signed visit's printed or saved report.

    A draft's report is not issued (it carries the DRAFT mark), so nothing is recorded for it.

    Returns:
        The changes, or None for a draft.
    """
    if not report.signed:
        return None
    return record_report(
        db, report.visit_id, kind=report.kind.value, content=report.pdf, file_name=file_name, user=user
    )


@dataclass(frozen=True, slots=True)
class StoredBatch:
    """The reports of a period, ready for ``build_batch``, with the visit each file belongs to."""

    items: tuple[BatchItem, ...]
    visit_of_file: dict[str, str]


def signed_visits_between(db: Database, start: dt.date, end: dt.date) -> list[str]:
    """Return the ids of the signed visits (in force) dated from ``start`` to ``end``, oldest first."""
    with db.reads.begin() as session:
        return periods.signed_visit_ids(session, start, end)


def batch_file_name(visit_date: dt.date, family_name: str, visit_id: str, kind: ReportKind) -> str:
    """A file name that sorts by date and names the patient, safe on every file system."""
    family = _UNSAFE.sub("-", family_name).strip("-") or "patient"
    return f"{visit_date.isoformat()}-{family}-{_UNSAFE.sub('-', visit_id)}-{kind.value}.pdf"


def stored_batch(
    db: Database,
    start: dt.date,
    end: dt.date,
    kind: ReportKind,
    *,
    settings: ReportSettings | None = None,
    printed_on: dt.date | None = None,
) -> StoredBatch:
    """Gather the reports of every signed visit from ``start`` to ``end`` with its recorded decision.

    Raises:
        ValueError: ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError("The period ends before it starts; swap the dates.")
    items: list[BatchItem] = []
    visit_of_file: dict[str, str] = {}
    for visit_id in signed_visits_between(db, start, end):
        data = stored_report_input(db, visit_id, settings=settings, printed_on=printed_on)
        visit = data.record.visit
        name = batch_file_name(visit.visit_date, data.record.patient.family_name, visit_id, kind)
        items.append(BatchItem(data.record, kind, name, data.decision, data.clinician_decision))
        visit_of_file[name] = visit_id
    return StoredBatch(tuple(items), visit_of_file)


def record_batch(
    db: Database, written: Iterable[Path], visit_of_file: dict[str, str], *, kind: ReportKind, user: SignedIn
) -> Changes:
    """Keep a report record (SHA-256 of the bytes on disk) for each file a batch wrote.

    Returns:
        The combined changes of every record.
    """
    patients: set[str] = set()
    visits: set[str] = set()
    count = 0
    for path in written:
        visit_id = visit_of_file.get(path.name)
        if visit_id is None:
            continue
        changes = record_report(
            db, visit_id, kind=kind.value, content=path.read_bytes(), file_name=path.name, user=user
        )
        patients |= changes.patient_ids
        visits |= changes.visit_ids
        count += 1
    return Changes(
        f"Recorded {count} {kind.value} report(s)",
        patient_ids=frozenset(patients),
        visit_ids=frozenset(visits),
    )


def warm_up() -> int:
    """Build one clinician summary of a made-up visit and discard it (no database, nothing written).

    The first report of a process pays for loading ReportLab, registering the fonts and reading the
    wording and forms (about half a second on a slow machine). The window runs this on its worker
    once it is shown, so the first real preview is as quick as the later ones.

    Returns:
        The size of the PDF built (so the work cannot be optimised away).
    """
    return len(render_report(sample_input(Status.READY, forms=report_forms()), ReportKind.CLINICIAN))
