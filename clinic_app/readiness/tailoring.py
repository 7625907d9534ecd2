"""How the protocol fits advice to the decision and the person (issue 13: advice that fits).

The protocol's ``[advice.KEY]`` entries say *what* to advise for a rule; this module reads the extra
keys that say *when*, so the same entry never tells someone who leaks to hop, someone with a pessary
to ask about one, or someone who may not run yet how to pace her runs:

* ``applies = "running"`` keeps an entry only when the final status lets her run (READY,
  READY_WITH_CAUTIONS); ``"not_running"`` only when it does not; absent means always.
* ``only_if = ["NAME", …]`` keeps an entry only when one of the named conditions holds.
* ``[advice.KEY.instead.NAME]`` replaces the entry's ``heading``, ``text`` and/or ``exercises`` when
  the condition ``NAME`` holds (the first one listed wins).

Conditions are named in ``[advice_conditions.NAME]``: ``rules`` (any of these rules fired, as a hold,
caution or note) and/or ``values`` (a recorded value, or one of a multiple choice, is one of these).
``[plan] review_weeks`` and ``[plan.conservative] review_weeks`` give the check-up after a plan starts.
Everything is checked when the protocol loads, like the rest of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clinic_app.readiness.protocolerror import ProtocolError

APPLIES = ("always", "running", "not_running")


@dataclass(frozen=True, slots=True)
class Condition:
    """A fact about the person that changes the advice (she leaks, she uses a support device…)."""

    name: str
    rules: tuple[str, ...] = ()
    values: Mapping[str, tuple[object, ...]] = field(default_factory=dict)

    def holds(self, fired: frozenset[str], facts: Mapping[str, object]) -> bool:
        """True when one of the rules fired or one recorded value is among the accepted ones."""
        if fired.intersection(self.rules):
            return True
        for path, accepted in self.values.items():
            value = facts.get(path)
            recorded = value if isinstance(value, tuple) else (value,)
            if any(v is not None and _same(v, a) for v in recorded for a in accepted):
                return True
        return False


def _same(value: object, accepted: object) -> bool:
    """Compare a recorded value with an accepted one; a yes/no answer only matches a yes/no."""
    if isinstance(value, bool) or isinstance(accepted, bool):
        return value is accepted
    return value == accepted


@dataclass(frozen=True, slots=True)
class Variant:
    """Wording that replaces an advice entry's own when its condition holds."""

    condition: str
    heading: str | None = None
    text: str | None = None
    exercises: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Fit:
    """When one advice entry applies and how it changes for the person."""

    applies: str = "always"
    only_if: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()


@dataclass(frozen=True, slots=True)
class Tailoring:
    """Every advice entry's fit, the named conditions and the review after a plan starts."""

    conditions: Mapping[str, Condition] = field(default_factory=dict)
    fits: Mapping[str, Fit] = field(default_factory=dict)
    review_weeks: int | None = None
    conservative_review_weeks: int | None = None

    def fit(self, key: str) -> Fit:
        """Return the fit of advice entry ``key`` (always, unchanged, when it declares none)."""
        return self.fits.get(key, Fit())


def parse_tailoring(data: Mapping[str, Any]) -> Tailoring:
    """Read the conditions, each advice entry's fit and the review weeks from a decoded protocol.

    Raises:
        ProtocolError: an unknown ``applies``, a condition used but not defined, or a bad value.
    """
    conditions = {name: _condition(name, table) for name, table in _tables(data, "advice_conditions")}
    fits: dict[str, Fit] = {}
    for key, table in _tables(data, "advice"):
        where = f"[advice.{key}]"
        applies = table.get("applies", "always")
        if applies not in APPLIES:
            raise ProtocolError(where, "applies", f"must be one of {', '.join(APPLIES)}")
        only_if = _names(table.get("only_if", []), where, "only_if", conditions)
        variants = tuple(_variant(name, spec, where, conditions)
                         for name, spec in _tables(table, "instead", where))
        if applies != "always" or only_if or variants:
            fits[key] = Fit(applies, only_if, variants)
    plan = data.get("plan", {})
    gentle = plan.get("conservative", {}) if isinstance(plan, Mapping) else {}
    return Tailoring(
        conditions,
        fits,
        _weeks(plan, "[plan]"),
        _weeks(gentle, "[plan.conservative]"),
    )


def _tables(data: Mapping[str, Any], key: str, where: str = "") -> list[tuple[str, Mapping[str, Any]]]:
    raw = data.get(key, {})
    if not isinstance(raw, Mapping):
        raise ProtocolError(where or f"[{key}]", key, "must be a table")
    out = []
    for name, table in raw.items():
        if not isinstance(table, Mapping):
            raise ProtocolError(where or f"[{key}]", name, "must be a table")
        out.append((name, table))
    return out


def _condition(name: str, table: Mapping[str, Any]) -> Condition:
    where = f"[advice_conditions.{name}]"
    rules = table.get("rules", [])
    values = table.get("values", {})
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise ProtocolError(where, "rules", "must be a list of rule ids")
    if not isinstance(values, Mapping) or not all(isinstance(v, list) and v for v in values.values()):
        raise ProtocolError(where, "values", "must map field paths to non-empty lists of values")
    if not rules and not values:
        raise ProtocolError(where, "rules", "a condition needs rules or values")
    return Condition(name, tuple(rules), {path: tuple(v) for path, v in values.items()})


def _names(raw: object, where: str, key: str, conditions: Mapping[str, Condition]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        raise ProtocolError(where, key, "must be a list of condition names")
    for name in raw:
        if name not in conditions:
            raise ProtocolError(where, key, f"'{name}' is not defined in [advice_conditions]")
    return tuple(raw)


def _variant(name: str, spec: Mapping[str, Any], where: str, conditions: Mapping[str, Condition]) -> Variant:
    _names([name], where, "instead", conditions)
    at = f"{where[:-1]}.instead.{name}]"
    heading, text, exercises = spec.get("heading"), spec.get("text"), spec.get("exercises")
    for key, value in (("heading", heading), ("text", text)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ProtocolError(at, key, "must be text")
    if exercises is not None and (not isinstance(exercises, list)
                                  or not all(isinstance(e, str) for e in exercises)):
        raise ProtocolError(at, "exercises", "must be a list of text")
    return Variant(name, heading, text, tuple(exercises) if exercises is not None else None)


def _weeks(table: object, where: str) -> int | None:
    value = table.get("review_weeks") if isinstance(table, Mapping) else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 52:
        raise ProtocolError(where, "review_weeks", "must be a whole number of weeks from 1 to 52")
    return value
