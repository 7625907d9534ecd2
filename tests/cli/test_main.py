"""Tests for the top-level command line: help, version and dispatch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import clinic_app
from clinic_app.cli.main import COMMAND_MODULES, build_parser, main


def test_help_lists_every_sub_command(capsys: pytest.CaptureFixture[str]) -> None:
    """--help names each sub-command the issues ask for."""
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    commands = ("forms", "validate", "assess", "demo", "patients", "report", "backup", "restore", "overview")
    for command in commands:
        assert f"    {command}" in out


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package version."""
    with pytest.raises(SystemExit):
        main(["--version"])
    assert clinic_app.__version__ in capsys.readouterr().out


def test_every_command_module_registers_a_handler() -> None:
    """Each registered sub-command parses to a handler function."""
    parser = build_parser()
    assert len(COMMAND_MODULES) >= 8
    args = parser.parse_args(["forms"])
    assert callable(args.handler)


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown sub-command is a usage error (exit 2), not a traceback."""
    with pytest.raises(SystemExit) as stop:
        main(["frobnicate"])
    assert stop.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_module_entry_point_runs() -> None:
    """``python -m clinic_app forms`` works as a real process."""
    done = subprocess.run([sys.executable, "-m", "clinic_app", "forms"], capture_output=True, text=True,
                          check=False, timeout=60)
    assert done.returncode == 0
    assert "diastasis" in done.stdout


def test_top_level_database_starts_the_window_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m clinic_app --database URL`` (no command) hands the URL to the window's run()."""
    import clinic_app.ui.app as gui

    calls: list[list[str]] = []
    monkeypatch.setattr(gui, "run", lambda argv=None: calls.append(list(argv or [])) or 0)
    assert main(["--database", "sqlite:////tmp/elsewhere.sqlite3"]) == 0
    assert main([]) == 0
    assert calls == [["--database", "sqlite:////tmp/elsewhere.sqlite3"], []]


def test_top_level_database_applies_to_a_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--database URL overview`` opens that database, like ``overview --database URL``."""
    url = f"sqlite:///{tmp_path}/given.sqlite3"
    assert main(["--database", url, "overview"]) == 0
    assert str(tmp_path / "given.sqlite3") in capsys.readouterr().out
    assert main(["overview", "--database", url]) == 0
    assert str(tmp_path / "given.sqlite3") in capsys.readouterr().out


def test_output_piped_into_head_ends_quietly() -> None:
    """A reader that stops early (``| head -1``) leaves no BrokenPipeError or traceback on stderr."""
    done = subprocess.run(
        f"'{sys.executable}' -m clinic_app forms show diastasis | head -1",
        shell=True, capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.stdout.count("\n") == 1
    assert "Error" not in done.stderr and "Traceback" not in done.stderr
