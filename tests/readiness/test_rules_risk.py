"""Risk factors R1–R8 and buggy advice B1."""

from __future__ import annotations

import pytest

from clinic_app.readiness.decision import FindingKind, Status

from .builders import assess_with, fired, gap_ids


def test_r1_bmi_above_thirty_is_a_caution_and_thirty_passes() -> None:
    """BMI 31.2 is a caution; exactly 30.0 (120 kg, 200 cm) passes."""
    decision = assess_with({"history.weight_kg": 85, "history.height_cm": 165})
    assert decision.status is Status.READY_WITH_CAUTIONS and "R1" in fired(decision)
    assert "R1" not in fired(assess_with({"history.weight_kg": 120, "history.height_cm": 200}))


def test_r2_breastfeeding_is_advice_only() -> None:
    """Breastfeeding adds a note with practical advice and leaves READY unchanged."""
    decision = assess_with({"history.breastfeeding": True})
    assert decision.status is Status.READY
    assert fired(decision)["R2"][0].kind is FindingKind.NOTE
    assert any(a.rule_id == "R2" for a in decision.advice)


@pytest.mark.parametrize(("hours", "fires"), [(6.7, True), (6.8, False)])
def test_r3_sleep_boundary(hours: float, fires: bool) -> None:
    """Average sleep below 6.8 h is a caution; exactly 6.8 h is not."""
    assert ("R3" in fired(assess_with({"history.sleep_hours": hours}))) is fires


def test_r3_high_fatigue_is_a_caution() -> None:
    """High fatigue alone is a caution."""
    assert assess_with({"history.fatigue_high": True}).status is Status.READY_WITH_CAUTIONS


def test_r4_two_factors_caution_one_is_a_note() -> None:
    """Vaginal birth alone is a note; adding novice runner makes two factors and a caution."""
    assert fired(assess_with())["R4"][0].kind is FindingKind.NOTE
    decision = assess_with({"history.running_experience": "novice"})
    (finding,) = fired(decision)["R4"]
    assert finding.kind is FindingKind.CAUTION and "2 of 6" in finding.explanation


def test_r4_fatigue_score_counts_above_nineteen() -> None:
    """A fatigue score of 20 counts as a factor; 19 does not."""
    assert fired(assess_with({"history.fatigue_score": 20}))["R4"][0].kind is FindingKind.CAUTION
    assert fired(assess_with({"history.fatigue_score": 19}))["R4"][0].kind is FindingKind.NOTE


def test_r5_reds_signs_refer() -> None:
    """Signs of low energy availability refer to the GP and a dietitian."""
    decision = assess_with({"history.reds_low_energy": True})
    assert decision.status is Status.REFER
    assert decision.referral is not None and "Sports dietitian" in decision.referral.to


def test_r6_concern_is_a_caution_and_risk_refers_urgently() -> None:
    """Anxiety is a caution; a mental-health risk is an urgent referral."""
    assert assess_with({"history.anxiety": True}).status is Status.READY_WITH_CAUTIONS
    decision = assess_with({"history.psych_risk": True})
    assert decision.status is Status.REFER
    assert decision.referral is not None and decision.referral.urgent
    assert decision.plan is None and decision.advice == ()


def test_r7_running_leakage_history_is_a_caution() -> None:
    """Leakage when running before pregnancy is a caution."""
    assert "R7" in fired(assess_with({"history.sui_running_before_pregnancy": True}))


@pytest.mark.parametrize(
    ("delivery", "kind"),
    [
        ({"perineal_trauma": "third_degree"}, FindingKind.CAUTION),
        ({"mode": "instrumental_forceps"}, FindingKind.CAUTION),
        ({"mode": "emergency_caesarean", "perineal_trauma": "not_applicable"}, FindingKind.NOTE),
    ],
)
def test_r8_birth_trauma(delivery: dict[str, str], kind: FindingKind) -> None:
    """OASI and instrumental births are cautions; a caesarean is a note."""
    assert kind in {f.kind for f in fired(assess_with(delivery=delivery))["R8"]}


def test_b1_buggy_before_six_months_is_advice() -> None:
    """Buggy running planned at 16 weeks is a note; at exactly 26 weeks there is none."""
    early = assess_with({"history.buggy_running_planned": True})
    assert early.status is Status.READY and fired(early)["B1"][0].kind is FindingKind.NOTE
    at_26 = assess_with({"history.buggy_running_planned": True}, delivery={"date": "2026-03-23"})
    assert "B1" not in fired(at_26)


def test_missing_risk_screen_is_incomplete() -> None:
    """Without the sleep answer the risk screen is incomplete, so the visit cannot be READY."""
    decision = assess_with({"history.sleep_hours": None})
    assert decision.status is Status.INCOMPLETE and "R3" in gap_ids(decision)


def test_r4_counts_current_leakage_as_incontinence() -> None:
    """Current leakage counts as the incontinence factor even without an incontinence history."""
    decision = assess_with({"symptoms.urinary_leakage": True})
    assert "incontinence" in fired(decision)["R4"][0].explanation


def test_r4_unknown_factor_is_listed_even_when_the_count_already_cautions() -> None:
    """Two known factors caution, yet an unrecorded factor is still not assessed: the visit is not READY."""
    decision = assess_with({"history.sleep_hours": 5.0, "history.running_experience": None})
    assert "R4" in gap_ids(decision)
    assert decision.status is Status.INCOMPLETE
