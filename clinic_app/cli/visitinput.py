"""Reading a visit file from the command line: one place for the messages every command prints.

``validate``, ``assess`` and ``report --from-file`` all take a ``runready-visit/1`` file; a file that
cannot be read, is not JSON or does not pass the forms must give the same clear messages everywhere
and never a traceback. The file is read with a size limit (``/dev/zero`` or a huge log file costs
at most :data:`~clinic_app.domain.visitlimits.MAX_FILE_BYTES`), and what comes out of it is
escaped before it reaches the terminal.
"""

from __future__ import annotations

import datetime as dt
import stat
import sys
from pathlib import Path
from typing import TextIO

from clinic_app.assessment import FormCatalogue, check_visit_document
from clinic_app.cli.terminal import safe
from clinic_app.domain.errors import FieldError
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.domain.visitjson import UnreadableJsonError, decode_visit_json
from clinic_app.domain.visitlimits import MAX_FILE_BYTES


class UnreadableFileError(Exception):
    """The file could not be read or is not JSON; the message names the file and why."""


def read_file_bytes(path: Path) -> bytes:
    """Return the bytes of ``path``, reading no more than one byte past the size limit.

    Raises:
        UnreadableFileError: missing, a folder, a device, unreadable, or larger than the limit.
    """
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableFileError(f"{path}: cannot read the file (it is a folder)")
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
            raise UnreadableFileError(f"{path}: cannot read the file (it is a device, not a file)")
        with path.open("rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UnreadableFileError(f"{path}: cannot read the file ({reason})") from exc
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFileError(
            f"{path}: cannot read the file (larger than {MAX_FILE_BYTES // 1024**2} MiB; "
            "a visit file, even with many earlier visits, is far smaller)"
        )
    return content


def check_visit_path(
    path: Path, forms: FormCatalogue, today: dt.date | None = None
) -> tuple[VisitRecord | None, list[FieldError]]:
    """Read and check the visit file at ``path`` (the command-line face of ``check_visit_text``).

    Returns:
        The record when the file is valid, else None and every problem with its path.

    Raises:
        UnreadableFileError: the file cannot be read or is not a JSON document within the limits
            (one line: there is no path inside it to name).
    """
    content = read_file_bytes(path)
    try:
        data, errors = decode_visit_json(content)
    except UnreadableJsonError as exc:
        raise UnreadableFileError(f"{path}: {exc}") from exc
    if errors:
        return None, errors
    return check_visit_document(data, forms, today)


def print_problems(errors: list[FieldError], out: TextIO) -> None:
    """Print each problem as ``path: message``, escaped for the terminal."""
    for error in errors:
        print(safe(f"{error.path}: {error.message}"), file=out)


def read_visit_file(
    path: Path, forms: FormCatalogue, today: dt.date | None, *, refusal: str
) -> VisitRecord | None:
    """Read and validate a visit file; print every problem to stderr and return None if unusable.

    Args:
        path: the visit file.
        forms: the assessment forms to validate the results against.
        today: the date treated as today (None: the real date).
        refusal: what was not done because of the problems, e.g. "no report was made".
    """
    try:
        record, errors = check_visit_path(path, forms, today)
    except UnreadableFileError as exc:
        print(safe(str(exc)), file=sys.stderr)
        return None
    if record is None or errors:
        print_problems(errors, sys.stderr)
        print(safe(f"{len(errors)} problem(s) in {path}: {refusal}."), file=sys.stderr)
        return None
    return record
