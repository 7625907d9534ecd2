"""Tests for the shared visit-file reader of the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.assessment import load_forms
from clinic_app.cli.visitinput import UnreadableFileError, check_visit_path, read_visit_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_missing_file_message_names_the_file(tmp_path: Path) -> None:
    """A missing file raises with a one-line message naming it."""
    with pytest.raises(UnreadableFileError, match=r"nothing\.json: cannot read the file"):
        check_visit_path(tmp_path / "nothing.json", load_forms())


def test_broken_json_message_gives_the_position(tmp_path: Path) -> None:
    """A file that is not JSON names the line and column of the fault."""
    path = tmp_path / "broken.json"
    path.write_text('{"patient": \n  oops}', encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="not a valid JSON file at line 2, column 3"):
        check_visit_path(path, load_forms())


def test_invalid_visit_prints_errors_and_the_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid visit returns None and prints each error plus what was not done."""
    record = read_visit_file(EXAMPLES / "visit-invalid.json", load_forms(), None, refusal="nothing was made")
    err = capsys.readouterr().err
    assert record is None
    assert "results." in err
    assert err.rstrip().endswith("nothing was made.")


def test_valid_visit_is_returned_silently(capsys: pytest.CaptureFixture[str]) -> None:
    """A valid visit file comes back as a record with nothing printed."""
    record = read_visit_file(EXAMPLES / "visit-complete.json", load_forms(), None, refusal="x")
    assert record is not None and record.patient.given_names
    assert capsys.readouterr().err == ""
