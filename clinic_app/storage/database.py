"""Open the clinic database: choose the URL, create the engine, configure every connection.

SQLite is the default (one file in the per-user data folder); a clinic shares PostgreSQL through
``CLINIC_APP_DATABASE_URL`` or a saved setting. On SQLite every new connection gets WAL journaling,
foreign-key enforcement, a busy timeout and full fsync, and the driver's own transaction handling is
switched off so SQLAlchemy's BEGIN/SAVEPOINT statements are the ones that run.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session as Session  # re-exported: services annotate with it
from sqlalchemy.orm import sessionmaker

APP_NAME = "RunReady Clinic"
DATABASE_URL_ENV = "CLINIC_APP_DATABASE_URL"
"""Environment variable naming the database URL; wins over the saved setting and the default."""
DATABASE_PASSWORD_ENV = "CLINIC_APP_DATABASE_PASSWORD"
"""Environment variable holding a PostgreSQL password, so the saved URL never contains one."""
DEFAULT_FILE_NAME = "clinic.sqlite3"
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


def default_database_path() -> Path:
    """Return the default SQLite file in the per-user data folder (the folder is not created)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DEFAULT_FILE_NAME


def resolve_database_url(url: str | URL | None = None, *, setting: str | None = None) -> URL:
    """Choose the database URL: explicit argument, then the environment, then the setting, then the default.

    A PostgreSQL password is never expected in the saved setting: when the URL has none, it is taken
    from ``CLINIC_APP_DATABASE_PASSWORD`` (or left to libpq, which reads ``~/.pgpass``).

    Args:
        url: a URL given on the command line or by a test.
        setting: the URL saved in the app's settings (without a password).

    Returns:
        The URL to open; ``postgresql://`` is mapped to the psycopg 3 driver.
    """
    chosen = url or os.environ.get(DATABASE_URL_ENV) or setting
    if not chosen:
        return URL.create("sqlite", database=str(default_database_path()))
    parsed = make_url(chosen)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql" and parsed.password is None:
        password = os.environ.get(DATABASE_PASSWORD_ENV)
        if password:
            parsed = parsed.set(password=password)
    return parsed


def url_for_settings(url: str | URL) -> str:
    """Return the form of ``url`` that may be written to the settings file: without its password.

    Args:
        url: the URL the user typed, possibly with a password.

    Returns:
        The same URL with the password removed.
    """
    parsed = make_url(url)
    # URL.set(password=None) means "leave unchanged", so the URL is rebuilt without one.
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return bare.render_as_string(hide_password=False)


def open_database(
    url: str | URL | None = None, *, setting: str | None = None, echo: bool = False
) -> Database:
    """Create the engine and session factory for the clinic database (no schema changes).

    Call :func:`clinic_app.storage.migrate.migrate` next; it creates or upgrades the schema. For a
    SQLite file the parent folder is created when missing.

    Args:
        url: explicit URL (command-line ``--database``, tests); see :func:`resolve_database_url`.
        setting: the URL saved in settings, used when neither ``url`` nor the environment names one.
        echo: log SQL statements (debugging).

    Returns:
        The open database.
    """
    resolved = resolve_database_url(url, setting=setting)
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if resolved.get_backend_name() == "sqlite":
        if resolved.database and resolved.database != ":memory:":
            Path(resolved.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        engine = create_engine(resolved, **kwargs)
        _configure_sqlite(engine)
        if resolved.database and resolved.database != ":memory:" and not resolved.query.get("mode"):
            # A file: reads get their own engine, configured read-only once per connection. (An
            # in-memory database exists only on its engine's connection, so reads share it.)
            read_engine = create_engine(resolved, **kwargs)
            _configure_sqlite(read_engine, read_only=True)
            reads = sessionmaker(read_engine, expire_on_commit=False)
            sessions = sessionmaker(engine, expire_on_commit=False)
            return Database(engine, sessions, resolved, reads, read_engine)
    else:
        kwargs["pool_pre_ping"] = True
        engine = create_engine(resolved, **kwargs)
    sessions = sessionmaker(engine, expire_on_commit=False)
    reads = sessionmaker(engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False)
    return Database(engine=engine, sessions=sessions, url=resolved, reads=reads)


STATISTICS_INDEX = "ix_patients_search_family"
"""The patient index whose ``sqlite_stat1`` row tells whether the search statistics are current."""
STATISTICS_FROM_PATIENTS = 1000
"""Below this many patients a search is fast whatever the plan (about 1 ms), so the file is left as it is."""


def refresh_search_statistics(engine: Engine) -> bool:
    """Give SQLite's query planner statistics on the patients table when they are missing or stale.

    Without ``sqlite_stat1`` rows SQLite assumes ``archived = 0`` picks out a handful of patients, and
    answers a search by walking a whole search index: on 100,000 patients a date-of-birth or
    several-word search then takes 90–140 ms instead of well under 1 ms. A clinic file never gets
    statistics on its own, so they are gathered (``ANALYZE patients``, about 70 ms at 100,000
    patients) when there are none or the number of patients has changed more than twofold since,
    from :data:`STATISTICS_FROM_PATIENTS` patients on. Never fails: a read-only or busy file just
    keeps the statistics it has.

    Args:
        engine: the clinic database's engine (anything but SQLite is left alone).

    Returns:
        True when the statistics were gathered now.
    """
    if engine.dialect.name != "sqlite":
        return False
    try:
        with engine.begin() as connection:
            patients = int(connection.exec_driver_sql("SELECT count(*) FROM patients").scalar_one())
            has_table = connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
            ).first()
            stat = None
            if has_table is not None:
                stat = connection.exec_driver_sql(
                    "SELECT stat FROM sqlite_stat1 WHERE tbl = 'patients' AND idx = ?", (STATISTICS_INDEX,)
                ).scalar()
            counted = int(str(stat).split()[0]) if stat else 0
            if patients < STATISTICS_FROM_PATIENTS or (counted and counted / 2 <= patients <= counted * 2):
                return False
            connection.exec_driver_sql("ANALYZE patients")
        return True
    except (SQLAlchemyError, sqlite3.Error, ValueError):
        return False


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


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    """Install the per-connection pragmas and explicit BEGIN on a SQLite engine.

    Args:
        engine: the engine to configure.
        read_only: every connection of this engine only reads: ``PRAGMA query_only`` is set once
            when it connects and each checkout from the pool starts a deferred ``BEGIN``. Otherwise the
            :data:`READ_ONLY_OPTION` execution option chooses per transaction.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy: the stdlib driver would otherwise open and
        # commit transactions on its own and break SAVEPOINT and transactional DDL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
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
        state = connection.connection.info
        if state.get(READ_ONLY_OPTION, False) != read_only:
            connection.exec_driver_sql(f"PRAGMA query_only = {int(read_only)}")
            state[READ_ONLY_OPTION] = read_only
        # A writing action takes the write lock up front (IMMEDIATE), so it never fails half-way when
        # it turns from reading to writing while another workstation writes. A reading action uses a
        # deferred BEGIN: in WAL mode it reads a consistent snapshot without any lock.
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
