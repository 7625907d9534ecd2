"""Report records keep the issued PDF: stored checked, read on demand only, old records still valid."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, event, inspect, select, text
from sqlalchemy.orm import Session

from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
from clinic_app.domain.model import Clinician, Patient, Visit
from clinic_app.storage import audit, clinicians, patients, records, visits
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.errors import NotFoundError, StorageError
from clinic_app.storage.migrate import head_revision, migrate
from clinic_app.storage.models import ReportRow

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
SHA = hashlib.sha256(PDF).hexdigest()
NOW = dt.datetime(2026, 12, 2, 9, 0)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite file with a clinician, a patient and draft visits V-1 and V-2."""
    database = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(database.engine)
    with database.sessions.begin() as session:
        clinicians.add_clinician(
            session, Clinician(ClinicianId("C-1"), "Alex Byrne"), "correct horse", actor_id="system"
        )
        patients.add_patient(
            session, Patient(PatientId("P-1"), "Żmuda", "Łucja", dt.date(1990, 1, 2)), actor_id="C-1"
        )
        for vid in ("V-1", "V-2"):
            visits.add_visit(
                session,
                Visit(VisitId(vid), PatientId("P-1"), dt.date(2026, 9, 12), ClinicianId("C-1")),
                actor_id="C-1",
            )
    yield database
    database.dispose()


def _add(session: Session, visit_id: str = "V-1", content: bytes | None = PDF, sha: str = SHA) -> int:
    entry = records.add_report(
        session,
        visit_id,
        kind="patient",
        sha256=sha,
        file_name="v1.pdf",
        clinician_id="C-1",
        content=content,
    )
    return entry.id


def test_the_file_is_kept_and_read_back_by_id_and_by_hash(db: Database) -> None:
    """The bytes given are the bytes read back, by record id and by visit and SHA-256."""
    with db.sessions.begin() as session:
        report_id = _add(session)
    with db.reads.begin() as session:
        assert records.report_content(session, report_id) == PDF
        assert records.find_report_content(session, "V-1", SHA) == PDF
        assert records.find_report_content(session, "V-2", SHA) is None


def test_the_audit_event_names_the_file_without_its_bytes(db: Database) -> None:
    """The audit trail records the hash and name of the issued file, never the file."""
    with db.sessions.begin() as session:
        _add(session)
    with db.reads.begin() as session:
        (entry,) = audit.list_events(session, entity="report")
    assert entry.after == {"visit_id": "V-1", "kind": "patient", "sha256": SHA, "file_name": "v1.pdf"}


def test_bytes_that_do_not_hash_to_the_sha256_are_refused(db: Database) -> None:
    """A file whose SHA-256 is not the one given is refused and no record is written."""
    with pytest.raises(StorageError, match="do not match"), db.sessions.begin() as session:
        _add(session, content=PDF + b"x")
    with db.reads.begin() as session:
        assert records.list_reports(session, "V-1") == []
        assert audit.list_events(session, entity="report") == []


def test_a_record_without_the_file_stays_valid(db: Database) -> None:
    """A record made without bytes is listed as before and reads back as no file."""
    with db.sessions.begin() as session:
        report_id = _add(session, content=None)
    with db.reads.begin() as session:
        (report,) = records.list_reports(session, "V-1")
        assert report.sha256 == SHA
        assert records.report_content(session, report_id) is None
        assert records.find_report_content(session, "V-1", SHA) is None
        with pytest.raises(NotFoundError):
            records.report_content(session, report_id + 100)


def test_listing_reports_never_reads_the_files(db: Database) -> None:
    """The content column is deferred: listing reads no bytes, and a loaded row has it unloaded."""
    with db.sessions.begin() as session:
        _add(session)
    statements: list[str] = []

    def capture(conn: Connection, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    engine = db.read_engine or db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        with db.reads.begin() as session:
            records.list_reports(session, "V-1")
            row = session.scalars(select(ReportRow)).one()
            assert "content" in inspect(row).unloaded
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    selects = [s for s in statements if "report_records" in s]
    assert selects and all("content" not in s for s in selects)


def test_damaged_stored_bytes_are_reported_not_handed_on(db: Database) -> None:
    """Bytes changed in the database behind the app's back are refused when read."""
    with db.sessions.begin() as session:
        report_id = _add(session)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE report_records SET content = :c"), {"c": b"%PDF-1.7 forged"})
    with db.reads.begin() as session, pytest.raises(StorageError, match="backup"):
        records.report_content(session, report_id)


def test_export_finds_each_kept_file_once(db: Database) -> None:
    """Two records of the same file (two visits) give one file to export; records without bytes none."""
    other = b"%PDF-1.4 other"
    with db.sessions.begin() as session:
        first = _add(session, "V-1")
        _add(session, "V-2")
        _add(session, "V-2", content=None, sha=hashlib.sha256(other).hexdigest())
    with db.reads.begin() as session:
        found = store.report_file_ids(session, ["V-1", "V-2"])
        assert found == {SHA: first}
        assert store.report_file(session, first, SHA) == PDF
        assert store.report_file_ids(session, []) == {}


def test_the_export_read_refuses_damaged_bytes_and_records_without_a_file(db: Database) -> None:
    """The export's own read checks each kept file against its hash, and names a record with none."""
    with db.sessions.begin() as session:
        kept = _add(session, "V-1")
        empty = _add(session, "V-2", content=None)
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE report_records SET content = :c WHERE id = :i"), {"c": PDF + b"x", "i": kept}
        )
    with db.reads.begin() as session:
        with pytest.raises(StorageError, match=f"report record {kept} no longer matches"):
            store.report_file(session, kept, SHA)
        with pytest.raises(StorageError, match=f"Report record {empty} keeps no file"):
            store.report_file(session, empty, SHA)


def test_an_import_keeps_the_file_only_where_none_is_kept(db: Database) -> None:
    """Attaching a file fills every record of the named visit that lacks it, and no other visit's."""
    with db.sessions.begin() as session:
        _add(session, "V-1", content=None)
        _add(session, "V-1", content=None)
        _add(session, "V-2", content=None)
    with db.sessions.begin() as session:
        missing = store.missing_report_files(session, ["V-1", "V-2"])
        assert missing == [("V-1", SHA), ("V-1", SHA), ("V-2", SHA)]
        assert store.attach_report_files(session, [(SHA, "V-1", PDF)]) == 2
        assert store.attach_report_files(session, [(SHA, "V-1", PDF)]) == 0
        assert store.attach_report_files(session, []) == 0
        assert store.missing_report_files(session, ["V-1"]) == []
    with db.reads.begin() as session:
        assert records.find_report_content(session, "V-1", SHA) == PDF
        assert records.find_report_content(session, "V-2", SHA) is None


def test_a_wrong_file_kept_by_an_import_is_caught_when_read(db: Database) -> None:
    """The import's write trusts its caller's hash check; a wrong file is still refused on every read."""
    with db.sessions.begin() as session:
        _add(session, "V-1", content=None)
    with db.sessions.begin() as session:
        assert store.attach_report_files(session, [(SHA, "V-1", PDF + b"x")]) == 1
    with db.reads.begin() as session, pytest.raises(StorageError):
        records.find_report_content(session, "V-1", SHA)


def _insert(conn: Connection, table: str, **values: object) -> None:
    """Insert one row with plain SQL, as the app at revision 0004 would have written it."""
    columns = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


def check_upgrade_keeps_old_records(url: str) -> None:
    """Build revision 0004 at ``url`` with a report record, upgrade to head, check it and a new one.

    Written as a plain function so a PostgreSQL test can call it with its own URL.
    """
    db = open_database(url)
    try:
        migrate(db.engine, target="0004")
        with db.engine.begin() as conn:
            _insert(
                conn,
                "clinicians",
                id="C-1",
                name="Alex Byrne",
                profession="Physio",
                registration="",
                password_hash="x",
                active=True,
                created_at=NOW,
            )
            _insert(
                conn,
                "patients",
                id="P-1",
                family_name="Żmuda",
                given_names="Łucja",
                date_of_birth=dt.date(1990, 1, 2),
                record_number="",
                archived=False,
                created_at=NOW,
                updated_at=NOW,
                family_key="zmuda",
                given_key="lucja",
                record_key="",
            )
            _insert(
                conn,
                "visits",
                id="V-1",
                patient_id="P-1",
                visit_date=dt.date(2026, 9, 1),
                clinician_id="C-1",
                status="signed",
                version=1,
                created_at=NOW,
                updated_at=NOW,
                updated_by="C-1",
            )
            _insert(
                conn,
                "report_records",
                visit_id="V-1",
                kind="patient",
                sha256="a" * 64,
                file_name="old.pdf",
                created_by="C-1",
                created_at=NOW,
            )
        assert migrate(db.engine).to_revision == head_revision() == "0005"
        with db.sessions.begin() as session:
            (old,) = records.list_reports(session, "V-1")
            assert (old.sha256, old.file_name) == ("a" * 64, "old.pdf")
            assert records.report_content(session, old.id) is None
            new = _add(session)
        with db.reads.begin() as session:
            assert records.report_content(session, new) == PDF
    finally:
        db.dispose()


def test_upgrade_from_0004_keeps_old_records_on_sqlite(tmp_path: Path) -> None:
    """A 0004 SQLite file with a report record upgrades; the old record reads as no file, new ones keep it."""
    check_upgrade_keeps_old_records(f"sqlite:///{tmp_path / 'old.sqlite3'}")


@pytest.mark.postgres
def test_upgrade_from_0004_keeps_old_records_on_postgresql(pg_database_url: str) -> None:
    """The same upgrade on PostgreSQL: the file column is bytea and holds the PDF's bytes."""
    check_upgrade_keeps_old_records(pg_database_url)
