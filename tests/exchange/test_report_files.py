"""Report PDFs travel: once per file in the native bundle, as attachment data in FHIR, kept on import."""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from clinic_app.exchange.archive import MANIFEST, BundleWriter, open_bundle
from clinic_app.exchange.errors import BundleError
from clinic_app.services import exchange
from clinic_app.services.exchange_formats import export_fhir
from clinic_app.storage import records
from clinic_app.storage.database import Database
from clinic_app.storage.errors import StorageError
from clinic_app.storage.models import VisitRow
from tests.exchange.bundles import lines, read_parts, write_parts
from tests.exchange.bundles import records as entry_records
from tests.exchange.conftest import demo_user
from tests.exchange.test_bundle import entries_without_created_at
from tests.exchange.test_hostile import refused


def pdf(seed: bytes, blocks: int) -> bytes:
    """Stand-in PDF bytes that, like a real PDF's, hardly compress."""
    body = b"".join(hashlib.sha256(seed + bytes([n % 256, n // 256])).digest() for n in range(blocks))
    return b"%PDF-1.7\n" + body + b"\n%%EOF\n"


FIRST = pdf(b"first", 120)
SECOND = pdf(b"second", 80)
NOT_KEPT = hashlib.sha256(b"%PDF-1.4 printed before the clinic kept files").hexdigest()


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _name(content: bytes) -> str:
    return f"reports/{_sha(content)}.pdf"


def add_reports(db: Database) -> list[str]:
    """Give visits of three demo patients reports: a file issued twice, another, a record without one."""
    with db.sessions.begin() as session:
        firsts: dict[str, str] = {}
        for visit_id, patient_id in session.execute(
            select(VisitRow.id, VisitRow.patient_id).order_by(VisitRow.id)
        ):
            firsts.setdefault(patient_id, visit_id)
        ids = list(firsts.values())[:3]
        clinician = str(session.scalars(select(VisitRow.clinician_id)).first())
        plan = [(ids[0], FIRST), (ids[1], FIRST), (ids[1], SECOND), (ids[2], None)]
        for visit_id, content in plan:
            records.add_report(
                session,
                visit_id,
                kind="patient",
                sha256=_sha(content) if content else NOT_KEPT,
                file_name=f"{visit_id}.pdf",
                clinician_id=clinician,
                content=content,
            )
    return ids


@pytest.fixture
def reported(demo: Database) -> tuple[Database, list[str]]:
    """The demo clinic with report records, three of them keeping their files."""
    return demo, add_reports(demo)


@pytest.fixture
def bundle(reported: tuple[Database, list[str]], tmp_path: Path) -> Path:
    """The reported demo clinic as a native bundle."""
    path = tmp_path / "reported.rrbundle"
    exchange.export_bundle(reported[0], path)
    return path


def test_the_bundle_carries_each_kept_file_once(reported: tuple[Database, list[str]], tmp_path: Path) -> None:
    """Each kept PDF is one reports/<sha256>.pdf entry, listed in the manifest; no file for the rest."""
    path = tmp_path / "out.rrbundle"
    summary = exchange.export_bundle(reported[0], path)
    manifest, entries = read_parts(path)
    files = sorted(name for name in entries if name.startswith("reports/"))
    assert files == sorted([_name(FIRST), _name(SECOND)]) and summary.report_files == 2
    for content in (FIRST, SECOND):
        assert entries[_name(content)] == content
        assert manifest["entries"][_name(content)] == {
            "sha256": _sha(content),
            "size": len(content),
            "records": 1,
        }


def test_a_selection_carries_only_its_visits_files(
    reported: tuple[Database, list[str]], tmp_path: Path
) -> None:
    """A bundle of one patient holds only the files her visits' records name."""
    db, ids = reported
    with db.reads.begin() as session:
        owners = [session.scalars(select(VisitRow.patient_id).where(VisitRow.id == v)).one() for v in ids]
    for owner, wanted in zip(owners, ([FIRST], [FIRST, SECOND], []), strict=True):
        path = tmp_path / f"{owner}.rrbundle"
        summary = exchange.export_bundle(db, path, patient_ids=[owner])
        with zipfile.ZipFile(path) as archive:
            names = sorted(name for name in archive.namelist() if name.startswith("reports/"))
        assert names == sorted(_name(c) for c in wanted) and summary.report_files == len(wanted)


def test_import_keeps_the_files_and_round_trips(
    reported: tuple[Database, list[str]], empty: Database, bundle: Path, tmp_path: Path
) -> None:
    """The dry run counts the files; the import keeps them on every record naming them; re-export is equal."""
    db, ids = reported
    plan = exchange.plan_import(empty, bundle)
    assert plan.report_files == 2 and plan.reports_with_new_visits == 3
    assert "3 report PDFs would be kept with the visits to add." in plan.lines()
    assert exchange.import_bundle(empty, bundle, demo_user(db)).report_files == 3
    with empty.reads.begin() as session:
        assert records.find_report_content(session, ids[0], _sha(FIRST)) == FIRST
        assert records.find_report_content(session, ids[1], _sha(FIRST)) == FIRST
        assert records.find_report_content(session, ids[1], _sha(SECOND)) == SECOND
        assert records.find_report_content(session, ids[2], NOT_KEPT) is None
    again = tmp_path / "again.rrbundle"
    exchange.export_bundle(empty, again)
    assert entries_without_created_at(bundle) == entries_without_created_at(again)


def test_a_record_here_without_its_file_gets_it_from_the_bundle(
    reported: tuple[Database, list[str]], empty: Database, bundle: Path
) -> None:
    """Importing a bundle whose visits are the same as ours fills in the files our records lack."""
    db, ids = reported
    user = demo_user(db)
    exchange.import_bundle(empty, bundle, user)
    with empty.sessions.begin() as session:
        session.execute(text("UPDATE report_records SET content = NULL"))
    plan = exchange.plan_import(empty, bundle)
    assert not plan.conflicts and not plan.visits_added
    assert plan.reports_for_visits_here == 3 and plan.changes_anything
    assert "3 report PDFs would be added to visits already here." in plan.lines()
    assert not any(line.startswith("Nothing to import") for line in plan.lines())
    outcome = exchange.import_bundle(empty, bundle, user)
    assert outcome.report_files == 3 and set(ids[:2]) <= outcome.changes.visit_ids
    with empty.reads.begin() as session:
        assert records.find_report_content(session, ids[1], _sha(SECOND)) == SECOND
    again = exchange.plan_import(empty, bundle)
    assert again.reports_for_visits_here == 0 and not again.changes_anything
    assert "No report PDFs would be added: this clinic keeps them already." in again.lines()
    assert exchange.import_bundle(empty, bundle, user).report_files == 0


def test_a_tampered_file_is_refused_even_with_nothing_to_keep(
    reported: tuple[Database, list[str]], empty: Database, bundle: Path, tmp_path: Path
) -> None:
    """A file changed under its manifest is refused by the import even when every record keeps it already."""
    exchange.import_bundle(empty, bundle, demo_user(reported[0]))
    manifest, entries = read_parts(bundle)
    entries[_name(FIRST)] = FIRST[:-2] + b"X\n"
    path = write_parts(tmp_path / "tampered.rrbundle", manifest, entries, honest=False)
    with pytest.raises(BundleError) as dry:
        exchange.plan_import(empty, path)
    assert dry.value.problem == "checksum"
    assert refused(empty, reported[0], path).problem == "checksum"


def test_a_file_changed_behind_an_honest_manifest_is_refused(
    reported: tuple[Database, list[str]], empty: Database, bundle: Path, tmp_path: Path
) -> None:
    """Other bytes under a file's name (manifest recomputed to match) are refused; nothing is written."""
    manifest, entries = read_parts(bundle)
    entries[_name(FIRST)] = SECOND
    path = write_parts(tmp_path / "swapped.rrbundle", manifest, entries)
    error = refused(empty, reported[0], path)
    assert error.problem == "checksum" and "does not hash to its name" in str(error)
    assert "Nothing was imported" in str(error)
    with pytest.raises(BundleError, match="does not hash to its name"):
        exchange.plan_import(empty, path)


def test_a_file_changed_after_writing_fails_the_manifest(
    reported: tuple[Database, list[str]], empty: Database, bundle: Path, tmp_path: Path
) -> None:
    """Bytes changed under the manifest's SHA-256 are refused by the archive check; nothing is written."""
    manifest, entries = read_parts(bundle)
    entries[_name(FIRST)] = FIRST[:-2] + b"X\n"  # same size, other bytes
    path = write_parts(tmp_path / "tampered.rrbundle", manifest, entries, honest=False)
    assert refused(empty, reported[0], path).problem == "checksum"


def test_a_file_no_record_names_is_refused(
    reported: tuple[Database, list[str]], empty: Database, bundle: Path, tmp_path: Path
) -> None:
    """A PDF entry that no report record in the bundle names is refused; nothing is written."""
    manifest, entries = read_parts(bundle)
    stray = b"%PDF-1.7 slipped in"
    entries[_name(stray)] = stray
    path = write_parts(tmp_path / "orphan.rrbundle", manifest, entries)
    error = refused(empty, reported[0], path)
    assert error.problem == "reference" and _name(stray) in str(error)


def test_a_named_file_that_is_not_a_pdf_is_refused(
    reported: tuple[Database, list[str]], empty: Database, bundle: Path, tmp_path: Path
) -> None:
    """A file named by its hash and by a record, but not a PDF, is refused; nothing is written."""
    manifest, entries = read_parts(bundle)
    script = b"#!/bin/sh\necho hello\n"
    items = entry_records(entries["visits.jsonl"])
    holder: dict[str, Any] = next(v for v in items if v["reports"])
    holder["reports"][0]["sha256"] = _sha(script)
    entries["visits.jsonl"] = lines(items)
    entries[_name(script)] = script
    path = write_parts(tmp_path / "script.rrbundle", manifest, entries)
    assert refused(empty, reported[0], path).problem == "record"
    with pytest.raises(BundleError, match="is not a PDF"):
        exchange.plan_import(empty, path)


def _resources(path: Path, kind: str) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def test_fhir_document_references_carry_the_kept_pdf(
    reported: tuple[Database, list[str]], tmp_path: Path
) -> None:
    """A kept file is the attachment's data with its size and SHA-1; a record without one has no data."""
    out = tmp_path / "clinic.fhir.json"
    export_fhir(reported[0], out)
    model = importlib.import_module("fhir.resources.R4B.documentreference").DocumentReference
    documents = _resources(out, "DocumentReference")
    assert len(documents) == 4
    by_hash: dict[str, dict[str, Any]] = {}
    for document in documents:
        model.model_validate(document)
        sha = document["identifier"][0]["value"].removeprefix("urn:sha256:")
        by_hash[sha] = document["content"][0]["attachment"]
    for content in (FIRST, SECOND):
        attachment = by_hash[_sha(content)]
        assert base64.b64decode(attachment["data"]) == content
        assert attachment["size"] == len(content)
        assert attachment["hash"] == base64.b64encode(hashlib.sha1(content).digest()).decode()
        assert attachment["contentType"] == "application/pdf"
    assert set(by_hash[NOT_KEPT]) == {"contentType", "title"}


def test_a_report_entry_compressed_like_no_pdf_is_refused(
    reported: tuple[Database, list[str]], empty: Database, bundle: Path, tmp_path: Path
) -> None:
    """A report entry that unpacks to many times its packed size (a zip bomb) is refused before reading."""
    manifest, entries = read_parts(bundle)
    bomb = b"%PDF-1.7\n" + bytes(200_000)
    entries[_name(bomb)] = bomb
    path = write_parts(tmp_path / "bomb.rrbundle", manifest, entries)
    assert refused(empty, reported[0], path).problem == "too_large"


def test_a_clinic_of_many_reports_fits_the_manifest(tmp_path: Path) -> None:
    """A bundle of 8,000 report files (a manifest over 1 MiB) opens; PDFs do not count as records' bytes."""
    path = tmp_path / "many.rrbundle"
    meta = {"created_at": "2026-12-02T09:00:00+00:00"}
    with BundleWriter(path, meta) as writer:
        for n in range(8000):
            content = b"%PDF-1.7\n" + str(n).encode()
            writer.add_file(_name(content), content)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(MANIFEST).file_size > 1024 * 1024
    with open_bundle(path) as reader:
        assert len(reader.report_names()) == 8000


def test_an_export_stops_at_a_damaged_file_and_writes_nothing(
    reported: tuple[Database, list[str]], tmp_path: Path
) -> None:
    """A kept PDF whose bytes no longer match its record fails the export, which leaves no file."""
    db, _ = reported
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE report_records SET content = :c WHERE sha256 = :s"),
            {"c": SECOND + b"x", "s": _sha(SECOND)},
        )
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(StorageError, match="restore the clinic database from a backup"):
        exchange.export_bundle(db, folder / "damaged.rrbundle")
    assert list(folder.iterdir()) == []  # neither the bundle nor a half-written temporary file


def test_the_writer_lists_a_checked_hash_as_given_and_hashes_the_rest(tmp_path: Path) -> None:
    """add_file with a known SHA-256 puts that hash in the manifest; without one it hashes the bytes."""
    path = tmp_path / "files.rrbundle"
    with BundleWriter(path, {"created_at": "2026-12-03T07:00:00+00:00"}) as writer:
        writer.add_file(_name(FIRST), FIRST, sha256=_sha(FIRST))
        writer.add_file(_name(SECOND), SECOND)
    manifest, entries = read_parts(path)
    for content in (FIRST, SECOND):
        assert entries[_name(content)] == content
        assert manifest["entries"][_name(content)]["sha256"] == _sha(content)
