"""The ``patients`` and ``clinicians`` sub-commands: find patients; list and add clinician profiles.

``patients [TEXT]`` searches by name (accents and case ignored), date of birth (YYYY-MM-DD), record
number or id prefix; without TEXT it lists everyone. ``clinicians add`` asks for the new sign-off
password twice (or reads one line from standard input when it is not a terminal), so a password is
never typed on the command line where shell history would keep it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from clinic_app.cli.terminal import safe
from clinic_app.services import patients
from clinic_app.services.clinic import explain_failure, open_clinic
from clinic_app.services.errors import ValidationFailed
from clinic_app.storage.database import Database

_DATABASE_HELP = "database URL (default: CLINIC_APP_DATABASE_URL, then the per-user clinic file)"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``patients`` and ``clinicians`` commands to the top-level parser."""
    found = subparsers.add_parser(
        "patients",
        help="list or search the clinic's patients",
        description="List patients, or search by name, date of birth (YYYY-MM-DD), record number or id "
        "prefix. Case and accents are ignored: 'zoe' finds Zoë.",
    )
    found.add_argument("text", nargs="*", help="words to search for (all must match)")
    found.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    found.add_argument("--archived", action="store_true", help="include archived patients")
    found.add_argument("--limit", type=int, default=100, help="show at most this many (default 100)")
    found.set_defaults(handler=run_patients)

    staff = subparsers.add_parser("clinicians", help="list clinician profiles or add one")
    staff.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    actions = staff.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="list the active clinicians")
    listing.set_defaults(handler=run_clinicians_list)
    add = actions.add_parser("add", help="add a clinician profile with a sign-off password")
    add.add_argument("name", help="full name as printed on reports")
    add.add_argument("--id", dest="clinician_id", help="profile id (default: generated)")
    add.add_argument("--profession", default="Pelvic-health physiotherapist")
    add.add_argument("--registration", default="", help="professional registration number")
    add.set_defaults(handler=run_clinicians_add)
    staff.set_defaults(handler=run_clinicians_list)


def _with_clinic(args: argparse.Namespace, action: Any, *, reading: bool = False) -> int:
    """Open the clinic, run ``action(db)``, and turn failures into messages and exit codes.

    With ``reading`` a read-only clinic file is opened for reading instead of refused.
    """
    try:
        db = open_clinic(args.database, read_only_ok=reading)
        try:
            result: int = action(db)
            return result
        finally:
            db.dispose()
    except ValidationFailed as error:
        for problem in error.errors:
            print(str(problem), file=sys.stderr)
        return 2
    except Exception as error:
        message = explain_failure(error, args.database)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1


def run_patients(args: argparse.Namespace) -> int:
    """Print matching patients, one per line; exit 0 (even when none match)."""

    def show(db: Database) -> int:
        text = " ".join(args.text)
        found = patients.search_patients(db, text, include_archived=args.archived, limit=args.limit)
        if not found:
            print(f"No patient matches '{text}'." if text else "There are no patients yet.")
            return 0
        for person in found:
            mark = "  (archived)" if person.archived else ""
            name = f"{person.family_name}, {person.given_names}"
            line = f"{person.id:<12} {name:<36} born {person.date_of_birth}  {person.record_number}{mark}"
            print(safe(line))
        return 0

    return _with_clinic(args, show, reading=True)


def run_clinicians_list(args: argparse.Namespace) -> int:
    """Print the active clinician profiles."""

    def show(db: Database) -> int:
        people = patients.list_clinicians(db)
        if not people:
            print("There are no clinician profiles yet; add one with 'clinicians add NAME'.")
        for person in people:
            print(safe(f"{person.id:<14} {person.name} — {person.profession} {person.registration}".rstrip()))
        return 0

    return _with_clinic(args, show, reading=True)


def _read_password() -> str | None:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New sign-off password: ")
    if first != getpass.getpass("Repeat the password: "):
        return None
    return first


def run_clinicians_add(args: argparse.Namespace) -> int:
    """Add a clinician profile; exit 2 when the passwords differ or the input is refused."""
    password = _read_password()
    if password is None:
        print("The two passwords differ; nothing was saved.", file=sys.stderr)
        return 2

    def add(db: Database) -> int:
        changes = patients.add_clinician(
            db,
            name=args.name,
            password=password,
            actor_id="system",
            profession=args.profession,
            registration=args.registration,
            clinician_id=args.clinician_id,
        )
        print(safe(f"Added clinician {args.name} ({changes.created_id})."))
        return 0

    return _with_clinic(args, add)
