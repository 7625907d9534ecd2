"""Save as for the preview: the app's safe file writer, or a minimal stand-in until it has landed.

``clinic_app.services.files.save_output_file`` (issue 11) writes through a temporary file and refuses
the clinic database and any SQLite file in use. Until that module is in the tree, the stand-in here
refuses the open clinic database and its companions and writes through a temporary file too.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

try:
    _files: Any = importlib.import_module("clinic_app.services.files")
except ImportError:  # the safe writer is not in this tree yet
    _files = None

if _files is not None:
    OutputFileError: Any = _files.OutputFileError
    save_output_file: Any = _files.save_output_file
else:

    class _OutputFileError(Exception):
        """The file was not written; ``str(error)`` says why."""

    OutputFileError = _OutputFileError

    def _save_output_file(
        path: Path,
        data: bytes,
        *,
        overwrite: bool = False,
        database_url: str | None = None,
        protected: Iterable[Path] = (),
    ) -> Path:
        """Write ``data`` to ``path`` through a temporary file, never over a protected database."""
        target = path.resolve()
        for database in protected:
            base = database.resolve()
            if target in {base, *(base.with_name(base.name + s) for s in ("-wal", "-shm", "-journal"))}:
                raise OutputFileError(
                    f"{path} is the clinic database (or one of its files); choose another name. "
                    "Nothing was written."
                )
        if target.exists() and not overwrite:
            raise OutputFileError(f"{path} exists already; nothing was written.")
        try:
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except OSError as error:
            raise OutputFileError(f"{path} could not be written ({error.strerror or error}).") from error
        return target

    save_output_file = _save_output_file


__all__ = ["OutputFileError", "save_output_file"]
