"""Tests for ``python -m clinic_app`` without a command: the clinic overview on a temp database."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.cli.main import main
from clinic_app.storage import database


@pytest.fixture
def clinic_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point CLINIC_APP_DATABASE_URL at a file in the test folder (never the per-user folder)."""
    path = tmp_path / "clinic.sqlite3"
    monkeypatch.setenv(database.DATABASE_URL_ENV, f"sqlite:///{path}")
    return path


def test_no_command_on_a_new_database_creates_it_and_says_how_to_start(
    clinic_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bare command creates and migrates a fresh database and points to the demo."""
    assert main(["overview"]) == 0
    out = capsys.readouterr().out
    assert clinic_file.exists()
    assert "Patients: 0" in out
    assert "No visits recorded yet" in out


def test_no_command_after_demo_lists_latest_visits_with_decisions(
    clinic_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After the demo, the overview shows each patient's latest visit and the clinician's decision."""
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["overview"]) == 0
    out = capsys.readouterr().out
    assert f"database: {clinic_file}" in out
    assert "Alex Byrne" in out
    zoe = next(line for line in out.splitlines() if "Zoë Ní Bhriain" in line)
    assert "V-0001-2A" in zoe and "signed" in zoe and "READY" in zoe
    assert "no decision recorded" in out


def test_overview_reports_a_file_that_is_not_a_database(
    clinic_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is not a database gives a clear message, exit 1, and is left untouched."""
    clinic_file.write_bytes(b"shopping list, not a clinic")
    assert main(["overview"]) == 1
    assert clinic_file.read_bytes() == b"shopping list, not a clinic"
    assert "not" in capsys.readouterr().err.lower()
