"""The clinician's confirmation or override of a proposal (CLINICAL.md §13).

The engine only proposes. Here the treating clinician confirms, or overrides with a written reason.
Binding limits, enforced in code whatever the protocol says: symptom rules (P1–P9, M1–M2, O3,
L1–L7 with a symptom) are never overridable, and below 3 weeks (T3) the time gate cannot be
overridden. T1, O1 and O2 may be overridden with a reason by default. The decision keeps the
protocol version so an old report reads the same later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from clinic_app.domain.model import Clinician
from clinic_app.readiness.decision import (
    ClinicianAction,
    ClinicianDecision,
    Decision,
    FindingKind,
    RuleOverride,
    Status,
)
from clinic_app.readiness.protocol import NEVER_OVERRIDABLE, Protocol


class DecisionError(ValueError):
    """A clinician decision that the rules of §13 do not allow; the message says why.

    Attributes:
        path: which part of the decision is refused, for the window to show it there:
            ``decision.overrides.<rule>.reason``, ``decision.overrides.<rule>``,
            ``decision.overrides``, ``decision.final_status`` or ``decision.comment``.
    """

    def __init__(self, message: str, path: str = "decision") -> None:
        super().__init__(message)
        self.path = path


def decide(decision: Decision, *, action: ClinicianAction, clinician: Clinician, now: dt.datetime,
           overrides: Iterable[RuleOverride] = (), final_status: Status | None = None,
           comment: str = "") -> ClinicianDecision:
    """Record the clinician's decision on a proposal.

    Args:
        decision: the engine's proposal.
        action: CONFIRMED keeps the proposed status; OVERRIDDEN changes it.
        clinician: who decides (printed on the report and kept in the audit trail).
        now: when the decision is made (passed in so the function stays pure).
        overrides: documented overrides of overridable hold rules, or of overridable gates that were
            not assessed, each with a reason.
        final_status: the status the clinician sets; by default the status that remains once the
            overridden rules are set aside.
        comment: free text; required when the status changes without a rule override.

    Returns:
        The clinician decision, carrying the proposal's protocol version.

    Raises:
        DecisionError: for a missing reason, an override of a rule that did not hold or may not be
            overridden (symptoms, T3; T1 below 3 weeks), or a final status less severe than the
            holds that remain.
    """
    chosen = tuple(overrides)
    comment = comment.strip()
    if action is ClinicianAction.CONFIRMED:
        if chosen:
            raise DecisionError(
                "a confirmed decision has no overrides; use OVERRIDDEN to override a rule",
                "decision.overrides",
            )
        if final_status not in (None, decision.status):
            raise DecisionError(
                "confirming keeps the proposed status; use OVERRIDDEN to change it", "decision.final_status"
            )
        final = decision.status
    else:
        final = _overridden_status(decision, chosen, final_status, comment)
    return ClinicianDecision(
        proposed=decision.status,
        final=final,
        action=action,
        clinician_id=clinician.id,
        clinician_name=clinician.name,
        decided_at=now,
        protocol_version=decision.protocol_version,
        overrides=tuple(RuleOverride(o.rule_id, o.reason.strip()) for o in chosen),
        comment=comment,
    )


def _overridden_status(decision: Decision, chosen: tuple[RuleOverride, ...], final_status: Status | None,
                       comment: str) -> Status:
    held = {f.rule_id: f for f in decision.holds}
    # A gate that was not assessed (e.g. O1 after a declined examination) may be set aside like a
    # hold when its rule is overridable; a missing symptom gate never can be.
    gaps = {gap.rule_id: gap for gap in decision.not_assessed if gap.gate}
    seen: set[str] = set()
    for override in chosen:
        rule_id = override.rule_id
        where = f"decision.overrides.{rule_id}"
        if not override.reason.strip():
            raise DecisionError(f"the override of {rule_id} needs a written reason", f"{where}.reason")
        if rule_id in seen:
            raise DecisionError(f"{rule_id} is overridden twice", where)
        seen.add(rule_id)
        if rule_id == "T3" or (rule_id == "T1" and "T3" in held):
            raise DecisionError("below 3 weeks postpartum the time gate cannot be overridden (T3)", where)
        if rule_id in NEVER_OVERRIDABLE:
            raise DecisionError(
                f"{rule_id} is a symptom rule: symptoms are never overridden into ready", where
            )
        finding = held.get(rule_id)
        gap = gaps.get(rule_id)
        if finding is None and gap is None:
            raise DecisionError(
                f"{rule_id} did not hold this decision, so there is nothing to override", where
            )
        if not (finding.overridable if finding is not None else gap is not None and gap.overridable):
            raise DecisionError(
                f"{rule_id} is not overridable under protocol {decision.protocol_version}", where
            )
    remaining = [f.status for f in decision.holds if f.rule_id not in seen and f.status is not None]
    if any(gap.gate and gap.rule_id not in seen for gap in decision.not_assessed):
        remaining.append(Status.INCOMPLETE)
    if decision.cautions:
        remaining.append(Status.READY_WITH_CAUTIONS)
    floor = Status.most_severe(remaining)
    final = final_status or floor
    if final.severity < floor.severity:
        blocking = sorted({f.rule_id for f in decision.holds if f.rule_id not in seen})
        reason = f"holds remain ({', '.join(blocking)})" if blocking else "gates were not assessed"
        raise DecisionError(
            f"the final status cannot be {final.value}: {reason}; at least {floor.value}",
            "decision.final_status",
        )
    if final is decision.status and not chosen:
        raise DecisionError("nothing was overridden; confirm the proposal instead", "decision.overrides")
    if not chosen and not comment:
        raise DecisionError(
            "changing the proposed status needs a written reason in the comment", "decision.comment"
        )
    return final


def override_notes(decision: ClinicianDecision, protocol: Protocol) -> tuple[str, ...]:
    """Clinician wording of each override for the report, T1 through the T4 template."""
    notes = []
    for override in decision.overrides:
        if override.rule_id == "T1":
            template = protocol.rule("T4").check("override").text
            text = template.format(value=override.reason, threshold="", op="", where="")
            notes.append(f"{text} — T4, {protocol.rule('T4').source}")
        else:
            title = protocol.rule(override.rule_id).title if override.rule_id in protocol.rules else ""
            who = decision.clinician_name
            notes.append(f"{override.rule_id} {title} overridden by {who}: {override.reason}")
    return tuple(notes)


def overridable_holds(decision: Decision) -> dict[str, bool]:
    """Rule ids of the proposal's holds with whether each may be overridden (for a UI checklist)."""
    return {f.rule_id: f.overridable and f.rule_id not in NEVER_OVERRIDABLE
            for f in decision.holds if f.kind is FindingKind.HOLD}
