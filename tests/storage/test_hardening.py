"""URL checks, masking, the preflight's query options, restore's schema check and the damage guard."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from clinic_app.storage.backup import inspect_backup, restore_database
from clinic_app.storage.database import open_database, resolve_database_url
from clinic_app.storage.diagnose import Condition, StorageProblemError, postgres_connection_options, shown_url
from clinic_app.storage.errors import DamagedDatabaseError, DatabaseUrlError
from clinic_app.storage.migrate import APPLICATION_ID, migrate


def test_the_preflight_connects_with_the_urls_query_options() -> None:
    """sslmode, a socket folder and the user's own timeout reach libpq; several hosts are joined."""
    url = make_url("postgresql+psycopg://u:pw@/db?sslmode=require&host=/run/pg&connect_timeout=2")
    options = postgres_connection_options(url)
    assert options["sslmode"] == "require" and options["host"] == "/run/pg"
    assert options["connect_timeout"] == "2" and options["password"] == "pw"
    joined = postgres_connection_options(make_url("postgresql+psycopg://u@/db?host=a&host=b"))
    assert joined["host"] == "a,b"


def test_secrets_in_the_password_and_the_query_are_masked() -> None:
    """Neither the password nor a password query option is ever shown."""
    shown = shown_url("postgresql+psycopg://u:pw1@h/db?password=pw2&sslpassword=pw3&sslmode=require")
    assert "pw1" not in shown and "pw2" not in shown and "pw3" not in shown
    assert "sslmode=require" in shown


@pytest.mark.parametrize(
    ("url", "word"),
    [("nonsense", "cannot be read"), ("mysql://h/d", "SQLite and PostgreSQL only"),
     ("postgresql+pg8000://h/d", "driver"), ("sqlite://", "in-memory"), ("postgresql://h:70000/d", "port")],
)
def test_unusable_urls_are_refused_in_one_line(url: str, word: str) -> None:
    """Each kind of unusable URL gets its own one-line reason."""
    with pytest.raises(DatabaseUrlError, match=word) as caught:
        resolve_database_url(url)
    assert "\n" not in str(caught.value)


def _clinic(path: Path) -> Path:
    db = open_database(f"sqlite:///{path}")
    migrate(db.engine)
    db.dispose()
    return path


def test_migrate_stamps_the_application_id(tmp_path: Path) -> None:
    """A migrated clinic file carries RunReady's application id."""
    path = _clinic(tmp_path / "c.sqlite3")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_restore_refuses_a_backup_missing_a_column_and_changes_nothing(tmp_path: Path) -> None:
    """A file claiming the current revision without all its columns is refused; the live file is untouched."""
    live = _clinic(tmp_path / "live.sqlite3")
    bad = _clinic(tmp_path / "bad.sqlite3")
    with sqlite3.connect(bad) as conn:
        conn.execute("ALTER TABLE patients DROP COLUMN record_number")
    conn.close()
    before = live.read_bytes()
    with pytest.raises(StorageProblemError, match="record_number") as caught:
        restore_database(bad, f"sqlite:///{live}")
    assert caught.value.condition is Condition.FOREIGN_DATABASE
    assert live.read_bytes() == before


def test_restore_refuses_another_programs_application_id(tmp_path: Path) -> None:
    """A sound database stamped with another application's id is not a RunReady clinic."""
    other = _clinic(tmp_path / "other.sqlite3")
    with sqlite3.connect(other) as conn:
        conn.execute("PRAGMA application_id = 12345")
    conn.close()
    with pytest.raises(StorageProblemError) as caught:
        inspect_backup(other)
    assert caught.value.condition is Condition.FOREIGN_DATABASE


def test_no_write_after_sqlite_reports_damage(tmp_path: Path) -> None:
    """Once a read hits a damaged page (SQLITE_CORRUPT), every later writing transaction is refused."""
    path = _clinic(tmp_path / "c.sqlite3")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("CREATE TABLE filler (x TEXT)")
        conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(400)])
    conn.close()
    data = bytearray(path.read_bytes())
    for offset in range(len(data) // 2, len(data) - 4096, 4096):
        data[offset : offset + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))
    db = open_database(f"sqlite:///{path}")
    try:
        with pytest.raises(Exception, match=r"malformed|corrupt|not a database"), db.engine.connect() as conn:
            conn.execute(text("SELECT count(*), max(length(x)) FROM filler")).all()
        with pytest.raises(DamagedDatabaseError), db.sessions.begin() as session:
            session.execute(text("DELETE FROM filler"))
    finally:
        db.dispose()
