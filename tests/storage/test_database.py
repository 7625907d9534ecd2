"""Engine set-up: URL choice, no password in settings, SQLite pragmas and working SAVEPOINTs."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic_app.storage import database, urls
from clinic_app.storage.database import open_database, resolve_database_url, url_for_settings
from clinic_app.storage.migrate import migrate


def test_default_is_a_sqlite_file_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without URL, environment or setting, the default SQLite file in the per-user folder is used."""
    monkeypatch.delenv(database.DATABASE_URL_ENV, raising=False)
    monkeypatch.setattr(urls.platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "data"))
    url = resolve_database_url()
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "data" / "clinic.sqlite3")


def test_precedence_explicit_then_environment_then_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """An explicit URL beats the environment variable, which beats the saved setting."""
    monkeypatch.setenv(database.DATABASE_URL_ENV, "sqlite:///from-env.sqlite3")
    assert resolve_database_url("sqlite:///explicit.sqlite3").database == "explicit.sqlite3"
    assert resolve_database_url(setting="sqlite:///setting.sqlite3").database == "from-env.sqlite3"
    monkeypatch.delenv(database.DATABASE_URL_ENV)
    assert resolve_database_url(setting="sqlite:///setting.sqlite3").database == "setting.sqlite3"


def test_postgres_uses_psycopg_and_takes_the_password_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """postgresql:// maps to psycopg 3; a password-less URL gets the password from its own variable."""
    monkeypatch.setenv(database.DATABASE_PASSWORD_ENV, "s3cret")
    url = resolve_database_url("postgresql://clinic@db.example:5432/runready")
    assert url.drivername == "postgresql+psycopg"
    assert url.password == "s3cret"


def test_settings_never_receive_the_password() -> None:
    """The URL written to settings has the password removed and everything else kept."""
    saved = url_for_settings("postgresql+psycopg://clinic:hunter22@db.example:5432/runready")
    assert "hunter22" not in saved
    assert saved == "postgresql+psycopg://clinic@db.example:5432/runready"


def test_every_sqlite_connection_gets_the_pragmas(tmp_path: Path) -> None:
    """WAL, foreign keys, busy timeout and full sync are set on each new connection."""
    db = open_database(f"sqlite:///{tmp_path / 'nested' / 'clinic.sqlite3'}")
    for _ in range(2):
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == database.BUSY_TIMEOUT_MS
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        db.engine.dispose()
    assert db.sqlite_path == tmp_path / "nested" / "clinic.sqlite3"
    db.dispose()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    """A visit pointing at a missing patient is rejected by the database itself."""
    db = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(db.engine)
    with pytest.raises(Exception, match="FOREIGN KEY"), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO deliveries (patient_id, delivery_date, mode, perineal_trauma, parity) "
                "VALUES ('nobody', '2026-01-01', 'planned_caesarean', 'none', 1)"
            )
        )
    db.dispose()


def test_savepoint_rolls_back_only_the_inner_work(tmp_path: Path) -> None:
    """A nested transaction (SAVEPOINT) rolls back alone — the driver's legacy mode would break this."""
    db = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
        inner = conn.begin_nested()
        conn.execute(text("INSERT INTO t VALUES (2)"))
        inner.rollback()
        conn.execute(text("INSERT INTO t VALUES (3)"))
    with db.engine.connect() as conn:
        assert [row[0] for row in conn.execute(text("SELECT x FROM t ORDER BY x"))] == [1, 3]
    db.dispose()


def test_rolled_back_ddl_leaves_no_table(tmp_path: Path) -> None:
    """DDL is transactional on SQLite once SQLAlchemy controls BEGIN: a failed migration leaves nothing."""
    db = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    with pytest.raises(RuntimeError), db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE half_made (x INTEGER)"))
        raise RuntimeError("simulated failure in the middle of a migration")
    with db.engine.connect() as conn:
        tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).all()
    assert tables == []
    db.dispose()


def test_read_sessions_cannot_write_and_do_not_wait_for_writers(tmp_path: Path) -> None:
    """A read-only action reads committed data during another save without waiting, and cannot write."""
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    writer, reader = open_database(url), open_database(url)
    migrate(writer.engine)
    with writer.sessions.begin() as busy:
        busy.execute(
            text(
                "INSERT INTO clinicians (id, name, profession, registration, password_hash, active, "
                "created_at) VALUES ('C-1', 'Alex', '', '', 'x', 1, '2026-11-02 09:00:00')"
            )
        )
        started = time.monotonic()
        with reader.reads.begin() as session:
            seen = session.execute(text("SELECT count(*) FROM clinicians")).scalar()
        waited = time.monotonic() - started
    assert seen == 0 and waited < 1.0
    with pytest.raises(Exception, match="readonly"), reader.reads.begin() as session:
        session.execute(text("DELETE FROM clinicians"))
    with reader.sessions.begin() as session:
        assert session.execute(text("SELECT count(*) FROM clinicians")).scalar() == 1
        session.execute(text("UPDATE clinicians SET name = 'Alex Byrne'"))
    writer.dispose()
    reader.dispose()


def _add_patients(path: Path, count: int, start: int = 0) -> None:
    """Insert ``count`` minimal patient rows straight into the file (fast set-up for planner tests)."""
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO patients (id, family_name, given_names, date_of_birth, record_number, archived,"
            " created_at, updated_at, family_key, given_key, record_key)"
            " VALUES (?, 'Doe', 'Jo', '1990-01-01', '', 0, '2026-01-01', '2026-01-01', 'doe', 'jo', '')",
            [(f"P-{n:06d}",) for n in range(start, start + count)],
        )


def test_search_statistics_are_gathered_once_a_clinic_is_large_and_when_it_doubles(tmp_path: Path) -> None:
    """ANALYZE runs from 1,000 patients, not again until the count doubles, and never below that."""
    path = tmp_path / "clinic.sqlite3"
    db = open_database(f"sqlite:///{path}")
    try:
        migrate(db.engine, backup=False)
        _add_patients(path, 999)
        assert database.refresh_search_statistics(db.engine) is False
        _add_patients(path, 1, start=999)
        assert database.refresh_search_statistics(db.engine) is True
        assert database.refresh_search_statistics(db.engine) is False
        _add_patients(path, 1001, start=1000)
        assert database.refresh_search_statistics(db.engine) is True
    finally:
        db.dispose()
