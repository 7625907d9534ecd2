"""The ``overview`` sub-command: what ``python -m clinic_app`` shows until the desktop window exists.

It opens (and, on first start, creates and migrates) the clinic database and prints where it lives,
the clinicians, and each patient with visits: her latest visit, its sign-off state and the
clinician's final readiness status, so a newcomer sees the demo clinic at work and the commands to
go further.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clinic_app.cli.terminal import safe
from clinic_app.services import patients
from clinic_app.services.clinic import explain_failure, open_clinic
from clinic_app.storage.database import Database, resolve_database_url
from clinic_app.storage.diagnose import shown_url

_DATABASE_HELP = "database URL (default: CLINIC_APP_DATABASE_URL, then the per-user clinic file)"
_LIST_LIMIT = 10_000


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``overview`` command to the top-level parser."""
    parser = subparsers.add_parser(
        "overview",
        help="show the clinic: database, clinicians and each patient's latest visit (the default)",
        description="Show the clinic database in use, its clinicians and, for every patient with "
        "visits, the latest visit with its sign-off state and readiness decision.",
    )
    parser.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    parser.set_defaults(handler=run_overview)


def run_overview(args: argparse.Namespace) -> int:
    """Print the clinic overview; exit 1 with a clear message when the database cannot be used."""
    url = resolve_database_url(getattr(args, "database", None))
    try:
        db = open_clinic(url.render_as_string(hide_password=False), read_only_ok=True)
        try:
            _print_overview(db, shown_url(url))
        finally:
            db.dispose()
    except Exception as error:
        message = explain_failure(error, url.render_as_string(hide_password=False))
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1
    return 0


def _print_overview(db: Database, shown: str) -> None:
    """Print the overview of an open clinic database."""
    print(f"RunReady Clinic — database: {shown}")
    staff = patients.list_clinicians(db)
    names = ", ".join(c.name for c in staff) if staff else "none yet (see: clinicians add)"
    print(safe(f"Clinicians: {names}"))
    everyone = patients.search_patients(db, "", limit=_LIST_LIMIT)
    print(f"Patients: {len(everyone)}")
    rows: list[str] = []
    for patient in everyone:
        file = patients.open_patient(db, patient.id)
        if not file.summaries:
            continue
        latest = file.summaries[-1]
        decided = latest.final_status or "no decision recorded"
        rows.append(
            f"  {patient.display_name:<26} {latest.id:<11} {latest.visit_date.isoformat()}  "
            f"{latest.status.value:<8} {decided}"
        )
    if rows:
        print("\nLatest visit of each patient seen (name, visit, date, sign-off, clinician's decision):")
        print(safe("\n".join(rows), keep_newlines=True))
    else:
        print("No visits recorded yet. 'python -m clinic_app demo' creates a demo clinic to explore.")
    print(
        "\nNext: 'patients TEXT' to search, 'report --visit ID --kind patient --out FILE.pdf' to print,"
        " 'assess FILE.json' for a visit file, '--help' for every command."
    )
