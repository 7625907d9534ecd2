"""Objective findings O1–O5: prolapse, inter-recti distance, doming, linea alba, pelvic floor.

IRD is judged in the unit it was measured in (cm, mm or finger-widths) and never converted
(CLINICAL.md §4.1, §13.7): the protocol holds one O2 threshold per unit.
"""

from __future__ import annotations

from clinic_app.domain.derived import PopqPoints, popq_stage
from clinic_app.readiness.context import Context, Evaluator, RuleResult, symptom_tasks
from clinic_app.readiness.protocol import RuleSpec

_POPQ = ("aa", "ba", "c", "ap", "bp", "gh", "pb", "tvl")
_BW = ("anterior", "apical", "posterior")
_ROMAN = ("0", "I", "II", "III", "IV")
_SITES = {
    "sperstad_4_5": {"above": "4.5 cm above the umbilicus", "umbilicus": "at the umbilicus",
                     "below": "4.5 cm below the umbilicus"},
    "beer_3_2": {"above": "3 cm above the umbilicus", "umbilicus": "at the umbilicus",
                 "below": "2 cm below the umbilicus"},
}
_GENERIC_SITES = {"above": "above the umbilicus", "umbilicus": "at the umbilicus",
                  "below": "below the umbilicus"}
_CONDITIONS = {"rest": "at rest", "curl": "on head-lift"}


def _prolapse(ctx: Context, rule: RuleSpec) -> RuleResult:
    """O1: POP-Q stage ≥ II or Baden–Walker grade ≥ 2 in any compartment (default hold)."""
    result = RuleResult()
    r = ctx.results
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
        ctx.add_derived("prolapse.popq_stage", "POP-Q stage", _ROMAN[stage])
        grade, where, check = stage, f" (leading edge {points.leading_edge:+g} cm)", rule.check("popq_stage")
        limit = check.threshold if isinstance(check.threshold, int | float) else 2
        shown, threshold = _ROMAN[stage], _ROMAN[min(4, max(0, int(limit)))]
    elif system == "baden_walker":
        grades = {k: r.number(f"prolapse.bw_{k}") for k in _BW}
        if any(g is None for g in grades.values()):
            return result
        worst = max(_BW, key=lambda k: grades[k] or 0)
        grade = int(grades[worst] or 0)
        ctx.add_derived("prolapse.bw_max", "Baden–Walker highest grade", f"{grade} ({worst})")
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
        result.summary = f"{'POP-Q stage' if system == 'popq' else 'Baden–Walker grade'} {shown}"
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
    sites = _SITES.get(r.text("diastasis.site_protocol") or "", _GENERIC_SITES)
    measured = []
    unmeasured = []
    for site, site_text in sites.items():
        for condition, condition_text in _CONDITIONS.items():
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
        result.summary = "; ".join(measured) + f"; none {check.op} {check.threshold_text}"
        if unmeasured:
            result.summary += f" (head-lift not recorded {' or '.join(unmeasured)})"
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
        result.summary = f"MOS {mos:g}" if mos is not None else "standing baseline met"
    return result


EVALUATORS: dict[str, Evaluator] = {
    "O1": _prolapse,
    "O2": _ird,
    "O3": _doming,
    "O4": _linea_alba,
    "O5": _pelvic_floor,
}
