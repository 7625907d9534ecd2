"""Symptom rules P1–P9 and M1–M2: pelvic-floor and lumbopelvic symptoms (CLINICAL.md §2.3, §12).

A symptom is never overridable (§13.3); the protocol loader refuses a file that says otherwise.
Words beyond the check texts (triggers, the ICIQ band, labels, summaries) are the protocol's ``[wording]``.
"""

from __future__ import annotations

from clinic_app.domain.derived import iciq_band, iciq_total
from clinic_app.readiness.context import Context, Evaluator, RuleResult, symptom_tasks, weeks_text
from clinic_app.readiness.protocol import RuleSpec


def _flags(ctx: Context, rule: RuleSpec) -> RuleResult:
    """P4, P5, P7, P8, M2: any recorded "yes" among the check's inputs fires."""
    result = RuleResult()
    check = rule.check("reported")
    ctx.flags(result, check, check.inputs)
    return result


def _leakage(ctx: Context, rule: RuleSpec) -> RuleResult:
    """P1: leakage reported in the screen, or during any load/impact task."""
    result = RuleResult()
    check = rule.check("reported")
    leakage = ctx.results.flag("symptoms.urinary_leakage")
    if leakage:
        words = ctx.protocol.wording
        chosen = ctx.results.choices("symptoms.leakage_triggers")
        triggers = ", ".join(words.choice("leakage_triggers", t) for t in chosen)
        where = f" ({words.text('phrases', 'leak_triggers', triggers=triggers)})" if triggers else ""
        result.hits.append(ctx.hit(check, "yes", where, paths=("symptoms.urinary_leakage",)))
    task_hit = symptom_tasks(ctx, rule.check("during_task"))
    if task_hit is not None:
        result.hits.append(task_hit)
    return result


def _cough_test(ctx: Context, rule: RuleSpec) -> RuleResult:
    """P2: a positive cough stress test, supine or standing."""
    result = RuleResult()
    check = rule.check("positive")
    for path in ("pelvic_floor.cough_test_supine", "pelvic_floor.cough_test_standing"):
        if check.fires(ctx.results.text(path)):
            result.hits.append(ctx.hit(check, "positive", ctx.protocol.label(path), paths=(path,)))
    return result


def _iciq(ctx: Context, rule: RuleSpec) -> RuleResult:
    """P3: ICIQ-UI SF total ≥ 1 (or the frequency item > 0), with the Klovning 2009 band."""
    result = RuleResult()
    r = ctx.results
    items = [r.number(f"questionnaires.iciq_{k}") for k in ("frequency", "amount", "interference")]
    total = r.number("questionnaires.iciq_total")
    if total is None and all(i is not None for i in items):
        try:
            total = float(iciq_total(*(int(i) for i in items if i is not None)))
        except ValueError:
            total = None
    if total is None and items[0] is None:
        return result
    if total is not None:
        words = ctx.protocol.wording
        band = iciq_band(int(total)).value if 0 <= total <= 21 else words.text("phrases", "iciq_out_of_range")
        ctx.add_derived("questionnaires.iciq_total", words.text("derived", "iciq_total"),
                        f"{int(total)} ({band})")
        check = rule.check("total")
        if check.fires(total):
            where = f" ({words.text('phrases', 'iciq_band', band=band)})"
            result.hits.append(ctx.hit(check, f"{int(total)}", where, paths=("questionnaires.iciq_total",)))
            return result
        result.summary = words.text("summary", "iciq", total=int(total), band=band)
    frequency = rule.check("frequency")
    if items[0] is not None and frequency.fires(items[0]):
        result.hits.append(ctx.hit(frequency, f"{int(items[0])}", paths=("questionnaires.iciq_frequency",)))
    return result


def _heaviness(ctx: Context, rule: RuleSpec) -> RuleResult:
    """P6: heaviness, bulge or dragging at rest, in daily life or during any task."""
    result = RuleResult()
    ctx.flags(result, rule.check("reported"), ("symptoms.heaviness",))
    task_hit = symptom_tasks(ctx, rule.check("during_task"))
    if task_hit is not None:
        result.hits.append(task_hit)
    return result


def _bleeding(ctx: Context, rule: RuleSpec) -> RuleResult:
    """P9: non-menstrual bleeding from 8 weeks refers; earlier it is a note to review."""
    result = RuleResult()
    if ctx.results.flag("symptoms.abnormal_bleeding"):
        for name in ("weeks", "early"):
            check = rule.check(name)
            if check.fires(ctx.weeks):
                paths = ("symptoms.abnormal_bleeding",)
                result.hits.append(ctx.hit(check, weeks_text(ctx.days), paths=paths))
                break
    return result


def _daily_pain(ctx: Context, rule: RuleSpec) -> RuleResult:
    """M1: pain with daily activities, with the sites and rating when recorded."""
    result = RuleResult()
    if ctx.results.flag("symptoms.daily_activity_pain"):
        details = [s.replace("_", " ") for s in ctx.results.choices("symptoms.daily_pain_sites")]
        rating = ctx.results.number("symptoms.daily_pain_rating")
        if rating is not None:
            details.append(ctx.protocol.wording.text("phrases", "pain_rating", rating=f"{rating:g}"))
        where = f" ({', '.join(details)})" if details else ""
        paths = ("symptoms.daily_activity_pain",)
        result.hits.append(ctx.hit(rule.check("reported"), "yes", where, paths=paths))
    return result


EVALUATORS: dict[str, Evaluator] = {
    "P1": _leakage,
    "P2": _cough_test,
    "P3": _iciq,
    "P4": _flags,
    "P5": _flags,
    "P6": _heaviness,
    "P7": _flags,
    "P8": _flags,
    "P9": _bleeding,
    "M1": _daily_pain,
    "M2": _flags,
}
