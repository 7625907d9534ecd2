"""Tests for ``python -m clinic_app validate FILE.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic_app.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_valid_file_exits_0_with_no_problems(capsys: pytest.CaptureFixture[str]) -> None:
    """The complete example is clean."""
    assert main(["validate", str(EXAMPLES / "visit-complete.json")]) == 0
    assert capsys.readouterr().out.strip() == "No problems found"


def test_invalid_file_prints_path_and_message_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Each problem is printed as 'path: message'; the count goes to stderr."""
    assert main(["validate", str(EXAMPLES / "visit-invalid.json")]) == 2
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert (
        "results.diastasis.ird_umbilicus_rest: Inter-recti distance at umbilicus — rest: 31 cm is outside "
        "0–10 cm — did you mean mm?"
    ) in lines
    assert all(": " in line for line in lines)
    assert f"{len(lines)} problems found" in captured.err


def test_missing_file_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file that does not exist is reported in one line, no traceback."""
    assert main(["validate", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert "cannot read the file" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_directory_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A folder instead of a file is unreadable input."""
    assert main(["validate", str(tmp_path)]) == 2
    assert "cannot read the file" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"{not json", b"", b"\xff\xfe\x00binary"])
def test_not_json_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes) -> None:
    """Broken JSON, an empty file and binary data each give a one-line message."""
    path = tmp_path / "visit.json"
    path.write_bytes(content)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("document", [[], 42, "text", None, {"format": "runready-visit/1"}])
def test_json_of_the_wrong_shape_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, document: object
) -> None:
    """Valid JSON that is not a visit document lists problems instead of crashing."""
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().out.strip()


def test_deeply_nested_json_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """JSON nested deeper than the parser allows is reported, not raised."""
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert "not a valid JSON file" in capsys.readouterr().err


def test_dev_zero_is_refused_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    """/dev/zero is a device, refused in one line without reading it."""
    assert main(["validate", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert "it is a device" in err and len(err.strip().splitlines()) == 1


def test_a_file_over_the_size_limit_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file larger than the visit-file limit is one line naming the limit."""
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (4 * 1024 * 1024 + 10))
    assert main(["validate", str(path)]) == 2
    assert "larger than 4 MiB" in capsys.readouterr().err


def test_an_invalid_earlier_visit_is_checked_against_the_forms(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An earlier visit's unknown field is reported at its path, like the current visit's."""
    data = json.loads((EXAMPLES / "visit-complete.json").read_text(encoding="utf-8"))
    form = next(iter(data["previous_visits"][0]["results"]))
    data["previous_visits"][0]["results"][form]["no_such_field"] = 1
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert any(
        line.startswith(f"previous_visits[0].results.{form}.no_such_field: ")
        for line in capsys.readouterr().out.splitlines()
    )


def test_control_characters_in_keys_are_escaped(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A key holding an escape sequence is printed escaped: the terminal is never sent ESC."""
    data = json.loads((EXAMPLES / "visit-complete.json").read_text(encoding="utf-8"))
    data["results"]["hop"]["\u202e\x1b[2J"] = 1
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert 'results.hop["\\u202e\\u001b[2J"]' in out
