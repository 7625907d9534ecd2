"""``validate FILE.json``: check one visit file and print every problem as ``path: message``.

Exit 0 with "No problems found" for a clean file, 2 when the file is unreadable, not JSON or has
problems, 1 when the forms themselves cannot be read. Never prints a traceback: a physio reading
the output needs the field and the fix, not the stack.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from clinic_app.assessment.spec import FormSpecError, load_forms
from clinic_app.cli.terminal import safe
from clinic_app.cli.visitinput import UnreadableFileError, check_visit_path, print_problems


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``validate`` sub-command.

    Args:
        subparsers: the top-level sub-parser collection.
    """
    parser = subparsers.add_parser(
        "validate",
        help="check a visit file (runready-visit/1 JSON) against the assessment forms",
        description="Check one visit file and print each problem as 'path: message'.",
    )
    parser.add_argument("file", type=Path, metavar="FILE.json", help="the visit file to check")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate the file named in ``args.file`` and print the outcome."""
    path: Path = args.file
    try:
        forms = load_forms()
    except (FormSpecError, OSError) as exc:
        print(f"Cannot read the assessment forms: {exc}", file=sys.stderr)
        return 1
    try:
        _record, errors = check_visit_path(path, forms)
    except UnreadableFileError as exc:
        print(safe(str(exc)), file=sys.stderr)
        return 2
    if not errors:
        print("No problems found")
        return 0
    print_problems(errors, sys.stdout)
    count = len(errors)
    print(safe(f"{count} problem{'s' if count != 1 else ''} found in {path}"), file=sys.stderr)
    return 2
