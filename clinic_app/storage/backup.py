"""Back up and restore a SQLite clinic database, checking the copy before anything is replaced.

Backups use SQLite's online backup API, so a consistent copy is taken even while the app is writing;
the copy is a single self-contained file (rollback journal, not WAL) that passes its integrity check
before it gets its final name (through the safe writer, :mod:`clinic_app.domain.files`); an existing
file is replaced only when asked, and never the live database or a database in use.

A restore first inspects the backup — integrity check, a RunReady application id or schema marker, a
revision this app knows, every table and column that revision has, row counts — and refuses anything
doubtful. It then copies the backup next to the live database, checks the
copy, keeps the current database under a timestamped name (a hard link, so it costs no space) and
swaps the copy in with one atomic rename. A database still open elsewhere is refused rather than
replaced under a running app.

PostgreSQL is the clinic administrator's business: ``pg_dump``/``pg_restore`` with the server's own
scheduling and retention. Asking this module to back one up raises :class:`BackupNotSupportedError`
saying so, rather than pretending.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from clinic_app.domain.files import OutputRefusedError, OutputWriteError, place_file_atomically
from clinic_app.storage.diagnose import (
    SQLITE_MAGIC,
    Condition,
    StorageProblemError,
    classify,
    problem,
    read_only_connection,
    shown_url,
    sqlite_file,
)
from clinic_app.storage.errors import SchemaTooNewError, StorageError
from clinic_app.storage.migrate import APPLICATION_ID, known_revisions, schema_at

_PG_ADVICE = (
    "{db} is a shared PostgreSQL database. Its backups are made on the server by the clinic's "
    "administrator with pg_dump (and restored with pg_restore), on the server's own schedule. "
    "This command backs up and restores single-computer (SQLite) databases only; nothing was done."
)


class BackupNotSupportedError(StorageError):
    """Backup or restore was asked of a database this module does not handle (PostgreSQL)."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What the check of a database file found.

    Attributes:
        path: the file checked.
        revision: its Alembic schema revision.
        row_counts: number of rows per table, alphabetically by table (``alembic_version`` left out).
        size_bytes: size of the file.
    """

    path: Path
    revision: str
    row_counts: Mapping[str, int]
    size_bytes: int

    def summary(self) -> str:
        """One line for the command line: revision, size and the row count of every table."""
        counts = ", ".join(f"{table} {count}" for table, count in self.row_counts.items())
        return (
            f"integrity ok, schema revision {self.revision}, {self.size_bytes} bytes; "
            f"rows: {counts or 'none'}"
        )


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """The outcome of a restore.

    Attributes:
        backup: the check of the backup that was restored.
        target: the database file now holding the restored data.
        kept: where the replaced database was kept, None when there was none.
    """

    backup: BackupInfo
    target: Path
    kept: Path | None


def backup_database(
    url: str | URL, out: Path, *, known: Sequence[str] | None = None, overwrite: bool = False
) -> BackupInfo:
    """Copy the SQLite database at ``url`` to ``out`` and check the copy before it gets its name.

    The copy is made into a temporary file beside ``out``, checked, fsync-ed and then linked (or, with
    ``overwrite``, renamed) into place through :func:`clinic_app.domain.files.place_file_atomically`:
    a full disk or a kill leaves no half backup and any earlier file intact. ``out`` may never be the
    database itself, one of its ``-wal``/``-journal``/``-shm`` files or another database in use.

    Args:
        url: the database to back up.
        out: the backup file to create.
        known: revisions this app knows, oldest first (defaults to the shipped migrations).
        overwrite: replace an existing ordinary file at ``out`` (an older backup).

    Returns:
        The check of the finished backup.

    Raises:
        BackupNotSupportedError: ``url`` is a PostgreSQL database.
        StorageProblemError: the source is missing or unusable, ``out`` is refused, or writing failed.
    """
    source = _sqlite_source(url)
    if not source.is_file():
        raise StorageProblemError(
            Condition.MISSING_FOLDER, f"There is no clinic database at {source}; nothing was backed up."
        )
    _require_sqlite_header(source)
    out = Path(out)
    checked: list[BackupInfo] = []

    def fill(temporary: Path) -> None:
        _copy_with_backup_api(source, temporary)
        try:
            checked.append(inspect_backup(temporary, known=known, allow_newer=True, check_schema=False))
        except StorageProblemError as exc:  # name the database, not the temporary copy
            raise problem(exc.condition, str(source)) from exc

    try:
        place_file_atomically(out, fill, protected=(source,), overwrite=overwrite)
    except OutputRefusedError as exc:
        raise StorageProblemError(Condition.UNKNOWN, f"{exc} Nothing was backed up.") from exc
    except OutputWriteError as exc:
        condition = classify(exc.__cause__) if exc.__cause__ is not None else Condition.UNKNOWN
        raise StorageProblemError(condition, str(exc)) from exc
    except sqlite3.Error as exc:
        raise problem(classify(exc), str(out), f" ({exc})") from exc
    info = checked[-1]
    return BackupInfo(out, info.revision, info.row_counts, out.stat().st_size)


def inspect_backup(
    path: Path,
    *,
    known: Sequence[str] | None = None,
    allow_newer: bool = False,
    check_schema: bool | None = None,
) -> BackupInfo:
    """Check, reading only, that ``path`` is a sound RunReady database this app can open.

    The checks, in order: it starts like a SQLite file; ``PRAGMA integrity_check`` passes; it is a
    RunReady clinic (its ``application_id`` is RunReady's, or 0 in files made before the id existed,
    and an ``alembic_version`` row names the revision); the revision is one this app knows; and every
    table and column that revision's migrations create is there.

    Args:
        path: the file to check.
        known: revisions this app knows, oldest first (defaults to the shipped migrations).
        allow_newer: accept a revision this app does not know (a backup of a newer app's database is
            still a good backup; only restoring it here would be wrong).
        check_schema: compare tables and columns with what the shipped migrations create at the
            file's revision; default: when ``known`` is the shipped chain (stand-in chains in tests
            have no migrations to compare with) and the revision is a shipped one.

    Returns:
        Its revision and row counts.

    Raises:
        StorageProblemError: not a database, damaged, or not a RunReady database.
        SchemaTooNewError: made by a newer version of the app.
    """
    revisions = tuple(known_revisions() if known is None else known)
    path = Path(path)
    if not path.is_file():
        raise StorageProblemError(Condition.MISSING_FOLDER, f"There is no file at {path}.")
    _require_sqlite_header(path)
    try:
        with contextlib.closing(read_only_connection(path)) as conn:
            verdict = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
            if verdict != ["ok"]:
                raise problem(Condition.CORRUPT, str(path), f": {'; '.join(verdict[:3])}")
            application = int(conn.execute("PRAGMA application_id").fetchone()[0])
            if application not in (0, APPLICATION_ID):
                raise problem(Condition.FOREIGN_DATABASE, str(path))
            tables = sorted(
                str(row[0])
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            )
            if "alembic_version" not in tables:
                raise problem(Condition.FOREIGN_DATABASE, str(path))
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            counts = {
                table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
                for table in tables
                if table != "alembic_version"
            }
            columns = {
                table: frozenset(str(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")'))
                for table in counts
            }
    except sqlite3.Error as exc:
        raise problem(classify(exc), str(path), f" ({exc})") from exc
    if row is None:
        raise problem(Condition.FOREIGN_DATABASE, str(path))
    revision = str(row[0])
    if revision not in revisions and not allow_newer:
        raise SchemaTooNewError(revision, revisions)
    if check_schema is None:
        check_schema = known is None and revision in revisions
    if check_schema:
        _require_schema(path, revision, columns)
    return BackupInfo(path, revision, counts, path.stat().st_size)


def _require_schema(path: Path, revision: str, found: Mapping[str, frozenset[str]]) -> None:
    """Refuse a file whose tables or columns differ from what its revision's migrations create."""
    missing: list[str] = []
    for table, wanted in sorted(schema_at(revision).items()):
        if table not in found:
            missing.append(f"table {table}")
            continue
        missing.extend(f"column {table}.{column}" for column in sorted(wanted - found[table]))
    if missing:
        shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        raise StorageProblemError(
            Condition.FOREIGN_DATABASE,
            f"{path} claims schema revision {revision} but lacks {shown}; it is not a sound RunReady "
            "Clinic database. Nothing was changed.",
        )


def restore_database(
    backup: Path,
    url: str | URL,
    *,
    now: dt.datetime | None = None,
    known: Sequence[str] | None = None,
) -> RestoreResult:
    """Replace the SQLite database at ``url`` with ``backup``, after checking both.

    Args:
        backup: the backup file to restore (left untouched).
        url: the database to replace; created when it does not exist yet.
        now: the time used in the kept file's name (tests pass a fixed one).
        known: revisions this app knows, oldest first (defaults to the shipped migrations).

    Returns:
        What was restored and where the replaced database was kept.

    Raises:
        BackupNotSupportedError: ``url`` is a PostgreSQL database.
        StorageProblemError: the backup failed its check, the target is in use or cannot be written.
        SchemaTooNewError: the backup was made by a newer version of the app.
    """
    target = _sqlite_source(url)
    info = inspect_backup(Path(backup), known=known)
    if not target.parent.is_dir():
        raise problem(Condition.MISSING_FOLDER, str(target))
    if target.exists() and target.stat().st_size > 0:
        _require_sqlite_header(target)
    staged = target.with_name(f".{target.name}.restoring")
    staged.unlink(missing_ok=True)
    kept: Path | None = None
    try:
        _copy_with_backup_api(Path(backup), staged)
        inspect_backup(staged, known=known, check_schema=False)
        if target.exists():
            require_not_in_use(target)
            kept = _kept_name(target, now or dt.datetime.now(dt.UTC))
            _keep(target, kept)
        os.replace(staged, target)
    except (sqlite3.Error, OSError) as exc:
        raise problem(classify(exc), str(target), f" ({exc})") from exc
    finally:
        staged.unlink(missing_ok=True)
    return RestoreResult(info, target, kept)


def _sqlite_source(url: str | URL) -> Path:
    """Return the SQLite file behind ``url``; PostgreSQL and in-memory databases are refused."""
    path = sqlite_file(url)
    if path is not None:
        return path
    if make_url(url).get_backend_name() == "postgresql":
        raise BackupNotSupportedError(_PG_ADVICE.format(db=shown_url(url)))
    raise BackupNotSupportedError(f"{shown_url(url)} is not a database file; there is nothing to back up.")


def _require_sqlite_header(path: Path) -> None:
    """Refuse a file that does not start like a SQLite database, before SQLite is let near it."""
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise problem(Condition.NOT_A_DATABASE, str(path))


def _copy_with_backup_api(source: Path, dest: Path) -> None:
    """Copy ``source`` into the new file ``dest`` consistently, as one self-contained file, then fsync it."""
    with (
        contextlib.closing(sqlite3.connect(str(source), timeout=10.0)) as src,
        contextlib.closing(sqlite3.connect(str(dest))) as dst,
    ):
        src.backup(dst)
        # A backup of a WAL database is itself marked WAL; make it a single file that can be mailed or
        # copied to a USB stick without a "-wal" companion.
        dst.execute("PRAGMA journal_mode = DELETE")
    with dest.open("rb") as handle:
        os.fsync(handle.fileno())


def require_not_in_use(target: Path) -> None:
    """Refuse to replace (or move aside) a database another connection still has open.

    Raises:
        StorageProblemError: ``LOCKED`` when another program has it open or is writing to it.

    Folding the write-ahead log into the file and closing removes the ``-wal`` file unless some other
    connection still has the database open — the app on this or another computer.
    """
    try:
        with contextlib.closing(sqlite3.connect(str(target), timeout=2.0)) as conn:
            conn.isolation_level = None
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise problem(classify(exc), str(target), f" ({exc})") from exc
    if Path(f"{target}-wal").exists():
        raise problem(Condition.LOCKED, str(target))


def _kept_name(target: Path, now: dt.datetime) -> Path:
    """Return an unused name beside ``target`` that says when it was replaced."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = target.with_name(f"{target.stem}.replaced-{stamp}{target.suffix}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.stem}.replaced-{stamp}-{number}{target.suffix}")
    return candidate


def _keep(target: Path, kept: Path) -> None:
    """Keep the current database under ``kept``: a hard link where possible, else a full copy."""
    try:
        os.link(target, kept)
    except OSError:
        shutil.copy2(target, kept)
