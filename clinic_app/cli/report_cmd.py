"""``report``: print a visit's patient report, clinician summary or referral letter as a PDF.

``--visit ID`` prints a stored visit with the clinician's recorded decision and keeps a report record
(kind, file name, SHA-256, issuer) in the clinic database; ``--from-file`` prints
a ``runready-visit/1`` file (no database) with the engine's proposal, marked as awaiting the
clinician. ``--batch DIR`` prints every visit file of a folder into ``--out`` (a folder) on worker
processes, with progress on stderr. Every PDF is written through the safe writer
(:mod:`clinic_app.services.files`): never over the clinic database or a database in use, over another
existing file only with ``--force``. Exit codes: 0 written, 1 a storage or file problem (the output
exists, cannot be written; the database cannot be used; the batch folder is missing), 2 invalid input
(bad visit file, bad settings, or a referral asked for a visit that needs none).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import threading
from pathlib import Path
from typing import Any

from clinic_app.assessment import FormCatalogue, FormSpecError, load_forms
from clinic_app.cli.signin import sign_in_clinician
from clinic_app.cli.textfile import text_file_problem
from clinic_app.cli.visitinput import read_visit_file
from clinic_app.readiness.protocol import Protocol, ProtocolError, default_protocol, load_protocol
from clinic_app.reporting import ReferralNotNeededError, ReportKind, SettingsError
from clinic_app.services.clinic import explain_failure, open_clinic
from clinic_app.services.errors import AuthenticationError, NotFoundError
from clinic_app.services.files import (
    OutputFileError,
    check_output_file,
    live_database_files,
    save_output_file,
)
from clinic_app.services.records import record_report
from clinic_app.services.reports import (
    BatchItem,
    ReportSettings,
    build_batch,
    build_report,
    build_stored_report,
    load_report_settings,
)
from clinic_app.services.session import SignedIn
from clinic_app.services.visits import get_visit
from clinic_app.storage.database import Database

_DATABASE_HELP = "database URL (default: CLINIC_APP_DATABASE_URL, then the per-user clinic file)"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``report`` sub-command.

    Args:
        subparsers: the top-level sub-parser collection.
    """
    parser = subparsers.add_parser(
        "report",
        help="print a visit's patient report, clinician summary or referral letter as PDF",
        description="Build the PDF report of one visit: from the clinic database (--visit) or from a "
        "runready-visit/1 file (--from-file), or of every visit file in a folder (--batch).",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--visit", metavar="ID", help="a stored visit id")
    source.add_argument(
        "--from-file", type=Path, metavar="VISIT.json", help="a visit file (no database needed)"
    )
    source.add_argument(
        "--batch", type=Path, metavar="DIR", help="a folder of visit files; --out is a folder"
    )
    parser.add_argument(
        "--kind",
        choices=[k.value for k in ReportKind],
        default=ReportKind.PATIENT.value,
        help="which document to build (default: patient)",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing PDF (a database file is never replaced)",
    )
    parser.add_argument(
        "--settings",
        type=Path,
        metavar="FILE",
        help="clinic letterhead settings (TOML; default: the per-user letterhead.toml, then the bundled one)",
    )
    parser.add_argument("--page-size", choices=("A4", "Letter"), help="override the layout's page size")
    parser.add_argument("--protocol", type=Path, metavar="FILE", help="a clinic's own protocol file (TOML)")
    parser.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    parser.add_argument(
        "--clinician",
        metavar="ID",
        help="clinician issuing a stored visit's report, kept in its report record (default: the visit's); "
        "her password is asked for, or read from CLINIC_APP_PASSWORD",
    )
    parser.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date treated as today for checks and printed on the report",
    )
    parser.set_defaults(handler=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from exc


def run(args: argparse.Namespace) -> int:
    """Build the requested report(s) and return the exit code."""
    kind = ReportKind(args.kind)
    for path, what in ((args.settings, "settings file"), (args.protocol, "protocol file")):
        problem = text_file_problem(path, what) if path is not None else None
        if problem is not None:
            print(f"Cannot use the settings: {problem}", file=sys.stderr)
            return 2
    try:
        settings = load_report_settings(args.settings, page_size=args.page_size)
        protocol = load_protocol(args.protocol) if args.protocol else default_protocol()
    except (SettingsError, ProtocolError, OSError, UnicodeError) as exc:
        print(f"Cannot use the settings: {exc}", file=sys.stderr)
        return 2
    if args.visit:
        return _stored(args, kind, settings)
    try:
        forms = load_forms()
    except (FormSpecError, OSError) as exc:
        print(f"Cannot read the assessment forms: {exc}", file=sys.stderr)
        return 1
    if args.batch:
        return _batch(args, kind, settings, forms, protocol)
    if _refused_output(args) is not None:
        return 1
    record = read_visit_file(args.from_file, forms, args.today, refusal="no report was made")
    if record is None:
        return 2
    try:
        pdf = build_report(record, kind, settings=settings, printed_on=args.today, protocol=protocol)
    except ReferralNotNeededError:
        print(
            f"No referral letter: visit {record.visit.id} needs no referral (the proposal names none).",
            file=sys.stderr,
        )
        return 2
    return _write(args, pdf)


def _refused_output(args: argparse.Namespace) -> str | None:
    """Print why ``--out`` cannot be written and return the message, before any work is done."""
    try:
        check_output_file(args.out, overwrite=args.force, database_url=args.database)
    except OutputFileError as exc:
        message = f"{exc}{_FORCE_HINT if getattr(exc, 'exists', False) else ''}"
        print(message, file=sys.stderr)
        return message
    return None


_FORCE_HINT = " (--force replaces it)"


def _stored(args: argparse.Namespace, kind: ReportKind, settings: ReportSettings) -> int:
    """Print a stored visit with its recorded decision and keep a report record (SHA-256) of the file.

    A read-only clinic database still prints (the record then cannot be kept, and the message says
    so); a storage fault at any point ends with its message, never a traceback.
    """
    if _refused_output(args) is not None:
        return 1
    try:
        db = open_clinic(args.database, read_only_ok=True)
    except Exception as error:
        message = explain_failure(error, args.database)
        if message is None:
            raise
        print(f"Cannot open the clinic database: {message}", file=sys.stderr)
        return 1
    try:
        try:
            issuer = _issuer(db, args.clinician or get_visit(db, args.visit).clinician_id, args.database)
            pdf = build_stored_report(db, args.visit, kind, settings=settings, printed_on=args.today)
        except AuthenticationError as error:
            print(f"No report was made: {error}", file=sys.stderr)
            return 2
        except NotFoundError:
            print(f"No visit with id '{args.visit}' in the clinic database.", file=sys.stderr)
            return 2
        except ReferralNotNeededError:
            print(f"No referral letter: visit {args.visit} needs no referral.", file=sys.stderr)
            return 2
        except Exception as error:
            message = explain_failure(error, args.database)
            if message is None:
                raise
            print(f"Cannot read the visit: {message}", file=sys.stderr)
            return 1
        written = _write(args, pdf)
        if written != 0:
            return written
        try:
            if isinstance(issuer, BaseException):
                raise issuer
            record_report(db, args.visit, kind=kind.value, content=pdf, file_name=args.out.name, user=issuer)
        except Exception as error:
            message = explain_failure(error, args.database)
            if message is None:
                raise
            print(
                f"The report {args.out} was written, but its record could not be kept in the clinic "
                f"database: {message}",
                file=sys.stderr,
            )
            return 1
        return 0
    finally:
        db.dispose()


def _issuer(db: Database, clinician_id: str, url: str | None) -> SignedIn | Exception:
    """Sign in the issuing clinician; a database that cannot record the sign-in still prints.

    Returns:
        Her session, or the storage problem that kept the sign-in from being recorded (a read-only
        clinic): the report is then written and the missing record reported after it.

    Raises:
        AuthenticationError: wrong password or a lock-out; nothing is written.
        NotFoundError: no such clinician.
    """
    try:
        return sign_in_clinician(db, clinician_id)
    except (AuthenticationError, NotFoundError):
        raise
    except Exception as error:
        if explain_failure(error, url) is None:
            raise
        return error


def _batch(
    args: argparse.Namespace,
    kind: ReportKind,
    settings: ReportSettings,
    forms: FormCatalogue,
    protocol: Protocol,
) -> int:
    """Print every valid visit file of a folder; invalid files are listed and make the exit code 2.

    A missing or unreadable folder is an error (exit 1); one bad file never stops the others.
    """
    folder: Path = args.batch
    if not folder.is_dir():
        print(f"There is no folder {folder}; no report was made.", file=sys.stderr)
        return 1
    try:
        files = sorted(path for path in folder.glob("*.json") if not path.is_dir())
    except OSError as exc:
        print(f"Cannot read the folder {folder} ({exc.strerror or exc}); no report was made.",
              file=sys.stderr)
        return 1
    items: list[BatchItem] = []
    invalid = 0
    for path in files:
        try:
            record = read_visit_file(path, forms, args.today, refusal="no report was made")
        except (OSError, ValueError, RecursionError, MemoryError) as exc:
            print(f"{path}: cannot be read ({type(exc).__name__}); no report was made.", file=sys.stderr)
            record = None
        if record is None:
            invalid += 1
            continue
        items.append(BatchItem(record, kind, f"{path.stem}-{kind.value}.pdf"))

    def progress(done: int, total: int) -> None:
        print(f"\r{done}/{total} reports", end="" if done < total else "\n", file=sys.stderr)

    try:
        result = build_batch(
            items,
            args.out,
            progress,
            threading.Event(),
            settings=settings,
            printed_on=args.today,
            overwrite=args.force,
            protected=live_database_files(args.database),
        )
    except OSError as exc:
        print(f"Cannot write the reports to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for name, reason in result.failed:
        print(f"{name}: {reason}", file=sys.stderr)
    print(f"{len(result.written)} report(s) written to {args.out}")
    return 2 if invalid or result.failed else 0


def _write(args: argparse.Namespace, pdf: bytes) -> int:
    """Write the PDF through the safe writer; report the file or the problem."""
    path: Path = args.out
    try:
        save_output_file(path, pdf, overwrite=args.force, database_url=args.database)
    except OutputFileError as exc:
        print(f"{exc}{_FORCE_HINT if getattr(exc, 'exists', False) else ''}", file=sys.stderr)
        return 1
    print(f"Wrote {path} ({len(pdf) // 1024} KB)")
    return 0
