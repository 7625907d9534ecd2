"""Load and validate a readiness protocol file (TOML) into frozen, typed settings.

The protocol is clinical content, so it lives in data (``protocols/default.toml``) and a clinic may
point the app at its own copy. Because a typo there would silently change clinical decisions, the
loader checks every key it uses and raises :class:`ProtocolError` naming the rule id (or section)
and the key. The settings types live in :mod:`clinic_app.readiness.rulespec` and are re-exported.
"""

from __future__ import annotations

import functools
import importlib.resources
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from clinic_app.assessment.formtypes import FormCatalogue
from clinic_app.assessment.spec import load_forms
from clinic_app.readiness.decision import FindingKind, Status
from clinic_app.readiness.minimum import check_against_forms, parse_minimum
from clinic_app.readiness.progression import breaks_limit, ladder, steepest_rise, weekly_running_minutes
from clinic_app.readiness.rulespec import (
    COMPARISONS,
    FAMILIES,
    HOLD_STATUSES,
    NEVER_OVERRIDABLE,
    RULE_IDS,
    TEMPLATE_FIELDS,
    AdviceSpec,
    CheckSpec,
    Minimum,
    PlanSettings,
    Protocol,
    ProtocolError,
    RuleSpec,
    StageSpec,
    Threshold,
)
from clinic_app.readiness.tailoring import parse_tailoring

__all__ = [
    "COMPARISONS",
    "NEVER_OVERRIDABLE",
    "RULE_IDS",
    "AdviceSpec",
    "CheckSpec",
    "PlanSettings",
    "Protocol",
    "ProtocolError",
    "RuleSpec",
    "StageSpec",
    "default_protocol",
    "default_protocol_path",
    "load_protocol",
    "parse_protocol",
]


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


@functools.lru_cache(maxsize=1)
def _bundled_forms() -> FormCatalogue:
    """The forms shipped with the app, read once: the labels and fields a protocol refers to."""
    return load_forms()


def parse_protocol(data: Mapping[str, Any], forms: FormCatalogue | None = None) -> Protocol:
    """Validate a decoded protocol document (see :func:`load_protocol`).

    Args:
        data: the decoded TOML.
        forms: the assessment forms the rules read (default: the bundled forms); every input a
            rule names must be one of their fields or a record path, so it has a printed label.
    """
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
    protocol = Protocol(
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
        forms=forms if forms is not None else _bundled_forms(),
        tailoring=parse_tailoring(data),
    )
    for rule in rules.values():
        _check_paths(rule, protocol)
    return protocol


def _check_paths(rule: RuleSpec, protocol: Protocol) -> None:
    """Every input and minimum of a rule names a field of the forms or a record path."""
    for path in (*rule.inputs, *(p for c in rule.checks.values() for p in c.inputs)):
        if not protocol.knows(path):
            raise ProtocolError(f"rule {rule.id}", "inputs", f"'{path}' is not a field of the forms")
    check_against_forms(rule.id, rule.assessed, protocol)


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
    inputs = _str_list(raw, "inputs", where)
    assessed = parse_minimum(rule_id, raw.get("assessed"), inputs) if family != "plan" else Minimum()
    for name, check in checks.items():
        if check.kind is not None or check.outcome is not None:
            own_outcome = check.outcome if check.kind is not None else (check.outcome or outcome)
            _check_kind_outcome(f"{where} check {name}", "outcome", check.kind or kind, own_outcome)
    return RuleSpec(
        id=rule_id,
        title=_text(raw, "title", where),
        family=family,
        inputs=inputs,
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
        assessed=assessed,
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
    limit = _number(raw, "max_weekly_increase", where)
    if not 0 < limit <= 1:
        raise ProtocolError(where, "max_weekly_increase", "must be above 0 and at most 1 (0.10 = 10 %)")
    settings = PlanSettings(
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
        max_weekly_increase=limit,
    )
    for gentle, name in ((False, "stages"), (True, "conservative")):
        rise = steepest_rise(weekly_running_minutes(ladder(settings, conservative=gentle), per_week))
        if breaks_limit(rise, limit) and rise is not None:
            raise ProtocolError(where, name, f"week {rise.week} raises running minutes by "
                                f"{(rise.factor - 1) * 100:.0f} %, more than max_weekly_increase "
                                f"({limit * 100:g} %, rule G2): resize the stages")
    return settings


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
