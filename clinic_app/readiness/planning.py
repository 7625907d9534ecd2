"""Turn a status and its findings into the walk–run plan, exercise advice, referral and re-test.

All wording comes from the protocol's ``[plan]``, ``[advice]``, ``[referral_targets]`` and
``[incomplete]`` sections; this module only chooses and orders it (G1–G3), fitted to the person by
the protocol's ``[advice_conditions]`` (:mod:`tailoring`). :mod:`decided` applies the same planning
to the clinician's final status, so every document follows her decision, not the proposal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.decision import (
    AdviceItem,
    Finding,
    NotAssessed,
    Plan,
    PlanStage,
    Referral,
    Status,
)
from clinic_app.readiness.progression import ladder
from clinic_app.readiness.protocol import Protocol
from clinic_app.readiness.tailoring import Tailoring

RUNNING = (Status.READY, Status.READY_WITH_CAUTIONS)
"""Final statuses that let her start the walk–run plan."""


@dataclass(frozen=True, slots=True)
class ReferralNeed:
    """One finding that asks for a referral, collected by the engine."""

    rule_id: str
    targets: tuple[str, ...]
    reason: str
    urgent: bool


def build_plan(status: Status, cautions: Sequence[Finding], protocol: Protocol) -> Plan | None:
    """Return the walk–run plan for READY (standard) or READY_WITH_CAUTIONS (conservative), else None."""
    if status not in (Status.READY, Status.READY_WITH_CAUTIONS):
        return None
    settings = protocol.plan
    conservative = status is Status.READY_WITH_CAUTIONS
    specs = ladder(settings, conservative=conservative)
    intro = f"{settings.conservative_intro} {settings.intro}" if conservative else settings.intro
    stages = tuple(
        PlanStage(number, spec.title, spec.run_minutes, spec.walk_minutes, spec.repeats, sessions, spec.note)
        for number, (spec, sessions) in enumerate(specs, start=1)
    )
    return Plan(
        title=settings.title,
        intro=intro,
        stages=stages,
        sessions_per_week=settings.sessions_per_week,
        schedule_rule=settings.schedule_rule,
        progression_rules=settings.progression_rules,
        stop_rules=settings.stop_rules,
        conservative=conservative,
        cautions=tuple(dict.fromkeys(f.patient_text for f in cautions)),
    )


def build_advice(status: Status, holds: Sequence[Finding], cautions: Sequence[Finding],
                 notes: Sequence[Finding], not_assessed: Sequence[NotAssessed],
                 protocol: Protocol, facts: Mapping[str, object] | None = None) -> tuple[AdviceItem, ...]:
    """Return advice per failed criterion (and per caution or note) in a stable order.

    REFER gets none: exercise advice follows the specialist review. INCOMPLETE starts with what to
    assess next. Several rules sharing one advice entry are merged into one item. Each entry is fitted
    to ``status`` (no running tips while she may not run) and to the person: ``facts`` are her
    recorded values (:func:`advice_facts`) for the protocol's conditions (she leaks, uses a support
    device, had a caesarean…).
    """
    if status is Status.REFER:
        return ()
    items: list[AdviceItem] = []
    if status is Status.INCOMPLETE:
        for gap in not_assessed:
            if gap.gate:
                missing = "; ".join(gap.needs or gap.missing)
                text = protocol.incomplete_text.format(missing=missing, title=gap.title, rule=gap.rule_id)
                items.append(AdviceItem(gap.rule_id, protocol.incomplete_heading, text))
    by_key: dict[str, list[str]] = {}
    for finding in (*holds, *cautions, *notes):
        key = protocol.rule(finding.rule_id).advice
        if key is not None and finding.rule_id not in by_key.setdefault(key, []):
            by_key[key].append(finding.rule_id)
    tailoring = protocol.tailoring or Tailoring()
    fired = frozenset(f.rule_id for f in (*holds, *cautions, *notes))
    holding = {name for name, c in tailoring.conditions.items() if c.holds(fired, facts or {})}
    for key, rule_ids in by_key.items():
        spec = protocol.advice[key]
        fit = tailoring.fit(key)
        if (fit.applies == "running") != (status in RUNNING) and fit.applies != "always":
            continue
        if fit.only_if and holding.isdisjoint(fit.only_if):
            continue
        heading, text, exercises = spec.heading, spec.text, spec.exercises
        variant = next((v for v in fit.variants if v.condition in holding), None)
        if variant is not None:
            heading = variant.heading or heading
            text = variant.text or text
            exercises = variant.exercises if variant.exercises is not None else exercises
        items.append(AdviceItem(", ".join(rule_ids), heading, text, exercises))
    return tuple(items)


def advice_facts(record: VisitRecord) -> dict[str, object]:
    """Return what the advice conditions read: the recorded results and the birth (mode, injury)."""
    facts: dict[str, object] = {str(path): value for path, value in record.visit.results.data.items()}
    facts["delivery.mode"] = record.delivery.mode.value
    facts["delivery.perineal_trauma"] = record.delivery.perineal_trauma.value
    return facts


def retest_weeks(status: Status, weeks: float, holds: Sequence[Finding], protocol: Protocol) -> int | None:
    """Weeks until re-test: the protocol's interval per status; NOT_YET_TIME waits for the gate."""
    if status is Status.NOT_YET_TIME:
        gate = protocol.rule("T1").check("weeks").threshold
        if isinstance(gate, int | float) and not isinstance(gate, bool):
            return max(1, math.ceil(gate - weeks))
    if status in (Status.READY, Status.READY_WITH_CAUTIONS):
        return None
    return protocol.retest.get(status)


def review_weeks(status: Status, protocol: Protocol) -> int | None:
    """Weeks until the check-up once a plan starts (READY, READY_WITH_CAUTIONS), else None."""
    tailoring = protocol.tailoring or Tailoring()
    if status is Status.READY_WITH_CAUTIONS:
        return tailoring.conservative_review_weeks or tailoring.review_weeks
    return tailoring.review_weeks if status is Status.READY else None


def build_referral(needs: Sequence[ReferralNeed], protocol: Protocol) -> Referral | None:
    """Merge referral needs into one referral: who (in protocol wording), why, and how urgent."""
    if not needs:
        return None
    targets = dict.fromkeys(protocol.referral_targets[t] for need in needs for t in need.targets)
    return Referral(
        to=tuple(targets),
        reasons=tuple(need.reason for need in needs),
        rule_ids=tuple(dict.fromkeys(need.rule_id for need in needs)),
        urgent=any(need.urgent for need in needs),
    )
