"""Clinician confirmation and override under the limits of CLINICAL.md §13."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic_app.domain.ids import ClinicianId
from clinic_app.domain.model import Clinician
from clinic_app.readiness.clinician import DecisionError, decide, overridable_holds, override_notes
from clinic_app.readiness.decision import ClinicianAction, RuleOverride, Status
from clinic_app.readiness.protocol import default_protocol

from .builders import assess_with

NOW = dt.datetime(2026, 9, 21, 10, 30, tzinfo=dt.UTC)
PHYSIO = Clinician(ClinicianId("C-1"), "Alex Byrne")
CONFIRMED, OVERRIDDEN = ClinicianAction.CONFIRMED, ClinicianAction.OVERRIDDEN


def test_confirm_keeps_status_and_protocol_version() -> None:
    """Confirming records the proposal, the clinician, the time and the protocol version."""
    decision = assess_with({"strength.bridge.left": 15})
    result = decide(decision, action=CONFIRMED, clinician=PHYSIO, now=NOW)
    assert result.final is result.proposed is Status.NOT_READY_FUNCTION
    assert result.protocol_version == decision.protocol_version and result.decided_at == NOW
    assert result.clinician_name == "Alex Byrne"


def test_confirm_cannot_change_status_or_carry_overrides() -> None:
    """CONFIRMED with another status or with overrides is refused."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": 2.5})
    with pytest.raises(DecisionError, match="OVERRIDDEN"):
        decide(decision, action=CONFIRMED, clinician=PHYSIO, now=NOW, final_status=Status.READY)
    with pytest.raises(DecisionError, match="no overrides"):
        decide(
            decision,
            action=CONFIRMED,
            clinician=PHYSIO,
            now=NOW,
            overrides=[RuleOverride("O2", "tension without doming")],
        )


def test_o2_override_with_reason_gives_remaining_status() -> None:
    """Overriding O2 with a reason leaves the status the other findings give (here READY)."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": 2.5})
    result = decide(
        decision,
        action=OVERRIDDEN,
        clinician=PHYSIO,
        now=NOW,
        overrides=[RuleOverride("O2", " generates linea alba tension without doming ")],
    )
    assert (result.proposed, result.final) == (Status.NOT_READY, Status.READY)
    assert result.overrides == (RuleOverride("O2", "generates linea alba tension without doming"),)


def test_o1_override_for_asymptomatic_stage_two() -> None:
    """Stage II prolapse may be overridden with a documented reason."""
    decision = assess_with({"prolapse.popq_ba": -0.5})
    result = decide(
        decision,
        action=OVERRIDDEN,
        clinician=PHYSIO,
        now=NOW,
        overrides=[RuleOverride("O1", "asymptomatic stage II, pessary fitted, specialist review")],
    )
    assert result.final is Status.READY


def test_override_needs_a_reason() -> None:
    """An override with a blank reason is refused."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": 2.5})
    with pytest.raises(DecisionError, match="written reason"):
        decide(decision, action=OVERRIDDEN, clinician=PHYSIO, now=NOW, overrides=[RuleOverride("O2", "  ")])


@pytest.mark.parametrize(
    ("changes", "rule_id"),
    [
        ({"symptoms.urinary_leakage": True}, "P1"),
        ({"symptoms.heaviness": True}, "P6"),
        ({"symptoms.daily_activity_pain": True}, "M1"),
        ({"symptoms.sij_pain": True}, "M2"),
        ({"diastasis.doming": True}, "O3"),
        ({"load_impact.l6_symptoms": ["leakage"]}, "L6"),
        ({"symptoms.dyspareunia": True}, "P7"),
    ],
)
def test_symptom_rules_are_never_overridden(changes: dict[str, object], rule_id: str) -> None:
    """Symptom holds cannot be overridden, whatever the reason."""
    decision = assess_with(changes)
    with pytest.raises(DecisionError, match="symptom"):
        decide(
            decision,
            action=OVERRIDDEN,
            clinician=PHYSIO,
            now=NOW,
            overrides=[RuleOverride(rule_id, "patient insists")],
        )


def test_t1_override_allowed_after_three_weeks_and_printed_via_t4() -> None:
    """T1 may be overridden at 10 weeks with a reason; the report wording comes from T4."""
    decision = assess_with(visit_date="2026-08-10")
    result = decide(
        decision,
        action=OVERRIDDEN,
        clinician=PHYSIO,
        now=NOW,
        overrides=[RuleOverride("T1", "elite runner, individualised plan agreed")],
    )
    assert result.final is Status.READY
    (note,) = override_notes(result, default_protocol())
    assert "elite runner" in note and "T4" in note


def test_t1_cannot_be_overridden_below_three_weeks() -> None:
    """Below 3 weeks (T3) neither T1 nor T3 can be overridden."""
    decision = assess_with(visit_date="2026-06-12")
    for rule_id in ("T1", "T3"):
        with pytest.raises(DecisionError, match="3 weeks"):
            decide(
                decision,
                action=OVERRIDDEN,
                clinician=PHYSIO,
                now=NOW,
                overrides=[RuleOverride(rule_id, "feels fine")],
            )


def test_override_of_a_rule_that_did_not_hold_is_refused() -> None:
    """Overriding a rule that did not fire is an error."""
    decision = assess_with({"strength.bridge.left": 15})
    with pytest.raises(DecisionError, match="did not hold"):
        decide(decision, action=OVERRIDDEN, clinician=PHYSIO, now=NOW, overrides=[RuleOverride("O2", "why")])


def test_non_overridable_function_hold_is_refused() -> None:
    """Strength deficits are not overridable in the default protocol."""
    decision = assess_with({"strength.bridge.left": 15})
    with pytest.raises(DecisionError, match="not overridable"):
        decide(decision, action=OVERRIDDEN, clinician=PHYSIO, now=NOW, overrides=[RuleOverride("S2", "why")])


def test_final_status_cannot_undercut_remaining_holds() -> None:
    """Overriding O2 while a strength hold remains cannot give READY."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": 2.5, "strength.bridge.left": 15})
    with pytest.raises(DecisionError, match="S2"):
        decide(
            decision,
            action=OVERRIDDEN,
            clinician=PHYSIO,
            now=NOW,
            final_status=Status.READY,
            overrides=[RuleOverride("O2", "tension without doming")],
        )
    result = decide(
        decision,
        action=OVERRIDDEN,
        clinician=PHYSIO,
        now=NOW,
        overrides=[RuleOverride("O2", "tension without doming")],
    )
    assert result.final is Status.NOT_READY_FUNCTION


def test_more_conservative_status_needs_a_comment() -> None:
    """A clinician may hold a READY proposal, but only with a written comment."""
    decision = assess_with()
    with pytest.raises(DecisionError, match="comment"):
        decide(decision, action=OVERRIDDEN, clinician=PHYSIO, now=NOW, final_status=Status.NOT_READY)
    result = decide(
        decision,
        action=OVERRIDDEN,
        clinician=PHYSIO,
        now=NOW,
        final_status=Status.NOT_READY,
        comment="reports leakage since the test; re-examine",
    )
    assert result.final is Status.NOT_READY


def test_overridable_holds_lists_rule_ids_for_a_checklist() -> None:
    """The checklist helper marks O2 overridable and P1 not."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": 2.5, "symptoms.urinary_leakage": True})
    assert overridable_holds(decision) == {"O2": True, "P1": False}


def test_declined_prolapse_exam_can_be_set_aside_with_a_reason() -> None:
    """O1 not assessed (exam declined) is overridable with a reason, so the clinician may clear."""
    decision = assess_with({"prolapse.exam_state": "declined"})
    assert decision.status is Status.INCOMPLETE
    gap = next(g for g in decision.not_assessed if g.rule_id == "O1")
    assert gap.gate and gap.overridable
    reason = "Internal examination declined; no heaviness, bulge or leakage on any task"
    result = decide(decision, action=OVERRIDDEN, clinician=PHYSIO, now=NOW,
                    overrides=[RuleOverride("O1", reason)])
    assert result.final is Status.READY
    assert result.overrides == (RuleOverride("O1", reason),)


def test_missing_symptom_gate_cannot_be_set_aside() -> None:
    """A symptom gate that was not assessed (P1) stays a gap: the final status stays INCOMPLETE."""
    decision = assess_with({"symptoms.urinary_leakage": None})
    assert any(g.rule_id == "P1" and not g.overridable for g in decision.not_assessed)
    with pytest.raises(DecisionError, match="P1 is a symptom rule"):
        decide(decision, action=OVERRIDDEN, clinician=PHYSIO, now=NOW,
               overrides=[RuleOverride("P1", "she said she is fine")])
    with pytest.raises(DecisionError, match="gates were not assessed"):
        decide(decision, action=OVERRIDDEN, clinician=PHYSIO, now=NOW, final_status=Status.READY,
               comment="looks fine")
