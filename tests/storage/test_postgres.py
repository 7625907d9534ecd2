"""PostgreSQL tests against the real server that the test run starts (see tests/storage/conftest.py)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import psycopg
import pytest
from sqlalchemy import text

from clinic_app.domain.ids import ClinicianId, FieldPath, PatientId, VisitId
from clinic_app.domain.model import Clinician, Patient, Results, Visit
from clinic_app.storage import audit, clinicians, patients, visits
from clinic_app.storage.backup import BackupNotSupportedError, backup_database
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.diagnose import Condition, StorageProblemError, check_database
from clinic_app.storage.errors import ConflictError, SchemaTooNewError
from clinic_app.storage.migrate import head_revision, migrate

pytestmark = pytest.mark.postgres


def _plain(url: str) -> str:
    """The libpq form of a SQLAlchemy URL, for direct psycopg connections."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_server_answers_queries(pg_url: str) -> None:
    """The test server is a real PostgreSQL that runs SQL."""
    with psycopg.connect(_plain(pg_url)) as conn:
        row = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()
    assert row is not None and row[0] >= 140000


def test_each_test_gets_an_empty_database(pg_database_url: str) -> None:
    """A per-test database starts with no tables, so tests cannot see each other's rows."""
    with psycopg.connect(_plain(pg_database_url)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert row == (0,)


# --- PostgreSQL variants of the storage core's tests ------------------------------------------------

C1 = ClinicianId("C-1")
C2 = ClinicianId("C-2")
P1 = PatientId("P-0001")
VALUES = Results({FieldPath("strength.calf_raise.left"): 22, FieldPath("strength.calf_raise.right"): 18})


def _load_core_test(name: str) -> ModuleType:
    """Load a sibling test module of the storage core by path, to reuse its checks with a PostgreSQL URL."""
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"runready_pg_reuse_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def clinic(pg_database_url: str) -> Iterator[Database]:
    """A migrated PostgreSQL clinic database with two clinicians, one patient and one draft visit."""
    db = open_database(pg_database_url)
    migrate(db.engine)
    with db.sessions.begin() as session:
        clinicians.add_clinician(session, Clinician(C1, "Alex Byrne"), "first-password", actor_id="system")
        clinicians.add_clinician(session, Clinician(C2, "Sam Okafor"), "second-password", actor_id="system")
        patients.add_patient(session, Patient(P1, "Ní Bhriain", "Zoë", dt.date(1991, 4, 2)), actor_id=C1)
        visits.add_visit(
            session, Visit(VisitId("V-1"), P1, dt.date(2026, 9, 10), C1, results=VALUES), actor_id=C1
        )
    yield db
    db.dispose()


def test_upgrade_from_first_revision_with_data_on_postgresql(pg_database_url: str) -> None:
    """Revision 0001 with rows upgrades to head on PostgreSQL; values survive, schema equals the models."""
    _load_core_test("test_migrate").check_upgrade_with_data(pg_database_url)


def test_visit_delivery_backfill_on_postgresql(pg_database_url: str) -> None:
    """Revision 0004 links each existing visit to the latest birth on or before it on PostgreSQL too."""
    _load_core_test("test_visit_delivery").check_backfill(pg_database_url)


def test_second_workstation_save_is_refused_on_postgresql(clinic: Database, pg_database_url: str) -> None:
    """Two engines load version 1; the first save wins, the second gets a ConflictError, nothing is lost."""
    other = open_database(pg_database_url)
    try:
        with clinic.sessions.begin() as session:
            visits.save_results(
                session, "V-1", 1, VALUES.with_values({"strength.calf_raise.right": 20}), actor_id=C1
            )
        with (
            pytest.raises(ConflictError, match="changed on another workstation by Alex Byrne"),
            other.sessions.begin() as session,
        ):
            visits.save_results(
                session, "V-1", 1, VALUES.with_values({"strength.calf_raise.right": 11}), actor_id=C2
            )
        with other.sessions.begin() as session:
            stored = visits.get_visit(session, "V-1")
    finally:
        other.dispose()
    assert stored.version == 2
    assert stored.results[FieldPath("strength.calf_raise.right")] == 20


def test_simultaneous_saves_from_two_engines_never_both_win(clinic: Database, pg_database_url: str) -> None:
    """Two threads on two engines save version 1 at the same moment: exactly one wins, one conflicts."""
    other = open_database(pg_database_url)
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, str] = {}

    def save(db: Database, who: ClinicianId, value: int) -> None:
        try:
            with db.sessions.begin() as session:
                visits.get_visit(session, "V-1")  # both have loaded version 1 …
                barrier.wait()  # … before either writes
                visits.save_results(
                    session, "V-1", 1, VALUES.with_values({"strength.calf_raise.right": value}), actor_id=who
                )
            outcomes[who] = "saved"
        except ConflictError:
            outcomes[who] = "conflict"

    threads = [
        threading.Thread(target=save, args=(clinic, C1, 30)),
        threading.Thread(target=save, args=(other, C2, 31)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a save hung instead of conflicting"
    other.dispose()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = 30 if outcomes[C1] == "saved" else 31
    with clinic.sessions.begin() as session:
        stored = visits.get_visit(session, "V-1")
        updates = [
            e for e in audit.list_events(session, entity="visit", entity_id="V-1") if e.action == "update"
        ]
    assert stored.version == 2 and stored.results[FieldPath("strength.calf_raise.right")] == winner
    assert len(updates) == 1


def test_audit_is_written_in_the_same_transaction_on_postgresql(
    clinic: Database, pg_database_url: str
) -> None:
    """Another connection sees a change and its audit event together, and a rollback removes both."""
    watcher = open_database(pg_database_url)

    def seen() -> tuple[int, int]:
        with watcher.engine.connect() as conn:
            patients_seen = conn.execute(text("SELECT count(*) FROM patients WHERE id = 'P-2'")).scalar_one()
            events_seen = conn.execute(
                text("SELECT count(*) FROM audit_events WHERE entity_id = 'P-2'")
            ).scalar_one()
        return int(patients_seen), int(events_seen)

    try:
        with clinic.sessions.begin() as session:
            patients.add_patient(
                session, Patient(PatientId("P-2"), "Byrne", "Ann", dt.date(1988, 3, 3)), actor_id=C1
            )
            session.flush()
            assert seen() == (0, 0)  # written but not committed: invisible, audit included
        assert seen() == (1, 1)
        with pytest.raises(RuntimeError), clinic.sessions.begin() as session:
            patients.add_patient(
                session, Patient(PatientId("P-3"), "Lee", "Mo", dt.date(1989, 4, 4)), actor_id=C1
            )
            session.flush()
            raise RuntimeError("the workstation lost power")
        with watcher.engine.connect() as conn:
            left = conn.execute(
                text(
                    "SELECT (SELECT count(*) FROM patients WHERE id = 'P-3'), "
                    "(SELECT count(*) FROM audit_events WHERE entity_id = 'P-3')"
                )
            ).one()
        assert tuple(left) == (0, 0)
    finally:
        watcher.dispose()


def test_preflight_on_postgresql(pg_database_url: str) -> None:
    """The preflight sees an empty database as new, a migrated one at head, and refuses a newer schema."""
    assert check_database(pg_database_url).exists is False
    db = open_database(pg_database_url)
    try:
        migrate(db.engine)
        status = check_database(pg_database_url)
        assert (status.exists, status.revision, status.at_head) == (True, head_revision(), True)
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        with pytest.raises(SchemaTooNewError):
            check_database(pg_database_url)
    finally:
        db.dispose()


def test_backup_command_refuses_postgresql(pg_database_url: str, tmp_path: Path) -> None:
    """The app does not pretend to back up a PostgreSQL database; it points to pg_dump."""
    with pytest.raises(BackupNotSupportedError, match="pg_dump"):
        backup_database(pg_database_url, tmp_path / "copy.sqlite3")


def test_core_stale_save_check_on_postgresql(pg_database_url: str) -> None:
    """The core's two-workstation stale save is refused with ConflictError on PostgreSQL too."""
    _load_core_test("test_concurrency").check_stale_save_conflicts(pg_database_url)


def test_core_flush_race_check_on_postgresql(pg_database_url: str) -> None:
    """A version check that passed before another engine committed still ends in ConflictError."""
    _load_core_test("test_concurrency").check_flush_race_conflicts(pg_database_url)


def test_core_sign_after_edit_check_on_postgresql(pg_database_url: str) -> None:
    """Signing a copy another engine has since edited is refused on PostgreSQL."""
    _load_core_test("test_concurrency").check_sign_after_edit_conflicts(pg_database_url)


def test_patient_search_folds_accents_and_uses_prefixes_on_postgresql(clinic: Database) -> None:
    """Prefix ranges with the C collation find names typed without accents, ids and birth dates."""
    with clinic.sessions.begin() as session:
        patients.add_patient(
            session,
            Patient(PatientId("P-00AB12"), "Żmuda", "Łucja", dt.date(1990, 1, 2), "RR-77"),
            actor_id=C1,
        )
        patients.add_patient(
            session, Patient(PatientId("P-00CD34"), "Zúñiga", "Ana", dt.date(1985, 5, 6)), actor_id=C1
        )
    with clinic.sessions.begin() as session:

        def ids(text: str) -> list[str]:
            return [p.id for p in patients.search_patients(session, text)]

        assert ids("zmu") == ["P-00AB12"]
        assert ids("lucja zm") == ["P-00AB12"]
        assert ids("ni bhr") == [P1]
        assert ids("z") == [P1, "P-00AB12", "P-00CD34"]  # Zoë (given name), Żmuda, Zúñiga
        assert ids("p-00cd") == ["P-00CD34"]
        assert ids("rr-7") == ["P-00AB12"]
        assert ids("1990-01-02") == ["P-00AB12"]


def test_a_missing_database_on_a_running_server_is_a_login_problem(pg_url: str) -> None:
    """A server that answers but has no such database is not called unreachable; the name is shown."""
    url = pg_url.rsplit("/", 1)[0] + "/no_such_clinic"
    with pytest.raises(StorageProblemError) as caught:
        check_database(url)
    assert caught.value.condition is Condition.ACCESS_DENIED
    assert "no_such_clinic" in str(caught.value)
