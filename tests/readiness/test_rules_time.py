"""Time rules T1–T3 and their boundaries (CLINICAL.md §12, §13.1, §13.9)."""

from __future__ import annotations

from clinic_app.readiness.decision import FindingKind, Status

from .builders import assess_with, fired

# Delivery is 2026-06-01 in the builder: 84 days later is 2026-08-24 (exactly 12.0 weeks).


def test_t1_exactly_twelve_weeks_passes() -> None:
    """Exactly 12.0 weeks (84 days) meets the time gate."""
    decision = assess_with(visit_date="2026-08-24")
    assert decision.status is Status.READY
    assert "T1" not in fired(decision)


def test_t1_one_day_short_holds_not_yet_time() -> None:
    """83 days (11.86 weeks) is below 12.0 weeks: NOT_YET_TIME, overridable, with the day count shown."""
    decision = assess_with(visit_date="2026-08-23")
    assert decision.status is Status.NOT_YET_TIME
    (finding,) = fired(decision)["T1"]
    assert finding.overridable
    assert "11.86 weeks (83 days)" in finding.explanation and "< 12.0 weeks" in finding.explanation
    assert finding.explanation.endswith("— T1, Goom 2019 rec. 2; CSP 2019; clinic guidance")


def test_t1_retest_waits_for_the_gate() -> None:
    """At 9 weeks the re-test interval is the 3 weeks left until the gate."""
    decision = assess_with(visit_date="2026-08-03")
    assert decision.status is Status.NOT_YET_TIME
    assert decision.retest_weeks == 3
    assert decision.plan is None


def test_t2_caesarean_gets_no_shorter_path() -> None:
    """A caesarean birth at 11 weeks is held by the same gate, and T2 is listed as passed."""
    decision = assess_with(
        visit_date="2026-08-17", delivery={"mode": "planned_caesarean", "perineal_trauma": "not_applicable"}
    )
    assert decision.status is Status.NOT_YET_TIME
    assert any(p.rule_id == "T2" and "caesarean" in p.summary for p in decision.passed)


def test_t3_below_three_weeks_is_not_overridable() -> None:
    """At 2 weeks both T1 and T3 fire; T3 is never overridable."""
    decision = assess_with(visit_date="2026-06-15")
    found = fired(decision)
    assert decision.status is Status.NOT_YET_TIME
    assert not found["T3"][0].overridable and found["T1"][0].overridable


def test_t3_exactly_three_weeks_passes_t3() -> None:
    """Exactly 21 days meets the 3-week floor: only T1 holds."""
    decision = assess_with(visit_date="2026-06-22")
    assert "T3" not in fired(decision) and "T1" in fired(decision)


def test_time_gate_is_listed_beside_a_symptom_hold() -> None:
    """A symptomatic visit before 12 weeks is NOT_READY with T1 listed as an additional reason."""
    decision = assess_with({"symptoms.urinary_leakage": True}, visit_date="2026-08-03")
    assert decision.status is Status.NOT_READY
    assert {"P1", "T1"} <= set(fired(decision))
    assert all(f.kind is FindingKind.HOLD for f in decision.holds)
