"""Argument parsing and dispatch for ``python -m clinic_app``.

Each sub-command lives in its own module in this package and exposes ``register(subparsers)``, which
adds its parser and sets ``handler`` to a function ``(args) -> int`` returning the exit code. Exit
codes: 0 success, 1 a failure the user must act on (e.g. a storage problem), 2 invalid input.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Callable, Sequence

import clinic_app

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
    parser = argparse.ArgumentParser(
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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    window_database: str | None = args.window_database
    if args.self_test:
        return _self_test()
    if handler is None:
        return _start_default(parser, window_database)
    if window_database and getattr(args, "database", window_database) is None:
        # `--database URL overview` means the same as `overview --database URL`.
        args.database = window_database
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


def _start_default(parser: argparse.ArgumentParser, database: str | None = None) -> int:
    """Start the desktop app when this build has one, else show the clinic overview.

    A build without the window (no ``clinic_app.ui.app``) opens the clinic database (creating and
    migrating it on first start) and prints the overview instead.

    Args:
        parser: the top-level parser (for the overview fallback).
        database: the top-level ``--database`` URL, passed on to the window.
    """
    options = ["--database", database] if database else []
    has_window = importlib.util.find_spec("clinic_app.ui") is not None
    if has_window and importlib.util.find_spec("clinic_app.ui.app") is not None:
        gui = importlib.import_module("clinic_app.ui.app")
        result: int = gui.run(options)
        return result
    return handler_for(parser, ["overview", *options])


def _self_test() -> int:
    """Run the installation self-test (``clinic_app.ui.selftest``); 1 when this build has no window."""
    if importlib.util.find_spec("clinic_app.ui") is None:
        print("This build has no desktop window, so the self-test cannot run.", file=sys.stderr)
        return 1
    selftest = importlib.import_module("clinic_app.ui.selftest")
    result: int = selftest.run_self_test()
    return result


def handler_for(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    """Parse ``argv`` with ``parser`` and run the chosen sub-command's handler."""
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    return handler(args)
