"""Objective findings O1–O5: prolapse, inter-recti distance, doming, linea alba, pelvic floor.

IRD is judged in the unit it was measured in (cm, mm or finger-widths) and never converted
(CLINICAL.md §4.1, §13.7): the protocol holds one O2 threshold per unit. What the findings say
beyond their check texts (sites, conditions, labels, summaries) is the protocol's ``[wording]``.
"""

from __future__ import annotations

from clinic_app.domain.derived import PopqPoints, popq_stage
from clinic_app.readiness.context import Context, Evaluator, RuleResult, symptom_tasks
from clinic_app.readiness.protocol import RuleSpec
from clinic_app.readiness.wording import SITES

_POPQ = ("aa", "ba", "c", "ap", "bp", "gh", "pb", "tvl")
_BW = ("anterior", "apical", "posterior")
_ROMAN = ("0", "I", "II", "III", "IV")
_CONDITIONS = ("rest", "curl")
"""IRD conditions in printed order; their words, and each site's, are the protocol's ``[wording]``."""


def _prolapse(ctx: Context, rule: RuleSpec) -> RuleResult:
    """O1: POP-Q stage ≥ II or Baden–Walker grade ≥ 2 in any compartment (default hold)."""
    result = RuleResult()
    r = ctx.results
    words = ctx.protocol.wording
    if r.text("prolapse.exam_state") != "performed":
        return result
    system = r.text("prolapse.system")
    if system == "popq":
        values = {k: r.number(f"prolapse.popq_{k}") for k in _POPQ}
        if any(v is None for v in values.values()):
            return result
        v = {k: float(x) for k, x in values.items() if x is not None}
        points = PopqPoints(v["aa"], v["ba"], v["c"], v["ap"], v["bp"], v["gh"], v["pb"], v["tvl"],
                            r.number("prolapse.popq_d"))
        stage = int(popq_stage(points))
        ctx.add_derived("prolapse.popq_stage", words.text("derived", "popq_stage"), _ROMAN[stage])
        edge = words.text("phrases", "leading_edge", edge=f"{points.leading_edge:+g}")
        grade, where, check = stage, f" ({edge})", rule.check("popq_stage")
        limit = check.threshold if isinstance(check.threshold, int | float) else 2
        shown, threshold = _ROMAN[stage], _ROMAN[min(4, max(0, int(limit)))]
    elif system == "baden_walker":
        grades = {k: r.number(f"prolapse.bw_{k}") for k in _BW}
        if any(g is None for g in grades.values()):
            return result
        worst = max(_BW, key=lambda k: grades[k] or 0)
        grade = int(grades[worst] or 0)
        ctx.add_derived("prolapse.bw_max", words.text("derived", "bw_max"), f"{grade} ({worst})")
        check, where = rule.check("bw_grade"), f" ({worst})"
        shown, threshold = str(grade), check.threshold_text
    else:
        return result
    if check.fires(grade):
        result.hits.append(ctx.hit(check, shown, where, threshold=threshold, paths=("prolapse.system",)))
        severe = rule.check("severe")
        if severe.fires(grade):
            result.hits.append(ctx.hit(severe, shown, paths=("prolapse.system",)))
    else:
        result.summary = (words.text("summary", "popq", stage=shown) if system == "popq"
                          else words.text("summary", "baden_walker", grade=shown))
    return result


def _ird(ctx: Context, rule: RuleSpec) -> RuleResult:
    """O2: any recorded inter-recti distance above the threshold for its unit.

    Every recorded site and condition is judged; which of them must be recorded is the rule's
    declared minimum (by default the umbilicus on head-lift).
    """
    result = RuleResult()
    r = ctx.results
    unit = r.text("diastasis.unit")
    if unit is None:
        return result
    if unit not in rule.checks:  # recorded, but this protocol has no threshold for the unit
        result.missing.append("diastasis.unit")
        return result
    check = rule.check(unit)
    words = ctx.protocol.wording
    sites = words.site_words(r.text("diastasis.site_protocol"))
    measured = []
    unmeasured = []
    for site in SITES:
        site_text = sites[site]
        for condition in _CONDITIONS:
            condition_text = words.text("conditions", condition)
            path = f"diastasis.ird_{site}_{condition}"
            value = r.number(path)
            if value is None:
                if condition == "curl":
                    unmeasured.append(site_text)
                continue
            measured.append(f"{check.show(value)} {site_text} {condition_text}")
            if check.fires(value):
                result.hits.append(ctx.hit(check, check.show(value), f"{site_text} {condition_text}",
                                           paths=(path,)))
    if not result.hits and measured:
        none = words.text("summary", "ird_none", op=check.op, threshold=check.threshold_text)
        result.summary = "; ".join(measured) + f"; {none}"
        if unmeasured:
            joined = words.text("phrases", "alternatives").join(unmeasured)
            result.summary += f" ({words.text('summary', 'ird_curl_missing', sites=joined)})"
    return result


def _doming(ctx: Context, rule: RuleSpec) -> RuleResult:
    """O3: doming seen on curl-up or exertion, abdominal-wall symptoms, or doming in any task."""
    result = RuleResult()
    ctx.flags(result, rule.check("observed"), ("diastasis.doming",))
    ctx.flags(result, rule.check("symptoms"), ("symptoms.abdominal_symptoms",))
    task_hit = symptom_tasks(ctx, rule.check("during_task"))
    if task_hit is not None:
        result.hits.append(task_hit)
    return result


def _linea_alba(ctx: Context, rule: RuleSpec) -> RuleResult:
    """O4: a linea alba unable to generate tension holds with a wide IRD (O2), else cautions."""
    result = RuleResult()
    tension = ctx.results.text("diastasis.linea_alba_tension")
    if tension is None:
        return result
    check = rule.check("with_gap" if "O2" in ctx.fired else "alone")
    if check.fires(tension):
        result.hits.append(ctx.hit(check, tension, paths=("diastasis.linea_alba_tension",)))
    else:
        result.summary = tension.replace("_", " ")
    return result


_STANDING = {"fast": "standing_fast_reps", "mvc_reps": "standing_mvc_reps", "mvc_hold": "standing_mvc_hold_s",
             "submax_hold": "standing_submax_hold_s"}


def _pelvic_floor(ctx: Context, rule: RuleSpec) -> RuleResult:
    """O5: MOS ≤ 2, or any part of the standing baseline below target (10 fast; 8 × 6 s; 60 s).

    Either part fires on its own; what must be recorded for a pass is the rule's declared minimum.
    """
    result = RuleResult()
    r = ctx.results
    mos = r.number("pelvic_floor.mos")
    if mos is not None and rule.check("mos").fires(mos):
        result.hits.append(ctx.hit(rule.check("mos"), f"{mos:g}", paths=("pelvic_floor.mos",)))
    for name, field_id in _STANDING.items():
        path = f"pelvic_floor.{field_id}"
        value = r.number(path)
        if value is not None and rule.check(name).fires(value):
            check = rule.check(name)
            result.hits.append(ctx.hit(check, check.show(value), paths=(path,)))
    if not result.hits:
        words = ctx.protocol.wording
        result.summary = (words.text("summary", "mos", value=f"{mos:g}") if mos is not None
                          else words.text("summary", "standing_met"))
    return result


EVALUATORS: dict[str, Evaluator] = {
    "O1": _prolapse,
    "O2": _ird,
    "O3": _doming,
    "O4": _linea_alba,
    "O5": _pelvic_floor,
}
