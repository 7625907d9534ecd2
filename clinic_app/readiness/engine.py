"""The readiness engine: one visit record plus a protocol in, one explainable :class:`Decision` out.

Pure and deterministic: no clock, no I/O, no Qt, no database. Every rule of CLINICAL.md §12 is
evaluated by its family module (``rules_time``, ``rules_symptoms``, ``rules_objective``,
``rules_function``, ``rules_risk``) against thresholds from the protocol. The status is the most
severe of the triggered holds, INCOMPLETE when a gate was not assessed, READY_WITH_CAUTIONS when
cautions fired, else READY (precedence in :class:`Status`). The output is a recommendation for the
clinician, never a clearance.
"""

from __future__ import annotations

from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness import rules_function, rules_objective, rules_risk, rules_symptoms, rules_time
from clinic_app.readiness.compare import compare_visits
from clinic_app.readiness.context import Context, Evaluator, Hit, RuleResult, View, weeks_text
from clinic_app.readiness.decision import Decision, Finding, FindingKind, NotAssessed, PassedCheck, Status
from clinic_app.readiness.minimum import unmet
from clinic_app.readiness.planning import (
    ReferralNeed,
    advice_facts,
    build_advice,
    build_plan,
    build_referral,
    retest_weeks,
)
from clinic_app.readiness.protocol import RULE_IDS, Protocol, RuleSpec, default_protocol

EVALUATORS: dict[str, Evaluator] = {
    **rules_time.EVALUATORS,
    **rules_symptoms.EVALUATORS,
    **rules_objective.EVALUATORS,
    **rules_function.EVALUATORS,
    **rules_risk.EVALUATORS,
}
PLAN_RULES = ("G1", "G2", "G3")
"""Rules whose wording is the plan itself (applied through planning.py, not evaluated)."""


def assess(record: VisitRecord, protocol: Protocol | None = None) -> Decision:
    """Propose a readiness status for one visit, with every reason, gap and passed check.

    Args:
        record: the visit (patient, delivery, results; earlier visits for the comparison).
        protocol: the protocol to apply; the shipped default when None.

    Returns:
        The proposal. The clinician confirms or overrides it (see :mod:`clinician`).

    Raises:
        ValueError: if the visit is dated before the delivery (the visit file rejects this).
    """
    protocol = protocol or default_protocol()
    days = (record.visit.visit_date - record.delivery.delivery_date).days
    if days < 0:
        raise ValueError("the visit is dated before the delivery")
    previous = View(record.previous[-1].results) if record.previous else None
    ctx = Context(record, View(record.visit.results), protocol, days, days / 7, previous)
    ctx.add_derived("weeks_postpartum", protocol.wording.text("derived", "weeks_postpartum"),
                    weeks_text(days))

    holds: list[Finding] = []
    cautions: list[Finding] = []
    notes: list[Finding] = []
    by_kind = {FindingKind.HOLD: holds, FindingKind.CAUTION: cautions, FindingKind.NOTE: notes}
    gaps: list[NotAssessed] = []
    passed: list[PassedCheck] = []
    needs: list[ReferralNeed] = []
    refs: list[str] = []
    for rule_id in RULE_IDS:
        if rule_id in PLAN_RULES:
            continue
        rule = protocol.rule(rule_id)
        result = EVALUATORS[rule_id](ctx, rule)
        if result is None:
            continue
        if result.hits:
            for finding, targets in _findings(rule, result.hits):
                by_kind[finding.kind].append(finding)
                if finding.kind is FindingKind.HOLD:
                    ctx.fired.add(rule_id)
                if targets:
                    needs.append(ReferralNeed(rule_id, targets, finding.explanation, rule.urgent))
            refs.extend(rule.refs)
        gap = _gap(ctx, rule, result)
        if gap is not None:
            gaps.append(gap)
        elif not result.hits:
            passed.append(PassedCheck(rule_id, rule.title, rule.passed_text, result.summary))
            refs.extend(rule.refs)

    status = _status(holds, cautions, gaps)
    plan = build_plan(status, cautions, protocol)
    if plan is not None:
        refs.extend(ref for rule_id in PLAN_RULES for ref in protocol.rule(rule_id).refs)
    headline, patient_headline = protocol.headlines[status]
    return Decision(
        status=status,
        headline=headline,
        patient_headline=patient_headline,
        protocol_id=protocol.id,
        protocol_version=protocol.version,
        weeks_postpartum=round(days / 7, 4),
        holds=tuple(holds),
        cautions=tuple(cautions),
        notes=tuple(notes),
        not_assessed=tuple(gaps),
        passed=tuple(passed),
        derived=tuple(ctx.derived),
        plan=plan,
        advice=build_advice(status, holds, cautions, notes, gaps, protocol, advice_facts(record)),
        referral=build_referral(needs, protocol),
        retest_weeks=retest_weeks(status, days / 7, holds, protocol),
        changes=compare_visits(record, protocol),
        sources=tuple(protocol.sources[ref] for ref in dict.fromkeys(refs)),
    )


def _gap(ctx: Context, rule: RuleSpec, result: RuleResult) -> NotAssessed | None:
    """The rule's entry under *not assessed*, or None when it could be judged.

    What is missing is the part of the rule's declared minimum (``[rules.ID.assessed]``) that the
    visit lacks, plus any recorded value the evaluator could not use (e.g. a hop test whose sides
    give no symmetry index).
    """
    missing = unmet(rule.assessed, ctx.results.data, ctx.protocol)
    unusable = [p for p in dict.fromkeys(result.missing) if not any(p in m.paths for m in missing)]
    if not missing and not unusable:
        return None
    paths = tuple(dict.fromkeys([*(p for m in missing for p in m.paths), *unusable]))
    words = ctx.protocol.wording
    needs = (*(m.text for m in missing),
             *(words.text("phrases", "cannot_judge", label=ctx.protocol.label(p)) for p in unusable))
    return NotAssessed(rule.id, rule.title, paths, rule.gate, rule.overridable, needs)


def _status(holds: list[Finding], cautions: list[Finding], gaps: list[NotAssessed]) -> Status:
    """Most severe of: each hold's status, INCOMPLETE for a missing gate, READY_WITH_CAUTIONS."""
    statuses = [f.status for f in holds if f.status is not None]
    if any(gap.gate for gap in gaps):
        statuses.append(Status.INCOMPLETE)
    if cautions:
        statuses.append(Status.READY_WITH_CAUTIONS)
    return Status.most_severe(statuses)


def _findings(rule: RuleSpec, hits: list[Hit]) -> list[tuple[Finding, tuple[str, ...]]]:
    """Group a rule's hits by (kind, status) into findings, each with its referral targets."""
    groups: dict[tuple[FindingKind, Status | None], list[Hit]] = {}
    for hit in hits:
        groups.setdefault((rule.kind_of(hit.check), rule.status_of(hit.check)), []).append(hit)
    out = []
    for (kind, status), group in groups.items():
        patient = next((h.check.patient_text for h in group if h.check.patient_text), rule.patient_text)
        thresholds = dict.fromkeys(f"{h.check.op} {h.check.threshold_text}" for h in group
                                   if h.check.comparison in ("lt", "le", "gt", "ge"))
        targets = [t for h in group for t in h.check.refer_to]
        if kind is FindingKind.HOLD:
            targets = [*rule.refer_to, *targets]
        finding = Finding(
            rule_id=rule.id,
            title=rule.title,
            kind=kind,
            status=status,
            explanation="; ".join(h.text for h in group) + f" — {rule.id}, {rule.source}",
            patient_text=patient,
            source=rule.source,
            confidence=rule.confidence,
            threshold="; ".join(thresholds),
            observed=tuple(o for h in group for o in h.observed),
            overridable=rule.overridable and kind is FindingKind.HOLD,
        )
        out.append((finding, tuple(dict.fromkeys(targets))))
    return out


__all__ = ["EVALUATORS", "RuleResult", "assess"]
