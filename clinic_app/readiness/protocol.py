"""Load and validate a readiness protocol file (TOML) into frozen, typed settings.

The protocol is clinical content, so it lives in data (``protocols/default.toml``) and a clinic may
point the app at its own copy. Because a typo there would silently change clinical decisions, the
loader checks every key it uses and raises :class:`ProtocolError` naming the rule id and the key.
The code decides *how* each rule reads the visit; the file decides thresholds, directions, outcomes,
wording, sources and plan settings.
"""

from __future__ import annotations

import functools
import importlib.resources
import operator
import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic_app.readiness.decision import FindingKind, Status

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


class ProtocolError(ValueError):
    """A protocol file that cannot be used, with the rule (or section) and key at fault."""

    def __init__(self, where: str, key: str, message: str) -> None:
        super().__init__(f"protocol {where}, key '{key}': {message}")
        self.where = where
        self.key = key


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

    def rule(self, rule_id: str) -> RuleSpec:
        """Return the rule with ``rule_id``."""
        return self.rules[rule_id]

    def label(self, path: str) -> str:
        """Return the printed label of a field path (the path itself when none is set)."""
        return self.labels.get(path, path)


# --- loading -------------------------------------------------------------------------------------


def default_protocol_path() -> Path:
    """Return the path of the protocol shipped with the package."""
    resource = importlib.resources.files("clinic_app.readiness.protocols") / "default.toml"
    return Path(str(resource))


@functools.lru_cache(maxsize=1)
def default_protocol() -> Protocol:
    """Load (once) and return the shipped default protocol."""
    return load_protocol(default_protocol_path())


def load_protocol(path: str | Path) -> Protocol:
    """Read and validate a protocol file.

    Args:
        path: a TOML protocol file.

    Returns:
        The validated protocol.

    Raises:
        ProtocolError: if the file is missing, is not TOML, or a rule or section is invalid; the
            message names the rule id (or section) and the key.
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProtocolError("file", str(path), f"cannot be read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError("file", str(path), f"is not valid TOML ({exc})") from exc
    return parse_protocol(data)


def parse_protocol(data: Mapping[str, Any]) -> Protocol:
    """Validate a decoded protocol document (see :func:`load_protocol`)."""
    head = _table(data, "protocol", "[protocol]")
    sources = _str_map(data, "sources")
    raw_targets = _table(data, "referral_targets", "[referral_targets]")
    targets = {key: _text(_table(raw_targets, key, "[referral_targets]"), "name", f"[referral_targets.{key}]")
               for key in raw_targets}
    advice = _parse_advice(_table(data, "advice", "[advice]"))
    raw_rules = _table(data, "rules", "[rules]")
    unknown = sorted(set(raw_rules) - set(RULE_IDS))
    if unknown:
        raise ProtocolError(f"rule {unknown[0]}", "id", "is not a rule of §12 (no engine code for it)")
    rules: dict[str, RuleSpec] = {}
    for rule_id in RULE_IDS:
        if rule_id not in raw_rules:
            raise ProtocolError(f"rule {rule_id}", "rules", "is missing: every rule of §12 must be defined")
        rule = _parse_rule(rule_id, _table(raw_rules, rule_id, f"rule {rule_id}"))
        _cross_check(rule, sources, targets, advice)
        rules[rule_id] = rule
    return Protocol(
        id=_text(head, "id", "[protocol]"),
        version=_text(head, "version", "[protocol]"),
        title=_text(head, "title", "[protocol]"),
        disclaimer=_text(head, "disclaimer", "[protocol]"),
        rules=rules,
        sources=sources,
        labels=_str_map(data, "labels"),
        headlines=_parse_headlines(_table(data, "status", "[status]")),
        retest=_parse_retest(_table(data, "retest", "[retest]")),
        incomplete_heading=_text(_table(data, "incomplete", "[incomplete]"), "heading", "[incomplete]"),
        incomplete_text=_text(_table(data, "incomplete", "[incomplete]"), "text", "[incomplete]"),
        referral_targets=targets,
        compare=_parse_compare(_table(data, "compare", "[compare]")),
        plan=_parse_plan(_table(data, "plan", "[plan]")),
        advice=advice,
    )


def _parse_rule(rule_id: str, raw: Mapping[str, Any]) -> RuleSpec:
    where = f"rule {rule_id}"
    kind = _enum(raw, "kind", where, FindingKind)
    outcome_raw = raw.get("outcome")
    outcome = None if outcome_raw is None else _enum(raw, "outcome", where, Status)
    _check_kind_outcome(where, "kind", kind, outcome)
    family = _text(raw, "family", where)
    if family not in FAMILIES:
        raise ProtocolError(where, "family", f"'{family}' is not one of {', '.join(sorted(FAMILIES))}")
    overridable = _bool(raw, "overridable", where, default=False)
    if overridable and rule_id in NEVER_OVERRIDABLE:
        raise ProtocolError(where, "overridable", "symptom rules and T3 can never be overridden (§13)")
    raw_checks = raw.get("checks", {})
    if not isinstance(raw_checks, Mapping) or (family != "plan" and not raw_checks):
        raise ProtocolError(where, "checks", "must define at least one [rules.ID.checks.NAME] table")
    checks = {name: _parse_check(rule_id, name, _table(raw_checks, name, f"{where} check {name}"))
              for name in raw_checks}
    for name, check in checks.items():
        if check.kind is not None or check.outcome is not None:
            own_outcome = check.outcome if check.kind is not None else (check.outcome or outcome)
            _check_kind_outcome(f"{where} check {name}", "outcome", check.kind or kind, own_outcome)
    return RuleSpec(
        id=rule_id,
        title=_text(raw, "title", where),
        family=family,
        inputs=_str_list(raw, "inputs", where),
        kind=kind,
        outcome=outcome,
        overridable=overridable,
        gate=_bool(raw, "gate", where),
        source=_text(raw, "source", where),
        refs=_str_list(raw, "refs", where),
        confidence=_text(raw, "confidence", where),
        patient_text=_text(raw, "patient_text", where),
        passed_text=_text(raw, "passed_text", where, allow_empty=True),
        checks=checks,
        advice=_optional_text(raw, "advice", where),
        refer_to=_str_list(raw, "refer_to", where, required=False),
        urgent=_bool(raw, "urgent", where, default=False),
    )


def _parse_check(rule_id: str, name: str, raw: Mapping[str, Any]) -> CheckSpec:
    where = f"rule {rule_id} check {name}"
    comparison = _text(raw, "comparison", where)
    if comparison not in COMPARISONS:
        raise ProtocolError(where, "comparison", f"'{comparison}' is not one of {', '.join(COMPARISONS)}")
    threshold = _parse_threshold(where, comparison, raw.get("threshold"))
    text = _text(raw, "text", where)
    _check_template(where, "text", text)
    kind = raw.get("kind")
    outcome = raw.get("outcome")
    return CheckSpec(
        name=name,
        comparison=comparison,
        threshold=threshold,
        unit=_optional_text(raw, "unit", where) or "",
        text=text,
        inputs=_str_list(raw, "inputs", where, required=False),
        kind=None if kind is None else _enum(raw, "kind", where, FindingKind),
        outcome=None if outcome is None else _enum(raw, "outcome", where, Status),
        refer_to=_str_list(raw, "refer_to", where, required=False),
        patient_text=_optional_text(raw, "patient_text", where) or "",
    )


def _parse_threshold(where: str, comparison: str, value: Any) -> Threshold:
    if comparison in ("lt", "le", "gt", "ge"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProtocolError(where, "threshold", f"'{comparison}' needs a number, not {value!r}")
        return value
    if comparison in ("contains", "in"):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ProtocolError(where, "threshold", f"'{comparison}' needs a non-empty list of choice ids")
        return tuple(value)
    if comparison in ("eq", "ne"):
        if not isinstance(value, bool | int | float | str):
            raise ProtocolError(where, "threshold", f"'{comparison}' needs a value to compare with")
        return value
    if value is not None:
        raise ProtocolError(where, "threshold", f"'{comparison}' takes no threshold")
    return None


def _check_kind_outcome(where: str, key: str, kind: FindingKind, outcome: Status | None) -> None:
    if kind is FindingKind.HOLD and outcome not in HOLD_STATUSES:
        allowed = ", ".join(s.value for s in Status if s in HOLD_STATUSES)
        raise ProtocolError(where, key, f"a hold needs an outcome of {allowed}, not {outcome}")
    if kind is FindingKind.CAUTION and outcome not in (None, Status.READY_WITH_CAUTIONS):
        raise ProtocolError(where, key, "a caution's outcome can only be READY_WITH_CAUTIONS")


def _check_template(where: str, key: str, text: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ProtocolError(where, key, f"is not a valid template ({exc})") from exc
    unknown = names - TEMPLATE_FIELDS
    if unknown:
        raise ProtocolError(where, key, f"unknown placeholder {{{sorted(unknown)[0]}}}; "
                            f"allowed: {', '.join(sorted(TEMPLATE_FIELDS))}")


def _cross_check(rule: RuleSpec, sources: Mapping[str, str], targets: Mapping[str, str],
                 advice: Mapping[str, AdviceSpec]) -> None:
    where = f"rule {rule.id}"
    for ref in rule.refs:
        if ref not in sources:
            raise ProtocolError(where, "refs", f"'{ref}' is not defined in [sources]")
    if rule.advice is not None and rule.advice not in advice:
        raise ProtocolError(where, "advice", f"'{rule.advice}' is not defined in [advice]")
    for target in (*rule.refer_to, *(t for c in rule.checks.values() for t in c.refer_to)):
        if target not in targets:
            raise ProtocolError(where, "refer_to", f"'{target}' is not defined in [referral_targets]")


def _parse_headlines(raw: Mapping[str, Any]) -> dict[Status, tuple[str, str]]:
    out: dict[Status, tuple[str, str]] = {}
    for status in Status:
        table = _table(raw, status.value, "[status]")
        where = f"[status.{status.value}]"
        out[status] = (_text(table, "headline", where), _text(table, "patient_headline", where))
    return out


def _parse_retest(raw: Mapping[str, Any]) -> dict[Status, int]:
    out: dict[Status, int] = {}
    for key, value in raw.items():
        try:
            status = Status(key)
        except ValueError as exc:
            raise ProtocolError("[retest]", key, "is not a status") from exc
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 52:
            raise ProtocolError("[retest]", key, "must be a whole number of weeks from 1 to 52")
        out[status] = value
    return out


COMPARE_KEYS = ("ird_cm", "ird_mm", "ird_finger_widths", "hop_lsi_pct", "strength_reps", "mos_grades",
                "iciq_points", "pfdi_points")


def _parse_compare(raw: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in COMPARE_KEYS:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ProtocolError("[compare]", key, "must be a positive number")
        out[key] = float(value)
    return out


def _parse_stages(raw: Any, where: str) -> tuple[StageSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise ProtocolError(where, "stages", "must be a non-empty list of [[stages]] tables")
    stages = []
    for index, item in enumerate(raw, start=1):
        at = f"{where} stage {index}"
        if not isinstance(item, Mapping):
            raise ProtocolError(at, "stage", "must be a table")
        run, walk = _number(item, "run_minutes", at), _number(item, "walk_minutes", at)
        if run <= 0 or walk < 0:
            raise ProtocolError(at, "run_minutes", "run time must be above 0 and walk time not negative")
        repeats, sessions = _int(item, "repeats", at), _int(item, "sessions", at)
        if repeats < 1 or sessions < 1:
            raise ProtocolError(at, "repeats", "repeats and sessions must be at least 1")
        stages.append(StageSpec(_text(item, "title", at), run, walk, repeats, sessions,
                                _optional_text(item, "note", at) or ""))
    return tuple(stages)


def _parse_plan(raw: Mapping[str, Any]) -> PlanSettings:
    where = "[plan]"
    stages = _parse_stages(raw.get("stages"), where)
    if stages[-1].walk_minutes != 0:
        raise ProtocolError(where, "stages", "the last stage must be continuous running (walk_minutes = 0)")
    per_week = _int(raw, "sessions_per_week", where)
    if not 1 <= per_week <= 4:
        raise ProtocolError(where, "sessions_per_week", "must be 1–4 (sessions on non-consecutive days)")
    conservative = _table(raw, "conservative", where)
    extra = _int(conservative, "extra_sessions_per_stage", "[plan.conservative]")
    if extra < 0:
        raise ProtocolError("[plan.conservative]", "extra_sessions_per_stage", "cannot be negative")
    first = conservative.get("first_stages", [])
    return PlanSettings(
        title=_text(raw, "title", where),
        intro=_text(raw, "intro", where),
        sessions_per_week=per_week,
        schedule_rule=_text(raw, "schedule_rule", where),
        progression_rules=_str_list(raw, "progression_rules", where),
        stop_rules=_str_list(raw, "stop_rules", where),
        stages=stages,
        conservative_intro=_text(conservative, "intro", "[plan.conservative]"),
        conservative_first_stages=_parse_stages(first, "[plan.conservative]") if first else (),
        conservative_extra_sessions=extra,
    )


def _parse_advice(raw: Mapping[str, Any]) -> dict[str, AdviceSpec]:
    out: dict[str, AdviceSpec] = {}
    for key in raw:
        where = f"[advice.{key}]"
        table = _table(raw, key, where)
        retest = table.get("retest_weeks")
        if retest is not None and (isinstance(retest, bool) or not isinstance(retest, int) or retest < 1):
            raise ProtocolError(where, "retest_weeks", "must be a whole number of weeks, at least 1")
        out[key] = AdviceSpec(key, _text(table, "heading", where), _text(table, "text", where),
                              _str_list(table, "exercises", where, required=False), retest)
    return out


# --- typed getters -------------------------------------------------------------------------------


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise ProtocolError(where, key, "is missing or is not a table")
    return value


def _text(data: Mapping[str, Any], key: str, where: str, *, allow_empty: bool = False) -> str:
    value = data.get(key)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise ProtocolError(where, key, "is required and must be text")
    return value


def _optional_text(data: Mapping[str, Any], key: str, where: str) -> str | None:
    if data.get(key) is None:
        return None
    return _text(data, key, where)


def _bool(data: Mapping[str, Any], key: str, where: str, *, default: bool | None = None) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ProtocolError(where, key, "must be true or false")
    return value


def _number(data: Mapping[str, Any], key: str, where: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProtocolError(where, key, "must be a number")
    return float(value)


def _int(data: Mapping[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProtocolError(where, key, "must be a whole number")
    return value


def _str_list(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> tuple[str, ...]:
    value = data.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError(where, key, "must be a list of text")
    return tuple(value)


def _str_map(data: Mapping[str, Any], key: str) -> dict[str, str]:
    table = _table(data, key, f"[{key}]")
    for name, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise ProtocolError(f"[{key}]", name, "must be non-empty text")
    return dict(table)


def _enum(data: Mapping[str, Any], key: str, where: str, enum: Any) -> Any:
    value = data.get(key)
    try:
        return enum(value)
    except ValueError as exc:
        allowed = ", ".join(member.value for member in enum)
        raise ProtocolError(where, key, f"'{value}' is not one of {allowed}") from exc
