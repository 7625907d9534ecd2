"""The ``assess`` command end to end: scenarios, JSON output, invalid input, clinic protocols."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from clinic_app.cli.main import main
from clinic_app.readiness.decision import Status
from clinic_app.readiness.protocol import default_protocol_path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "tests" / "readiness" / "scenarios"
SCHEMA = json.loads((ROOT / "docs" / "formats" / "visit.schema.json").read_text(encoding="utf-8"))
TODAY = ["--today", "2026-11-25"]

EXPECTED = {
    "01_ready_experienced_runner": Status.READY,
    "02_ready_with_cautions_caesarean_novice": Status.READY_WITH_CAUTIONS,
    "03_refer_bleeding_bowel_urgency": Status.REFER,
    "04_not_ready_leakage_on_impact_diastasis": Status.NOT_READY,
    "05_not_yet_time_nine_weeks": Status.NOT_YET_TIME,
    "06_not_ready_function_hip_strength": Status.NOT_READY_FUNCTION,
    "07_incomplete_exam_declined_strength_not_tested": Status.INCOMPLETE,
    "08_not_ready_prolapse_stage_two_pessary": Status.NOT_READY,
}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["assess", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _scenario(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def test_scenarios_cover_every_status() -> None:
    """The scenario files exist and together cover all seven statuses."""
    assert {p.stem for p in SCENARIOS.glob("*.json")} == set(EXPECTED)
    assert set(EXPECTED.values()) == set(Status)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_files_match_the_json_schema(name: str) -> None:
    """Every scenario is a valid runready-visit/1 document by the published JSON Schema."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(_scenario(name), SCHEMA, cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_through_the_command_line(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each scenario gives its status as text, says it is a recommendation, and never says 'safe'."""
    code, out, err = _run(capsys, str(SCENARIOS / f"{name}.json"), *TODAY)
    assert (code, err) == (0, "")
    assert f"Proposed status: {EXPECTED[name].value}\n" in out
    assert out.startswith("RECOMMENDATION FOR THE TREATING CLINICIAN")
    assert "recommendation for the treating clinician" in out.splitlines()[-1]
    assert not re.search(r"\bsafe", out, re.IGNORECASE)


def test_text_shows_reasons_not_assessed_plan_and_referral(capsys: pytest.CaptureFixture[str]) -> None:
    """Reasons carry values, thresholds and sources; plans, referrals and gaps are printed."""
    _, out, _ = _run(capsys, str(SCENARIOS / "04_not_ready_leakage_on_impact_diastasis.json"), *TODAY)
    assert "inter-recti distance 2.5 cm at the umbilicus on head-lift > 2.0 cm — O2" in out
    assert "Referral:" in out and "Re-test in 6 weeks." in out
    _, ready, _ = _run(capsys, str(SCENARIOS / "01_ready_experienced_runner.json"), *TODAY)
    assert "1. Stage 1: 10 × (run 1 min, walk 1 min)" in ready and "Stop and step back:" in ready
    _, incomplete, _ = _run(
        capsys, str(SCENARIOS / "07_incomplete_exam_declined_strength_not_tested.json"), *TODAY
    )
    assert "Not assessed:" in incomplete and "[O1] Prolapse stage or grade (gate)" in incomplete
    assert "Prolapse examination: Performed (recorded: Declined by the patient)" in incomplete
    assert "strength.bridge.left" not in incomplete  # needs in words, not field paths
    _, refer, _ = _run(capsys, str(SCENARIOS / "03_refer_bleeding_bowel_urgency.json"), *TODAY)
    assert "Referral (urgent):" in refer and "walk–run plan" not in refer


def test_follow_up_changes_are_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """A scenario with an earlier visit prints the change judged against measurement error."""
    _, out, _ = _run(capsys, str(SCENARIOS / "02_ready_with_cautions_caesarean_novice.json"), *TODAY)
    assert "Inter-recti distance umbilicus (head-lift): 3.2 cm → 1.9 cm (-1.3 cm) — improved" in out


def test_json_output_is_the_serialised_decision(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints the decision document with its format id, status and notice."""
    code, out, _ = _run(
        capsys, str(SCENARIOS / "06_not_ready_function_hip_strength.json"), "--format", "json", *TODAY
    )
    data = json.loads(out)
    assert code == 0 and data["format"] == "runready-decision/1"
    assert data["status"] == "NOT_READY_FUNCTION" and "recommendation" in data["notice"]
    assert {h["rule_id"] for h in data["holds"]} >= {"S2", "S4", "L3"}


def test_invalid_values_exit_2_with_field_errors_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Out-of-range values exit 2, name the field on stderr, and print nothing on stdout."""
    data = _scenario("01_ready_experienced_runner")
    data["results"]["strength"]["bridge"]["left"] = -4
    data["results"]["symptoms"]["urinary_leakage"] = "maybe"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = _run(capsys, str(path), *TODAY)
    assert code == 2 and out == ""
    assert "results.strength.bridge.left" in err and "results.symptoms.urinary_leakage" in err
    assert "no recommendation was made" in err and "Proposed status" not in err


@pytest.mark.parametrize("content", ["{not json", "[]", '{"format": "runready-visit/9"}'])
def test_unusable_files_exit_2(content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is not JSON, or not a visit document, exits 2 without a decision."""
    path = tmp_path / "visit.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, str(path), *TODAY)
    assert code == 2 and out == "" and err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file exits 2 with a message naming it."""
    code, out, err = _run(capsys, str(tmp_path / "absent.json"), *TODAY)
    assert code == 2 and out == "" and "absent.json" in err


def test_visit_in_the_future_of_today_is_invalid(capsys: pytest.CaptureFixture[str]) -> None:
    """--today fixes the clock: a visit after it is rejected."""
    code, out, err = _run(
        capsys, str(SCENARIOS / "01_ready_experienced_runner.json"), "--today", "2026-09-01"
    )
    assert code == 2 and out == "" and "visit.date" in err


def test_bad_protocol_file_exits_2_naming_rule_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clinic protocol with a symptom rule made overridable is refused with rule and key named."""
    text = default_protocol_path().read_text(encoding="utf-8")
    at = text.index("[rules.P1]")
    text = text[:at] + text[at:].replace("overridable = false", "overridable = true", 1)
    path = tmp_path / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = _run(
        capsys, str(SCENARIOS / "01_ready_experienced_runner.json"), "--protocol", str(path), *TODAY
    )
    assert code == 2 and out == ""
    assert "rule P1" in err and "'overridable'" in err


def test_clinic_protocol_changes_the_decision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--protocol with hop asymmetry as a hold turns the cautions scenario into NOT_READY_FUNCTION."""
    text = default_protocol_path().read_text(encoding="utf-8")
    at = text.index("[rules.H1]")
    section = text[at:].replace('kind = "caution"', 'kind = "hold"', 1)
    section = section.replace('outcome = "READY_WITH_CAUTIONS"', 'outcome = "NOT_READY_FUNCTION"', 1)
    path = tmp_path / "clinic.toml"
    path.write_text(text[:at] + section, encoding="utf-8")
    name = str(SCENARIOS / "02_ready_with_cautions_caesarean_novice.json")
    _, out, _ = _run(capsys, name, "--protocol", str(path), *TODAY)
    assert "Proposed status: NOT_READY_FUNCTION" in out


def test_bad_today_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unparseable --today is rejected by the argument parser with exit code 2."""
    with pytest.raises(SystemExit) as info:
        main(["assess", str(SCENARIOS / "01_ready_experienced_runner.json"), "--today", "25/11/2026"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_names_are_escaped_in_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A right-to-left override in a name reaches the terminal as an escape, in text and in JSON."""
    data = _scenario("01_ready_experienced_runner")
    data["patient"]["given_names"] = "Chi\u202eamaka"
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for extra in ((), ("--format", "json")):
        code, out, _err = _run(capsys, str(path), *TODAY, *extra)
        assert code == 0 and "\u202e" not in out
    code, out, _err = _run(capsys, str(path), *TODAY)
    assert "Chi\\u202eamaka" in out
