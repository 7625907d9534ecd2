"""Save a file the app produced (a report, an export) without ever putting the clinic database at risk.

The window, the command line and the exporter call :func:`save_output_file`; it adds the live clinic
database (and its companions) to the refusals of :func:`clinic_app.domain.files.write_file_atomically`
and writes through a temporary file, fsync and one rename.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from clinic_app.domain.files import (
    OutputFileError as OutputFileError,
)
from clinic_app.domain.files import (
    OutputRefusedError as OutputRefusedError,
)
from clinic_app.domain.files import (
    OutputWriteError as OutputWriteError,
)
from clinic_app.domain.files import (
    check_output_target,
    write_file_atomically,
)
from clinic_app.storage.database import resolve_database_url
from clinic_app.storage.diagnose import sqlite_file
from clinic_app.storage.errors import StorageError


def live_database_files(url: str | None = None, *, also: Iterable[Path] = ()) -> tuple[Path, ...]:
    """Return the SQLite files that must never be written over: the clinic database in use, and ``also``.

    Args:
        url: the database URL in use (None: ``CLINIC_APP_DATABASE_URL``, then the per-user file).
        also: further database files to protect (another clinic opened in this session).
    """
    found: list[Path] = list(also)
    try:
        path = sqlite_file(resolve_database_url(url))
    except StorageError:  # an unusable URL names no file that could be hit
        path = None
    if path is not None:
        found.append(path)
    return tuple(found)


def check_output_file(path: Path, *, overwrite: bool = False, database_url: str | None = None) -> None:
    """Check before building anything that ``path`` may be written (the window asks "Replace?" on ``exists``).

    Raises:
        OutputRefusedError: the target must not be written, or exists and ``overwrite`` is False.
    """
    check_output_target(path, protected=live_database_files(database_url), overwrite=overwrite)


def save_output_file(
    path: Path,
    data: bytes,
    *,
    overwrite: bool = False,
    database_url: str | None = None,
    protected: Iterable[Path] = (),
) -> Path:
    """Write app output to ``path`` atomically, refusing the clinic database and in-use databases.

    The one call for every file the app writes from bytes (reports, exports): a temporary file in the
    target folder, flushed, fsync-ed and renamed into place, so a full disk or a kill leaves the old
    file intact. The clinic database, its ``-wal``/``-journal``/``-shm`` files and any SQLite
    database in use are refused whatever ``overwrite`` says; any other existing file is replaced only
    with ``overwrite=True`` (``--force`` on the command line; the window asks first).

    Args:
        path: where to write.
        data: the whole content.
        overwrite: replace an existing ordinary file.
        database_url: the clinic database in use (None: the environment, then the per-user file).
        protected: more database files to refuse.

    Returns:
        The path written.

    Raises:
        OutputRefusedError: the target is refused (``error.exists`` when only permission is missing).
        OutputWriteError: writing failed (disk full, read-only, …); nothing was replaced.
    """
    guarded = live_database_files(database_url, also=protected)
    return write_file_atomically(path, data, protected=guarded, overwrite=overwrite)
