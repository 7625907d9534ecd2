"""The ``export`` and ``import`` sub-commands: hand the clinic's records over, or take them in.

``export --out FILE`` writes the native bundle (default), a FHIR R4B Bundle (``--format fhir``) or the
research CSV files (``--format csv``, a folder); ``--encrypt`` asks for a password twice (or reads it
from ``--password-file``). ``import FILE --dry-run`` says what would be added, left alone or is in
conflict, and writes nothing; ``import FILE`` asks for the importing clinician's password, then
imports everything in one transaction. Progress bars are drawn on a terminal only. Exit codes as
every command: 0 done, 1 a problem to act on (a refused bundle, a conflict without a choice, a wrong
password), 2 invalid input.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

from clinic_app.exchange.errors import BundleError
from clinic_app.exchange.plan import Resolution
from clinic_app.services import exchange
from clinic_app.services.clinic import explain_failure, open_clinic
from clinic_app.services.errors import StorageError
from clinic_app.services.session import sign_in
from clinic_app.storage.database import Database

_DATABASE_HELP = "database URL (default: CLINIC_APP_DATABASE_URL, then the per-user clinic file)"
WARNING = (
    "Warning: this file holds names and health data unencrypted; hand it over only on a secure channel "
    "(or export again with --encrypt)."
)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``export`` and ``import`` commands to the top-level parser."""
    out = subparsers.add_parser(
        "export",
        help="export patients and visits: native bundle, FHIR R4B or research CSV",
        description="Write the clinic's records for follow-up elsewhere. The native bundle is lossless "
        "(import it into another RunReady Clinic); FHIR is a FHIR R4B Bundle (JSON); csv writes "
        "long.csv, wide.csv and dictionary.csv into a new folder, pseudonymous.",
    )
    out.add_argument(
        "--out", metavar="FILE", type=Path, required=True, help="file (or folder for csv) to write"
    )
    out.add_argument("--format", choices=("bundle", "fhir", "csv"), default="bundle", help="default: bundle")
    out.add_argument("--patient", metavar="ID", action="append", help="only this patient (repeat for more)")
    out.add_argument("--since", metavar="DATE", help="only visits on or after DATE (YYYY-MM-DD)")
    out.add_argument("--encrypt", action="store_true", help="encrypt with a password (asked twice)")
    out.add_argument("--password-file", metavar="FILE", type=Path, help="read the password from FILE")
    out.add_argument(
        "--shift-dates", action="store_true", help="csv: shift each patient's dates by a random offset"
    )
    out.add_argument("--force", action="store_true", help="replace an existing file")
    out.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    out.set_defaults(handler=run_export)

    into = subparsers.add_parser(
        "import",
        help="import a native bundle (use --dry-run first)",
        description="Import a RunReady Clinic bundle in one transaction, recorded in the audit trail "
        "with the bundle's SHA-256. A visit that differs from this clinic's copy needs --keep ID or "
        "--theirs ID (theirs arrives as an amendment; ours is kept).",
    )
    into.add_argument("file", metavar="FILE", type=Path, help="the bundle")
    into.add_argument("--dry-run", action="store_true", help="say what would happen; write nothing")
    into.add_argument("--clinician", metavar="ID", help="the importing clinician (asked for her password)")
    into.add_argument("--keep", metavar="VISIT", action="append", default=[], help="keep our copy of VISIT")
    into.add_argument(
        "--theirs", metavar="VISIT", action="append", default=[], help="take theirs as an amendment"
    )
    into.add_argument("--password-file", metavar="FILE", type=Path, help="the bundle's password, from FILE")
    into.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    into.set_defaults(handler=run_import)


@contextlib.contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal (stderr), nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = (TextColumn(label), BarColumn(), TaskProgressColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _password_from(path: Path | None, *, twice: bool, prompt: str) -> str | None:
    if path is not None:
        return path.read_text(encoding="utf-8").splitlines()[0] if path.read_text(encoding="utf-8") else ""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if twice and first != getpass.getpass("Repeat the password: "):
        return None
    return first


def _clinic(args: argparse.Namespace, action: Callable[[Database], int]) -> int:
    try:
        db = open_clinic(args.database)
        try:
            return action(db)
        finally:
            db.dispose()
    except (BundleError, exchange.OutputRefused) as error:
        print(str(error), file=sys.stderr)
        return 1
    except Exception as error:
        message = explain_failure(error, args.database)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1


def run_export(args: argparse.Namespace) -> int:
    """Export; exit 0 when written, 1 when refused, 2 on invalid input."""
    try:
        since = dt.date.fromisoformat(args.since) if args.since else None
    except ValueError:
        print(f"--since {args.since!r} is not a date (YYYY-MM-DD).", file=sys.stderr)
        return 2
    if args.encrypt and args.format == "csv":
        print("--encrypt is for a bundle or a FHIR file; the CSV files are pseudonymous.", file=sys.stderr)
        return 2
    password = None
    if args.encrypt:
        password = _password_from(args.password_file, twice=True, prompt="Password for the export: ")
        if not password:
            print("The passwords differ or are empty; nothing was written.", file=sys.stderr)
            return 2

    def run(db: Database) -> int:
        with _progress("Exporting") as progress:
            if args.format == "bundle":
                result = exchange.export_bundle(
                    db,
                    args.out,
                    patient_ids=args.patient,
                    since=since,
                    password=password,
                    overwrite=args.force,
                    progress=progress,
                )
            else:
                # Imported on use: FHIR models (pydantic) take a moment to load.
                from clinic_app.services import exchange_formats

                if args.format == "csv":
                    research = exchange_formats.export_research(
                        db,
                        args.out,
                        patient_ids=args.patient,
                        since=since,
                        shift_dates=args.shift_dates,
                        overwrite=args.force,
                        progress=progress,
                    )
                    print(f"Wrote {research.visits} visits ({research.rows} measurements) to {args.out}/.")
                    return 0
                result = exchange_formats.export_fhir(
                    db,
                    args.out,
                    patient_ids=args.patient,
                    since=since,
                    password=password,
                    overwrite=args.force,
                    progress=progress,
                )
        count = result.report_files
        files = f" and {count} kept report PDF{'s' if count != 1 else ''}" if count else ""
        print(f"Wrote {result.patients} patients and {result.visits} visits{files} to {args.out}.")
        if password is None:
            print(WARNING, file=sys.stderr)
        return 0

    try:
        return _clinic(args, run)
    except StorageError as error:
        print(str(error), file=sys.stderr)
        return 1


def run_import(args: argparse.Namespace) -> int:
    """Import (or dry-run); exit 0 when done, 1 when refused, 2 on invalid input."""
    if not args.file.is_file():
        print(f"There is no bundle at {args.file}.", file=sys.stderr)
        return 2
    both = set(args.keep) & set(args.theirs)
    if both:
        print(f"Choose keep or theirs, not both, for: {', '.join(sorted(both))}.", file=sys.stderr)
        return 2
    if not args.dry_run and not args.clinician:
        print("Name the importing clinician with --clinician ID (or use --dry-run).", file=sys.stderr)
        return 2
    from clinic_app.exchange import crypto

    bundle_password = None
    if crypto.is_encrypted(args.file):
        bundle_password = _password_from(args.password_file, twice=False, prompt="The bundle's password: ")
    choices = {v: Resolution.KEEP for v in args.keep} | {v: Resolution.THEIRS for v in args.theirs}

    def run(db: Database) -> int:
        if args.dry_run:
            with _progress("Checking") as progress:
                plan = exchange.plan_import(db, args.file, password=bundle_password, progress=progress)
            print("\n".join(plan.lines()))
            print("Dry run: nothing was written.")
            return 0
        secret = (
            getpass.getpass(f"Password of {args.clinician}: ") if sys.stdin.isatty() else sys.stdin.readline()
        )
        user = sign_in(db, args.clinician, secret.rstrip("\n"))
        with _progress("Importing") as progress:
            outcome = exchange.import_bundle(
                db, args.file, user, resolutions=choices, password=bundle_password, progress=progress
            )
        plan = outcome.plan
        kept = outcome.report_files
        print(
            f"Imported {len(plan.patients_added)} new patients, {len(plan.visits_added)} visits, "
            f"{len(outcome.amended)} amendments, {kept} report PDF{'' if kept == 1 else 's'} kept; "
            f"{plan.visits_unchanged} visits were already here."
        )
        print(f"Recorded in the audit trail with SHA-256 {plan.checksum}.")
        return 0

    return _clinic(args, run)
