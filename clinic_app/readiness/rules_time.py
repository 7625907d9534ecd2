"""Time rules T1–T4: the gate since birth and the 3-week floor (CLINICAL.md §12, §13.1)."""

from __future__ import annotations

from clinic_app.readiness.context import Context, Evaluator, RuleResult, weeks_text
from clinic_app.readiness.protocol import RuleSpec


def _time_gate(ctx: Context, rule: RuleSpec) -> RuleResult:
    """T1 and T3: weeks postpartum (days ÷ 7, unrounded) against the rule's threshold."""
    check = rule.check("weeks")
    result = RuleResult()
    shown = weeks_text(ctx.days)
    if check.fires(ctx.weeks):
        result.hits.append(ctx.hit(check, shown, paths=("delivery.date", "visit.date")))
    else:
        result.summary = ctx.protocol.wording.text("summary", "time_gate", weeks=shown,
                                                   threshold=check.threshold_text)
    return result


def _same_gate(ctx: Context, rule: RuleSpec) -> RuleResult:
    """T2: the gate is never shortened for the mode of birth; shown as a passed check."""
    mode = ctx.record.delivery.mode.value.replace("_", " ")
    value = ctx.protocol.wording.text("phrases", "birth_mode", mode=mode)
    text = rule.check("mode").text.format(value=value, threshold="", op="", where="")
    return RuleResult(summary=text)


def _clinician_only(ctx: Context, rule: RuleSpec) -> RuleResult | None:
    """T4 is applied by the clinician decision (clinician.py), never by the engine."""
    return None


EVALUATORS: dict[str, Evaluator] = {
    "T1": _time_gate,
    "T2": _same_gate,
    "T3": _time_gate,
    "T4": _clinician_only,
}
