"""Function rules: load/impact tasks L1–L7, strength S1–S4, hop symmetry H1–H2, jumping J1–J2.

A task with a symptom is a NOT_READY hold; a task not completed, short of its dose or with poor
control is a function deficit (CLINICAL.md §12). Strength is judged on each side (§2.7, [DESIGN]).
Labels and summaries beyond the check texts are the protocol's ``[wording]``.
"""

from __future__ import annotations

from typing import Protocol

from clinic_app.domain.derived import limb_symmetry, tuck_jump_total
from clinic_app.domain.enums import Side
from clinic_app.readiness.context import Context, Evaluator, RuleResult
from clinic_app.readiness.protocol import RuleSpec

_SIDED_TASKS = frozenset({2, 3, 6, 7})
_HOPS = ("single_hop", "triple_hop", "crossover_hop", "timed_hop_6m")
_TUCK = ("knee_valgus", "thighs_not_parallel", "thighs_unequal", "foot_width", "foot_not_parallel",
         "contact_timing", "landing_noise", "pause", "technique_declines", "footprint")


def _task(ctx: Context, rule: RuleSpec) -> RuleResult:
    """L1–L7: completed, at dose, with fair or good control and without symptoms (each when recorded)."""
    result = RuleResult()
    n = int(rule.id[1:])
    prefix = f"load_impact.l{n}_"
    label = ctx.protocol.label(f"load_impact.l{n}")
    r = ctx.results
    symptoms_path = f"{prefix}symptoms"
    symptoms = r.choices(symptoms_path)
    check = rule.check("symptom")
    if check.fires(symptoms):
        pain = r.text(f"{prefix}pain_site")
        words = ctx.protocol.wording
        found = [words.choice("task_symptoms", s) + (f" ({pain})" if s == "pain" and pain else "")
                 for s in symptoms if isinstance(check.threshold, tuple) and s in check.threshold]
        result.hits.append(ctx.hit(check, ", ".join(found), label, paths=(symptoms_path,)))
    completed = r.flag(f"{prefix}completed")
    if completed is not None and rule.check("not_completed").fires(completed):
        result.hits.append(ctx.hit(rule.check("not_completed"), "no", label, paths=(f"{prefix}completed",)))
    dose = rule.check("dose")
    doses = r.sided(f"{prefix}dose") if n in _SIDED_TASKS else {}
    single = None if n in _SIDED_TASKS else r.number(f"{prefix}dose")
    for where, value in [*((f"{label}, {s.value}", v) for s, v in doses.items()), (label, single)]:
        if value is not None and dose.fires(value):
            result.hits.append(ctx.hit(dose, dose.show(value), where, paths=(f"{prefix}dose",)))
    control = r.text(f"{prefix}control")
    if control is not None and rule.check("control").fires(control):
        result.hits.append(ctx.hit(rule.check("control"), control, label, paths=(f"{prefix}control",)))
    return result


def _strength(ctx: Context, rule: RuleSpec) -> RuleResult:
    """S1–S4: repetitions to fatigue on each side; either side below target fires."""
    result = RuleResult()
    path = rule.inputs[0].rsplit(".", 1)[0]
    label = ctx.protocol.label(path)
    check = rule.check("reps")
    values = ctx.results.sided(path)
    for side in ("left", "right"):
        value = next((v for s, v in values.items() if s.value == side), None)
        if value is not None and check.fires(value):
            where = f"{label} {side}"
            result.hits.append(ctx.hit(check, check.show(value), where, paths=(f"{path}.{side}",)))
    if not result.hits and values:
        result.summary = ", ".join(f"{s.value} {check.show(v)}" for s, v in sorted(values.items()))
    return result


class SidedReader(Protocol):
    """Anything that reads sided numbers: :class:`Results` or the engine's fast view."""

    def sided(self, path: str) -> dict[Side, float]:
        """Numeric values per side."""
        ...


def hop_lsis(results: SidedReader) -> dict[str, tuple[float, str]]:
    """Limb symmetry index per hop test with both sides recorded: (LSI %, weaker side or "")."""
    out: dict[str, tuple[float, str]] = {}
    for test in _HOPS:
        values = results.sided(f"hop.{test}")
        if len(values) < 2:
            continue
        left, right = (values[s] for s in sorted(values))
        try:
            lsi = limb_symmetry(left, right, timed=test == "timed_hop_6m")
        except ValueError:
            continue
        out[test] = (lsi.index, lsi.weaker_side.value if lsi.weaker_side else "")
    return out


def _hop_symmetry(ctx: Context, rule: RuleSpec) -> RuleResult:
    """H1: any hop test with limb symmetry below 90 % (weaker ÷ stronger; timed tests inverted)."""
    result = RuleResult()
    check = rule.check("lsi")
    words = ctx.protocol.wording
    lsis = hop_lsis(ctx.results)
    for test, (index, weaker) in lsis.items():
        label = ctx.protocol.label(f"hop.{test}")
        sides = ctx.results.sided(f"hop.{test}")
        unit = "s" if test == "timed_hop_6m" else "cm"
        detail = ", ".join(f"{s.value} {v:g} {unit}" for s, v in sorted(sides.items()))
        weaker_text = f"; {words.text('phrases', 'hop_weaker', side=weaker)}" if weaker else ""
        ctx.add_derived(f"hop.{test}.lsi", words.text("derived", "hop_lsi", test=label),
                        f"{check.show(index)} ({detail}{weaker_text})")
        if check.fires(index):
            where = f"{label} ({detail})"
            result.hits.append(ctx.hit(check, check.show(index), where, paths=(f"hop.{test}",)))
    # Both sides recorded but no index (a distance or time of 0): recorded, yet not judged.
    unusable = [t for t in _HOPS if t not in lsis and len(ctx.results.sided(f"hop.{t}")) > 1]
    result.missing.extend(f"hop.{t}" for t in unusable)
    if lsis and not result.hits:
        result.summary = "; ".join(f"{ctx.protocol.label('hop.' + t)} {check.show(i)}"
                                   for t, (i, _) in lsis.items())
    return result


def _hop_change(ctx: Context, rule: RuleSpec) -> RuleResult | None:
    """H2: a hop LSI change since the last visit smaller than 8 % is "no real change" (a note)."""
    if ctx.previous is None:
        return None
    before = hop_lsis(ctx.previous)
    now = hop_lsis(ctx.results)
    common = [t for t in now if t in before]
    if not common:
        return None
    result = RuleResult()
    check = rule.check("change")
    for test in common:
        change = now[test][0] - before[test][0]
        if check.fires(abs(change)):
            shown = f"{change:+.1f} {check.unit}".strip()
            where = ctx.protocol.label(f"hop.{test}")
            result.hits.append(ctx.hit(check, shown, where, paths=(f"hop.{test}",)))
    if not result.hits:
        result.summary = ctx.protocol.wording.text("summary", "hop_change")
    return result


def _tuck_jump(ctx: Context, rule: RuleSpec) -> RuleResult:
    """J1: tuck jump flaws ≥ 6 on the original 0–10 scoring (the threshold is for that scoring)."""
    result = RuleResult()
    r = ctx.results
    if r.text("jumping.tuck_scoring") != "original":  # the threshold is for the original scoring
        return result
    items = [r.number(f"jumping.tuck_{k}") for k in _TUCK]
    if any(i is None for i in items):
        return result
    try:
        total = tuck_jump_total(int(i) for i in items if i is not None)
    except ValueError:
        result.missing.extend(f"jumping.tuck_{k}" for k, i in zip(_TUCK, items, strict=True)
                              if i is not None and not 0 <= i <= 1)
        return result
    words = ctx.protocol.wording
    ctx.add_derived("jumping.tuck_total", words.text("derived", "tuck_total"), f"{total}/10")
    check = rule.check("total")
    if check.fires(total):
        result.hits.append(ctx.hit(check, str(total), paths=("jumping.tuck_total",)))
    else:
        result.summary = words.text("summary", "tuck", total=total)
    return result


def _less(ctx: Context, rule: RuleSpec) -> RuleResult:
    """J2: LESS total ≥ 5 errors."""
    result = RuleResult()
    total = ctx.results.number("jumping.less_total")
    if total is None:
        return result
    words = ctx.protocol.wording
    ctx.add_derived("jumping.less_total", words.text("derived", "less_total"), f"{total:g}")
    check = rule.check("total")
    if check.fires(total):
        result.hits.append(ctx.hit(check, f"{total:g}", paths=("jumping.less_total",)))
    else:
        result.summary = words.text("summary", "less", total=f"{total:g}")
    return result


EVALUATORS: dict[str, Evaluator] = {
    **{f"L{n}": _task for n in range(1, 8)},
    **{f"S{n}": _strength for n in range(1, 5)},
    "H1": _hop_symmetry,
    "H2": _hop_change,
    "J1": _tuck_jump,
    "J2": _less,
}
