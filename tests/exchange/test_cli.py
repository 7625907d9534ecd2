"""The export and import commands: files written, dry run printed, exit codes 0 / 1 / 2."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import text

from clinic_app.cli.main import main
from clinic_app.services import records
from clinic_app.storage.database import Database
from tests.exchange.conftest import DEMO_PASSWORD, demo_user


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def test_export_then_dry_run(demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Export writes the bundle and warns it is plain; import --dry-run lists and writes nothing."""
    out = tmp_path / "clinic.rrbundle"
    assert main(["export", "--out", str(out), "--database", _url(demo)]) == 0
    captured = capsys.readouterr()
    assert out.is_file() and "Warning" in captured.err and "visits" in captured.out
    assert main(["import", str(out), "--dry-run", "--database", _url(demo)]) == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out


def test_import_needs_a_clinician_and_a_real_file(demo: Database, tmp_path: Path) -> None:
    """Invalid input exits 2: no such file, no clinician named, a bad --since date."""
    url = _url(demo)
    assert main(["import", str(tmp_path / "none.rrbundle"), "--database", url]) == 2
    (tmp_path / "x.rrbundle").write_bytes(b"PK")
    assert main(["import", str(tmp_path / "x.rrbundle"), "--database", url]) == 2
    assert main(["export", "--out", str(tmp_path / "y"), "--since", "May", "--database", url]) == 2


def test_refused_bundle_exits_1(demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is not a bundle is a problem to act on: exit 1 with the reason."""
    bad = tmp_path / "bad.rrbundle"
    bad.write_bytes(b"not a zip at all")
    assert main(["import", str(bad), "--dry-run", "--database", _url(demo)]) == 1
    assert "not a RunReady Clinic bundle" in capsys.readouterr().err


def test_import_with_password_on_stdin(
    demo: Database,
    empty: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Import signs the clinician in (password on stdin off a terminal) and reports the checksum."""
    out = tmp_path / "clinic.rrbundle"
    assert main(["export", "--out", str(out), "--database", _url(demo)]) == 0
    assert main(["import", str(out), "--clinician", "C-DEMO-1", "--database", _url(empty)]) in (0, 1)
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(DEMO_PASSWORD + "\n"))
    # The importing clinician signs in to the target clinic: import into the demo clinic itself.
    from clinic_app.services.patients import list_clinicians

    clinician = str(list_clinicians(demo)[0].id)
    assert main(["import", str(out), "--clinician", clinician, "--database", _url(demo)]) == 0
    assert "SHA-256" in capsys.readouterr().out


def test_encrypted_export_and_dry_run(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--encrypt with --password-file writes an encrypted file (no warning); the dry run reads it back."""
    import clinic_app.exchange.crypto as crypto

    monkeypatch.setattr(crypto, "DEFAULT_COST", crypto.FAST_TEST_COST)
    secret = tmp_path / "secret.txt"
    secret.write_text("long enough secret\n")
    out = tmp_path / "clinic.enc"
    url = _url(demo)
    assert (
        main(["export", "--out", str(out), "--encrypt", "--password-file", str(secret), "--database", url])
        == 0
    )
    assert "Warning" not in capsys.readouterr().err and crypto.is_encrypted(out)
    assert main(["import", str(out), "--dry-run", "--password-file", str(secret), "--database", url]) == 0
    secret.write_text("wrong\n")
    assert main(["import", str(out), "--dry-run", "--password-file", str(secret), "--database", url]) == 1
    assert "password" in capsys.readouterr().err


def test_export_counts_the_kept_report_files(
    demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The export's summary line says how many kept report PDFs the bundle carries."""
    user = demo_user(demo)
    records.record_report(
        demo, "V-0001-1", kind="patient", content=b"%PDF-1.7 kept", file_name="kept.pdf", user=user
    )
    assert main(["export", "--out", str(tmp_path / "c.rrbundle"), "--database", _url(demo)]) == 0
    assert "and 1 kept report PDF to" in capsys.readouterr().out


def test_dry_run_and_import_count_the_pdfs_for_visits_here(
    demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Records lacking their PDF: the dry run says how many it would add, the import how many it kept."""
    from tests.exchange.test_report_files import add_reports

    add_reports(demo)
    out = tmp_path / "c.rrbundle"
    url = _url(demo)
    assert main(["export", "--out", str(out), "--database", url]) == 0
    with demo.sessions.begin() as session:
        session.execute(text("UPDATE report_records SET content = NULL"))
    capsys.readouterr()
    assert main(["import", str(out), "--dry-run", "--database", url]) == 0
    dry = capsys.readouterr().out
    assert "3 report PDFs would be added to visits already here." in dry and "Nothing to import" not in dry
    monkeypatch.setattr("sys.stdin", io.StringIO(DEMO_PASSWORD + "\n"))
    clinician = demo_user(demo).clinician_id
    assert main(["import", str(out), "--clinician", clinician, "--database", url]) == 0
    assert "0 visits, 0 amendments, 3 report PDFs kept;" in capsys.readouterr().out
