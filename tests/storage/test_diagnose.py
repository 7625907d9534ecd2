"""Bad storage conditions give a clear message and leave the database byte-identical."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import SQLAlchemyError

from clinic_app.storage.database import open_database
from clinic_app.storage.diagnose import (
    Condition,
    StorageProblemError,
    check_database,
    classify,
    describe_storage_error,
)
from clinic_app.storage.errors import SchemaTooNewError
from clinic_app.storage.migrate import known_revisions, migrate

KNOWN = ("0001base", "0002next")


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _settled(path: Path) -> bytes:
    """Fold any write-ahead log into the file and return its bytes, the baseline for 'unchanged'."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def _folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_sound_database_passes_the_preflight(stand_in_db: Path, tmp_path: Path) -> None:
    """A RunReady database at the newest revision is reported usable, and the check writes nothing."""
    before = _settled(stand_in_db)
    status = check_database(_url(stand_in_db), known=KNOWN)
    assert (status.exists, status.revision, status.at_head) == (True, "0002next", True)
    assert stand_in_db.read_bytes() == before
    assert _folder_listing(tmp_path) == ["clinic.sqlite3"]


def test_an_older_revision_is_usable_and_needs_migration(
    make_stand_in: Callable[..., Path], tmp_path: Path
) -> None:
    """A database one revision behind is usable; the status says it is not at head."""
    older = make_stand_in(tmp_path / "older.sqlite3", revision="0001base")
    status = check_database(_url(older), known=KNOWN)
    assert status.exists and not status.at_head


def test_a_new_file_in_a_writable_folder_is_usable(tmp_path: Path) -> None:
    """No file yet is not a problem: the app will create the database there."""
    status = check_database(_url(tmp_path / "fresh.sqlite3"), known=KNOWN)
    assert (status.exists, status.revision) == (False, None)
    assert not (tmp_path / "fresh.sqlite3").exists()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    """A document in place of the database is named as such and keeps its bytes."""
    letter = tmp_path / "clinic.sqlite3"
    letter.write_bytes(b"Referral letter for Mrs Byrne\n" * 50)
    before = letter.read_bytes()
    with pytest.raises(StorageProblemError) as caught:
        check_database(_url(letter), known=KNOWN)
    assert caught.value.condition is Condition.NOT_A_DATABASE
    assert "is not a database file" in str(caught.value) and "left unchanged" in str(caught.value)
    assert letter.read_bytes() == before


def test_opening_a_non_database_through_the_app_is_explained(tmp_path: Path) -> None:
    """The SQLAlchemy error raised when the app opens a document is turned into the same message."""
    letter = tmp_path / "clinic.sqlite3"
    letter.write_bytes(b"\x00not sqlite at all\x00" * 400)
    before = letter.read_bytes()
    database = open_database(_url(letter))
    try:
        with pytest.raises(SQLAlchemyError) as caught:
            migrate(database.engine)
    finally:
        database.dispose()
    assert classify(caught.value) is Condition.NOT_A_DATABASE
    assert "is not a database file" in describe_storage_error(caught.value, _url(letter))
    assert letter.read_bytes() == before


def test_a_database_of_another_program(tmp_path: Path) -> None:
    """A SQLite file with someone else's tables is refused without being touched."""
    other = tmp_path / "photos.db"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE album (id INTEGER PRIMARY KEY)")
    before = other.read_bytes()
    with pytest.raises(StorageProblemError) as caught:
        check_database(_url(other), known=KNOWN)
    assert caught.value.condition is Condition.FOREIGN_DATABASE
    assert other.read_bytes() == before


def test_a_database_from_a_newer_version(make_stand_in: Callable[..., Path], tmp_path: Path) -> None:
    """A newer schema raises the core's SchemaTooNewError, in the preflight and in migrate, unchanged."""
    newer = make_stand_in(tmp_path / "clinic.sqlite3", revision="0099future")
    before = _settled(newer)
    with pytest.raises(SchemaTooNewError) as preflight:
        check_database(_url(newer))
    assert preflight.value.known == known_revisions()
    database = open_database(_url(newer))
    try:
        with pytest.raises(SchemaTooNewError) as caught:
            migrate(database.engine)
    finally:
        database.dispose()
    message = describe_storage_error(caught.value, _url(newer))
    assert "newer" in message and "0099future" in message
    assert classify(caught.value) is Condition.SCHEMA_TOO_NEW
    assert _settled(newer) == before


@contextlib.contextmanager
def _permissions(path: Path, mode: int) -> Iterator[None]:
    """Set ``path``'s permission bits for the body and restore them afterwards (so cleanup works)."""
    old = path.stat().st_mode & 0o7777
    path.chmod(mode)
    try:
        yield
    finally:
        path.chmod(old)


def test_a_read_only_file(stand_in_db: Path, tmp_path: Path, as_nobody: Any) -> None:
    """A database file the user may not write is reported read-only before anything is attempted."""
    before = _settled(stand_in_db)
    as_nobody.give(tmp_path)  # the folder stays writable
    with (
        _permissions(stand_in_db, 0o444),
        as_nobody.run(tmp_path),
        pytest.raises(StorageProblemError) as caught,
    ):
        check_database(_url(stand_in_db), known=KNOWN)
    assert caught.value.condition is Condition.READ_ONLY
    assert "read-only" in str(caught.value) and "the file" in str(caught.value)
    assert stand_in_db.read_bytes() == before


def test_a_read_only_folder(stand_in_db: Path, tmp_path: Path, as_nobody: Any) -> None:
    """A writable file in a read-only folder is refused too: SQLite needs the folder for its log."""
    before = _settled(stand_in_db)
    as_nobody.give(stand_in_db)
    with (
        _permissions(tmp_path, 0o555),
        as_nobody.run(tmp_path),
        pytest.raises(StorageProblemError) as caught,
    ):
        check_database(_url(stand_in_db), known=KNOWN)
    assert caught.value.condition is Condition.READ_ONLY
    assert "folder" in str(caught.value)
    assert stand_in_db.read_bytes() == before


def test_writing_to_a_read_only_file_is_explained(stand_in_db: Path, tmp_path: Path, as_nobody: Any) -> None:
    """SQLite's 'readonly database' error during a save maps to the read-only message."""
    as_nobody.give(tmp_path)
    with (
        _permissions(stand_in_db, 0o444),
        as_nobody.run(tmp_path),
        contextlib.closing(sqlite3.connect(stand_in_db)) as conn,
        pytest.raises(sqlite3.Error) as caught,
    ):
        conn.execute("INSERT INTO patient (family_name) VALUES ('x')")
        conn.commit()
    assert classify(caught.value) is Condition.READ_ONLY
    assert "Nothing was saved" in describe_storage_error(caught.value, _url(stand_in_db))


_HOLD_WRITE_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO patient (family_name) VALUES ('half-way')")
print("holding", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


@dataclass
class LockedDatabase:
    """A database whose write lock another process holds until ``release()``."""

    path: Path
    before: bytes
    holder: subprocess.Popen[str]

    def release(self) -> None:
        """Let the other process roll back its half-write and exit."""
        if self.holder.poll() is None:
            assert self.holder.stdin is not None
            self.holder.stdin.write("\n")
            self.holder.stdin.flush()
            self.holder.wait(timeout=10)


@pytest.fixture
def locked_by_other_process(stand_in_db: Path) -> Iterator[LockedDatabase]:
    """The stand-in database with another process holding its write lock until released."""
    before = _settled(stand_in_db)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(stand_in_db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    locked = LockedDatabase(stand_in_db, before, holder)
    try:
        yield locked
    finally:
        locked.release()


def test_a_database_locked_by_another_process(locked_by_other_process: LockedDatabase) -> None:
    """Another program's write lock beyond the wait is reported as locked; the file ends unchanged."""
    locked = locked_by_other_process
    with pytest.raises(StorageProblemError) as caught:
        check_database(_url(locked.path), known=KNOWN)
    assert caught.value.condition is Condition.LOCKED
    assert "locked by another program" in str(caught.value)
    locked.release()
    assert _settled(locked.path) == locked.before


def test_a_save_that_times_out_on_a_lock_is_explained(locked_by_other_process: LockedDatabase) -> None:
    """SQLite's 'database is locked' after the busy timeout maps to the locked message; nothing lands."""
    locked = locked_by_other_process
    with (
        contextlib.closing(sqlite3.connect(locked.path, timeout=0.2)) as conn,
        pytest.raises(sqlite3.OperationalError) as caught,
    ):
        conn.execute("INSERT INTO patient (family_name) VALUES ('mine')")
    message = describe_storage_error(caught.value, _url(locked.path))
    assert "locked" in message and "nothing was overwritten" in message
    locked.release()
    assert _settled(locked.path) == locked.before


def test_a_full_disk(stand_in_db: Path) -> None:
    """SQLITE_FULL (forced with max_page_count) is explained; the file and earlier rows are intact."""
    before = _settled(stand_in_db)
    with contextlib.closing(sqlite3.connect(stand_in_db)) as conn:
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(sqlite3.OperationalError) as caught:
            conn.execute("INSERT INTO patient (family_name) VALUES (?)", ("x" * 100_000,))
            conn.commit()
        conn.rollback()
    assert classify(caught.value) is Condition.DISK_FULL
    message = describe_storage_error(caught.value, _url(stand_in_db))
    assert "disk" in message and "full" in message and "everything saved before is intact" in message
    assert _settled(stand_in_db) == before


def test_a_full_disk_while_copying_files(tmp_path: Path) -> None:
    """ENOSPC from a file copy (backup, migration snapshot) maps to the same full-disk message."""
    error = OSError(28, "No space left on device")
    assert classify(error) is Condition.DISK_FULL
    assert "full" in describe_storage_error(error, _url(tmp_path / "c.sqlite3"))


def test_a_missing_folder(tmp_path: Path) -> None:
    """A database on a drive that is not connected is reported without creating any folder."""
    target = tmp_path / "usb-stick" / "clinic.sqlite3"
    with pytest.raises(StorageProblemError) as caught:
        check_database(_url(target), known=KNOWN)
    assert caught.value.condition is Condition.MISSING_FOLDER
    assert not target.parent.exists()


def _closed_port() -> int:
    """A local TCP port that nothing listens on (bound, read, released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_an_unreachable_postgresql_server() -> None:
    """A server that refuses connections is reported unreachable, with the password hidden."""
    url = f"postgresql+psycopg://physio:s3cret@127.0.0.1:{_closed_port()}/runready"
    with pytest.raises(StorageProblemError) as caught:
        check_database(url, known=KNOWN)
    assert caught.value.condition is Condition.UNREACHABLE
    assert "cannot be reached" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_an_unreachable_server_through_the_app_is_explained() -> None:
    """The error the app's engine raises for a closed port maps to the unreachable message."""
    url = f"postgresql+psycopg://physio:s3cret@127.0.0.1:{_closed_port()}/runready"
    database = open_database(url)
    try:
        with pytest.raises(SQLAlchemyError) as caught:
            migrate(database.engine)
    finally:
        database.dispose()
    message = describe_storage_error(caught.value, url)
    assert classify(caught.value) is Condition.UNREACHABLE
    assert "cannot be reached" in message and "s3cret" not in message


def test_an_unrecognised_error_still_gets_a_message(tmp_path: Path) -> None:
    """Anything unexpected gets a generic message that names the database rather than a traceback."""
    message = describe_storage_error(RuntimeError("boom"), _url(tmp_path / "c.sqlite3"))
    assert "could not be used" in message and "c.sqlite3" in message


def test_reading_a_damaged_database_is_explained(make_stand_in: Callable[..., Path], tmp_path: Path) -> None:
    """SQLite's 'malformed' error from damaged pages maps to the damaged message that points to restore."""
    damaged = make_stand_in(tmp_path / "clinic.sqlite3", patients=2000)
    with contextlib.closing(sqlite3.connect(damaged)) as conn:
        root = int(conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'patient'").fetchone()[0])
        size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    data = bytearray(damaged.read_bytes())
    data[size * (root - 1) : size * root] = b"\x5a" * size  # the patient table's root page
    damaged.write_bytes(bytes(data))
    with (
        contextlib.closing(sqlite3.connect(damaged)) as conn,
        pytest.raises(sqlite3.DatabaseError) as caught,
    ):
        conn.execute("SELECT count(*), max(family_name) FROM patient").fetchall()
    assert classify(caught.value) is Condition.CORRUPT
    assert "restore" in describe_storage_error(caught.value, _url(damaged))
