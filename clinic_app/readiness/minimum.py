"""What makes a rule *assessed*: the minimum inputs a protocol declares, read, checked and worded.

Which inputs a physio needs before she can judge a rule is a clinical choice, so it is data: each
rule's ``[rules.ID.assessed]`` table in the protocol (``docs/design/readiness.md``). The default
protocol judges the inter-recti distance once the umbilicus is measured on head-lift, the widest and
most reliable site; a clinic that follows Sperstad 2016 can require all three sites in its copy.
The engine lists whatever part of the minimum is not recorded under *not assessed*, in words that
name exactly what is missing, and never counts it as a pass.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from clinic_app.readiness.rulespec import RECORD_PATHS, Minimum, Protocol, ProtocolError, Requirement

_KEYS = frozenset({"needs", "one_of", "when", "note"})
_ITEM_KEYS = frozenset({"field", "is"})


@dataclass(frozen=True, slots=True)
class Unmet:
    """One part of a rule's minimum that the visit does not satisfy.

    Attributes:
        paths: the field paths that would satisfy it (all alternatives of a ``one_of``).
        text: what is missing, in words.
    """

    paths: tuple[str, ...]
    text: str


# --- reading the declaration ---------------------------------------------------------------------


def parse_minimum(rule_id: str, raw: Any, inputs: Sequence[str]) -> Minimum:
    """Read a rule's ``[rules.ID.assessed]`` table.

    Args:
        rule_id: the rule, for error messages.
        raw: the decoded table.
        inputs: the rule's ``inputs``; every path named must be one of them (or a side of one).

    Raises:
        ProtocolError: naming the rule and key of the first problem.
    """
    where = f"rule {rule_id} assessed"
    if not isinstance(raw, Mapping):
        raise ProtocolError(f"rule {rule_id}", "assessed",
                            "is required: a table naming the minimum inputs that make the rule assessed")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ProtocolError(where, unknown[0], f"is not a key of [assessed] ({', '.join(sorted(_KEYS))})")
    if "needs" not in raw and "one_of" not in raw:
        raise ProtocolError(where, "needs", "is required (an empty list when the rule reads only the record)")
    needs = _items(raw.get("needs", []), where, "needs", inputs)
    raw_groups = raw.get("one_of", [])
    if not isinstance(raw_groups, list):
        raise ProtocolError(where, "one_of", "must be a list of alternatives")
    one_of = tuple(_items(g if isinstance(g, list) else [g], where, "one_of", inputs) for g in raw_groups)
    if len(one_of) == 1:
        raise ProtocolError(where, "one_of", "needs two or more alternatives (one belongs in 'needs')")
    when = _when(raw.get("when", {}), where, needs, inputs)
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ProtocolError(where, "note", "must be text")
    return Minimum(needs, one_of, when, note)


def _items(raw: Any, where: str, key: str, inputs: Sequence[str]) -> tuple[Requirement, ...]:
    if not isinstance(raw, list):
        raise ProtocolError(where, key, "must be a list of field paths or {field, is} tables")
    return tuple(_item(item, where, key, inputs) for item in raw)


def _item(raw: Any, where: str, key: str, inputs: Sequence[str]) -> Requirement:
    if isinstance(raw, str):
        path, values = raw, ()
    elif isinstance(raw, Mapping) and set(raw) <= _ITEM_KEYS and isinstance(raw.get("field"), str):
        path, wanted = raw["field"], raw.get("is")
        if not isinstance(wanted, list) or not wanted or not all(isinstance(v, str | bool) for v in wanted):
            raise ProtocolError(where, key, f"'{path}': 'is' must list choice ids or true/false")
        values = tuple(wanted)
    else:
        raise ProtocolError(where, key, f"{raw!r} is neither a field path nor a {{field, is}} table")
    if path not in inputs and path.rpartition(".")[0] not in inputs:
        raise ProtocolError(where, key, f"'{path}' is not one of the rule's inputs")
    return Requirement(path, values)


def _when(raw: Any, where: str, needs: tuple[Requirement, ...],
          inputs: Sequence[str]) -> dict[str, dict[str, tuple[Requirement, ...]]]:
    if not isinstance(raw, Mapping):
        raise ProtocolError(where, "when", "must be a table: field path → choice id → needs")
    out: dict[str, dict[str, tuple[Requirement, ...]]] = {}
    for path, cases in raw.items():
        if not isinstance(cases, Mapping) or not cases:
            raise ProtocolError(where, "when", f"'{path}' must map choice ids to lists of needs")
        out[path] = {str(choice): _items(items, where, f"when.{path}.{choice}", inputs)
                     for choice, items in cases.items()}
    # A case's field must itself be needed: in 'needs', or by another case (exam performed → system).
    needed = {r.path for r in needs} | {r.path for cases in out.values() for extra in cases.values()
                                        for r in extra}
    for path in out:
        if path not in needed:
            raise ProtocolError(where, "when", f"'{path}' must itself be needed ('needs' or another case)")
    return out


def check_against_forms(rule_id: str, minimum: Minimum, protocol: Protocol) -> None:
    """Refuse a declaration naming a field the forms lack, or a choice the field does not offer.

    Raises:
        ProtocolError: naming the rule and the path.
    """
    if protocol.forms is None:
        return
    where = f"rule {rule_id} assessed"
    requirements = [*minimum.needs, *(r for g in minimum.one_of for r in g),
                    *(r for cases in minimum.when.values() for needs in cases.values() for r in needs)]
    for requirement in requirements:
        if not protocol.knows(requirement.path):
            raise ProtocolError(where, "needs", f"'{requirement.path}' is not a field of the forms")
        spec = protocol.forms.field_by_path(requirement.path)
        offered = spec.choice_ids if spec is not None else ()
        for value in requirement.values:
            if isinstance(value, str) and value not in offered:
                raise ProtocolError(where, "is", f"'{value}' is not an option of {requirement.path}")
    for path, cases in minimum.when.items():
        spec = protocol.forms.field_by_path(path)
        for choice in cases:
            if spec is None or choice not in spec.choice_ids:
                raise ProtocolError(where, "when", f"'{choice}' is not an option of {path}")


# --- judging a visit -----------------------------------------------------------------------------


def met(requirement: Requirement, data: Mapping[str, object]) -> bool:
    """True when the visit holds what the requirement asks for (record paths always do)."""
    if requirement.path in RECORD_PATHS:
        return True
    value = data.get(requirement.path)
    if value is None or value == () or not _readable(value):
        return False
    return not requirement.values or any(value is v or (isinstance(v, str) and value == v)
                                         for v in requirement.values)


def _readable(value: object) -> bool:
    """False for a number the engine cannot read as a measurement (too large or not finite)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def unmet(minimum: Minimum, data: Mapping[str, object], protocol: Protocol) -> list[Unmet]:
    """Return every part of ``minimum`` the visit lacks, each named in words, in declaration order."""
    out = [Unmet((r.path,), describe(r, protocol, data)) for r in minimum.needs if not met(r, data)]
    for path, cases in minimum.when.items():
        chosen = data.get(path)
        extra = cases.get(chosen, ()) if isinstance(chosen, str) else ()
        out.extend(Unmet((r.path,), describe(r, protocol, data)) for r in extra if not met(r, data))
    if minimum.one_of and not any(all(met(r, data) for r in group) for group in minimum.one_of):
        paths = tuple(dict.fromkeys(r.path for group in minimum.one_of for r in group))
        out.append(Unmet(paths, _alternatives(minimum, protocol)))
    return out


# --- words ---------------------------------------------------------------------------------------


def describe(requirement: Requirement, protocol: Protocol, data: Mapping[str, object] | None = None) -> str:
    """One requirement in words; with ``data``, a recorded value that does not qualify is named."""
    label = protocol.label(requirement.path)
    if not requirement.values:
        return label
    wanted = " or ".join(protocol.value_label(requirement.path, v) for v in requirement.values)
    text = f"{label}: {wanted}"
    recorded = data.get(requirement.path) if data is not None else None
    if isinstance(recorded, str | bool):
        text += f" (recorded: {protocol.value_label(requirement.path, recorded)})"
    return text


def describe_group(group: Sequence[Requirement], protocol: Protocol) -> str:
    """A group of requirements in words; both sides of one field read as "(left and right)"."""
    paths = [r.path for r in group]
    if len(group) == 2 and not any(r.values for r in group):
        base = paths[0].rpartition(".")[0]
        if paths == [f"{base}.left", f"{base}.right"]:
            return f"{protocol.label(base)} (left and right)"
    return " and ".join(describe(r, protocol) for r in group)


def describe_minimum(minimum: Minimum, protocol: Protocol) -> str:
    """The whole declaration in words, as ``forms show`` and the docs print it."""
    parts = []
    needs = [r for r in minimum.needs if r.path not in RECORD_PATHS]
    if needs:
        parts.append(_sided_words(needs, protocol))
    for path, cases in minimum.when.items():
        for choice, extra in cases.items():
            condition = f"If {protocol.label(path)} is {protocol.value_label(path, choice)}"
            parts.append(f"{condition}: {_sided_words(list(extra), protocol)}")
    if minimum.one_of:
        alternatives = _alternatives(minimum, protocol)
        parts.append(alternatives[0].upper() + alternatives[1:] if parts else alternatives)
    text = ". ".join(parts) if parts else "the visit record only (always assessed)"
    return f"{text}. {minimum.note}" if minimum.note else text


def _alternatives(minimum: Minimum, protocol: Protocol) -> str:
    """The ``one_of`` alternatives in words: "one of: A / B / C"."""
    return "one of: " + " / ".join(describe_group(g, protocol) for g in minimum.one_of)


def _sided_words(needs: list[Requirement], protocol: Protocol) -> str:
    """Requirements joined by commas, with the two sides of a field merged into one entry."""
    words: list[str] = []
    index = 0
    while index < len(needs):
        pair = needs[index:index + 2]
        merged = describe_group(pair, protocol) if len(pair) == 2 else ""
        if merged.endswith("(left and right)"):
            words.append(merged)
            index += 2
        else:
            words.append(describe(needs[index], protocol))
            index += 1
    return "; ".join(words)

