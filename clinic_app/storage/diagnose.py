"""Check a database before anything is written, and explain low-level storage failures in plain words.

Two entry points:

* :func:`check_database` — a read-only preflight run before migrations or a restore touch a database.
  It recognises a file that is not a database, a database from another program, a schema from a newer
  app version, a read-only file or folder, a database locked by another program, and an unreachable
  PostgreSQL server, and raises :class:`StorageProblemError` (or the core's
  :class:`~clinic_app.storage.errors.SchemaTooNewError`) with a clear message. It never writes: the
  file is byte-identical afterwards.
* :func:`describe_storage_error` — maps an exception raised anywhere in storage (sqlite3, psycopg,
  SQLAlchemy wrappers, ``OSError``) to the same kind of message, for failures that only show up while
  writing, such as a full disk.

Messages name the database with any password hidden, say what happened, that nothing was overwritten,
and what to do next. This module is the preflight; the classification and the messages live in
:mod:`clinic_app.storage.failures` and the URL display in :mod:`clinic_app.storage.urls`, both
re-exported here under the names callers know.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from clinic_app.storage.errors import SchemaTooNewError
from clinic_app.storage.failures import (
    Condition,
    StorageProblemError,
    classify,
    describe_storage_error,
    error_detail,
    problem,
)
from clinic_app.storage.migrate import known_revisions
from clinic_app.storage.urls import shown_url, sqlite_file

__all__ = [
    "CONNECT_TIMEOUT_S",
    "LOCK_PROBE_TIMEOUT_S",
    "LOW_DISK_BYTES",
    "SQLITE_MAGIC",
    "Condition",
    "DatabaseStatus",
    "StorageProblemError",
    "check_database",
    "classify",
    "describe_storage_error",
    "postgres_connection_options",
    "problem",
    "read_only_connection",
    "shown_url",
    "sqlite_file",
]

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""
LOW_DISK_BYTES = 50 * 1024 * 1024
"""Free space below which the preflight warns: a visit is small, but a migration copies tables."""
CONNECT_TIMEOUT_S = 5
"""How long the preflight waits for a PostgreSQL server before calling it unreachable."""
LOCK_PROBE_TIMEOUT_S = 1.0
"""How long the preflight waits for another program's write lock before calling the file locked."""


@dataclass(frozen=True, slots=True)
class DatabaseStatus:
    """What the preflight found about a usable database.

    Attributes:
        shown_url: the URL with any password hidden, for messages and logs.
        backend: ``"sqlite"`` or ``"postgresql"``.
        exists: False when the database is new (no file yet, an empty file, or an empty schema).
        revision: the Alembic revision recorded in the database, None when new.
        at_head: True when ``revision`` is the newest this app knows (no migration needed).
        warnings: problems that do not stop the app, such as little free disk space.
    """

    shown_url: str
    backend: str
    exists: bool
    revision: str | None
    at_head: bool
    warnings: tuple[str, ...] = ()


def check_database(
    url: str | URL, *, known: Sequence[str] | None = None, for_reading: bool = False
) -> DatabaseStatus:
    """Check, without writing anything, that the database at ``url`` can be opened and written.

    Args:
        url: the database URL (SQLite file or PostgreSQL).
        known: the revisions this app knows, oldest first; defaults to the shipped migrations
            (:func:`clinic_app.storage.migrate.known_revisions`).
        for_reading: only reading is planned (a read-only file or drive is fine; a lock held by a
            writer is too, a reader in WAL mode never waits for it).

    Returns:
        What was found, when the database is usable (possibly after migrations).

    Raises:
        StorageProblemError: the database cannot be used; the message says why and what to do.
        SchemaTooNewError: the database was made by a newer version of the app.
    """
    revisions = tuple(known_revisions() if known is None else known)
    path = sqlite_file(url)
    if path is not None:
        return _check_sqlite(path, revisions, for_reading=for_reading)
    if make_url(url).get_backend_name() == "postgresql":
        return _check_postgresql(url, revisions)
    return DatabaseStatus(shown_url(url), make_url(url).get_backend_name(), False, None, False)


def _writable(path: Path) -> bool:
    """Whether this process (its effective user) may write ``path``."""
    return os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def _check_sqlite(path: Path, revisions: tuple[str, ...], *, for_reading: bool = False) -> DatabaseStatus:
    """Preflight a SQLite file: folder, header, read-only, revision, lock — reading only."""
    folder = path.parent
    if not folder.is_dir():
        raise problem(Condition.MISSING_FOLDER, str(path))
    if path.is_dir() or (path.exists() and not path.is_file()):
        raise problem(Condition.NOT_A_DATABASE, str(path))
    warnings = _disk_warnings(folder)
    if not path.exists() or path.stat().st_size == 0:
        if not _writable(folder):
            raise problem(Condition.READ_ONLY, str(path), " (the folder)")
        return DatabaseStatus(str(path), "sqlite", False, None, False, warnings)
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise problem(Condition.NOT_A_DATABASE, str(path))
    revision, has_tables = _read_sqlite_revision(path)
    if revision is None and has_tables:
        raise problem(Condition.FOREIGN_DATABASE, str(path))
    if revision is not None and revision not in revisions:
        raise SchemaTooNewError(revision, revisions)
    if for_reading:
        at_head = bool(revisions) and revision == revisions[-1]
        return DatabaseStatus(str(path), "sqlite", revision is not None, revision, at_head, warnings)
    if not _writable(path):
        raise problem(Condition.READ_ONLY, str(path), " (the file)")
    if not _writable(folder):
        raise problem(Condition.READ_ONLY, str(path), " (its folder, needed for the write-ahead log)")
    _probe_write_lock(path)
    at_head = bool(revisions) and revision == revisions[-1]
    return DatabaseStatus(str(path), "sqlite", revision is not None, revision, at_head, warnings)


def _disk_warnings(folder: Path) -> tuple[str, ...]:
    """Warn when the disk holding ``folder`` has little free space left."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ()
    if free >= LOW_DISK_BYTES:
        return ()
    return (f"Only {free // (1024 * 1024)} MB free on the disk holding {folder}; free some space soon.",)


def read_only_connection(path: Path, timeout: float = LOCK_PROBE_TIMEOUT_S) -> sqlite3.Connection:
    """Open ``path`` read-only, so a check can never change the file or leave files beside it.

    Without a ``-wal`` file beside it, every committed page is in the file itself and it is opened as
    immutable: SQLite then creates no ``-wal``/``-shm`` companions (a read-only connection could not
    remove them again). A database in use keeps its companions and is read through them.
    """
    query = "mode=ro" if Path(f"{path}-wal").exists() else "mode=ro&immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=timeout)


def _read_sqlite_revision(path: Path) -> tuple[str | None, bool]:
    """Return the recorded Alembic revision (None if none) and whether the file has any tables."""
    try:
        with contextlib.closing(read_only_connection(path)) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "alembic_version" not in names:
                return None, bool(names)
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise problem(classify(exc), str(path), error_detail(exc)) from exc
    return (str(row[0]) if row else None), True


def _probe_write_lock(path: Path) -> None:
    """Fail if another program holds the write lock beyond a short wait.

    The probe takes the write lock and releases it at once; it writes nothing.
    """
    try:
        with contextlib.closing(sqlite3.connect(str(path), timeout=LOCK_PROBE_TIMEOUT_S)) as conn:
            conn.isolation_level = None
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise problem(classify(exc), str(path), error_detail(exc)) from exc


def postgres_connection_options(url: URL) -> dict[str, Any]:
    """Return the libpq options the app's engine would use for ``url``, for the preflight to use too.

    The URL's query options (``sslmode``, ``host`` for a socket folder, ``connect_timeout``,
    ``options``, ``target_session_attrs`` …) are passed on as SQLAlchemy's psycopg dialect passes
    them, so the check connects exactly as the app will; the preflight's own time limit applies only
    when the URL sets none. A repeated option (several hosts) is joined with commas, as libpq expects.
    """
    options: dict[str, Any] = {
        "dbname": url.database or "postgres",
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
    }
    for key, value in url.query.items():
        options[key] = ",".join(value) if isinstance(value, tuple) else value
    options.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    return {key: value for key, value in options.items() if value is not None}


def _check_postgresql(url: str | URL, revisions: tuple[str, ...]) -> DatabaseStatus:
    """Preflight a PostgreSQL database: reachable, login accepted, schema revision known."""
    import psycopg  # imported for PostgreSQL clinics only

    parsed = make_url(url)
    try:
        conninfo = psycopg.conninfo.make_conninfo(**postgres_connection_options(parsed))
    except psycopg.Error as exc:
        detail = f" (an option of the URL is not understood: {error_detail(exc)[2:-1]})"
        raise problem(Condition.UNREACHABLE, url, detail) from exc
    row: tuple[object, ...] | None = None
    try:
        with psycopg.connect(conninfo) as conn:
            found = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
            if found and found[0]:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.Error as exc:
        raise problem(classify(exc), url, error_detail(exc)) from exc
    revision = str(row[0]) if row else None
    if revision is not None and revision not in revisions:
        raise SchemaTooNewError(revision, revisions)
    at_head = bool(revisions) and revision == revisions[-1]
    return DatabaseStatus(shown_url(url), "postgresql", revision is not None, revision, at_head)
