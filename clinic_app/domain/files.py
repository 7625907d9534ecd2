"""Write a file the app produces (report, backup, export) so that it can never cost the clinic data.

Every output goes to a temporary file in the target folder, is flushed and ``fsync``-ed, and only
then gets its final name with one rename: a full disk, a pulled cable or a kill leaves either the old
file or the new one, never half of either. Before that the target is checked:

* the live clinic database and its ``-wal`` / ``-journal`` / ``-shm`` companions are refused, however
  they are named (hard links and symbolic links included), and so is any SQLite database that is in
  use (a ``-wal`` or ``-journal`` beside it) and any companion file of a SQLite database;
* a folder, a device or anything else that is not a regular file is refused;
* an existing regular file is replaced only when the caller says so (``overwrite=True``, the
  command line's ``--force``, a "Replace?" answer in the window).

This module is plain standard library so that every layer may use it: storage writes its backups
through :func:`place_file_atomically`, the services and the exporter their bytes through
:func:`write_file_atomically` (``clinic_app.services.files`` adds the live database to the refusals).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""
SQLITE_COMPANIONS = ("-wal", "-journal", "-shm")
"""Files SQLite keeps beside a database; overwriting one of them damages the database."""
_TEMP_PREFIX = ".runready-"
_TEMP_SUFFIX = ".partial"


class OutputFileError(Exception):
    """A file could not be written; ``str(error)`` says which, why, and that nothing was replaced."""


class OutputRefusedError(OutputFileError):
    """The target may not be written (a database, a folder, an existing file without permission).

    Attributes:
        path: the target that was refused.
        exists: True when the refusal is only that the file exists (the caller may ask and retry
            with ``overwrite=True``).
    """

    def __init__(self, path: Path, message: str, *, exists: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.exists = exists


class OutputWriteError(OutputFileError):
    """Writing failed part-way (disk full, read-only folder …); any earlier file is unchanged.

    Attributes:
        path: the target.
        errno: the operating system's error number, when there was one.
    """

    def __init__(self, path: Path, message: str, error_number: int | None) -> None:
        super().__init__(message)
        self.path = path
        self.errno = error_number


def database_files(database: Path) -> tuple[Path, ...]:
    """Return a SQLite database file and the names of its companions (which need not exist)."""
    return (database, *(database.with_name(database.name + suffix) for suffix in SQLITE_COMPANIONS))


def is_sqlite_file(path: Path) -> bool:
    """True when ``path`` is a regular file that starts like a SQLite database."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def sqlite_in_use(path: Path) -> bool:
    """True when the SQLite database ``path`` has a write-ahead log or a journal beside it.

    The log exists while any connection has the database open (SQLite removes it when the last one
    closes); a journal exists during a write, or after a crash until the next open rolls it back.
    Either way replacing the file would lose or damage data.
    """
    return any(side.exists() for side in database_files(path)[1:3])


def check_output_target(path: Path, *, protected: Iterable[Path] = (), overwrite: bool = False) -> None:
    """Refuse a target that must not be written; return quietly when writing it is fine.

    Args:
        path: the file about to be written.
        protected: database files that are never written (the live clinic database); their
            companions are protected with them.
        overwrite: an existing ordinary file may be replaced.

    Raises:
        OutputRefusedError: with the reason; ``exists`` is True when only permission is missing.
    """
    path = Path(path)
    guarded = [side for database in protected for side in database_files(Path(database))]
    for guard in guarded:
        if _same_file(path, guard):
            raise OutputRefusedError(
                path, f"{path} is the clinic database (or one of its files); it is never written over."
            )
    for suffix in SQLITE_COMPANIONS:
        if path.name.endswith(suffix):
            owner = path.with_name(path.name[: -len(suffix)])
            if is_sqlite_file(owner):
                raise OutputRefusedError(
                    path, f"{path} belongs to the database {owner}; choose another file name."
                )
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputRefusedError(path, f"Cannot use {path}: {_reason(exc)}.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise OutputRefusedError(path, f"{path} is a folder; give a file name.")
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefusedError(path, f"{path} is not an ordinary file (a device or pipe); choose a file.")
    if is_sqlite_file(path) and sqlite_in_use(path):
        raise OutputRefusedError(
            path, f"{path} is a database that is in use; it is never written over. Choose another name."
        )
    if not overwrite:
        raise OutputRefusedError(
            path, f"{path} already exists; nothing was replaced. Choose another name or allow replacing it.",
            exists=True,
        )


def write_file_atomically(
    path: Path,
    data: bytes,
    *,
    protected: Iterable[Path] = (),
    overwrite: bool = False,
    make_folder: bool = True,
) -> Path:
    """Write ``data`` to ``path`` safely: checked target, temporary file, fsync, one rename.

    This is the function every writer of app output uses (reports, exports). A failure at any point
    leaves the earlier file, if there was one, exactly as it was and no temporary file behind.

    Args:
        path: the file to write.
        data: its whole content.
        protected: database files never written over (see :func:`check_output_target`).
        overwrite: an existing ordinary file may be replaced.
        make_folder: create missing parent folders.

    Returns:
        The path written.

    Raises:
        OutputRefusedError: the target must not be written.
        OutputWriteError: the disk is full, the folder read-only, the name too long …
    """

    def fill(temporary: Path) -> None:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    return place_file_atomically(
        path, fill, protected=protected, overwrite=overwrite, make_folder=make_folder
    )


def place_file_atomically(
    path: Path,
    fill: Callable[[Path], None],
    *,
    protected: Iterable[Path] = (),
    overwrite: bool = False,
    make_folder: bool = True,
) -> Path:
    """Let ``fill`` write a temporary file beside ``path``, then give it the final name in one step.

    For writers that cannot hand over bytes (SQLite's backup API writes a file itself). ``fill``
    receives an empty temporary file's path in the target folder; it must leave the content complete
    (this function fsyncs it again before the rename). Without ``overwrite`` the final name is taken
    with a hard link, which fails instead of replacing a file that appeared meanwhile.

    Args:
        path: the file to create or replace.
        fill: writes the content into the path it is given.
        protected: database files never written over.
        overwrite: an existing ordinary file may be replaced.
        make_folder: create missing parent folders.

    Returns:
        The path written.

    Raises:
        OutputRefusedError: the target must not be written.
        OutputWriteError: writing or renaming failed; the earlier file is unchanged.
    """
    path = Path(path)
    protected = tuple(protected)
    check_output_target(path, protected=protected, overwrite=overwrite)
    folder = path.parent
    temporary: Path | None = None
    try:
        if make_folder:
            folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=folder)
        os.close(handle)
        temporary = Path(name)
        fill(temporary)
        _sync(temporary)
        os.chmod(temporary, _mode_for(path))
        # Checked again just before the rename: a database may have been opened there meanwhile.
        check_output_target(path, protected=protected, overwrite=overwrite)
        if overwrite:
            os.replace(temporary, path)
        else:
            _link_new(temporary, path)
        temporary = None
        _sync_folder(folder)
    except OutputFileError:
        raise
    except FileExistsError as exc:
        message = f"{path} appeared while writing; nothing was replaced."
        raise OutputRefusedError(path, message, exists=True) from exc
    except OSError as exc:
        raise OutputWriteError(path, _write_message(path, exc), exc.errno) from exc
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
    return path


def _same_file(path: Path, other: Path) -> bool:
    """True when both names lead to the same file (same inode, or the same resolved name)."""
    with contextlib.suppress(OSError):
        if path.exists() and other.exists():
            return os.path.samefile(path, other)
    with contextlib.suppress(OSError, RuntimeError):
        return path.resolve() == other.resolve()
    return False


def _link_new(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the name ``path`` without ever replacing an existing file."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # No hard links here (FAT drives, some shares): a checked rename instead.
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(temporary, path)
        return
    temporary.unlink()


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _mode_for(path: Path) -> int:
    """The permission bits for the new file: the replaced file's, else the default for new files."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_REASONS: dict[int, str] = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the drive is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EISDIR: "it is a folder",
    errno.ELOOP: "the path loops through symbolic links",
    errno.EIO: "the drive reported an input/output error",
}


def _reason(exc: OSError) -> str:
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return exc.strerror or type(exc).__name__


def _write_message(path: Path, exc: OSError) -> str:
    return f"Cannot write {path}: {_reason(exc)}. Nothing was replaced; no partial file was left."
