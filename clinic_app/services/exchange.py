"""Export the clinic to a native bundle and import one back: the use cases the CLI and the window share.

An export streams storage's records into the bundle file beside its final name and renames it into
place (:func:`clinic_app.domain.files.place_file_atomically`, which refuses the live database), so a
cancelled or failed export leaves nothing. An import first analyses the whole bundle (every record
checked, every checksum verified) and then, in one transaction, analyses it again against the
database as it is at that moment and writes: nothing or everything. Visits that differ from this
clinic's copy need an explicit :class:`~clinic_app.exchange.plan.Resolution` each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import clinic_app
from clinic_app.domain.files import OutputRefusedError, place_file_atomically
from clinic_app.exchange import crypto
from clinic_app.exchange.archive import RECORD_ENTRIES, BundleReader, BundleWriter, open_bundle
from clinic_app.exchange.errors import BundleError, ExchangeCancelled
from clinic_app.exchange.plan import ImportPlan, Resolution
from clinic_app.readiness.protocol import default_protocol
from clinic_app.services.changes import Changes
from clinic_app.services.exchange_import import Analysis, analyse
from clinic_app.services.exchange_write import write_import
from clinic_app.services.files import live_database_files
from clinic_app.services.session import SignedIn
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Database

Progress = Callable[[int, int], None]
"""Called with (done, total) as records are written or read."""
Cancelled = Callable[[], bool]
"""Polled between records; True stops the export or import, which then writes nothing."""


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    patients: int
    visits: int
    clinicians: int
    audit_events: int
    encrypted: bool
    report_files: int = 0
    """Report PDFs written (each once, however many records name it)."""


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import did: the plan it carried out and the changes for the window."""

    plan: ImportPlan
    changes: Changes
    amended: tuple[str, ...]
    """This clinic's visits now amended by the bundle's copy."""
    report_files: int = 0
    """Report records that now keep their PDF (on added visits, amendments and visits already here)."""


class Ticker:
    """Reports progress every so many records and polls for cancellation."""

    def __init__(self, total: int, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self.total, self.done = max(total, 1), 0
        self._progress, self._cancelled = progress, cancelled

    def tick(self, count: int = 1) -> None:
        """Count ``count`` records done; every 200, poll for cancellation and report progress."""
        before = self.done
        self.done += count
        if self.done // 200 != before // 200 or self.done >= self.total:
            if self._cancelled is not None and self._cancelled():
                raise ExchangeCancelled("Cancelled; nothing was written.")
            if self._progress is not None:
                self._progress(min(self.done, self.total), self.total)

    def wrap(self, records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Yield ``records``, ticking once per record."""
        for record in records:
            self.tick()
            yield record


OutputRefused = OutputRefusedError
"""The export target may not be written (the clinic database, or an existing file)."""


def place_file(db: Database, out: Path, fill: Callable[[Path], None], *, overwrite: bool) -> None:
    """Let ``fill`` write a temporary file beside ``out``, then rename it into place in one step.

    The shared safe writer (:func:`clinic_app.domain.files.place_file_atomically`): it refuses the
    clinic database and its companion files, and an existing file unless ``overwrite``; a failure or
    a cancellation inside ``fill`` leaves no temporary file and any earlier file as it was.
    """
    place_file_atomically(
        out,
        fill,
        protected=live_database_files(db.url.render_as_string(hide_password=False)),
        overwrite=overwrite,
    )


def export_bundle(
    db: Database,
    out: Path,
    *,
    patient_ids: Sequence[str] | None = None,
    since: dt.date | None = None,
    password: str | None = None,
    cost: crypto.ScryptCost | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    now: dt.datetime | None = None,
) -> ExportSummary:
    """Write a native bundle of the clinic (or of some patients, or of visits since a date).

    Each report PDF the clinic keeps for the chosen visits goes in once, as ``reports/<sha256>.pdf``.

    Args:
        db: the open clinic.
        out: the bundle file to write.
        patient_ids: only these patients.
        since: only visits on or after this date (with their amended originals).
        password: encrypt the file with this password (AES-256-GCM, scrypt key).
        cost: scrypt cost (tests use a cheap one).
        overwrite: replace an existing file at ``out``.
        progress: called with (records written, records to write).
        cancelled: polled; True stops and writes nothing.
        now: the created-at of the manifest.

    Raises:
        NotFoundError: a named patient does not exist.
        OutputRefused: ``out`` is the clinic database or exists (without ``overwrite``).
        ExchangeCancelled: the user cancelled.
    """
    protocol = default_protocol()
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat()
    meta = {
        "app": {"name": "RunReady Clinic", "version": clinic_app.__version__},
        "protocol": {"id": protocol.id, "version": protocol.version},
        "created_at": created,
        "selection": {
            "patients": sorted(patient_ids) if patient_ids is not None else None,
            "since": since.isoformat() if since else None,
        },
    }
    counts: dict[str, int] = {}

    def write_plain(target: Path) -> None:
        with db.reads.begin() as session:
            scope = store.export_scope(session, patient_ids, since)
            files = store.report_file_ids(session, scope.visit_ids)
            ticker = Ticker(len(scope.visit_ids) + len(scope.patient_ids) + len(files), progress, cancelled)
            with BundleWriter(target, meta) as writer:
                counts["clinicians"] = writer.add_records(
                    "clinicians.jsonl", store.clinician_records(session, scope)
                )
                counts["patients"] = writer.add_records(
                    "patients.jsonl", ticker.wrap(store.patient_records(session, scope))
                )
                writer.add_records("deliveries.jsonl", store.delivery_records(session, scope))
                counts["visits"] = writer.add_records(
                    "visits.jsonl", ticker.wrap(store.visit_records(session, scope.visit_ids, scope.keys))
                )
                counts["audit"] = writer.add_records("audit.jsonl", store.audit_records(session, scope))
                for sha256, report_id in files.items():
                    # One file in memory at a time, however many records (or visits) name it.
                    content = store.report_file(session, report_id, sha256)  # checked against sha256
                    writer.add_file(f"reports/{sha256}.pdf", content, sha256=sha256)
                    ticker.tick()
                counts["report_files"] = len(files)

    def fill(target: Path) -> None:
        if password is None:
            write_plain(target)
            return
        with tempfile.TemporaryDirectory(prefix="runready-export-") as folder:
            plain = Path(folder) / "bundle.zip"
            write_plain(plain)
            with target.open("wb") as handle:
                crypto.encrypt_file(plain, handle, password, cost=cost)

    place_file(db, out, fill, overwrite=overwrite)
    return ExportSummary(
        out,
        counts["patients"],
        counts["visits"],
        counts["clinicians"],
        counts["audit"],
        password is not None,
        counts["report_files"],
    )


@contextlib.contextmanager
def opened_bundle(path: Path, password: str | None = None) -> Iterator[BundleReader]:
    """Open a bundle for reading, decrypting it first into a private temporary file when needed.

    Raises:
        BundleError: the file is encrypted and no password was given, the password is wrong, the file
            was tampered with, or the bundle itself is refused (see :func:`open_bundle`).
    """
    if not path.is_file():
        raise BundleError(f"There is no file at {path}.", problem="missing")
    if not crypto.is_encrypted(path):
        with open_bundle(path) as reader:
            yield reader
        return
    if not password:
        raise BundleError(f"{path.name} is encrypted; give its password.", problem="password")
    with tempfile.TemporaryDirectory(prefix="runready-import-") as folder:
        plain = Path(folder) / "bundle.zip"
        with plain.open("wb") as handle:
            crypto.decrypt_file(path, handle, password)
        with open_bundle(plain) as reader:
            reader.path = path
            yield reader


def plan_import(
    db: Database,
    path: Path,
    *,
    password: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """The dry run: what importing ``path`` would add, leave alone or put in conflict. Writes nothing.

    Raises:
        BundleError: the bundle is refused (malformed, hostile, newer schema, wrong password …).
    """
    with opened_bundle(path, password) as reader, db.reads.begin() as session:
        ticker = Ticker(_record_count(reader), progress, cancelled)
        return analyse(session, reader, ticker.tick).plan


def import_bundle(
    db: Database,
    path: Path,
    user: SignedIn,
    *,
    resolutions: Mapping[str, Resolution] | None = None,
    password: str | None = None,
    expected_checksum: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportOutcome:
    """Import a bundle in one transaction, recorded in the audit trail with the bundle's SHA-256.

    Args:
        db: the open clinic.
        path: the bundle.
        user: the signed-in clinician, the actor of the import.
        resolutions: a choice for every visit in conflict (see :func:`plan_import`).
        password: the bundle's password when it is encrypted.
        expected_checksum: the SHA-256 the dry run saw; a different file is refused.
        progress: called with (records done, records to do) over both passes.
        cancelled: polled; True rolls everything back.

    Raises:
        BundleError: the bundle is refused, changed since the dry run, or conflicts lack a choice.
        ExchangeCancelled: the user cancelled; nothing was written.
    """
    chosen = dict(resolutions or {})
    with opened_bundle(path, password) as reader:

        def refuse_if_changed() -> None:
            if expected_checksum is not None and reader.checksum != expected_checksum:
                raise BundleError(
                    f"{path.name} changed since the dry run; run the dry run again.", problem="checksum"
                )

        ticker = Ticker(2 * _record_count(reader), progress, cancelled)
        with db.sessions.begin() as session:
            store.prepare_bulk_write(session)
            # The report files are read (and checked) once, by the writing pass in this transaction.
            # The whole-file hash runs beside the analysis; it is compared before anything is
            # written, and a changed file is named as such even when its analysis fails first.
            try:
                analysis: Analysis = analyse(session, reader, ticker.tick, read_files=False)
            except BundleError:
                refuse_if_changed()
                raise
            refuse_if_changed()
            missing = analysis.plan.unresolved(chosen)
            if missing:
                raise BundleError(
                    f"{len(missing)} visit(s) differ from this clinic's copy and need a choice (keep ours, "
                    f"or take theirs as an amendment): {', '.join(c.visit_id for c in missing)}. "
                    "Nothing was imported.",
                    problem="conflict",
                )
            written = write_import(session, reader, analysis, chosen, user.clinician_id, ticker.tick)
    plan = analysis.plan
    changes = Changes(
        f"Imported {path.name}",
        patient_ids=frozenset(analysis.touched_patients),
        visit_ids=frozenset(plan.visits_added) | frozenset(written.amended) | frozenset(analysis.filled_here),
        clinician_ids=frozenset(plan.clinicians_added),
    )
    return ImportOutcome(plan, changes, tuple(written.amended), written.report_files)


def _record_count(reader: BundleReader) -> int:
    return sum(reader.entries[name].records for name in RECORD_ENTRIES if name in reader.entries)
