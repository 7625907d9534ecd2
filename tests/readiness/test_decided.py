"""The decision restated for the clinician's final status: plan, advice and re-test follow her."""

from __future__ import annotations

import dataclasses

from clinic_app.readiness.decided import as_decided
from clinic_app.readiness.decision import ClinicianAction, RuleOverride, Status
from clinic_app.readiness.protocol import default_protocol
from clinic_app.reporting.samples import sample_clinician_decision, sample_decision


def test_a_confirmed_proposal_is_the_proposal_itself() -> None:
    """Confirming without an override changes nothing (and no decision at all neither)."""
    decision = sample_decision(Status.NOT_READY)
    assert as_decided(decision, None, default_protocol()) is decision
    confirmed = sample_clinician_decision(decision)
    assert as_decided(decision, confirmed, default_protocol()) is decision


def test_an_override_to_ready_brings_the_plan_and_drops_the_overridden_hold() -> None:
    """T1 set aside: a conservative plan, no re-test hold, the ready headline, no T1 to work on."""
    decision = sample_decision(Status.NOT_YET_TIME)
    override = dataclasses.replace(
        sample_clinician_decision(decision, override=True),
        overrides=(RuleOverride("T1", "Elite runner, consultant-supported early return."),),
    )
    assert override.final is Status.READY_WITH_CAUTIONS
    decided = as_decided(decision, override, default_protocol())
    assert decision.plan is None and decided.plan is not None and decided.plan.conservative
    assert decided.status is Status.READY_WITH_CAUTIONS
    assert [hold.rule_id for hold in decided.holds] == []
    assert decided.retest_weeks is None
    assert decided.patient_headline == default_protocol().headlines[Status.READY_WITH_CAUTIONS][1]
    assert decision.status is Status.NOT_YET_TIME  # the proposal itself is untouched


def test_an_escalation_to_not_ready_takes_the_plan_away_and_sets_a_retest() -> None:
    """Ready proposed, not ready decided: no walk–run plan, the not-ready re-test interval."""
    decision = sample_decision(Status.READY)
    escalated = dataclasses.replace(
        sample_clinician_decision(decision), final=Status.NOT_READY, action=ClinicianAction.OVERRIDDEN
    )
    decided = as_decided(decision, escalated, default_protocol())
    assert decision.plan is not None and decided.plan is None
    assert decided.retest_weeks == default_protocol().retest.get(Status.NOT_READY)
