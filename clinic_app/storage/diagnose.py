"""Turn low-level storage failures into messages a physiotherapist can act on, before anything is written.

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
and what to do next.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import os
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from clinic_app.storage.database import masked_text, masked_url, parse_url
from clinic_app.storage.errors import SchemaTooNewError, StorageError
from clinic_app.storage.migrate import known_revisions

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""
LOW_DISK_BYTES = 50 * 1024 * 1024
"""Free space below which the preflight warns: a visit is small, but a migration copies tables."""
CONNECT_TIMEOUT_S = 5
"""How long the preflight waits for a PostgreSQL server before calling it unreachable."""
LOCK_PROBE_TIMEOUT_S = 1.0
"""How long the preflight waits for another program's write lock before calling the file locked."""


class Condition(enum.Enum):
    """The kinds of storage trouble the app explains instead of showing a traceback."""

    NOT_A_DATABASE = "not_a_database"
    FOREIGN_DATABASE = "foreign_database"
    SCHEMA_TOO_NEW = "schema_too_new"
    READ_ONLY = "read_only"
    LOCKED = "locked"
    DISK_FULL = "disk_full"
    IO_ERROR = "io_error"
    CORRUPT = "corrupt"
    MISSING_FOLDER = "missing_folder"
    UNREACHABLE = "unreachable"
    ACCESS_DENIED = "access_denied"
    UNKNOWN = "unknown"


class StorageProblemError(StorageError):
    """A database cannot be used as it is; ``str(error)`` is the message to show.

    Attributes:
        condition: which kind of problem, for callers that react differently (e.g. retry when locked).
    """

    def __init__(self, condition: Condition, message: str) -> None:
        super().__init__(message)
        self.condition = condition


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


def shown_url(url: str | URL) -> str:
    """Render ``url`` (or a plain file path) for a message or a log, never with a secret in it.

    SQLite is shown as its file; any other URL with its password and every secret query option
    masked; a URL that cannot be parsed is masked as text.
    """
    if isinstance(url, str) and "://" not in url:
        return masked_text(url)
    try:
        parsed = parse_url(url)
    except StorageError:
        return masked_text(str(url))
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database or ":memory:")
    return masked_url(parsed)


def sqlite_file(url: str | URL) -> Path | None:
    """Return the file of a SQLite URL, or None for PostgreSQL and in-memory databases."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


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


def describe_storage_error(exc: BaseException, url: str | URL) -> str:
    """Return the message to show for a storage failure raised while using ``url``.

    Args:
        exc: the exception, possibly wrapped (SQLAlchemy's ``DBAPIError.orig``, ``__cause__``).
        url: the database in use, named in the message with its password hidden.

    Returns:
        One or two sentences: what happened, that nothing was overwritten, what to do.
    """
    for link in _chain(exc):
        if isinstance(link, StorageError):
            return str(link)
    condition = classify(exc)
    if condition is Condition.IO_ERROR and _disk_is_full(url):
        condition = Condition.DISK_FULL  # SQLite reports a full disk under WAL as an I/O error
    return _MESSAGES[condition].format(db=shown_url(url), detail=_detail(exc))


def _disk_is_full(url: str | URL) -> bool:
    """True when the folder of a SQLite database (or a plain path) has (almost) no free space left."""
    try:
        path = Path(url) if isinstance(url, str) and "://" not in url else sqlite_file(url)
        return path is not None and shutil.disk_usage(path.parent).free < 64 * 1024
    except (OSError, StorageError):
        return False


def classify(exc: BaseException) -> Condition:
    """Return the kind of storage trouble ``exc`` stands for (``UNKNOWN`` when unrecognised)."""
    for link in _chain(exc):
        if isinstance(link, StorageProblemError):
            return link.condition
        if isinstance(link, SchemaTooNewError):
            return Condition.SCHEMA_TOO_NEW
        if isinstance(link, sqlite3.Error):
            return _classify_sqlite(link)
        if type(link).__module__.startswith("psycopg") and _is_psycopg_operational(link):
            return _classify_psycopg(link)
        if isinstance(link, OSError):
            return _classify_os(link)
    return Condition.UNKNOWN


def problem(condition: Condition, url: str | URL, detail: str = "") -> StorageProblemError:
    """Build the error for ``condition`` with the standard message, naming ``url``."""
    if condition is Condition.IO_ERROR and _disk_is_full(url):
        condition = Condition.DISK_FULL
    return StorageProblemError(condition, _MESSAGES[condition].format(db=shown_url(url), detail=detail))


_MESSAGES: dict[Condition, str] = {
    Condition.NOT_A_DATABASE: (
        "{db} is not a database file (it may be a document, a damaged copy or an encrypted file). "
        "It was left unchanged. Choose the clinic database file, or restore a backup."
    ),
    Condition.FOREIGN_DATABASE: (
        "{db} is a database, but not a RunReady Clinic one. It was left unchanged. "
        "Choose the clinic database file, or a new file name to start a new clinic database."
    ),
    Condition.SCHEMA_TOO_NEW: (
        "{db} was written by a newer version of RunReady Clinic. It was left unchanged. "
        "Install the newer version of the app to open it."
    ),
    Condition.READ_ONLY: (
        "{db} cannot be written: the file or its folder is read-only for this user{detail}. "
        "Nothing was saved and nothing was overwritten. Copy the database to a writable folder, "
        "or ask your administrator for write access."
    ),
    Condition.LOCKED: (
        "{db} is locked by another program or workstation that is still writing to it. Nothing was "
        "saved and nothing was overwritten. Close RunReady Clinic elsewhere (or wait a moment) and try again."
    ),
    Condition.DISK_FULL: (
        "The disk holding {db} is full, so the last change could not be written. It was not saved, "
        "and everything saved before is intact. Free some disk space and save again."
    ),
    Condition.IO_ERROR: (
        "The drive holding {db} reported an input/output error{detail}: it may be full, removed or "
        "failing. The last change was not saved; everything saved before is intact. Free some space or "
        "check the drive, then try again."
    ),
    Condition.CORRUPT: (
        "{db} is damaged (its integrity check failed{detail}). It was left unchanged. "
        "Restore the most recent backup with the 'restore' command."
    ),
    Condition.MISSING_FOLDER: (
        "The folder for {db} does not exist or is not reachable (a disconnected drive?). Nothing was "
        "written. Reconnect the drive or choose another location."
    ),
    Condition.UNREACHABLE: (
        "The clinic database server {db} cannot be reached{detail}. Nothing was saved. Check the network "
        "connection and that the server is running, or ask the clinic's administrator."
    ),
    Condition.ACCESS_DENIED: (
        "The clinic database server {db} refused the login{detail}. Nothing was saved. Check the user "
        "name and password (CLINIC_APP_DATABASE_PASSWORD) with the clinic's administrator."
    ),
    Condition.UNKNOWN: (
        "The clinic database {db} could not be used{detail}. Nothing was overwritten. "
        "Note this message and contact support."
    ),
}


def _chain(exc: BaseException) -> list[BaseException]:
    """Return ``exc`` and what it wraps: DBAPI ``orig``, explicit causes and implicit contexts."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        wrapped = getattr(current, "orig", None)
        if isinstance(wrapped, BaseException) and wrapped not in seen:
            seen.append(wrapped)
        current = current.__cause__ or current.__context__
    return seen


def _detail(exc: BaseException) -> str:
    """A short technical tail for the message, without passwords (drivers do not echo them)."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f" ({text[0]})" if text and text[0] else ""


_SQLITE_CONDITIONS: dict[int, Condition] = {
    sqlite3.SQLITE_NOTADB: Condition.NOT_A_DATABASE,
    sqlite3.SQLITE_BUSY: Condition.LOCKED,
    sqlite3.SQLITE_LOCKED: Condition.LOCKED,
    sqlite3.SQLITE_FULL: Condition.DISK_FULL,
    sqlite3.SQLITE_IOERR: Condition.IO_ERROR,
    sqlite3.SQLITE_READONLY: Condition.READ_ONLY,
    sqlite3.SQLITE_CORRUPT: Condition.CORRUPT,
    sqlite3.SQLITE_CANTOPEN: Condition.MISSING_FOLDER,
    sqlite3.SQLITE_PERM: Condition.READ_ONLY,
    sqlite3.SQLITE_AUTH: Condition.READ_ONLY,
}


def _classify_sqlite(exc: sqlite3.Error) -> Condition:
    """Classify by SQLite's primary result code, falling back to the message text."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_CONDITIONS:
        return _SQLITE_CONDITIONS[code & 0xFF]
    text = str(exc).lower()
    for needle, condition in (
        ("not a database", Condition.NOT_A_DATABASE),
        ("locked", Condition.LOCKED),
        ("disk is full", Condition.DISK_FULL),
        ("disk i/o error", Condition.IO_ERROR),
        ("readonly", Condition.READ_ONLY),
        ("malformed", Condition.CORRUPT),
        ("unable to open", Condition.MISSING_FOLDER),
    ):
        if needle in text:
            return condition
    return Condition.UNKNOWN


def _is_psycopg_operational(exc: BaseException) -> bool:
    """True for psycopg's OperationalError; psycopg is imported only once such an error exists.

    A SQLite clinic never loads the PostgreSQL driver (about 0.1–0.2 s of the window's start).
    """
    import psycopg  # lazy on purpose, see above

    return isinstance(exc, psycopg.OperationalError)


def _classify_psycopg(exc: BaseException) -> Condition:
    """Tell a login refusal from a server that cannot be reached (both are OperationalError)."""
    text = str(exc).lower()
    if any(word in text for word in ("password", "authentication", "role", "does not exist")):
        return Condition.ACCESS_DENIED
    return Condition.UNREACHABLE


def _classify_os(exc: OSError) -> Condition:
    """Classify file-system errors raised while copying or renaming database files."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return Condition.DISK_FULL
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return Condition.READ_ONLY
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return Condition.MISSING_FOLDER
    return Condition.UNKNOWN


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
        raise problem(classify(exc), str(path), _detail(exc)) from exc
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
        raise problem(classify(exc), str(path), _detail(exc)) from exc


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
        detail = f" (an option of the URL is not understood: {_detail(exc)[2:-1]})"
        raise problem(Condition.UNREACHABLE, url, detail) from exc
    row: tuple[object, ...] | None = None
    try:
        with psycopg.connect(conninfo) as conn:
            found = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
            if found and found[0]:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.Error as exc:
        raise problem(classify(exc), url, _detail(exc)) from exc
    revision = str(row[0]) if row else None
    if revision is not None and revision not in revisions:
        raise SchemaTooNewError(revision, revisions)
    at_head = bool(revisions) and revision == revisions[-1]
    return DatabaseStatus(shown_url(url), "postgresql", revision is not None, revision, at_head)
