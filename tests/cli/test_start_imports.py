"""What starting the window imports, and in which order (the cold start's budget; timed in benchmarks/)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from clinic_app.cli.main import parse_window_only

PROBE = """
import json, sys
import clinic_app.ui.app as gui
from clinic_app.cli.main import main
gui.run = lambda argv=None: 0
main(sys.argv[1:])
print(json.dumps(list(sys.modules)))
"""


def modules_after_start(*argv: str) -> list[str]:
    """The names in ``sys.modules``, in import order, after ``main(argv)`` with the window stubbed out."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                          check=True, timeout=120)  # fmt: skip
    names: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return names


def test_window_start_skips_command_modules_and_report_libraries() -> None:
    """No command module, ReportLab, Alembic or rich is imported to start the window."""
    names = set(modules_after_start("--database", "sqlite:////tmp/never-opened.sqlite3"))
    assert not {name for name in names if name.startswith("clinic_app.cli.") and name.endswith("_cmd")}
    assert not {name.split(".")[0] for name in names} & {"reportlab", "alembic", "rich", "pypdf"}


def test_storage_is_imported_before_qt() -> None:
    """SQLAlchemy comes before PySide6, whose import hook reads the source of every later module."""
    names = modules_after_start()
    assert names.index("sqlalchemy.orm") < names.index("PySide6")


@pytest.mark.parametrize(
    "argv", [["overview"], ["--help"], ["-h"], ["--database"], ["--database", "x", "patients"], ["--frob"]]
)
def test_commands_help_and_usage_errors_go_to_the_full_parser(argv: list[str]) -> None:
    """Anything but top-level options alone is left to the parser that knows the sub-commands."""
    assert parse_window_only(argv) is None


def test_top_level_options_alone_parse_without_the_commands() -> None:
    """``--database URL`` alone is read as the full parser would read it, with no command."""
    args = parse_window_only(["--database=sqlite:////tmp/x.sqlite3"])
    assert args is not None
    assert (args.window_database, args.command, args.self_test, args.start_probe) == (
        "sqlite:////tmp/x.sqlite3", None, False, None,
    )
