"""Plan, advice, referral and re-test per status, all wording from the protocol."""

from __future__ import annotations

from clinic_app.readiness.decision import Status

from .builders import assess_with


def test_ready_plan_is_graded_from_one_minute_to_continuous() -> None:
    """READY: 1 min run / 1 min walk first, continuous running last, 3 sessions a week, G2/G3 rules."""
    plan = assess_with().plan
    assert plan is not None and not plan.conservative
    first, last = plan.stages[0], plan.stages[-1]
    assert (first.run_minutes, first.walk_minutes) == (1.0, 1.0) and last.continuous
    assert plan.sessions_per_week == 3 and "not next to each other" in plan.schedule_rule
    text = " ".join(plan.progression_rules).lower()
    assert "one thing at a time" in text and "a tenth" in text and "without symptoms" in text
    stop = " ".join(plan.stop_rules).lower()
    assert "stop running and walk" in stop and "go back one stage" in stop
    runs = [s.run_minutes for s in plan.stages]
    assert runs == sorted(runs)


def test_ready_with_cautions_starts_more_gently_and_spells_out_cautions() -> None:
    """READY_WITH_CAUTIONS: a gentler first stage, more sessions per stage, cautions in plain words."""
    decision = assess_with({"history.sleep_hours": 5.5})
    plan = decision.plan
    standard = assess_with().plan
    assert decision.status is Status.READY_WITH_CAUTIONS and plan is not None and standard is not None
    assert plan.conservative and plan.stages[0].run_minutes < standard.stages[0].run_minutes
    assert plan.stages[1].sessions > standard.stages[0].sessions
    assert any("sleep" in c.lower() for c in plan.cautions)


def test_not_ready_gets_targeted_exercises_and_retest() -> None:
    """Failed strength tests get their own exercises (bridges, clamshells) and a re-test interval."""
    decision = assess_with({"strength.bridge.left": 12, "strength.hip_abduction.right": 14})
    assert decision.plan is None and decision.retest_weeks == 4
    exercises = " ".join(e for a in decision.advice for e in a.exercises).lower()
    assert "single-leg bridges" in exercises and "clamshells" in exercises


def test_symptom_hold_gets_pelvic_floor_and_core_advice() -> None:
    """Leakage and doming get pelvic-floor and deep-core retraining advice and a 6-week re-test."""
    decision = assess_with({"symptoms.urinary_leakage": True, "diastasis.doming": True})
    headings = {a.heading for a in decision.advice}
    assert {"Pelvic-floor training", "Deep-core retraining"} <= headings
    assert decision.retest_weeks == 6


def test_refer_names_who_and_why_and_gives_no_plan() -> None:
    """REFER: recipients and reasons, no running plan and no exercise advice."""
    decision = assess_with({"symptoms.obstructive_defecation": True, "symptoms.urinary_urgency": True})
    referral = decision.referral
    assert decision.status is Status.REFER and decision.plan is None and decision.advice == ()
    assert referral is not None and set(referral.rule_ids) == {"P5", "P8"}
    assert "Pelvic-health physiotherapist" in referral.to and "GP" in referral.to
    assert any("difficulty emptying the bowel" in r for r in referral.reasons)


def test_advice_is_merged_per_entry() -> None:
    """Rules sharing one advice entry give one item naming all of them."""
    decision = assess_with({"symptoms.urinary_leakage": True, "pelvic_floor.cough_test_supine": "positive"})
    (item,) = [a for a in decision.advice if a.heading == "Pelvic-floor training"]
    assert item.rule_id == "P1, P2"
