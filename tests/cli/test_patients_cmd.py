"""Tests for ``python -m clinic_app patients`` and ``clinicians`` on a temporary clinic file."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic_app.cli.main import main
from clinic_app.services import patients
from clinic_app.services.clinic import open_clinic
from clinic_app.services.session import sign_in
from clinic_app.storage import database


@pytest.fixture
def clinic_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A clinic file with two patients (one archived), named by CLINIC_APP_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    monkeypatch.setenv(database.DATABASE_URL_ENV, url)
    db = open_clinic(url)
    try:
        patients.add_clinician(
            db, name="Sam Lee", password="list patients", actor_id="system", clinician_id="C-1"
        )
        user = sign_in(db, "C-1", "list patients")
        patients.create_patient(
            db,
            family_name="Żmuda",
            given_names="Łucja",
            date_of_birth=dt.date(1988, 12, 30),
            record_number="RR-220",
            patient_id="P-0002",
            user=user,
        )
        patients.create_patient(
            db,
            family_name="Byrne",
            given_names="Aoife",
            date_of_birth=dt.date(1991, 4, 2),
            record_number="RR-7",
            patient_id="P-0003",
            user=user,
        )
        patients.archive_patient(db, "P-0003", user=user)
    finally:
        db.dispose()
    return url


def test_lists_active_patients_only_by_default(clinic_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --archived the archived patient is not listed; with it she is, marked archived."""
    assert main(["patients"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "P-0002       Żmuda, Łucja                         born 1988-12-30  RR-220"
    ]
    assert main(["patients", "--archived"]) == 0
    out = capsys.readouterr().out
    assert "P-0003       Byrne, Aoife" in out and "(archived)" in out


def test_search_by_date_of_birth_and_words(clinic_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Search text may be a date of birth or several words; no match is said plainly."""
    assert main(["patients", "1988-12-30"]) == 0
    assert "P-0002" in capsys.readouterr().out
    assert main(["patients", "lucja", "zm"]) == 0
    assert "P-0002" in capsys.readouterr().out
    assert main(["patients", "xyz"]) == 0
    assert capsys.readouterr().out.strip() == "No patient matches 'xyz'."


def test_add_clinician_reads_the_password_from_stdin(
    clinic_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A piped password creates the profile, which is then listed; a short one is invalid input (exit 2)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("long enough pass\n"))
    assert main(["clinicians", "add", "Alex Byrne", "--id", "C-9", "--registration", "PH-1"]) == 0
    assert "Added clinician Alex Byrne (C-9)." in capsys.readouterr().out
    assert main(["clinicians", "list"]) == 0
    assert capsys.readouterr().out.startswith(
        "C-9            Alex Byrne — Pelvic-health physiotherapist PH-1"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["clinicians", "add", "Sam Lee"]) == 2
    assert "at least 8 characters" in capsys.readouterr().err


def test_newer_schema_is_refused_with_a_message(clinic_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A database written by a newer app gives exit 1 and a sentence naming the problem."""
    db = database.open_database(clinic_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    db.dispose()
    assert main(["patients"]) == 1
    assert "newer" in capsys.readouterr().err


def test_a_control_character_stored_in_a_name_is_escaped_on_the_terminal(
    clinic_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name written into the database by another tool cannot recolour or rewrite the terminal."""
    db = open_clinic(clinic_url)
    try:
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE patients SET family_name = 'Ż\x1b[2Jmuda' WHERE id = 'P-0002'"))
            connection.execute(text("UPDATE clinicians SET name = 'Sam\x07 Lee' WHERE id = 'C-1'"))
    finally:
        db.dispose()
    assert main(["patients"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Ż\\u001b[2Jmuda, Łucja" in out
    assert main(["clinicians", "list"]) == 0
    listed = capsys.readouterr().out
    assert "\x07" not in listed and "Sam\\u0007 Lee" in listed
    assert main(["overview"]) == 0
    assert "\x07" not in capsys.readouterr().out
