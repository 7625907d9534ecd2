"""Migrations: packaged scripts build the model schema, upgrade old databases with data, refuse newer ones."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text

from clinic_app.storage import audit, patients, visits
from clinic_app.storage.base import Base
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.errors import SchemaTooNewError, StorageError
from clinic_app.storage.migrate import current_revision, head_revision, known_revisions, migrate

FIXED_NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def _insert(conn: Connection, table: str, **values: object) -> None:
    """Insert one row with plain SQL, as an older copy of the app would have written it."""
    columns = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


def check_upgrade_with_data(url: str) -> None:
    """Build revision 0001 at ``url``, fill it with a patient and a visit, upgrade to head and check.

    Written as a plain function so the PostgreSQL suite can call it with its own URL.
    """
    db = open_database(url)
    try:
        assert migrate(db.engine, target=known_revisions()[0]).to_revision == "0001"
        now = FIXED_NOW.replace(tzinfo=None)
        with db.engine.begin() as conn:
            _insert(
                conn,
                "clinicians",
                id="C-1",
                name="Alex Byrne",
                profession="Physiotherapist",
                registration="",
                password_hash="x",
                active=True,
                created_at=now,
            )
            _insert(
                conn,
                "patients",
                id="P-1",
                family_name="Żmuda",
                given_names="Łucja",
                date_of_birth=dt.date(1990, 1, 2),
                record_number="RR-7",
                archived=False,
                created_at=now,
                updated_at=now,
            )
            _insert(
                conn,
                "visits",
                id="V-1",
                patient_id="P-1",
                visit_date=dt.date(2026, 9, 1),
                clinician_id="C-1",
                status="draft",
                version=1,
                created_at=now,
                updated_at=now,
                updated_by="C-1",
            )
            _insert(
                conn,
                "result_values",
                visit_id="V-1",
                field_path="strength.bridge",
                side="left",
                value="21",
                value_number=21.0,
                unit="reps",
                method="",
            )
        outcome = migrate(db.engine, now=FIXED_NOW)
        assert (outcome.from_revision, outcome.to_revision) == ("0001", head_revision())
        with db.sessions.begin() as session:
            found = patients.search_patients(session, "zmuda lucja")
            visit = visits.get_visit(session, "V-1")
        assert [p.id for p in found] == ["P-1"]
        assert dict(visit.results) == {"strength.bridge.left": 21}
        with db.engine.connect() as conn:
            assert (
                compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
                == []
            )
    finally:
        db.dispose()


def test_upgrade_from_first_revision_with_data_on_sqlite(tmp_path: Path) -> None:
    """A 0001 SQLite file with rows upgrades to head; names get search keys and values survive."""
    check_upgrade_with_data(f"sqlite:///{tmp_path / 'old.sqlite3'}")


def test_fresh_database_matches_the_models(tmp_path: Path) -> None:
    """Running every migration on an empty file yields exactly the schema the models declare."""
    db = open_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    outcome = migrate(db.engine)
    assert outcome.from_revision is None and outcome.to_revision == head_revision() and outcome.backup is None
    with db.engine.connect() as conn:
        assert (
            compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
            == []
        )
    assert migrate(db.engine).upgraded is False
    db.dispose()


def test_pending_upgrade_backs_up_the_file_first(tmp_path: Path) -> None:
    """Before upgrading an existing file, a timestamped copy at the old revision is kept beside it."""
    path = tmp_path / "clinic.sqlite3"
    db = open_database(f"sqlite:///{path}")
    migrate(db.engine, target="0001")
    outcome = migrate(db.engine, now=FIXED_NOW)
    db.dispose()
    assert outcome.backup == tmp_path / f"clinic.sqlite3.before-{head_revision()}-20261102-093000.bak"
    copy = sqlite3.connect(outcome.backup)
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    """A revision this app does not know raises SchemaTooNewError and nothing is changed or copied."""
    db = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(db.engine)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(SchemaTooNewError, match="newer than this copy") as caught:
        migrate(db.engine)
    assert caught.value.found == "0099"
    assert current_revision(db.engine) == "0099"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".bak") == []
    db.dispose()


def test_foreign_tables_are_refused(tmp_path: Path) -> None:
    """A database with someone else's tables and no revision is not taken over."""
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    db = open_database(f"sqlite:///{path}")
    with pytest.raises(StorageError, match="did not create"):
        migrate(db.engine)
    assert current_revision(db.engine) is None
    db.dispose()


def test_revisions_are_ordered_and_shipped_in_the_package() -> None:
    """The app knows at least two revisions, oldest first, ending at head."""
    revisions = known_revisions()
    assert revisions[:2] == ("0001", "0002")
    assert revisions[-1] == head_revision()


def test_upgrade_of_an_existing_database_is_audited(tmp_path: Path) -> None:
    """Upgrading a database with a schema already in it leaves a 'migrate' audit event naming the backup."""
    db = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(db.engine, target="0001")
    outcome = migrate(db.engine, now=FIXED_NOW)
    with db.sessions.begin() as session:
        (event,) = audit.list_events(session, entity="database")
    db.dispose()
    assert (event.action, event.actor_id, event.occurred_at) == ("migrate", "system", FIXED_NOW)
    assert event.before == {"revision": "0001"}
    assert event.after == {"revision": head_revision(), "backup": str(outcome.backup)}


def test_new_database_has_no_migration_event(tmp_path: Path) -> None:
    """Creating the schema from nothing is not a change to clinical data, so nothing is audited."""
    db = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(db.engine)
    with db.sessions.begin() as session:
        assert audit.list_events(session) == []
    db.dispose()


def check_simultaneous_start(url: str) -> None:
    """Two workstations opening a new database at the same moment: one creates it, the other waits.

    A plain function so the PostgreSQL suite can run it (there an advisory lock does the waiting).
    """
    first, second = open_database(url), open_database(url)
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def start(db: Database) -> None:
        barrier.wait()
        try:
            migrate(db.engine)
        except BaseException as error:  # collected and asserted on below
            failures.append(error)

    threads = [threading.Thread(target=start, args=(db,)) for db in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert failures == []
        assert current_revision(first.engine) == head_revision()
    finally:
        first.dispose()
        second.dispose()


def test_simultaneous_start_on_sqlite(tmp_path: Path) -> None:
    """Two engines migrating one new SQLite file at once both succeed and the schema is built once."""
    check_simultaneous_start(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")


def test_known_revisions_read_from_the_files_match_alembics_own_walk() -> None:
    """The chain read without Alembic (fast start) is exactly the one Alembic walks."""
    from alembic.script import ScriptDirectory

    from clinic_app.storage.migrate import alembic_config, head_revision, known_revisions

    script = ScriptDirectory.from_config(alembic_config())
    assert known_revisions() == tuple(reversed([rev.revision for rev in script.walk_revisions()]))
    assert head_revision() == script.get_current_head()


def test_an_up_to_date_start_does_not_import_alembic(tmp_path) -> None:
    """Opening a current database in a fresh interpreter leaves Alembic unimported."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    code = (
        "import sys\n"
        "from clinic_app.services.clinic import open_clinic\n"
        f"open_clinic({url!r}).dispose()\n"  # first start: migrates (imports Alembic)
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    again = code + "print('alembic' in sys.modules)\n"
    shown = subprocess.run([sys.executable, "-c", again], check=True, capture_output=True, text=True)
    assert shown.stdout.strip() == "False"
