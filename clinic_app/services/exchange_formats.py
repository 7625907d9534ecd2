"""The other export formats: research CSV (pseudonymous) and a FHIR R4B Bundle.

Both read the same streamed records as the native bundle (:mod:`clinic_app.storage.exchange`) and
hand them to the pure writers in :mod:`clinic_app.exchange`; files are written beside their final
name and renamed into place, so a failed or cancelled export leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clinic_app.exchange import crypto, fhir
from clinic_app.exchange.research import Pseudonyms, write_dictionary, write_research
from clinic_app.services.clinic import forms
from clinic_app.services.exchange import (
    Cancelled,
    ExportSummary,
    OutputRefused,
    Progress,
    Ticker,
    place_file,
)
from clinic_app.storage import exchange as store
from clinic_app.storage import records
from clinic_app.storage.database import Database

RESEARCH_FILES = ("long.csv", "wide.csv", "dictionary.csv")


@dataclass(frozen=True, slots=True)
class ResearchSummary:
    """What a research export wrote."""

    folder: Path
    visits: int
    rows: int


def export_research(
    db: Database,
    folder: Path,
    *,
    patient_ids: Sequence[str] | None = None,
    since: dt.date | None = None,
    shift_dates: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ResearchSummary:
    """Write ``long.csv``, ``wide.csv`` and ``dictionary.csv`` into a new folder.

    With ``overwrite`` only an earlier research export is replaced: a folder holding nothing but
    those three files. Any other folder (a home folder, the clinic's data folder with its database)
    is refused untouched, since replacing a folder deletes what it holds.

    Raises:
        OutputRefused: the folder exists (and ``overwrite`` is False, or it holds anything but an
            earlier research export) or is not a folder.
        NotFoundError: a named patient does not exist.
        ExchangeCancelled: the user cancelled; nothing was written.
    """
    target = folder.expanduser().resolve()
    if target.exists() and (not overwrite or not target.is_dir()):
        raise OutputRefused(target, f"{folder} already exists; choose a new folder for the research files.")
    if target.exists() and not _earlier_research_export(target):
        raise OutputRefused(
            target,
            f"{folder} holds files other than an earlier research export ({', '.join(RESEARCH_FILES)}); "
            "nothing was replaced. Choose a new folder for the research files.",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".research-", dir=target.parent))
    try:
        pseudonyms = Pseudonyms(secrets.token_bytes(32), shift_dates)
        with db.reads.begin() as session:
            scope = store.export_scope(session, patient_ids, since)
            births = {
                r["id"]: dt.date.fromisoformat(r["date_of_birth"])
                for r in store.patient_records(session, scope)
            }
            ticker = Ticker(len(scope.visit_ids), progress, cancelled)
            with (
                (staging / "long.csv").open("w", encoding="utf-8", newline="") as long_out,
                (staging / "wide.csv").open("w", encoding="utf-8", newline="") as wide_out,
            ):
                counts = write_research(
                    long_out,
                    wide_out,
                    ticker.wrap(store.visit_records(session, scope.visit_ids)),
                    births,
                    forms(),
                    pseudonyms,
                )
        with (staging / "dictionary.csv").open("w", encoding="utf-8", newline="") as out:
            write_dictionary(out, forms())
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ResearchSummary(folder, counts.visits, counts.rows)


RESEARCH_FILES = ("long.csv", "wide.csv", "dictionary.csv")
"""The files of a research export: the only things a replaced folder may hold."""


def _earlier_research_export(folder: Path) -> bool:
    """True when ``folder`` holds nothing but research export files (no sub-folder, nothing else)."""
    return all(entry.name in RESEARCH_FILES and entry.is_file() for entry in folder.iterdir())


def _swap_in(staging: Path, target: Path) -> None:
    """Put the finished folder in place; an earlier export is moved aside first and removed last.

    A crash between the two renames leaves the earlier export beside the target
    (``.research-old-…``), never half of each.
    """
    if not target.exists():
        os.replace(staging, target)
        return
    aside = Path(tempfile.mkdtemp(prefix=".research-old-", dir=target.parent))
    os.replace(target, aside / target.name)
    os.replace(staging, target)
    shutil.rmtree(aside, ignore_errors=True)


def export_fhir(
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
) -> ExportSummary:
    """Write a FHIR R4B Bundle (JSON, type ``collection``) of the chosen patients and visits.

    A report whose PDF the clinic keeps carries it in its DocumentReference (base64, with size and
    SHA-1), read one file at a time.

    Raises:
        OutputRefused: ``out`` is the clinic database or exists (without ``overwrite``).
        NotFoundError: a named patient does not exist.
        ExchangeCancelled: the user cancelled; nothing was written.
    """
    counts: dict[str, int] = {}

    def write_plain(target: Path) -> None:
        with db.reads.begin() as session, target.open("w", encoding="utf-8") as handle:
            scope = store.export_scope(session, patient_ids, since)
            ticker = Ticker(len(scope.visit_ids), progress, cancelled)
            patients = list(store.patient_records(session, scope))
            births = list(store.delivery_records(session, scope))
            clinicians = list(store.clinician_records(session, scope))
            visits = ticker.wrap(store.visit_records(session, scope.visit_ids))

            def report_content(visit_id: str, sha256: str) -> bytes | None:
                return records.find_report_content(session, visit_id, sha256)

            counts["visits"] = fhir.write_bundle(
                handle, patients, births, clinicians, visits, forms(), report_content
            )
            counts["patients"], counts["clinicians"] = len(patients), len(clinicians)

    def fill(target: Path) -> None:
        if password is None:
            write_plain(target)
            return
        with tempfile.TemporaryDirectory(prefix="runready-export-") as folder:
            plain = Path(folder) / "bundle.json"
            write_plain(plain)
            with target.open("wb") as handle:
                crypto.encrypt_file(plain, handle, password, cost=cost)

    place_file(db, out, fill, overwrite=overwrite)
    return ExportSummary(
        out, counts["patients"], counts["visits"], counts["clinicians"], 0, password is not None
    )
