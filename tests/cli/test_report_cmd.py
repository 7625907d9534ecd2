"""``python -m clinic_app report``: PDFs from a visit file, a folder or the database; clear refusals."""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic_app.cli import report_cmd
from clinic_app.cli.signin import PASSWORD_ENV
from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import build_demo
from clinic_app.services.records import list_audit_events, list_reports, report_file

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "tests" / "readiness" / "scenarios"
EXAMPLES = ROOT / "examples"
REFER = SCENARIOS / "03_refer_bleeding_bowel_urgency.json"
READY = SCENARIOS / "01_ready_experienced_runner.json"


@pytest.fixture(autouse=True)
def demo_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stored reports sign the issuer in; scripts give her password in CLINIC_APP_PASSWORD."""
    monkeypatch.setenv(PASSWORD_ENV, "runready-demo")


def run(*argv: str) -> int:
    """Parse ``argv`` with only the report command registered and run it."""
    parser = argparse.ArgumentParser()
    report_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["report", *argv])
    code: int = args.handler(args)
    return code


def text_of(path: Path) -> str:
    """Return the PDF's text with whitespace collapsed."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("kind", ["patient", "clinician", "referral"])
def test_from_file_writes_each_kind(kind: str, tmp_path: Path) -> None:
    """A referred visit file produces every kind of report, with the patient's name intact."""
    out = tmp_path / f"{kind}.pdf"
    assert run("--from-file", str(REFER), "--kind", kind, "--out", str(out)) == 0
    text = text_of(out)
    assert "Łucja Kowalska" in text
    assert "safe" not in text.lower()
    assert "DRAFT" in text  # the scenario visit is unsigned


def test_invalid_visit_file_exits_2_with_field_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An invalid visit file writes nothing and lists each problem by path."""
    out = tmp_path / "report.pdf"
    assert run("--from-file", str(EXAMPLES / "visit-invalid.json"), "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "results.diastasis.ird_umbilicus_rest:" in err
    assert "no report was made" in err
    assert not out.exists()


def test_referral_for_a_visit_that_needs_none_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A referral asked for a ready visit is refused with a clear message."""
    out = tmp_path / "letter.pdf"
    assert run("--from-file", str(READY), "--kind", "referral", "--out", str(out)) == 2
    assert "needs no referral" in capsys.readouterr().err
    assert not out.exists()


def test_letterhead_settings_file_and_page_size_are_used(tmp_path: Path) -> None:
    """The clinic named in --settings prints on the report, on Letter paper when asked."""
    settings = tmp_path / "clinic.toml"
    settings.write_text(
        '[clinic]\nname = "Físio Ní Bhriain & Daughters"\nphone = "+1 555 0100"\n', encoding="utf-8"
    )
    out = tmp_path / "report.pdf"
    assert (
        run(
            "--from-file", str(READY), "--settings", str(settings), "--page-size", "Letter", "--out", str(out)
        )
        == 0
    )
    assert "Físio Ní Bhriain & Daughters" in text_of(out)
    box = PdfReader(io.BytesIO(out.read_bytes())).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_broken_settings_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A settings file that is not valid TOML is refused before anything is built."""
    settings = tmp_path / "clinic.toml"
    settings.write_text("[clinic\n", encoding="utf-8")
    assert run("--from-file", str(READY), "--settings", str(settings), "--out", str(tmp_path / "r.pdf")) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_unknown_stored_visit_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A visit id that is not in the database gives a clear message, not a traceback."""
    database = f"sqlite:///{tmp_path / 'clinic.db'}"
    assert run("--visit", "V-NOPE", "--database", database, "--out", str(tmp_path / "r.pdf")) == 2
    assert "No visit with id 'V-NOPE'" in capsys.readouterr().err


def test_batch_prints_every_visit_file_of_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--batch builds one PDF per valid visit file with progress on stderr."""
    folder = tmp_path / "visits"
    folder.mkdir()
    for source in (READY, REFER):
        shutil.copy(source, folder / source.name)
    out = tmp_path / "pdfs"
    assert run("--batch", str(folder), "--kind", "patient", "--out", str(out)) == 0
    assert sorted(p.name for p in out.glob("*.pdf")) == [
        "01_ready_experienced_runner-patient.pdf",
        "03_refer_bleeding_bowel_urgency-patient.pdf",
    ]
    assert "2/2 reports" in capsys.readouterr().err


def test_stored_demo_visit_prints_with_the_recorded_decision(tmp_path: Path) -> None:
    """A stored demo visit prints with its clinician's recorded decision and leaves a report record."""
    database = f"sqlite:///{tmp_path / 'clinic.db'}"
    db = open_clinic(database)
    try:
        build_demo(db)
    finally:
        db.dispose()
    out = tmp_path / "summary.pdf"
    assert run("--visit", "V-0005-1", "--kind", "clinician", "--database", database, "--out", str(out)) == 0
    text = text_of(out)
    assert "Hannah Schmidt-Okafor" in text
    assert "FINAL DECISION — OVERRIDDEN" in text  # the demo clinician overrode O1 with a reason
    assert "The engine proposed: Not ready" in text and "pessary fitted and tolerated" in text
    assert "No clinician decision recorded" not in text
    db = open_clinic(database)
    try:
        (entry,) = list_reports(db, "V-0005-1")
    finally:
        db.dispose()
    assert entry.kind == "clinician" and entry.file_name == "summary.pdf"
    assert entry.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    db = open_clinic(database)
    try:
        assert report_file(db, entry.id) == out.read_bytes()  # the clinic keeps the file it issued
    finally:
        db.dispose()


def test_a_stored_report_needs_the_issuers_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong password writes no PDF and keeps no record; the refusal is audited like any other."""
    database = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    db = open_clinic(database)
    build_demo(db)
    db.dispose()
    monkeypatch.setenv(PASSWORD_ENV, "not the password")
    out = tmp_path / "r.pdf"
    assert run("--visit", "V-0005-1", "--database", database, "--out", str(out)) == 2
    assert "password" in capsys.readouterr().err and not out.exists()
    db = open_clinic(database)
    try:
        assert list_reports(db, "V-0005-1") == []
        events = list_audit_events(db, entity="clinician")
        assert events[0].action == "password_refused"
    finally:
        db.dispose()
