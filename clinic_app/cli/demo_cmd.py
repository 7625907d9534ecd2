"""The ``demo`` sub-command: build the demo clinic (fictional patients, every readiness outcome).

``python -m clinic_app demo`` fills the clinic database (``--database``, ``CLINIC_APP_DATABASE_URL``
or the per-user file) when it is empty. ``--reset`` first moves an existing SQLite file aside (it is
kept, renamed with a timestamp) and builds the demo afresh; a database that holds real patients is
never mixed with demo data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from clinic_app.services.clinic import explain_failure, open_clinic
from clinic_app.services.demo import DemoSummary, build_demo, is_complete_demo, is_demo
from clinic_app.services.errors import ValidationFailed
from clinic_app.storage.backup import require_not_in_use
from clinic_app.storage.database import resolve_database_url
from clinic_app.storage.diagnose import Condition, StorageProblemError, shown_url, sqlite_file

_DATABASE_HELP = "database URL (default: CLINIC_APP_DATABASE_URL, then the per-user clinic file)"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``demo`` command to the top-level parser."""
    parser = subparsers.add_parser(
        "demo",
        help="create the demo clinic: fictional patients covering every readiness outcome",
        description="Create a demo clinic database of fictional patients with follow-up visits that "
        "show every readiness outcome, signed visits, an override and an amendment. The same data is "
        "created every time.",
    )
    parser.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    parser.add_argument(
        "--reset",
        action="store_true",
        help="move an existing SQLite database aside (kept, timestamped) and start afresh",
    )
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Build the demo clinic; exit 0 when built (or already there), 1 when refused or storage fails."""
    url = resolve_database_url(args.database)
    shown = shown_url(url)
    if args.reset:
        path = sqlite_file(url)
        if path is None:
            print(
                "--reset only works for a SQLite file; empty a shared PostgreSQL database on the server.",
                file=sys.stderr,
            )
            return 1
        if path.exists():
            try:
                require_not_in_use(path)
            except StorageProblemError as error:
                if error.condition is not Condition.LOCKED:
                    print(f"{error} Nothing was moved.", file=sys.stderr)
                    return 1
                print(
                    f"{path} is open in another RunReady Clinic window or program; close it there, then "
                    "run 'demo --reset' again. Nothing was moved.",
                    file=sys.stderr,
                )
                return 1
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            kept = path.with_name(f"{path.name}.replaced-{stamp}.bak")
            path.replace(kept)
            for suffix in ("-wal", "-shm", "-journal"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    side.replace(kept.with_name(kept.name + suffix))
            print(f"Moved the existing database aside: {kept}")
    try:
        db = open_clinic(url.render_as_string(hide_password=False))
        try:
            if is_complete_demo(db):
                print(f"The demo clinic is already in {shown}. Use --reset to build it again.")
                return 0
            if is_demo(db):
                print(
                    f"An unfinished demo clinic is in {shown}; run 'demo --reset' to build it again.",
                    file=sys.stderr,
                )
                return 1
            summary = build_demo(db)
        finally:
            db.dispose()
    except ValidationFailed as error:
        print(f"The demo data did not pass validation (a bug): {error}", file=sys.stderr)
        return 1
    except Exception as error:
        message = explain_failure(error, url.render_as_string(hide_password=False))
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1
    _print_summary(summary, shown)
    return 0


def _print_summary(summary: DemoSummary, shown: str) -> None:
    print(f"Created the demo clinic in {shown}")
    print(
        f"  {summary.patients} fictional patients, {summary.visits} visits (demo 'today' is {summary.today})"
    )
    print(f"  Clinicians: {', '.join(summary.clinicians)} — demo sign-off password: {summary.password}")
    for outcome in summary.outcomes:
        state = "signed" if outcome.signed else "draft"
        print(f"  {outcome.visit_id:<10} {outcome.patient_name:<24} {outcome.proposed:<20} ({state})")
