"""The protocol thresholds the clinician summary prints: beside key values and on trend charts.

A reference is ``RULE.check`` or ``RULE.*`` (the check named after the unit recorded, as the
inter-recti distance has one per unit). The value, its unit and its rule id come from the protocol
the decision was made under, never from the report's own files, so a report cannot disagree with
the rule that decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clinic_app.reporting.formatting import number, weeks_days

if TYPE_CHECKING:
    from clinic_app.readiness.protocol import Protocol
    from clinic_app.reporting.inputs import ReportInput

_TARGET = {"lt": "≥", "le": ">", "gt": "≤", "ge": "<", "eq": "≠"}
"""A check's comparison says when the rule fires; the target a patient meets is its negation."""
_FIRES = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥", "eq": "="}


@dataclass(frozen=True, slots=True)
class Threshold:
    """One numeric protocol threshold."""

    rule_id: str
    value: float
    comparison: str
    unit: str

    def amount(self) -> str:
        """Return the value with its unit (``2 cm``, ``12 weeks``, ``90 %``)."""
        if self.unit == "weeks":
            return weeks_days(round(self.value * 7))
        return f"{number(self.value, 2)} {self.unit.replace('_', '-')}".strip()

    def target(self) -> str:
        """Return what meets the check (``≥ 12 weeks``, ``≤ 2 cm``; ``≥ 3``, not ``> 2``, on a score)."""
        if self.comparison in ("le", "ge") and self.unit in ("", "reps") and self.value == int(self.value):
            whole = int(self.value) + (1 if self.comparison == "le" else -1)
            sign = "≥" if self.comparison == "le" else "≤"
            return f"{sign} {whole} {self.unit}".strip() if whole > 0 else f"0 {self.unit}".strip()
        return f"{_TARGET.get(self.comparison, '')} {self.amount()}".strip()

    def fires(self) -> str:
        """Return when the rule fires (``< 12 weeks``)."""
        return f"{_FIRES.get(self.comparison, '')} {self.amount()}".strip()

    def label(self) -> str:
        """Return the chart legend of the threshold line (``2 cm (O2)``)."""
        return f"{self.amount()} ({self.rule_id})"


def report_protocol(data: ReportInput) -> Protocol | None:
    """Return the protocol of the report's decision: the one given, else the bundled one if it matches."""
    if data.protocol is not None:
        return data.protocol
    from clinic_app.readiness.protocol import default_protocol

    bundled = default_protocol()
    return bundled if bundled.id == data.decision.protocol_id else None


def find_threshold(protocol: Protocol | None, reference: str, unit_recorded: str = "") -> Threshold | None:
    """Return the numeric threshold ``reference`` names, or None when the protocol has none."""
    if protocol is None or not reference:
        return None
    rule_id, _, check_name = reference.partition(".")
    rule = protocol.rules.get(rule_id)
    if rule is None:
        return None
    check = rule.checks.get(unit_recorded if check_name == "*" else check_name)
    value = check.threshold if check is not None else None
    if check is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Threshold(rule_id, float(value), check.comparison, check.unit)
