"""Symptom rules P1–P9 and M1–M2: one test per rule, plus the task-symptom routes."""

from __future__ import annotations

import pytest

from clinic_app.readiness.decision import FindingKind, Status

from .builders import assess_with, fired, gap_ids


@pytest.mark.parametrize(
    ("rule_id", "changes", "status"),
    [
        ("P1", {"symptoms.urinary_leakage": True}, Status.NOT_READY),
        ("P2", {"pelvic_floor.cough_test_supine": "positive"}, Status.NOT_READY),
        (
            "P3",
            {
                "questionnaires.iciq_frequency": 1,
                "questionnaires.iciq_amount": 2,
                "questionnaires.iciq_total": 3,
            },
            Status.NOT_READY,
        ),
        ("P4", {"symptoms.faecal_incontinence": True}, Status.REFER),
        ("P5", {"symptoms.faecal_urgency": True}, Status.REFER),
        ("P6", {"symptoms.heaviness": True}, Status.NOT_READY),
        ("P7", {"symptoms.dyspareunia": True}, Status.REFER),
        ("P8", {"symptoms.obstructive_defecation": True}, Status.REFER),
        ("P9", {"symptoms.abnormal_bleeding": True}, Status.REFER),
        (
            "M1",
            {"symptoms.daily_activity_pain": True, "symptoms.daily_pain_sites": ["low_back"]},
            Status.NOT_READY,
        ),
        ("M2", {"symptoms.pubic_symphysis_pain": True}, Status.NOT_READY),
    ],
)
def test_each_symptom_rule_fires_with_its_outcome(
    rule_id: str, changes: dict[str, object], status: Status
) -> None:
    """Each symptom rule fires alone, sets its §12 outcome and is never overridable."""
    decision = assess_with(changes)
    assert decision.status is status
    (finding,) = fired(decision)[rule_id]
    assert finding.kind is FindingKind.HOLD and not finding.overridable
    assert finding.explanation.endswith(f"— {rule_id}, {finding.source}")


def test_p1_names_the_leakage_triggers() -> None:
    """P1 says when the leakage happens."""
    decision = assess_with({"symptoms.urinary_leakage": True, "symptoms.leakage_triggers": ["running"]})
    assert "(with running)" in fired(decision)["P1"][0].explanation


def test_p1_and_p6_fire_from_a_task_symptom() -> None:
    """Leakage and heaviness during a load task count as P1 and P6, and the task itself holds."""
    decision = assess_with({"load_impact.l6_symptoms": ["leakage", "heaviness"]})
    found = fired(decision)
    assert decision.status is Status.NOT_READY
    assert {"P1", "P6", "L6"} <= set(found)
    assert "hopping in place" in found["P1"][0].explanation


def test_p3_zero_total_passes_and_shows_band() -> None:
    """An ICIQ total of 0 passes P3; a total of 1 fires with the Klovning band."""
    assert "P3" not in fired(assess_with())
    decision = assess_with({"questionnaires.iciq_frequency": 1, "questionnaires.iciq_total": 1})
    assert "slight" in fired(decision)["P3"][0].explanation


def test_p3_not_administered_is_not_assessed_but_not_a_gate() -> None:
    """A questionnaire not given is listed as not assessed without blocking READY."""
    decision = assess_with(
        {
            "questionnaires.iciq_administered": "not_administered",
            "questionnaires.iciq_frequency": None,
            "questionnaires.iciq_amount": None,
            "questionnaires.iciq_interference": None,
            "questionnaires.iciq_total": None,
        }
    )
    assert "P3" in gap_ids(decision)
    assert decision.status is Status.READY


def test_p2_not_done_is_not_a_pass() -> None:
    """A cough test marked not done is listed as not assessed."""
    decision = assess_with(
        {"pelvic_floor.cough_test_supine": "not_done", "pelvic_floor.cough_test_standing": "not_done"}
    )
    assert "P2" in gap_ids(decision)


def test_p6_asks_for_a_pelvic_health_referral() -> None:
    """Heaviness holds as NOT_READY and refers for a prolapse assessment."""
    decision = assess_with({"symptoms.heaviness": True})
    assert decision.referral is not None
    assert "Pelvic-health physiotherapist" in decision.referral.to


def test_p9_boundary_at_eight_weeks() -> None:
    """Bleeding at exactly 8.0 weeks refers urgently; at 7.86 weeks it is only a note."""
    at_eight = assess_with({"symptoms.abnormal_bleeding": True}, visit_date="2026-07-27")
    assert at_eight.status is Status.REFER
    assert at_eight.referral is not None and at_eight.referral.urgent and "GP" in at_eight.referral.to
    before = assess_with({"symptoms.abnormal_bleeding": True}, visit_date="2026-07-26")
    assert before.status is Status.NOT_YET_TIME
    assert fired(before)["P9"][0].kind is FindingKind.NOTE


def test_missing_symptom_answer_is_incomplete() -> None:
    """An unanswered symptom question is a missing gate: INCOMPLETE, never READY."""
    decision = assess_with({"symptoms.dyspareunia": None})
    assert decision.status is Status.INCOMPLETE
    assert "P7" in gap_ids(decision)


def test_m1_shows_sites_and_rating() -> None:
    """M1's explanation carries the pain sites and rating."""
    decision = assess_with(
        {
            "symptoms.daily_activity_pain": True,
            "symptoms.daily_pain_sites": ["hip", "knee"],
            "symptoms.daily_pain_rating": 4,
        }
    )
    assert "(hip, knee, 4/10)" in fired(decision)["M1"][0].explanation
