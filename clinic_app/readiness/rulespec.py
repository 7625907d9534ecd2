"""The typed, frozen form of a readiness protocol: rules, checks, plan, advice (see protocol.py).

The code decides *how* each rule reads the visit; these settings, loaded from the protocol file,
decide thresholds, comparison directions, outcomes, wording, sources and plan settings.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clinic_app.assessment.formtypes import FormCatalogue
from clinic_app.readiness.decision import FindingKind, Status
from clinic_app.readiness.protocolerror import ProtocolError as ProtocolError

if TYPE_CHECKING:
    from clinic_app.readiness.tailoring import Tailoring
    from clinic_app.readiness.wording import Wording

RULE_IDS: tuple[str, ...] = (
    "T1", "T2", "T3", "T4",
    "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9",
    "O1", "O2", "O3", "O4", "O5",
    "M1", "M2",
    "L1", "L2", "L3", "L4", "L5", "L6", "L7",
    "S1", "S2", "S3", "S4",
    "H1", "H2", "J1", "J2",
    "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8",
    "B1", "G1", "G2", "G3",
)  # fmt: skip
"""Every rule of CLINICAL.md §12; a protocol must define each one and no other."""

NEVER_OVERRIDABLE: frozenset[str] = frozenset(
    {"T3", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "M1", "M2", "O3"}
    | {f"L{n}" for n in range(1, 8)}
)
"""Symptom rules and the 3-week floor: CLINICAL.md §13.1 and §13.3 make them binding, not settings."""

COMPARISONS: dict[str, str] = {
    "lt": "<", "le": "≤", "gt": ">", "ge": "≥", "eq": "=", "ne": "≠",
    "is_true": "", "any_true": "", "contains": "includes", "in": "is one of",
}  # fmt: skip
"""Comparison names and the operator printed in explanations; the check fires when it holds."""

_ORDERED: dict[str, Callable[[Any, Any], Any]] = {"lt": operator.lt, "le": operator.le, "gt": operator.gt,
                                                  "ge": operator.ge}
_NUMBERS = (int, float)

FAMILIES = frozenset({"time", "symptoms", "objective", "function", "risk", "plan"})
HOLD_STATUSES = frozenset({Status.REFER, Status.NOT_READY, Status.NOT_YET_TIME, Status.NOT_READY_FUNCTION})
TEMPLATE_FIELDS = frozenset({"value", "threshold", "op", "where"})

Threshold = bool | int | float | str | tuple[str, ...] | None

RECORD_PATHS: dict[str, str] = {
    "delivery.date": "date of the birth",
    "visit.date": "date of the visit",
    "delivery.mode": "mode of birth",
    "delivery.perineal_trauma": "perineal trauma",
}
"""Inputs that belong to the visit record itself, always present (a visit file cannot omit them),
with the words used when no ``[labels]`` entry names them."""

_SIDES = ("left", "right")


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One threshold test inside a rule; ``kind``/``outcome`` None means "as the rule"."""

    name: str
    comparison: str
    threshold: Threshold
    unit: str
    text: str
    inputs: tuple[str, ...] = ()
    kind: FindingKind | None = None
    outcome: Status | None = None
    refer_to: tuple[str, ...] = ()
    patient_text: str = ""

    @property
    def op(self) -> str:
        """The operator as printed (``>``, ``≥`` …)."""
        return COMPARISONS[self.comparison]

    def fires(self, value: object) -> bool:
        """Return True when ``value`` meets the firing condition (inequalities exactly as written)."""
        c, t = self.comparison, self.threshold
        ordered = _ORDERED.get(c)
        if ordered is not None:
            # Exact classes: a yes/no (bool) or a text value never compares as a number.
            return value.__class__ in _NUMBERS and t.__class__ in _NUMBERS and bool(ordered(value, t))
        if c in ("is_true", "any_true"):
            return value is True
        if c == "eq":
            return value == t
        if c == "ne":
            return value != t
        if c == "contains":
            return isinstance(value, tuple) and isinstance(t, tuple) and any(v in t for v in value)
        return c == "in" and isinstance(t, tuple) and value in t

    def show(self, number: float) -> str:
        """Format a number as this check prints it: the threshold's decimals, with its unit."""
        decimals = 1 if isinstance(self.threshold, float) else 0
        text = f"{number:.{decimals}f}"
        if float(text) != round(number, 2):
            text = f"{number:.2f}".rstrip("0").rstrip(".")
        return f"{text} {self.unit}".strip()

    @property
    def threshold_text(self) -> str:
        """The threshold as printed (``"2.0 cm"``, ``"20 reps"``)."""
        t = self.threshold
        if isinstance(t, bool) or t is None:
            return ""
        if isinstance(t, int | float):
            return self.show(float(t))
        if isinstance(t, tuple):
            return ", ".join(t)
        return t


@dataclass(frozen=True, slots=True)
class Requirement:
    """One input a rule needs before it counts as assessed (``[rules.ID.assessed]``).

    Attributes:
        path: the field path (``form.field`` or ``form.field.left``), or a record path.
        values: when set, the input must hold one of these values (a choice id, or true/false);
            empty: any recorded value will do.
    """

    path: str
    values: tuple[bool | str, ...] = ()


@dataclass(frozen=True, slots=True)
class Minimum:
    """The least a rule must have recorded to be judged, as the protocol declares it.

    Attributes:
        needs: every one of these must be recorded.
        one_of: alternatives, at least one of which must be recorded in full (e.g. any hop test
            with both sides); empty: no alternatives.
        when: extra needs that depend on a recorded choice: field path → choice id → needs
            (e.g. the POP-Q points when the staging system is POP-Q).
        note: how the rule treats what is recorded beyond the minimum, in words (printed by
            ``forms show`` and the docs).
    """

    needs: tuple[Requirement, ...] = ()
    one_of: tuple[tuple[Requirement, ...], ...] = ()
    when: Mapping[str, Mapping[str, tuple[Requirement, ...]]] = field(default_factory=dict)
    note: str = ""

    def paths(self) -> tuple[str, ...]:
        """Every path the declaration names, in order, each once."""
        found = [r.path for r in self.needs]
        found += [r.path for group in self.one_of for r in group]
        found += [r.path for cases in self.when.values() for needs in cases.values() for r in needs]
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule of CLINICAL.md §12 as the protocol sets it."""

    id: str
    title: str
    family: str
    inputs: tuple[str, ...]
    kind: FindingKind
    outcome: Status | None
    overridable: bool
    gate: bool
    source: str
    refs: tuple[str, ...]
    confidence: str
    patient_text: str
    passed_text: str
    checks: Mapping[str, CheckSpec]
    advice: str | None = None
    refer_to: tuple[str, ...] = ()
    urgent: bool = False
    assessed: Minimum = field(default_factory=Minimum)
    """What must be recorded before the rule is judged; anything less is listed as not assessed."""

    def check(self, name: str) -> CheckSpec:
        """Return the named check (the loader guarantees the ones the engine reads exist)."""
        return self.checks[name]

    def kind_of(self, check: CheckSpec) -> FindingKind:
        """The kind a firing of ``check`` produces."""
        return check.kind or self.kind

    def status_of(self, check: CheckSpec) -> Status | None:
        """The status a firing of ``check`` imposes (None for notes)."""
        kind = self.kind_of(check)
        if kind is FindingKind.NOTE:
            return None
        if kind is FindingKind.CAUTION:
            return Status.READY_WITH_CAUTIONS
        return check.outcome or self.outcome


@dataclass(frozen=True, slots=True)
class StageSpec:
    """One stage of the walk–run ladder as written in the protocol."""

    title: str
    run_minutes: float
    walk_minutes: float
    repeats: int
    sessions: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class PlanSettings:
    """Walk–run plan settings (G1–G3)."""

    title: str
    intro: str
    sessions_per_week: int
    schedule_rule: str
    progression_rules: tuple[str, ...]
    stop_rules: tuple[str, ...]
    stages: tuple[StageSpec, ...]
    conservative_intro: str
    conservative_first_stages: tuple[StageSpec, ...]
    conservative_extra_sessions: int
    max_weekly_increase: float = 0.10
    """G2: the largest week-on-week rise of running minutes the stages may make (0.10 = 10 %)."""


@dataclass(frozen=True, slots=True)
class AdviceSpec:
    """Patient-facing exercise advice for one failed criterion or caution."""

    key: str
    heading: str
    text: str
    exercises: tuple[str, ...]
    retest_weeks: int | None = None


@dataclass(frozen=True, slots=True)
class Protocol:
    """A validated protocol: rules, wording, plan, advice, referral targets and comparison limits."""

    id: str
    version: str
    title: str
    disclaimer: str
    rules: Mapping[str, RuleSpec]
    sources: Mapping[str, str]
    labels: Mapping[str, str]
    headlines: Mapping[Status, tuple[str, str]]
    """Clinician and patient headline per status."""
    retest: Mapping[Status, int]
    incomplete_heading: str
    incomplete_text: str
    referral_targets: Mapping[str, str]
    compare: Mapping[str, float]
    plan: PlanSettings
    advice: Mapping[str, AdviceSpec]
    wording: Wording
    """The words the rules and the follow-up comparison print (``[wording]``, :mod:`wording`)."""
    forms: FormCatalogue | None = None
    """The assessment forms, for the labels of fields the ``[labels]`` table does not name."""
    tailoring: Tailoring | None = None
    """When each advice entry applies and how it changes for the person (:mod:`tailoring`)."""

    def rule(self, rule_id: str) -> RuleSpec:
        """Return the rule with ``rule_id``."""
        return self.rules[rule_id]

    def label(self, path: str) -> str:
        """Return the printed label of a field path.

        The protocol's ``[labels]`` come first, then the field's label in the forms (a side is
        added in brackets), then the words for a record path; a path is returned unchanged only
        when it names nothing at all (the loader refuses such paths in a rule's inputs).
        """
        own = self.labels.get(path)
        if own is not None:
            return own
        base, _, side = path.rpartition(".")
        if side in _SIDES and base.count(".") == 1:
            return f"{self.label(base)} ({side})"
        spec = self.forms.field_by_path(path) if self.forms is not None else None
        if spec is not None:
            return spec.label
        return RECORD_PATHS.get(path, path)

    def value_label(self, path: str, value: bool | str) -> str:
        """Return how a recorded value reads: a choice's label, or yes / no."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        spec = self.forms.field_by_path(path) if self.forms is not None else None
        return spec.choice_label(value) if spec is not None else value

    def knows(self, path: str) -> bool:
        """True when ``path`` is a record path or a field (or side of a sided field) of the forms."""
        if path in RECORD_PATHS:
            return True
        return self.forms is not None and self.forms.field_by_path(path) is not None
