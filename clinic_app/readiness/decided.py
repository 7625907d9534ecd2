"""The engine's decision restated for the clinician's final status (what the patient is handed).

After an override the engine's proposal stays on record as it was — the clinician summary shows it
as the proposal — but everything the patient reads must follow what the clinician decided: the
headline, the walk–run plan, the advice and the re-test interval. Holds the clinician set aside
with a reason are no longer points for her to work on. This module derives that view with the same
planning functions the engine uses, so the documents can never disagree with each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from clinic_app.readiness.decision import ClinicianDecision, Decision, Referral
from clinic_app.readiness.planning import build_advice, build_plan, retest_weeks
from clinic_app.readiness.protocol import Protocol


def as_decided(decision: Decision, decided: ClinicianDecision | None, protocol: Protocol,
               facts: Mapping[str, object] | None = None) -> Decision:
    """The decision as the clinician finally made it; the engine's own when she confirmed it unchanged.

    Args:
        decision: the engine's proposal for the visit.
        decided: the clinician's decision, or None while there is none (the proposal is shown).
        protocol: the protocol the proposal was made with (headlines, plan, advice, re-test).
        facts: her recorded values (``planning.advice_facts``), so the advice fits her as the
            engine's own does (no hops if she leaks, no pessary talk with a support device…).

    Returns:
        A decision whose status is the final one, with the overridden holds removed and the plan,
        advice and re-test interval built for that status.
    """
    if decided is None:
        return decision
    overridden = {override.rule_id for override in decided.overrides}
    if decided.final is decision.status and not overridden:
        return decision
    final = decided.final
    holds = tuple(finding for finding in decision.holds if finding.rule_id not in overridden)
    gaps = tuple(gap for gap in decision.not_assessed if gap.rule_id not in overridden)
    headline, patient_headline = protocol.headlines[final]
    plan = build_plan(final, decision.cautions, protocol)
    return replace(
        decision,
        status=final,
        headline=headline,
        patient_headline=patient_headline,
        holds=holds,
        not_assessed=gaps,
        plan=plan,
        advice=build_advice(final, holds, decision.cautions, decision.notes, gaps, protocol, facts),
        referral=_referral(decision, overridden),
        retest_weeks=retest_weeks(final, decision.weeks_postpartum, holds, protocol),
    )


def _referral(decision: Decision, overridden: set[str]) -> Referral | None:
    """The proposal's referral, unless every rule behind it was set aside by the clinician."""
    referral = decision.referral
    if referral is None or set(referral.rule_ids) <= overridden:
        return None
    return referral
