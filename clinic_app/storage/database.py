"""Open the clinic database: create the engine and configure every connection.

SQLite is the default (one file in the per-user data folder); a clinic shares PostgreSQL through
``CLINIC_APP_DATABASE_URL`` or a saved setting. On SQLite every new connection gets WAL journaling,
foreign-key enforcement, a busy timeout and full fsync, and the driver's own transaction handling is
switched off so SQLAlchemy's BEGIN/SAVEPOINT statements are the ones that run.

Choosing and checking the URL lives in :mod:`~clinic_app.storage.urls`, the search statistics in
:mod:`~clinic_app.storage.search_statistics`; both are re-exported here, the names callers know.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

# The default back end's dialect is imported with the rest of SQLAlchemy rather than on the first URL
# check: by then the window has imported PySide6, whose import hook reads the source of every module
# imported after it (~30 ms for this one at each cold start).
from sqlalchemy.dialects import sqlite as _sqlite_dialect  # noqa: F401
from sqlalchemy.engine import URL, Connection
from sqlalchemy.orm import Session as Session  # re-exported: services annotate with it
from sqlalchemy.orm import sessionmaker

from clinic_app.storage.errors import DamagedDatabaseError
from clinic_app.storage.search_statistics import (
    STATISTICS_FROM_PATIENTS,
    STATISTICS_INDEX,
    refresh_search_statistics,
)
from clinic_app.storage.urls import (
    APP_NAME,
    DATABASE_PASSWORD_ENV,
    DATABASE_URL_ENV,
    DEFAULT_FILE_NAME,
    SECRET_QUERY_KEYS,
    SUPPORTED_DRIVERS,
    check_url,
    default_database_path,
    is_secret_option,
    masked_text,
    masked_url,
    parse_url,
    resolve_database_url,
    url_for_settings,
)

__all__ = [
    "APP_NAME",
    "BUSY_TIMEOUT_MS",
    "DATABASE_PASSWORD_ENV",
    "DATABASE_URL_ENV",
    "DEFAULT_FILE_NAME",
    "READ_ONLY_OPTION",
    "SECRET_QUERY_KEYS",
    "STATISTICS_FROM_PATIENTS",
    "STATISTICS_INDEX",
    "SUPPORTED_DRIVERS",
    "Database",
    "Session",
    "check_url",
    "default_database_path",
    "is_secret_option",
    "masked_text",
    "masked_url",
    "open_database",
    "parse_url",
    "refresh_search_statistics",
    "resolve_database_url",
    "url_for_settings",
]

READ_ONLY_OPTION = "runready_read_only"
"""Execution option marking the engine behind :attr:`Database.reads`."""
BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite connection waits for another workstation's write to finish before failing."""


@dataclass(frozen=True, slots=True)
class Database:
    """An open clinic database: the engine and the factory of one-action sessions.

    Attributes:
        engine: the SQLAlchemy engine (one per process).
        sessions: use ``with db.sessions.begin() as session:`` for one user action that may write.
        url: the URL actually used, password hidden when shown.
        reads: the same for an action that only reads (search, open a patient, lists). On SQLite it
            starts a plain deferred transaction that cannot write (``PRAGMA query_only``), so it is
            cheaper and never waits behind another workstation's save.
        read_engine: on a SQLite file, the engine behind ``reads``: its own pool of connections,
            set to ``query_only`` once when each connects, so a read never toggles the pragma on a
            connection that a save used last. None when reads share ``engine``.
    """

    engine: Engine
    sessions: sessionmaker[Session]
    url: URL
    reads: sessionmaker[Session]
    read_engine: Engine | None = None

    @property
    def is_sqlite(self) -> bool:
        """True when the database is a SQLite file (or in-memory)."""
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, or None for PostgreSQL and in-memory databases."""
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def read_connection(self) -> Connection:
        """A pooled Core connection for one read-only action: ``with db.read_connection() as conn:``.

        The same transaction as :attr:`reads` (on SQLite a deferred ``BEGIN`` under ``PRAGMA
        query_only``), without a Session around it: for an action that runs only Core statements (a
        search), where a Session's begin/commit/close costs more than the query itself. Leaving the
        ``with`` block closes the connection, which ends the transaction with a rollback (it only
        read). Repository functions typed ``Session | Connection`` accept it.
        """
        if self.read_engine is not None:
            return self.read_engine.connect()
        return self.engine.connect().execution_options(**{READ_ONLY_OPTION: True})

    def dispose(self) -> None:
        """Close every pooled connection (call on quit and before replacing the file)."""
        if self.read_engine is not None:
            self.read_engine.dispose()
        self.engine.dispose()


def open_database(
    url: str | URL | None = None, *, setting: str | None = None, echo: bool = False, read_only: bool = False
) -> Database:
    """Create the engine and session factory for the clinic database (no schema changes).

    Call :func:`clinic_app.storage.migrate.migrate` next; it creates or upgrades the schema. For a
    SQLite file the parent folder is created when missing.

    Once SQLite reports the file damaged (``SQLITE_CORRUPT``, ``SQLITE_NOTADB``) on any connection of
    this database, every later writing transaction is refused with :class:`DamagedDatabaseError`, so
    a damaged file is never written to further; reads may still show what can be read.

    Args:
        url: explicit URL (command-line ``--database``, tests); see :func:`resolve_database_url`.
        setting: the URL saved in settings, used when neither ``url`` nor the environment names one.
        echo: log SQL statements (debugging).
        read_only: open an existing SQLite file read-only (a read-only file, folder or drive): every
            connection is opened with ``mode=ro``, nothing is created beside the file, and any
            attempt to write fails with SQLite's "readonly" error.

    Returns:
        The open database.
    """
    resolved = resolve_database_url(url, setting=setting)
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if resolved.get_backend_name() == "sqlite":
        health = _Health()
        if read_only and resolved.database:
            kwargs["creator"] = _read_only_creator(Path(resolved.database))
        elif resolved.database:
            Path(resolved.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        engine = create_engine(resolved, **kwargs)
        _configure_sqlite(engine, health=health, file_read_only=read_only)
        if resolved.database and not resolved.query.get("mode"):
            # Reads get their own engine, configured read-only once per connection.
            read_engine = create_engine(resolved, **kwargs)
            _configure_sqlite(read_engine, read_only=True, health=health, file_read_only=read_only)
            reads = sessionmaker(read_engine, expire_on_commit=False)
            sessions = sessionmaker(engine, expire_on_commit=False)
            return Database(engine, sessions, resolved, reads, read_engine)
    else:
        kwargs["pool_pre_ping"] = True
        engine = create_engine(resolved, **kwargs)
    sessions = sessionmaker(engine, expire_on_commit=False)
    reads = sessionmaker(engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False)
    return Database(engine=engine, sessions=sessions, url=resolved, reads=reads)


def _read_only_creator(path: Path) -> Any:
    """Return a connection factory opening ``path`` read-only (``mode=ro``).

    When neither the file nor its folder can be written (a read-only drive or folder) and there is no
    write-ahead log beside it, no other program can be changing it either, and SQLite could not make
    its shared-memory file there: the file is then opened as immutable.
    """
    writable = os.access(path, os.W_OK) or os.access(path.parent, os.W_OK)
    immutable = not writable and not Path(f"{path}-wal").exists()
    uri = f"{path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)

    return connect


class _Health:
    """Whether SQLite has reported this database damaged (shared by its write and read engines)."""

    __slots__ = ("damaged",)

    def __init__(self) -> None:
        self.damaged = False


_DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_DAMAGED_MESSAGE = (
    "The clinic database {db} reported damage earlier, so nothing more is written to it. Close the app, "
    "keep the file as it is, and restore the most recent backup with the 'restore' command."
)


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to WAL journaling once; wait while another connection holds a lock.

    WAL is a property of the file, so usually it is already on. Switching needs a moment with no
    other transaction open, and SQLite's busy timeout does not cover this pragma, so a new file
    opened by two workstations at once would otherwise fail with "database is locked".
    """
    mode = cursor.execute("PRAGMA journal_mode").fetchone()
    if mode is not None and str(mode[0]).lower() in ("wal", "memory"):
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _configure_sqlite(
    engine: Engine, *, read_only: bool = False, health: _Health | None = None, file_read_only: bool = False
) -> None:
    """Install the per-connection pragmas and explicit BEGIN on a SQLite engine.

    Args:
        engine: the engine to configure.
        read_only: every connection of this engine only reads: ``PRAGMA query_only`` is set once
            when it connects and each checkout from the pool starts a deferred ``BEGIN``. Otherwise the
            :data:`READ_ONLY_OPTION` execution option chooses per transaction.
        health: where a report of damage is noted; writing transactions are refused once it is.
        file_read_only: the file is opened read-only; its journal mode is left as it is.
    """
    health = health or _Health()

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        original = context.original_exception
        code = getattr(original, "sqlite_errorcode", None)
        if isinstance(code, int) and (code & 0xFF) in _DAMAGE_CODES:
            health.damaged = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy: the stdlib driver would otherwise open and
        # commit transactions on its own and break SAVEPOINT and transactional DDL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not file_read_only:
                _use_wal(cursor)
            cursor.execute("PRAGMA synchronous = FULL")
            if read_only:
                cursor.execute("PRAGMA query_only = 1")
        finally:
            cursor.close()

    if read_only:

        @event.listens_for(engine, "checkout")
        def _on_read_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            # Each read action takes a connection from the pool and starts its deferred transaction
            # then, straight on the driver; its commit, or the pool's rollback on return, ends it. A
            # pool event, not an engine "begin" listener: any engine-level listener makes SQLAlchemy
            # look for execution events around every statement, which cost more than a short search.
            dbapi_connection.execute("BEGIN")

        return

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = bool(connection.get_execution_options().get(READ_ONLY_OPTION))
        if health.damaged and not read_only:
            raise DamagedDatabaseError(_DAMAGED_MESSAGE.format(db=connection.engine.url.database))
        state = connection.connection.info
        if state.get(READ_ONLY_OPTION, False) != read_only:
            connection.exec_driver_sql(f"PRAGMA query_only = {int(read_only)}")
            state[READ_ONLY_OPTION] = read_only
        # A writing action takes the write lock up front (IMMEDIATE), so it never fails half-way when
        # it turns from reading to writing while another workstation writes. A reading action uses a
        # deferred BEGIN: in WAL mode it reads a consistent snapshot without any lock.
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
