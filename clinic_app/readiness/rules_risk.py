"""Risk factors R1–R8 and buggy advice B1: cautions and notes, with R5/R6-risk as referrals.

Risk factors never block on their own by default; a clinic may turn one into a hold in its protocol
(e.g. R1 BMI), which changes only the data, not this code. The labels, the six Christopher 2021
factors' words and the summaries are the protocol's ``[wording]``.
"""

from __future__ import annotations

from clinic_app.domain.derived import bmi
from clinic_app.readiness.context import Context, Evaluator, RuleResult, weeks_text
from clinic_app.readiness.protocol import RuleSpec


def _bmi(ctx: Context, rule: RuleSpec) -> RuleResult:
    """R1: BMI above the protocol's threshold (30 kg/m² by default)."""
    result = RuleResult()
    height, weight = ctx.results.number("history.height_cm"), ctx.results.number("history.weight_kg")
    if height is None or weight is None or height <= 0 or weight <= 0:
        result.missing.extend(p for p, v in (("history.height_cm", height), ("history.weight_kg", weight))
                              if v is not None and v <= 0)
        return result
    value = bmi(weight, height)
    check = rule.check("bmi")
    words = ctx.protocol.wording
    ctx.add_derived("history.bmi", words.text("derived", "bmi"), check.show(value))
    if check.fires(value):
        paths = ("history.height_cm", "history.weight_kg")
        result.hits.append(ctx.hit(check, check.show(value), paths=paths))
    else:
        result.summary = words.text("summary", "bmi", value=check.show(value))
    return result


def _flag_checks(ctx: Context, rule: RuleSpec) -> RuleResult:
    """R2, R5, R6, R7: each check fires on any "yes" among its own inputs."""
    result = RuleResult()
    for check in rule.checks.values():
        ctx.flags(result, check, check.inputs)
    return result


def _sleep(ctx: Context, rule: RuleSpec) -> RuleResult:
    """R3: average sleep below 6.8 h/night, or high fatigue."""
    result = RuleResult()
    sleep = ctx.results.number("history.sleep_hours")
    check = rule.check("sleep")
    if sleep is not None and check.fires(sleep):
        result.hits.append(ctx.hit(check, check.show(sleep), paths=("history.sleep_hours",)))
    ctx.flags(result, rule.check("fatigue"), ("history.fatigue_high",))
    return result


def _pain_factors(ctx: Context, rule: RuleSpec) -> RuleResult:
    """R4: count the six Christopher 2021 factors; two or more caution, one is a note."""
    result = RuleResult()
    r = ctx.results
    words = ctx.protocol.wording
    factors: list[str] = []
    experience = r.text("history.running_experience")
    if experience in ("none", "novice"):
        factors.append(words.text("pain_factors", "novice"))
    fatigue = r.number("history.fatigue_score")
    if fatigue is not None and rule.check("fatigue_score").fires(fatigue):
        factors.append(words.text("pain_factors", "fatigue_score", value=f"{fatigue:g}"))
    if r.flag("history.previous_running_injury"):
        factors.append(words.text("pain_factors", "previous_injury"))
    if r.flag("history.incontinence_history") or r.flag("symptoms.urinary_leakage"):
        factors.append(words.text("pain_factors", "incontinence"))
    if ctx.record.delivery.mode.is_vaginal:
        factors.append(words.text("pain_factors", "vaginal_birth"))
    sleep = r.number("history.sleep_hours")
    if sleep is not None and rule.check("sleep").fires(sleep):
        factors.append(words.text("pain_factors", "sleep", value=f"{sleep:g}"))
    count = words.text("phrases", "pain_factor_count", count=len(factors))
    ctx.add_derived("history.christopher_2021_factors", words.text("derived", "pain_factors"),
                    count + (f": {', '.join(factors)}" if factors else ""))
    for name in ("count", "single"):
        check = rule.check(name)
        if check.fires(len(factors)):
            result.hits.append(ctx.hit(check, str(len(factors)), ", ".join(factors)))
            break
    # An unanswered factor leaves R4 not assessed (its declared minimum), so a printed count such as
    # "2 of 6" never looks complete when it is not.
    result.summary = words.text("summary", "no_pain_factors")
    return result


def _birth_trauma(ctx: Context, rule: RuleSpec) -> RuleResult:
    """R8: OASI or instrumental birth caution; caesarean and minor perineal trauma are notes."""
    result = RuleResult()
    delivery = ctx.record.delivery
    for name, value, path in (("oasi", delivery.perineal_trauma.value, "delivery.perineal_trauma"),
                              ("instrumental", delivery.mode.value, "delivery.mode"),
                              ("caesarean", delivery.mode.value, "delivery.mode"),
                              ("perineal", delivery.perineal_trauma.value, "delivery.perineal_trauma")):
        check = rule.check(name)
        if check.fires(value):
            result.hits.append(ctx.hit(check, value.replace("_", " "), paths=(path,)))
    if not result.hits:
        mode, trauma = delivery.mode.value.replace("_", " "), delivery.perineal_trauma.value.replace("_", " ")
        result.summary = ctx.protocol.wording.text("summary", "birth", mode=mode, trauma=trauma)
    return result


def _buggy(ctx: Context, rule: RuleSpec) -> RuleResult:
    """B1: buggy running planned while the baby is under 26 weeks (advice, not a blocker)."""
    result = RuleResult()
    planned = ctx.results.flag("history.buggy_running_planned")
    check = rule.check("baby_age")
    if planned is None:
        return result
    if planned and check.fires(ctx.weeks):
        result.hits.append(ctx.hit(check, weeks_text(ctx.days), paths=("history.buggy_running_planned",)))
    else:
        result.summary = ctx.protocol.wording.text("summary", "baby_older" if planned else "no_buggy")
    return result


EVALUATORS: dict[str, Evaluator] = {
    "R1": _bmi,
    "R2": _flag_checks,
    "R3": _sleep,
    "R4": _pain_factors,
    "R5": _flag_checks,
    "R6": _flag_checks,
    "R7": _flag_checks,
    "R8": _birth_trauma,
    "B1": _buggy,
}
