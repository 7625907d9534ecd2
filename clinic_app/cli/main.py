"""Argument parsing and dispatch for ``python -m clinic_app``.

Each sub-command lives in its own module in this package and exposes ``register(subparsers)``, which
adds its parser and sets ``handler`` to a function ``(args) -> int`` returning the exit code. Exit
codes: 0 success, 1 a failure the user must act on (e.g. a storage problem), 2 invalid input, 130
interrupted.

Whatever a command does not handle itself ends here as one message and exit 1, never a traceback: a
storage fault that appears mid-command (a lock, a full disk, a read-only drive, a damaged file), an
unusable database URL, a file that may not be written, and output piped into a program that stopped
reading (``| head``), which ends quietly. Anything else is a bug: a one-line message asks for a report
(``RUNREADY_TRACEBACK=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

import clinic_app
from clinic_app.domain.files import OutputFileError
from clinic_app.storage.errors import StorageError

COMMAND_MODULES: tuple[str, ...] = (
    "clinic_app.cli.forms_cmd",
    "clinic_app.cli.overview_cmd",
    "clinic_app.cli.validate_cmd",
    "clinic_app.cli.backup_cmd",
    "clinic_app.cli.assess_cmd",
    "clinic_app.cli.demo_cmd",
    "clinic_app.cli.patients_cmd",
    "clinic_app.cli.report_cmd",
    "clinic_app.cli.exchange_cmd",
)
"""Modules that each register one or more sub-commands, in the order ``--help`` lists them."""

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every registered sub-command."""
    parser = _top_level_parser(argparse.ArgumentParser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        module.register(subparsers)
    return parser


class _NeedsFullParserError(Exception):
    """The arguments need the full parser: a sub-command, help, or a usage error to report."""


class _WindowOnlyParser(argparse.ArgumentParser):
    """The top-level options alone; any usage error means "let the full parser answer"."""

    def error(self, message: str) -> NoReturn:
        raise _NeedsFullParserError(message)


def parse_window_only(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """Parse arguments that name no sub-command without importing the command modules; else None.

    Importing the nine command modules loads the report builder, the exchange and the terminal
    libraries, a good part of the window's cold start, although starting the window (no command)
    needs none of them. Only when the arguments are top-level options alone and parse cleanly is the
    result used; a sub-command, ``-h``/``--help`` (which lists the commands) or any usage error goes to
    :func:`build_parser`, so what is printed and the exit codes stay those of the full parser.
    """
    parser = _top_level_parser(_WindowOnlyParser, add_help=False)
    try:
        args, extras = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    except _NeedsFullParserError:
        return None
    if extras:
        return None
    args.command = None
    return args


def _top_level_parser(
    kind: type[argparse.ArgumentParser], *, add_help: bool = True
) -> argparse.ArgumentParser:
    """The parser with the top-level options only (sub-commands are added by :func:`build_parser`)."""
    parser = kind(
        add_help=add_help,
        prog="python -m clinic_app",
        description="RunReady Clinic — return-to-run assessment after childbirth. "
        "Without a command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"RunReady Clinic {clinic_app.__version__}")
    parser.add_argument(
        "--database",
        dest="window_database",
        metavar="URL",
        help="database URL for the desktop app started without a command (default: "
        "CLINIC_APP_DATABASE_URL, then the per-user clinic file); a command given after it uses it too",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation in a throw-away data folder (database, migrations, demo clinic, "
        "window offscreen, every report, Qt PDF and printing) and exit 0, or 1 naming the failed step",
    )
    # Benchmarks only (benchmarks/bench_window.py, bench_bundle.py): start once on a demo clinic, print
    # the phase times, quit. Hidden from --help.
    parser.add_argument("--start-probe", metavar="DEMO_FILE", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser: argparse.ArgumentParser | None = None
    args = parse_window_only(argv)
    if args is None:
        parser = build_parser()
        args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    window_database: str | None = args.window_database
    if args.self_test:
        return _self_test()
    if args.start_probe:
        return _start_probe(args.start_probe)
    if handler is None:
        return _start_default(parser, window_database)
    if window_database and getattr(args, "database", window_database) is None:
        # `--database URL overview` means the same as `overview --database URL`.
        args.database = window_database
    return run_handler(handler, args)


def run_handler(handler: Handler, args: argparse.Namespace) -> int:
    """Run one command's handler and turn what escapes it into a message and an exit code."""
    try:
        code = handler(args)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except (StorageError, OutputFileError) as error:
        print(str(error), file=sys.stderr)
        return 1
    except Exception as error:
        # Imported here: the storage services load SQLAlchemy, which commands like 'forms' never need.
        from clinic_app.services.clinic import explain_failure

        message = explain_failure(error, getattr(args, "database", None))
        if message is None and os.environ.get(TRACEBACK_ENV):
            raise
        if message is None:
            from clinic_app.storage.database import masked_text

            first = masked_text((str(error).strip().splitlines() or [""])[0][:200])
            message = (
                f"Unexpected error ({type(error).__name__}: {first}). This is a bug in RunReady Clinic; "
                f"please report it (set {TRACEBACK_ENV}=1 to see the details)."
            )
        print(message, file=sys.stderr)
        return 1


TRACEBACK_ENV = "RUNREADY_TRACEBACK"
"""Set to any value to let an unexpected error end with its traceback (for a bug report)."""


def _silence_stdout() -> None:
    """The reader of our output went away (``| head``): drop what is still buffered, without a message.

    Standard output is pointed at the null device so the interpreter's final flush cannot fail again.
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _start_default(parser: argparse.ArgumentParser | None, database: str | None = None) -> int:
    """Start the desktop app when this build has one, else show the clinic overview.

    A build without the window (no ``clinic_app.ui.app``) opens the clinic database (creating and
    migrating it on first start) and prints the overview instead.

    Args:
        parser: the top-level parser (for the overview fallback; built here when None).
        database: the top-level ``--database`` URL, passed on to the window.
    """
    options = ["--database", database] if database else []
    has_window = importlib.util.find_spec("clinic_app.ui") is not None
    if has_window and importlib.util.find_spec("clinic_app.ui.app") is not None:
        gui = importlib.import_module("clinic_app.ui.app")
        result: int = gui.run(options)
        return result
    return handler_for(parser or build_parser(), ["overview", *options])


def _self_test() -> int:
    """Run the installation self-test (``clinic_app.ui.selftest``); 1 when this build has no window."""
    if importlib.util.find_spec("clinic_app.ui") is None:
        print("This build has no desktop window, so the self-test cannot run.", file=sys.stderr)
        return 1
    selftest = importlib.import_module("clinic_app.ui.selftest")
    result: int = selftest.run_self_test()
    return result


def _start_probe(path: str) -> int:
    """Time one start of the window on a demo clinic (``clinic_app.ui.startprobe``)."""
    probe = importlib.import_module("clinic_app.ui.startprobe")
    result: int = probe.run_probe(path)
    return result


def handler_for(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    """Parse ``argv`` with ``parser`` and run the chosen sub-command's handler."""
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    return run_handler(handler, args)
