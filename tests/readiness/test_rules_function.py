"""Function rules: load/impact tasks L1–L7, strength S1–S4, hops H1–H2, jumping J1–J2."""

from __future__ import annotations

import pytest

from clinic_app.readiness.decision import FindingKind, Status

from .builders import assess_with, fired, gap_ids, passing_document, record_of, set_path

TASKS = range(1, 8)


@pytest.mark.parametrize("n", TASKS)
def test_task_with_a_symptom_is_not_ready(n: int) -> None:
    """Pain during any load task holds as NOT_READY, never overridable."""
    decision = assess_with(
        {
            f"load_impact.l{n}_symptoms": ["pain"],
            f"load_impact.l{n}_pain_site": "pubic",
            f"load_impact.l{n}_pain_rating": 3,
        }
    )
    (finding,) = fired(decision)[f"L{n}"]
    assert decision.status is Status.NOT_READY and not finding.overridable
    assert "pain (pubic)" in finding.explanation


@pytest.mark.parametrize("n", TASKS)
def test_task_not_completed_is_a_function_deficit(n: int) -> None:
    """A task not completed without symptoms is NOT_READY_FUNCTION."""
    decision = assess_with({f"load_impact.l{n}_completed": False})
    assert decision.status is Status.NOT_READY_FUNCTION
    assert f"L{n}" in fired(decision)


@pytest.mark.parametrize("n", TASKS)
def test_task_with_poor_control_is_a_function_deficit(n: int) -> None:
    """Poor control is a function deficit; fair control passes."""
    assert assess_with({f"load_impact.l{n}_control": "poor"}).status is Status.NOT_READY_FUNCTION
    assert assess_with({f"load_impact.l{n}_control": "fair"}).status is Status.READY


def test_task_dose_boundary() -> None:
    """Nine single-leg squats on the left fire L3; ten pass."""
    assert "L3" in fired(assess_with({"load_impact.l3_dose.left": 9}))
    assert "L3" not in fired(assess_with({"load_impact.l3_dose.left": 10}))


def test_task_without_symptom_record_is_not_assessed() -> None:
    """A task whose symptoms were not recorded is a missing gate."""
    decision = assess_with({"load_impact.l5_symptoms": None})
    assert decision.status is Status.INCOMPLETE and "L5" in gap_ids(decision)


@pytest.mark.parametrize("test", ["calf_raise", "bridge", "sit_to_stand", "hip_abduction"])
def test_strength_boundary_twenty_reps(test: str) -> None:
    """Exactly 20 reps each side passes S1–S4; 19 on one side fires."""
    rule = {"calf_raise": "S1", "bridge": "S2", "sit_to_stand": "S3", "hip_abduction": "S4"}[test]
    at_twenty = assess_with({f"strength.{test}.left": 20, f"strength.{test}.right": 20})
    assert rule not in fired(at_twenty)
    below = assess_with({f"strength.{test}.right": 19})
    assert below.status is Status.NOT_READY_FUNCTION
    assert "right 19 reps < 20 reps" in fired(below)[rule][0].explanation


def test_strength_missing_side_is_not_assessed() -> None:
    """One untested side leaves the rule not assessed (judged per side)."""
    decision = assess_with({"strength.bridge.right": None})
    assert "S2" in gap_ids(decision) and decision.status is Status.INCOMPLETE


def test_h1_exactly_ninety_percent_passes() -> None:
    """A hop LSI of exactly 90 % passes H1; 89.9 % is a caution."""
    assert "H1" not in fired(assess_with({"hop.single_hop.left": 90, "hop.single_hop.right": 100}))
    decision = assess_with({"hop.single_hop.left": 89.9, "hop.single_hop.right": 100})
    assert decision.status is Status.READY_WITH_CAUTIONS
    assert fired(decision)["H1"][0].kind is FindingKind.CAUTION


def test_h1_timed_hop_uses_inverted_times() -> None:
    """For the timed hop the slower side is weaker: 2.0 s vs 2.3 s gives 87 %."""
    decision = assess_with({"hop.timed_hop_6m.left": 2.0, "hop.timed_hop_6m.right": 2.3})
    (finding,) = fired(decision)["H1"]
    assert "86.96 %" in finding.explanation


def test_h2_change_within_error_is_a_note() -> None:
    """A hop LSI change under 8 % since the previous visit is a 'no real change' note."""
    doc = passing_document()
    previous = set_path(doc, "hop.single_hop.left", 115)
    doc["previous_visits"] = [
        {
            "visit": {"date": "2026-08-24", "clinician": {"id": "C-1", "name": "A"}},
            "results": previous["results"],
        }
    ]
    from clinic_app.readiness.engine import assess

    decision = assess(record_of(doc))
    (finding,) = fired(decision)["H2"]
    assert finding.kind is FindingKind.NOTE and "no real change" in finding.explanation
    bigger = set_path(doc, "hop.single_hop.left", 125)
    bigger["previous_visits"][0]["results"] = set_path(doc, "hop.single_hop.left", 100)["results"]
    assert "H2" not in fired(assess(record_of(bigger)))


_TUCK = (
    "knee_valgus",
    "thighs_not_parallel",
    "thighs_unequal",
    "foot_width",
    "foot_not_parallel",
    "contact_timing",
    "landing_noise",
    "pause",
    "technique_declines",
    "footprint",
)


@pytest.mark.parametrize(("flaws", "fires"), [(5, False), (6, True)])
def test_j1_tuck_jump_six_flaws(flaws: int, fires: bool) -> None:
    """Six or more tuck jump flaws (original scoring) are a caution; five pass."""
    changes: dict[str, object] = {"jumping.tuck_scoring": "original"}
    changes |= {f"jumping.tuck_{k}": int(i < flaws) for i, k in enumerate(_TUCK)}
    decision = assess_with(changes)
    assert ("J1" in fired(decision)) is fires
    assert decision.status is (Status.READY_WITH_CAUTIONS if fires else Status.READY)


@pytest.mark.parametrize(("errors", "fires"), [(4, False), (5, True)])
def test_j2_less_five_errors(errors: int, fires: bool) -> None:
    """A LESS of 5 errors is a caution; 4 passes."""
    assert ("J2" in fired(assess_with({"jumping.less_total": errors}))) is fires
