"""Name the kind of a low-level storage failure and word the message a physiotherapist can act on.

:func:`classify` maps an exception raised anywhere in storage (sqlite3, psycopg, SQLAlchemy wrappers,
``OSError``) to a :class:`Condition`; :func:`describe_storage_error` and :func:`problem` give the
message for it. Messages name the database with any password hidden, say what happened, that
nothing was overwritten, and what to do next. The preflight in :mod:`clinic_app.storage.diagnose`
raises the same errors before anything is written.
"""

from __future__ import annotations

import enum
import errno
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

from clinic_app.storage.errors import SchemaTooNewError, StorageError
from clinic_app.storage.urls import shown_url, sqlite_file


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
    return _MESSAGES[condition].format(db=shown_url(url), detail=error_detail(exc))


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


def error_detail(exc: BaseException) -> str:
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
