"""Tests for ``python -m clinic_app demo`` and, on its result, ``patients`` (end to end on a temp file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clinic_app.cli.main import main
from clinic_app.services import patients
from clinic_app.services.clinic import open_clinic
from clinic_app.services.session import sign_in
from clinic_app.storage import database


@pytest.fixture
def clinic_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point CLINIC_APP_DATABASE_URL at a file in the test folder (never the per-user folder)."""
    path = tmp_path / "clinic.sqlite3"
    monkeypatch.setenv(database.DATABASE_URL_ENV, f"sqlite:///{path}")
    return path


def test_demo_then_patients_end_to_end(clinic_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The demo command fills the configured database; the patients command then finds the demo patients."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert f"Created the demo clinic in {clinic_file}" in out
    assert "demo sign-off password: runready-demo" in out
    for status in (
        "REFER",
        "NOT_READY",
        "NOT_YET_TIME",
        "NOT_READY_FUNCTION",
        "INCOMPLETE",
        "READY_WITH_CAUTIONS",
        "READY ",
    ):
        assert status in out
    assert main(["patients", "zoe"]) == 0
    assert capsys.readouterr().out.startswith("P-0001       Ní Bhriain, Zoë")


def test_second_run_leaves_the_demo_alone(clinic_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Running demo again changes nothing and says how to rebuild."""
    assert main(["demo"]) == 0
    before = clinic_file.read_bytes()
    capsys.readouterr()
    assert main(["demo"]) == 0
    assert "already in" in capsys.readouterr().out
    assert clinic_file.read_bytes() == before


def test_reset_keeps_the_old_file(clinic_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--reset moves the existing file aside (kept, timestamped) and builds the demo afresh."""
    clinic_file.write_bytes(b"")
    assert main(["demo", "--reset"]) == 0
    kept = list(clinic_file.parent.glob("clinic.sqlite3.replaced-*.bak"))
    assert len(kept) == 1 and kept[0].read_bytes() == b""
    assert "Moved the existing database aside" in capsys.readouterr().out
    assert clinic_file.stat().st_size > 0


def test_demo_refuses_a_clinic_with_real_patients(
    clinic_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database holding other patients is never mixed with demo data: exit 1 with a message."""
    db = open_clinic(None)
    try:
        patients.add_clinician(
            db, name="Sam Lee", password="real clinic", actor_id="system", clinician_id="C-1"
        )
        patients.create_patient(
            db,
            family_name="Real",
            given_names="Person",
            date_of_birth=dt.date(1990, 5, 5),
            user=sign_in(db, "C-1", "real clinic"),
        )
    finally:
        db.dispose()
    assert main(["demo"]) == 1
    assert "already holds patients" in capsys.readouterr().err
    assert main(["patients"]) == 0
    assert "Real, Person" in capsys.readouterr().out


def test_demo_on_a_file_that_is_not_a_database(clinic_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is not a database gives a clear message, exit 1, and is left unchanged."""
    clinic_file.write_bytes(b"these are my notes, not a database" * 100)
    before = clinic_file.read_bytes()
    assert main(["demo"]) == 1
    assert "not" in capsys.readouterr().err.lower()
    assert clinic_file.read_bytes() == before


def test_unfinished_demo_asks_for_reset(clinic_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A demo that stopped half-way is not reported as present: exit 1 and a hint to use --reset."""
    db = open_clinic(None)
    try:
        patients.add_clinician(
            db, name="Alex Byrne", password="runready-demo", actor_id="system", clinician_id="C-DEMO-1"
        )
    finally:
        db.dispose()
    assert main(["demo"]) == 1
    assert "demo --reset" in capsys.readouterr().err
