"""Objective rules O1–O5 with their boundaries; IRD is judged in the unit measured."""

from __future__ import annotations

import tomllib

import pytest

from clinic_app.readiness.decision import FindingKind, Status
from clinic_app.readiness.protocol import default_protocol_path, parse_protocol

from .builders import assess_with, fired, gap_ids


def test_o1_popq_stage_two_holds_and_is_overridable() -> None:
    """Leading edge at −1 cm is POP-Q stage II: NOT_READY, overridable with a reason."""
    decision = assess_with({"prolapse.popq_ba": -1})
    (finding,) = fired(decision)["O1"]
    assert decision.status is Status.NOT_READY
    assert finding.overridable and "POP-Q stage II ≥ stage II" in finding.explanation
    assert any(d.label == "POP-Q stage" and d.display == "II" for d in decision.derived)


def test_o1_stage_one_passes() -> None:
    """A leading edge at −1.5 cm is stage I and passes."""
    assert "O1" not in fired(assess_with({"prolapse.popq_ba": -1.5}))


def test_o1_baden_walker_grade_two_holds() -> None:
    """Baden–Walker grade 2 in any compartment holds; grade 1 passes."""
    grades = {
        "prolapse.system": "baden_walker",
        "prolapse.bw_anterior": 1,
        "prolapse.bw_apical": 0,
        "prolapse.bw_posterior": 1,
    }
    assert "O1" not in fired(assess_with(grades))
    decision = assess_with({**grades, "prolapse.bw_posterior": 2})
    assert "(posterior)" in fired(decision)["O1"][0].explanation


def test_o1_grade_three_adds_urogynaecology_referral() -> None:
    """A grade 3 prolapse stays NOT_READY and asks for urogynaecology review."""
    decision = assess_with(
        {
            "prolapse.system": "baden_walker",
            "prolapse.bw_anterior": 3,
            "prolapse.bw_apical": 0,
            "prolapse.bw_posterior": 0,
        }
    )
    assert decision.status is Status.NOT_READY
    assert decision.referral is not None and "Urogynaecology" in decision.referral.to


def test_o1_declined_exam_is_a_missing_gate() -> None:
    """A declined prolapse examination leaves O1 not assessed: INCOMPLETE, saying what was recorded."""
    decision = assess_with({"prolapse.exam_state": "declined"})
    (gap,) = [g for g in decision.not_assessed if g.rule_id == "O1"]
    assert decision.status is Status.INCOMPLETE
    assert gap.needs == ("Prolapse examination: Performed (recorded: Declined by the patient)",)
    declined = assess_with({"prolapse.exam_state": "declined", "prolapse.system": None})
    (gap,) = [g for g in declined.not_assessed if g.rule_id == "O1"]
    assert gap.missing == ("prolapse.exam_state",)  # no staging system is asked of a declined exam


def test_o1_popq_needs_its_points_and_baden_walker_its_grades() -> None:
    """The points a performed exam needs follow the staging system chosen (the protocol's 'when')."""
    popq = assess_with({"prolapse.popq_tvl": None})
    assert [g.missing for g in popq.not_assessed if g.rule_id == "O1"] == [("prolapse.popq_tvl",)]
    assert "O1" not in gap_ids(assess_with({"prolapse.popq_d": None}))
    bw = assess_with({"prolapse.system": "baden_walker", "prolapse.bw_anterior": 0, "prolapse.bw_apical": 1})
    assert [g.missing for g in bw.not_assessed if g.rule_id == "O1"] == [("prolapse.bw_posterior",)]


@pytest.mark.parametrize(
    ("unit", "value", "fires"),
    [
        ("cm", 2.0, False),
        ("cm", 2.01, True),
        ("cm", 3.1, True),
        ("mm", 20, False),
        ("mm", 21, True),
        ("finger_widths", 1.5, False),
        ("finger_widths", 2, True),
    ],
)
def test_o2_threshold_in_the_unit_measured(unit: str, value: float, fires: bool) -> None:
    """2.0 cm and 20 mm do not fire; 2 finger-widths does (≥); nothing is converted."""
    method = "finger_widths" if unit == "finger_widths" else "calipers"
    low = 1 if unit == "finger_widths" else (10 if unit == "mm" else 1.0)
    decision = assess_with(
        {
            "diastasis.method": method,
            "diastasis.unit": unit,
            "diastasis.ird_above_curl": low,
            "diastasis.ird_below_curl": low,
            "diastasis.ird_umbilicus_curl": value,
        }
    )
    assert ("O2" in fired(decision)) is fires
    assert (decision.status is Status.NOT_READY) is fires


def test_o2_explanation_names_value_site_condition_threshold_and_source() -> None:
    """The O2 reason reads like a clinician would write it, with source."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": 3.1})
    assert fired(decision)["O2"][0].explanation == (
        "inter-recti distance 3.1 cm at the umbilicus on head-lift > 2.0 cm"
        " — O2, clinic guidance; Sperstad 2016"
    )


def test_o2_is_assessed_from_the_umbilicus_on_head_lift_alone() -> None:
    """Measured at the umbilicus on head-lift only, O2 is judged (and passes), so the visit can be READY."""
    decision = assess_with({"diastasis.ird_above_curl": None, "diastasis.ird_below_curl": None})
    assert decision.status is Status.READY and "O2" not in gap_ids(decision)
    (passed,) = [p for p in decision.passed if p.rule_id == "O2"]
    assert passed.summary.startswith("1.8 cm at the umbilicus on head-lift; none > 2.0 cm")
    assert "not recorded 4.5 cm above the umbilicus or 4.5 cm below the umbilicus" in passed.summary


def test_o2_other_sites_are_judged_when_recorded() -> None:
    """A wide gap above the umbilicus still holds although that site is not part of the minimum."""
    decision = assess_with({"diastasis.ird_above_curl": 2.6})
    assert decision.status is Status.NOT_READY
    assert "4.5 cm above the umbilicus" in fired(decision)["O2"][0].explanation


def test_o2_without_the_umbilicus_names_exactly_what_is_missing() -> None:
    """Without the umbilicus on head-lift O2 is not assessed; the gap names that one input by its label."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": None})
    (gap,) = [g for g in decision.not_assessed if g.rule_id == "O2"]
    assert decision.status is Status.INCOMPLETE
    assert gap.missing == ("diastasis.ird_umbilicus_curl",)
    assert gap.needs == ("Inter-recti distance at umbilicus — head-lift",)


def test_a_sperstad_clinic_can_require_all_three_head_lift_sites() -> None:
    """A clinic protocol whose O2 minimum lists all three head-lift sites leaves O2 open without one."""
    data = tomllib.loads(default_protocol_path().read_text(encoding="utf-8"))
    sites = [f"diastasis.ird_{s}_curl" for s in ("above", "umbilicus", "below")]
    data["rules"]["O2"]["assessed"]["needs"] = ["diastasis.unit", *sites]
    protocol = parse_protocol(data)
    decision = assess_with({"diastasis.ird_below_curl": None}, protocol=protocol)
    (gap,) = [g for g in decision.not_assessed if g.rule_id == "O2"]
    assert decision.status is Status.INCOMPLETE
    assert gap.needs == ("Inter-recti distance below umbilicus — head-lift",)
    assert assess_with(protocol=protocol).status is Status.READY


def test_o3_doming_holds_and_is_not_overridable() -> None:
    """Doming seen on curl-up is NOT_READY and cannot be overridden."""
    decision = assess_with({"diastasis.doming": True})
    (finding,) = fired(decision)["O3"]
    assert decision.status is Status.NOT_READY and not finding.overridable


def test_o3_fires_from_doming_during_a_task() -> None:
    """Doming during jogging on the spot counts as O3."""
    decision = assess_with({"load_impact.l4_symptoms": ["doming"]})
    assert "jogging on the spot" in fired(decision)["O3"][0].explanation


def test_o4_unable_with_wide_gap_holds() -> None:
    """A linea alba unable to build tension holds when O2 also fired."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": 2.6, "diastasis.linea_alba_tension": "unable"})
    assert fired(decision)["O4"][0].kind is FindingKind.HOLD


def test_o4_unable_alone_is_a_caution() -> None:
    """Without a wide gap, an unable linea alba is a caution only."""
    decision = assess_with({"diastasis.linea_alba_tension": "unable"})
    assert decision.status is Status.READY_WITH_CAUTIONS
    assert fired(decision)["O4"][0].kind is FindingKind.CAUTION


@pytest.mark.parametrize(
    ("changes", "fires"),
    [
        ({"pelvic_floor.mos": 2}, True),
        ({"pelvic_floor.mos": 3}, False),
        ({"pelvic_floor.standing_fast_reps": 9}, True),
        ({"pelvic_floor.standing_mvc_reps": 7}, True),
        ({"pelvic_floor.standing_mvc_hold_s": 5.9}, True),
        ({"pelvic_floor.standing_submax_hold_s": 59}, True),
        ({"pelvic_floor.standing_mvc_reps": 8, "pelvic_floor.standing_mvc_hold_s": 6}, False),
    ],
)
def test_o5_pelvic_floor_baseline_boundaries(changes: dict[str, float], fires: bool) -> None:
    """MOS ≤ 2 and each part of the standing baseline below target are function deficits."""
    decision = assess_with(changes)
    assert ("O5" in fired(decision)) is fires
    assert decision.status is (Status.NOT_READY_FUNCTION if fires else Status.READY)
