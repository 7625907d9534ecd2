"""Tests for ``python -m clinic_app forms`` (list and show)."""

from __future__ import annotations

from pathlib import Path

import pytest

import clinic_app.assessment.spec as spec
from clinic_app.cli.main import main


def test_forms_lists_every_battery_with_field_count(capsys: pytest.CaptureFixture[str]) -> None:
    """The list shows each battery id, title and number of fields, in exam order."""
    assert main(["forms"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [
        "history", "symptoms", "questionnaires", "diastasis", "prolapse", "pelvic_floor", "load_impact",
        "strength", "hop", "jumping",
    ]  # fmt: skip
    assert "Hop tests  (4 fields)" in lines[8]


def test_forms_show_prints_kind_unit_range_and_source(capsys: pytest.CaptureFixture[str]) -> None:
    """Showing a battery prints each field with kind, unit, range and its source."""
    assert main(["forms", "show", "hop"]) == 0
    out = capsys.readouterr().out
    assert "Hop tests [hop]" in out
    assert "timed_hop_6m (left/right)" in out
    assert "number, 0.5–30 s" in out
    assert "source: CLINICAL.md §8.1" in out


def test_forms_show_unit_field_ranges(capsys: pytest.CaptureFixture[str]) -> None:
    """A measurement whose unit comes from another field lists its range per unit."""
    assert main(["forms", "show", "diastasis"]) == 0
    assert "0–100 mm; 0–10 cm; 0–6 finger-widths" in capsys.readouterr().out


def test_forms_show_unknown_id_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown battery id is invalid input with the list of valid ids."""
    assert main(["forms", "show", "gait"]) == 2
    err = capsys.readouterr().err
    assert "Unknown battery 'gait'" in err and "diastasis" in err


def test_forms_reports_broken_form_files(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A malformed forms folder is a one-line failure (exit 1), not a traceback."""
    folder = tmp_path
    (folder / "bad.toml").write_text("id = [", encoding="utf-8")
    monkeypatch.setattr(spec, "forms_folder", lambda: folder)
    assert main(["forms"]) == 1
    assert "Cannot read the assessment forms: bad.toml" in capsys.readouterr().err


def test_forms_show_lists_layouts(capsys: pytest.CaptureFixture[str]) -> None:
    """Showing a battery with layouts prints each layout's kind, title, rows and derived measure."""
    assert main(["forms", "show", "prolapse"]) == 0
    out = capsys.readouterr().out
    assert "Layouts:" in out
    assert "grid 'POP-Q points (cm from the hymen)'" in out
    assert "popq_gh | popq_pb | popq_tvl" in out
    assert "shows: popq_stage" in out


def test_forms_show_table_layout_headings(capsys: pytest.CaptureFixture[str]) -> None:
    """A table layout prints the fields above it, its columns and each labelled row."""
    assert main(["forms", "show", "diastasis"]) == 0
    out = capsys.readouterr().out
    assert "above: method, unit, site_protocol" in out
    assert "columns: Rest | Head-lift" in out
    assert "At umbilicus: ird_umbilicus_rest | ird_umbilicus_curl" in out


def test_forms_show_prints_each_rules_minimum(capsys: pytest.CaptureFixture[str]) -> None:
    """A battery lists the readiness rules that read it, with the minimum that makes each assessed."""
    assert main(["forms", "show", "diastasis"]) == 0
    out = capsys.readouterr().out
    assert "Readiness rules that read this battery (runready-default" in out
    assert "O2 Inter-recti distance (gate)" in out
    assert "assessed once recorded: Unit of the distances; Inter-recti distance at umbilicus — head-lift." \
        in out
    assert "O4 Linea alba tension (check)" in out


def test_forms_show_prints_a_clinic_protocols_minimum(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With --protocol, the clinic's own minimum is shown (a Sperstad clinic: all three head-lift sites)."""
    from clinic_app.readiness.protocol import default_protocol_path

    text = default_protocol_path().read_text(encoding="utf-8")
    default = 'needs = ["diastasis.unit", "diastasis.ird_umbilicus_curl"]'
    sperstad = 'needs = ["diastasis.unit", "diastasis.ird_above_curl", "diastasis.ird_umbilicus_curl", ' \
               '"diastasis.ird_below_curl"]'
    assert default in text
    clinic = tmp_path / "clinic.toml"
    clinic.write_text(text.replace(default, sperstad, 1), encoding="utf-8")
    assert main(["forms", "show", "diastasis", "--protocol", str(clinic)]) == 0
    out = capsys.readouterr().out
    assert ("Unit of the distances; Inter-recti distance above umbilicus — head-lift; Inter-recti "
            "distance at umbilicus — head-lift; Inter-recti distance below umbilicus — head-lift.") in out


def test_forms_show_with_a_broken_protocol_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A protocol that cannot be used is named with its key, and nothing is shown."""
    bad = tmp_path / "bad.toml"
    bad.write_text("[protocol]\n", encoding="utf-8")
    assert main(["forms", "show", "diastasis", "--protocol", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "protocol" in captured.err
