"""Page one of the clinician summary: the key values against their thresholds, with a trend each.

Which rows appear, their labels and where each value comes from are data (``[[dashboard]]`` in
``reports/wording/clinician.toml``); the threshold of a row comes from the protocol (see
:mod:`clinic_app.reporting.thresholds`) and its result from the decision, so the dashboard says
what the engine found — it never judges a value itself.

A row takes its value from one of: ``special = "weeks"`` (time since birth), ``derived`` (a value
the engine computed, e.g. the POP-Q stage), ``paths`` (recorded values, combined by ``max``, ``min``
or ``sides``; ``lsi:`` paths give a limb symmetry index), or only ``rules`` (a group of rules shown
as "clear" or by the ones that fired).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clinic_app.domain.derived import weeks_postpartum
from clinic_app.domain.enums import Side
from clinic_app.domain.model import Visit
from clinic_app.readiness.decision import Decision
from clinic_app.reporting.charts import series_value
from clinic_app.reporting.formatting import number, weeks
from clinic_app.reporting.inputs import ReportInput
from clinic_app.reporting.thresholds import Threshold, find_threshold, report_protocol

RANK = ("hold", "overridden", "caution", "declined", "not_assessed", "note", "met", "none")
"""Result states, worst first: a row of several rules shows its worst."""


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """One printed row: what, the value now, the target, the engine's result and the trend points."""

    label: str
    value: str
    target: str
    state: str
    detail: str
    points: tuple[tuple[float, float], ...] = ()
    threshold: float | None = None
    recorded_once: bool = False
    """True when the value was recorded at this visit only (the trend column says "first visit")."""


def rule_states(data: ReportInput) -> dict[str, str]:
    """Return each rule's result at this visit: hold, overridden, caution, note, met, not assessed."""
    decision: Decision = data.decision
    overridden = {o.rule_id for o in data.clinician_decision.overrides} if data.clinician_decision else set()
    states: dict[str, str] = {p.rule_id: "met" for p in decision.passed}
    for item in decision.not_assessed:
        states[item.rule_id] = "declined" if declined(data, item.missing) else "not_assessed"
    for finding in decision.notes:
        states[finding.rule_id] = "note"
    for finding in decision.cautions:
        states[finding.rule_id] = "caution"
    for finding in decision.holds:
        states[finding.rule_id] = "overridden" if finding.rule_id in overridden else "hold"
    return states


def declined(data: ReportInput, missing: Sequence[str]) -> bool:
    """True when the inputs are missing because the patient declined that form's examination."""
    forms = {path.split(".")[0] for path in missing}
    return any(data.results.text(f"{form}.exam_state") == "declined" for form in forms)


class Dashboard:
    """Builds the dashboard rows of one report input."""

    def __init__(self, data: ReportInput, rows: Sequence[Mapping[str, Any]]) -> None:
        self.data = data
        self.specs = rows
        self.states = rule_states(data)
        self.protocol = report_protocol(data)
        self.visits = tuple(
            v for v in (*data.earlier_visits, data.visit) if v.visit_date >= data.delivery.delivery_date
        )
        self.timed = data.layout.timed_fields + tuple(
            f.path for form in data.forms for f in form.fields if f.better == "lower"
        )
        self.derived = {o.path: o.display for o in data.decision.derived}

    def rows(self, not_recorded: str) -> list[DashboardRow]:
        """Return the rows whose value or rules apply to this visit."""
        out = []
        for spec in self.specs:
            row = self.row(spec, not_recorded)
            if row is not None:
                out.append(row)
        return out

    def row(self, spec: Mapping[str, Any], not_recorded: str) -> DashboardRow | None:
        """Return one row, or None when neither a value nor any of its rules is known."""
        rules = tuple(spec.get("rules", ()))
        known = [self.states[r] for r in rules if r in self.states]
        has_value = spec.get("special") == "weeks" or "derived" in spec or "paths" in spec
        if rules and not known and not has_value:
            return None
        state = min(known, key=RANK.index) if known else "none"
        if not has_value and state in ("declined", "not_assessed") and "met" in known:
            state = "met"  # a group row: one check not examined does not make the others' "none" unknown
        unit = self.unit(spec)
        threshold = self.threshold(spec)
        target = str(spec.get("target", "")) or (threshold.target() if threshold else "")
        points: tuple[tuple[float, float], ...] = ()
        detail = ""
        once = False
        if spec.get("special") == "weeks":
            value = weeks(self.data.decision.weeks_postpartum)
        elif "derived" in spec:
            value = self.derived.get(str(spec["derived"]), not_recorded)
        elif "paths" in spec:
            value, detail = self.current(spec, unit, not_recorded)
            points = self.trend(spec)
            once = not points and value != not_recorded
        else:
            fired = [r for r in rules if self.states.get(r) in ("hold", "overridden", "caution")]
            value = ", ".join(self.title(r) for r in fired) if fired else str(spec.get("clear", ""))
        if not known and value == not_recorded:
            return None
        return DashboardRow(
            str(spec["label"]),
            value,
            target,
            state,
            detail,
            points,
            threshold.value if threshold is not None and len(points) >= 2 else None,
            once,
        )

    def title(self, rule_id: str) -> str:
        """Return a rule's title from the decision (what fired), else its id."""
        decision = self.data.decision
        for finding in (*decision.holds, *decision.cautions, *decision.notes):
            if finding.rule_id == rule_id:
                return finding.title
        return rule_id

    def unit(self, spec: Mapping[str, Any]) -> str:
        """Return the row's unit: given, or the label of the unit recorded (inter-recti distances)."""
        if spec.get("unit_from"):
            recorded = self.data.results.text(str(spec["unit_from"]))
            if recorded is None:
                return ""
            return self.data.field_info(str(spec["unit_from"])).choice_labels.get(recorded, recorded)
        return str(spec.get("unit", ""))

    def threshold(self, spec: Mapping[str, Any]) -> Threshold | None:
        """Return the protocol threshold the row is judged against."""
        recorded = self.data.results.text(str(spec["unit_from"])) if spec.get("unit_from") else None
        return find_threshold(self.protocol, str(spec.get("threshold", "")), recorded or "")

    def combined(self, visit: Visit, spec: Mapping[str, Any]) -> float | None:
        """Return the row's single number at ``visit``: the max, min or weaker side of its paths."""
        how = str(spec.get("combine", "max"))
        values: list[float] = []
        for path in spec["paths"]:
            if how == "sides":
                values += [float(v) for v in visit.results.sided(str(path)).values()]
            else:
                found = series_value(visit.results, str(path), self.timed)
                if found is not None:
                    values.append(found)
        if not values:
            return None
        return max(values) if how == "max" else min(values)

    def current(self, spec: Mapping[str, Any], unit: str, not_recorded: str) -> tuple[str, str]:
        """Return the value now with its unit, and a detail (the sides, or which value it is)."""
        value = self.combined(self.data.visit, spec)
        if value is None:
            return not_recorded, ""
        shown = f"{number(value)} {unit}".strip() if unit != "%" else f"{number(value)} %"
        if spec.get("combine") == "sides":
            sides = self.data.results.sided(str(spec["paths"][0]))
            left, right = sides.get(Side.LEFT), sides.get(Side.RIGHT)
            if left is not None and right is not None:
                shown = f"L {number(left)} · R {number(right)} {unit}".strip()
        return shown, str(spec.get("detail", ""))

    def trend(self, spec: Mapping[str, Any]) -> tuple[tuple[float, float], ...]:
        """Return (weeks since birth, value) at each visit that recorded the row's values."""
        birth = self.data.delivery.delivery_date
        points = []
        for visit in self.visits:
            value = self.combined(visit, spec)
            if value is not None:
                points.append((weeks_postpartum(birth, visit.visit_date), value))
        return tuple(points) if len(points) >= 2 else ()
