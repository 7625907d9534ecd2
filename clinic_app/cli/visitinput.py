"""Reading a visit file from the command line: one place for the messages every command prints.

``validate``, ``assess`` and ``report --from-file`` all take a ``runready-visit/1`` file; a file that
cannot be read, is not JSON or does not pass the forms must give the same clear messages everywhere
and never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from clinic_app.assessment import FormCatalogue, check_visit_document
from clinic_app.domain.visitfile import VisitRecord


class UnreadableFileError(Exception):
    """The file could not be read or is not JSON; the message names the file and why."""


def load_json_file(path: Path) -> Any:
    """Return the decoded JSON document in ``path``.

    Raises:
        UnreadableFileError: with a one-line message (missing file, not UTF-8, not JSON with its position).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a UTF-8 text file"
        raise UnreadableFileError(f"{path}: cannot read the file ({reason})") from exc
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" at line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise UnreadableFileError(f"{path}: not a valid JSON file{where}") from exc


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
        data = load_json_file(path)
    except UnreadableFileError as exc:
        print(exc, file=sys.stderr)
        return None
    record, errors = check_visit_document(data, forms, today)
    if record is None or errors:
        for error in errors:
            print(f"{error.path}: {error.message}", file=sys.stderr)
        print(f"{len(errors)} problem(s) in {path}: {refusal}.", file=sys.stderr)
        return None
    return record
