"""The runner plan: loaded from forms/runner/runner.toml, checked against the forms, values in field units."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest

from clinic_app.assessment.runner import (
    RunnerSpecError,
    TimerKind,
    count_entry,
    load_runner,
    marked_in,
    parse_runner,
    symptom_list_entry,
    time_entry,
    time_value,
)
from clinic_app.assessment.spec import FormCatalogue, load_forms
from clinic_app.domain.enums import Side
from clinic_app.resources import forms_folder


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    """The bundled plan as decoded TOML (copied per change)."""
    return tomllib.loads(forms_folder().joinpath("runner", "runner.toml").read_text(encoding="utf-8"))


def _broken(raw: dict[str, Any], test_id: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    test = next(t for t in data["tests"] if t["id"] == test_id)
    for key, value in changes.items():
        if value is None:
            test.pop(key, None)
        else:
            test[key] = value
    return data


def test_the_bundled_plan_loads_and_names_only_existing_fields(forms: FormCatalogue) -> None:
    """Every path of the plan names a field of the forms (the plan loads against the real catalogue)."""
    plan = load_runner(forms)
    assert len(plan.tests) >= 15
    for test in plan.tests:
        for path in test.paths():
            assert forms.field_by_path(path) is not None, path


def test_tests_run_standing_first_then_lying(forms: FormCatalogue) -> None:
    """The plan keeps the clinic's order: every standing test comes before every lying one."""
    plan = load_runner(forms)
    positions = [test.position for test in plan.tests]
    assert positions[0] == "standing" and positions[-1] == "lying"
    assert positions == sorted(positions, key=[p for p, _ in plan.positions].index)


def test_the_brief_timed_tasks_are_there_with_their_durations(forms: FormCatalogue) -> None:
    """Walk 30 min, balance 10 s and jog 1 min are countdowns; the 6 m hop is a stopwatch."""
    plan = load_runner(forms)
    walk, balance, jog, hop = (plan.test(i) for i in ("l1_walk", "l2_balance", "l4_jog", "timed_hop"))
    assert walk and balance and jog and hop
    assert (walk.timer, walk.duration_ms) == (TimerKind.COUNTDOWN, 30 * 60_000)
    assert (balance.timer, balance.duration_ms, balance.sided) == (TimerKind.COUNTDOWN, 10_000, True)
    assert (jog.timer, jog.duration_ms) == (TimerKind.COUNTDOWN, 60_000)
    assert hop.timer is TimerKind.STOPWATCH and hop.duration_ms is None and hop.sided


def test_calf_raises_and_sit_to_stand_have_a_60_bpm_beat(forms: FormCatalogue) -> None:
    """The metronome paces calf raises and sit-to-stand at 60 bpm, counted per side."""
    plan = load_runner(forms)
    for test_id in ("s1_calf_raise", "s3_sit_to_stand"):
        test = plan.test(test_id)
        assert test is not None and test.metronome_bpm == 60 and test.sided


def test_a_path_naming_no_field_is_refused(raw: dict[str, Any], forms: FormCatalogue) -> None:
    """A renamed field cannot silently drop a measurement: the plan names the test and the key."""
    with pytest.raises(RunnerSpecError, match=r"test 'l1_walk': key 'time' names no field.*l1_walked"):
        parse_runner(_broken(raw, "l1_walk", time="load_impact.l1_walked"), forms)


def test_a_time_into_a_field_without_time_unit_is_refused(raw: dict[str, Any], forms: FormCatalogue) -> None:
    """A timer cannot write into reps (or a field in cm): its field must be in s or min."""
    with pytest.raises(RunnerSpecError, match="number field in s or min"):
        parse_runner(_broken(raw, "l2_balance", time="load_impact.l3_dose"), forms)


@pytest.mark.parametrize(
    ("test_id", "changes", "message"),
    [
        ("l1_walk", {"duration_s": None}, "countdown needs key 'duration_s'"),
        ("timed_hop", {"duration_s": 5}, "only for a countdown"),
        ("l1_walk", {"timer": "hourglass"}, "'countdown' or 'stopwatch'"),
        ("l3_squat", {"count": None}, "needs a timer, a count or both"),
        ("l3_squat", {"count": "load_impact.l3_control"}, "whole-number field"),
        ("s1_calf_raise", {"metronome_bpm": 600}, "from 20 to 240"),
        ("l1_walk", {"symptoms": "symptoms.leakage_triggers"}, "lacks doming, heaviness, leakage, pain"),
        ("pf_fast", {"symptom_fields": {"leakage": "pelvic_floor.mos"}}, "must name a yes/no field"),
        ("pf_fast", {"symptom_fields": {"cramp": "symptoms.heaviness"}}, "unknown symptom 'cramp'"),
        ("l1_walk", {"position": "kneeling"}, "names no \\[\\[positions\\]\\]"),
        ("l1_walk", {"colour": "red"}, "unknown key 'colour'"),
    ],
)
def test_a_malformed_test_is_refused_with_its_key(
    raw: dict[str, Any], forms: FormCatalogue, test_id: str, changes: dict[str, Any], message: str
) -> None:
    """Each malformed entry fails loudly with a message that names what is wrong."""
    with pytest.raises(RunnerSpecError, match=message):
        parse_runner(_broken(raw, test_id, **changes), forms)


def test_a_standing_test_after_a_lying_one_is_refused(raw: dict[str, Any], forms: FormCatalogue) -> None:
    """The order standing → lying is checked, so a test moved to the wrong place fails at start-up."""
    data = copy.deepcopy(raw)
    data["tests"].append(copy.deepcopy(data["tests"][0]) | {"id": "pf_fast_again"})
    with pytest.raises(RunnerSpecError, match="listed after a test done lying"):
        parse_runner(data, forms)


def test_two_symptoms_on_one_key_are_refused(raw: dict[str, Any], forms: FormCatalogue) -> None:
    """One key, one symptom: a shared key would record the wrong symptom."""
    data = copy.deepcopy(raw)
    data["symptoms"][1]["key"] = data["symptoms"][0]["key"]
    with pytest.raises(RunnerSpecError, match="share a key"):
        parse_runner(data, forms)


def test_a_missing_plan_file_is_a_runner_error(tmp_path, forms: FormCatalogue) -> None:
    """An installation without the plan says so in the runner's own error, not with a bare OSError."""
    with pytest.raises(RunnerSpecError, match="not a readable TOML file"):
        load_runner(forms, tmp_path / "runner.toml")


def test_the_plan_file_is_not_read_as_a_battery() -> None:
    """The plan lives in a sub-folder, so the form loader (every forms/*.toml) never sees it."""
    assert "runner" not in {form.id for form in load_forms()}
    assert forms_folder().joinpath("runner", "runner.toml").is_file()


def test_times_are_written_in_the_field_unit(forms: FormCatalogue) -> None:
    """Milliseconds become minutes for the walk, seconds for balance, hundredths for the 6 m hop."""
    plan = load_runner(forms)
    walk, balance, hop = plan.test("l1_walk"), plan.test("l2_balance"), plan.test("timed_hop")
    assert walk and balance and hop
    assert time_entry(walk, None, 12 * 60_000 + 20_000) == {"load_impact.l1_dose": 12.3}
    assert time_entry(balance, Side.RIGHT, 10_000) == {"load_impact.l2_dose.right": 10}
    assert time_entry(hop, Side.LEFT, 2_434) == {"hop.timed_hop_6m.left": 2.43}


def test_an_integer_time_field_rounds_half_up(forms: FormCatalogue) -> None:
    """The PERFECT hold is whole seconds: 6.5 s is recorded as 7, 6.4 s as 6."""
    test = load_runner(forms).test("perfect_endurance")
    assert test is not None
    assert time_value(test, 6_500) == 7 and time_value(test, 6_400) == 6


def test_counts_go_to_the_side_counted(forms: FormCatalogue) -> None:
    """A sided count lands at .left or .right; a one-off count at the field itself."""
    plan = load_runner(forms)
    calf, fast = plan.test("s1_calf_raise"), plan.test("pf_fast")
    assert calf and fast
    assert count_entry(calf, Side.LEFT, 22) == {"strength.calf_raise.left": 22}
    assert count_entry(fast, None, 9) == {"pelvic_floor.standing_fast_reps": 9}
    assert time_entry(calf, Side.LEFT, 1000) == {}


def test_symptom_lists_keep_the_form_order_and_none_only_alone(forms: FormCatalogue) -> None:
    """Marked symptoms are stored in the list's order; "none" is written only when nothing is marked."""
    plan = load_runner(forms)
    walk = plan.test("l1_walk")
    assert walk is not None
    both = symptom_list_entry(walk, frozenset({"pain", "leakage"}), no_symptoms=True, plan=plan)
    assert both == {"load_impact.l1_symptoms": ("leakage", "pain")}
    nothing = symptom_list_entry(walk, frozenset(), no_symptoms=True, plan=plan)
    assert nothing == {"load_impact.l1_symptoms": ("none",)}
    cleared = symptom_list_entry(walk, frozenset(), no_symptoms=False, plan=plan)
    assert cleared == {"load_impact.l1_symptoms": None}
    assert marked_in(walk, ("heaviness",)) == {"heaviness"}


def test_tests_without_a_symptom_list_say_which_keys_they_record(forms: FormCatalogue) -> None:
    """Calf raises record leakage, heaviness and doming in their yes/no fields; pain has no field there."""
    plan = load_runner(forms)
    calf = plan.test("s1_calf_raise")
    assert calf is not None and calf.symptom_fields is not None
    assert calf.records_symptom("doming") and not calf.records_symptom("pain")
    assert calf.symptom_fields["doming"].path == "diastasis.doming"
    assert symptom_list_entry(calf, frozenset({"doming"}), no_symptoms=False, plan=plan) == {}
