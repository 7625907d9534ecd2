"""Parse and check one rule of a protocol file: its checks, thresholds, templates and references.

Split from :mod:`protocol` so the loading of rules, of the other sections and of the wording each
stay small; :func:`clinic_app.readiness.protocol.parse_protocol` calls them in turn.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from clinic_app.readiness.decision import FindingKind, Status
from clinic_app.readiness.minimum import check_against_forms, parse_minimum
from clinic_app.readiness.protocolfields import (
    need_bool,
    need_enum,
    need_table,
    need_text,
    opt_text,
    str_list,
)
from clinic_app.readiness.rulespec import (
    COMPARISONS,
    FAMILIES,
    HOLD_STATUSES,
    NEVER_OVERRIDABLE,
    TEMPLATE_FIELDS,
    AdviceSpec,
    CheckSpec,
    Minimum,
    Protocol,
    ProtocolError,
    RuleSpec,
    Threshold,
)


def check_paths(rule: RuleSpec, protocol: Protocol) -> None:
    """Every input and minimum of a rule names a field of the forms or a record path."""
    for path in (*rule.inputs, *(p for c in rule.checks.values() for p in c.inputs)):
        if not protocol.knows(path):
            raise ProtocolError(f"rule {rule.id}", "inputs", f"'{path}' is not a field of the forms")
    check_against_forms(rule.id, rule.assessed, protocol)


def parse_rule(rule_id: str, raw: Mapping[str, Any]) -> RuleSpec:
    """Read one ``[rules.ID]`` table: kind, outcome, family, checks, inputs and minimum."""
    where = f"rule {rule_id}"
    kind = need_enum(raw, "kind", where, FindingKind)
    outcome_raw = raw.get("outcome")
    outcome = None if outcome_raw is None else need_enum(raw, "outcome", where, Status)
    _check_kind_outcome(where, "kind", kind, outcome)
    family = need_text(raw, "family", where)
    if family not in FAMILIES:
        raise ProtocolError(where, "family", f"'{family}' is not one of {', '.join(sorted(FAMILIES))}")
    overridable = need_bool(raw, "overridable", where, default=False)
    if overridable and rule_id in NEVER_OVERRIDABLE:
        raise ProtocolError(where, "overridable", "symptom rules and T3 can never be overridden (§13)")
    raw_checks = raw.get("checks", {})
    if not isinstance(raw_checks, Mapping) or (family != "plan" and not raw_checks):
        raise ProtocolError(where, "checks", "must define at least one [rules.ID.checks.NAME] table")
    checks = {
        name: _parse_check(rule_id, name, need_table(raw_checks, name, f"{where} check {name}"))
        for name in raw_checks
    }
    inputs = str_list(raw, "inputs", where)
    assessed = parse_minimum(rule_id, raw.get("assessed"), inputs) if family != "plan" else Minimum()
    for name, check in checks.items():
        if check.kind is not None or check.outcome is not None:
            own_outcome = check.outcome if check.kind is not None else (check.outcome or outcome)
            _check_kind_outcome(f"{where} check {name}", "outcome", check.kind or kind, own_outcome)
    return RuleSpec(
        id=rule_id,
        title=need_text(raw, "title", where),
        family=family,
        inputs=inputs,
        kind=kind,
        outcome=outcome,
        overridable=overridable,
        gate=need_bool(raw, "gate", where),
        source=need_text(raw, "source", where),
        refs=str_list(raw, "refs", where),
        confidence=need_text(raw, "confidence", where),
        patient_text=need_text(raw, "patient_text", where),
        passed_text=need_text(raw, "passed_text", where, allow_empty=True),
        checks=checks,
        advice=opt_text(raw, "advice", where),
        refer_to=str_list(raw, "refer_to", where, required=False),
        urgent=need_bool(raw, "urgent", where, default=False),
        assessed=assessed,
    )


def _parse_check(rule_id: str, name: str, raw: Mapping[str, Any]) -> CheckSpec:
    where = f"rule {rule_id} check {name}"
    comparison = need_text(raw, "comparison", where)
    if comparison not in COMPARISONS:
        raise ProtocolError(where, "comparison", f"'{comparison}' is not one of {', '.join(COMPARISONS)}")
    threshold = _parse_threshold(where, comparison, raw.get("threshold"))
    text = need_text(raw, "text", where)
    _check_template(where, "text", text)
    kind = raw.get("kind")
    outcome = raw.get("outcome")
    return CheckSpec(
        name=name,
        comparison=comparison,
        threshold=threshold,
        unit=opt_text(raw, "unit", where) or "",
        text=text,
        inputs=str_list(raw, "inputs", where, required=False),
        kind=None if kind is None else need_enum(raw, "kind", where, FindingKind),
        outcome=None if outcome is None else need_enum(raw, "outcome", where, Status),
        refer_to=str_list(raw, "refer_to", where, required=False),
        patient_text=opt_text(raw, "patient_text", where) or "",
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
        raise ProtocolError(
            where,
            key,
            f"unknown placeholder {{{sorted(unknown)[0]}}}; allowed: {', '.join(sorted(TEMPLATE_FIELDS))}",
        )


def cross_check(
    rule: RuleSpec, sources: Mapping[str, str], targets: Mapping[str, str], advice: Mapping[str, AdviceSpec]
) -> None:
    """Every source, advice entry and referral target a rule names is defined in its section."""
    where = f"rule {rule.id}"
    for ref in rule.refs:
        if ref not in sources:
            raise ProtocolError(where, "refs", f"'{ref}' is not defined in [sources]")
    if rule.advice is not None and rule.advice not in advice:
        raise ProtocolError(where, "advice", f"'{rule.advice}' is not defined in [advice]")
    for target in (*rule.refer_to, *(t for c in rule.checks.values() for t in c.refer_to)):
        if target not in targets:
            raise ProtocolError(where, "refer_to", f"'{target}' is not defined in [referral_targets]")
