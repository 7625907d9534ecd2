"""The words the rule evaluators and the follow-up comparison print: the protocol's ``[wording]``.

Clinical wording lives in data, not code (developers' guide), so the labels of computed values
("POP-Q stage"), the measurement sites of each IRD site protocol ("4.5 cm above the umbilicus"),
the summaries of passed checks and the rows of the follow-up comparison are read from the protocol's
``[wording.*]`` tables. Every key the code uses is declared in :data:`KEYS` with the placeholders its
template may use, so a clinic's copy with a key missing, misspelt or with an unknown placeholder is
refused when it loads (:class:`ProtocolError` naming the table and key) rather than failing mid-visit.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic_app.readiness.protocolerror import ProtocolError
from clinic_app.readiness.protocolfields import need_table

_NONE: frozenset[str] = frozenset()


def _fields(*names: str) -> frozenset[str]:
    return frozenset(names)


KEYS: dict[str, dict[str, frozenset[str]]] = {
    "conditions": {"rest": _NONE, "curl": _NONE},
    "derived": {
        "weeks_postpartum": _NONE,
        "popq_stage": _NONE,
        "bw_max": _NONE,
        "hop_lsi": _fields("test"),
        "tuck_total": _NONE,
        "less_total": _NONE,
        "bmi": _NONE,
        "pain_factors": _NONE,
        "iciq_total": _NONE,
    },
    "summary": {
        "time_gate": _fields("weeks", "threshold"),
        "iciq": _fields("total", "band"),
        "popq": _fields("stage"),
        "baden_walker": _fields("grade"),
        "ird_none": _fields("op", "threshold"),
        "ird_curl_missing": _fields("sites"),
        "mos": _fields("value"),
        "standing_met": _NONE,
        "hop_change": _NONE,
        "tuck": _fields("total"),
        "less": _fields("total"),
        "bmi": _fields("value"),
        "no_pain_factors": _NONE,
        "birth": _fields("mode", "trauma"),
        "no_buggy": _NONE,
        "baby_older": _NONE,
    },
    "phrases": {
        "birth_mode": _fields("mode"),
        "leading_edge": _fields("edge"),
        "hop_weaker": _fields("side"),
        "pain_factor_count": _fields("count"),
        "iciq_band": _fields("band"),
        "iciq_out_of_range": _NONE,
        "leak_triggers": _fields("triggers"),
        "pain_rating": _fields("rating"),
        "alternatives": _NONE,
        "cannot_judge": _fields("label"),
    },
    "pain_factors": {
        "novice": _NONE,
        "fatigue_score": _fields("value"),
        "previous_injury": _NONE,
        "incontinence": _NONE,
        "vaginal_birth": _NONE,
        "sleep": _fields("value"),
    },
    "compare": {
        "weeks": _NONE,
        "weeks_value": _fields("weeks"),
        "weeks_note": _NONE,
        "ird": _fields("site", "condition"),
        "rest": _NONE,
        "curl": _NONE,
        "ird_units_note": _NONE,
        "ird_note": _NONE,
        "hop_lsi": _fields("test"),
        "hop_note": _NONE,
        "mos": _NONE,
        "mos_note": _NONE,
        "iciq": _NONE,
        "pfdi": _NONE,
    },
}
"""Each fixed ``[wording.TABLE]``: its keys and the placeholders each template may use."""

CHOICE_TABLES = ("task_symptoms", "leakage_triggers")
"""Tables from choice ids to words; a choice without an entry prints as its id."""

SITES = ("above", "umbilicus", "below")
"""The IRD measurement sites every ``[wording.diastasis_sites.PROTOCOL]`` names, in printed order."""

GENERIC_SITES = "generic"
"""The site wording used when a visit names no site protocol, or one the table does not name."""


@dataclass(frozen=True, slots=True)
class Wording:
    """The validated ``[wording]`` tables of a protocol."""

    tables: Mapping[str, Mapping[str, str]]
    """Fixed tables (:data:`KEYS`) and choice tables (:data:`CHOICE_TABLES`) by name."""
    sites: Mapping[str, Mapping[str, str]]
    """Site protocol id (or ``generic``) → site (``above``, ``umbilicus``, ``below``) → words."""

    def text(self, table: str, key: str, **fields: object) -> str:
        """Return the words of ``key`` in ``[wording.TABLE]``, with its placeholders filled in."""
        return self.tables[table][key].format(**fields)

    def choice(self, table: str, choice_id: str) -> str:
        """Return how a choice id reads in one of the :data:`CHOICE_TABLES` (the id when absent)."""
        return self.tables[table].get(choice_id, choice_id)

    def site_words(self, site_protocol: str | None) -> Mapping[str, str]:
        """Return the words of each IRD site for ``site_protocol`` (generic when unknown or None)."""
        return self.sites.get(site_protocol or "", self.sites[GENERIC_SITES])


def parse_wording(data: Mapping[str, Any], site_protocols: tuple[str, ...] = ()) -> Wording:
    """Read and check the ``[wording]`` tables of a decoded protocol.

    Args:
        data: the decoded protocol document.
        site_protocols: the IRD site protocols the forms offer; each needs its site wording.

    Raises:
        ProtocolError: a table or key missing, a key the app does not use, text that is empty, or
            a template with a placeholder its key does not take; the message names table and key.
    """
    raw = need_table(data, "wording", "[wording]")
    tables: dict[str, dict[str, str]] = {}
    for name, keys in KEYS.items():
        where = f"[wording.{name}]"
        table = need_table(raw, name, "[wording]")
        unknown = sorted(set(table) - set(keys))
        if unknown:
            raise ProtocolError(where, unknown[0], "is not wording the app uses")
        tables[name] = {key: _template(table, key, where, allowed) for key, allowed in keys.items()}
    for name in CHOICE_TABLES:
        where = f"[wording.{name}]"
        table = need_table(raw, name, "[wording]")
        tables[name] = {key: _template(table, key, where, _NONE) for key in table}
    raw_sites = need_table(raw, "diastasis_sites", "[wording]")
    sites: dict[str, dict[str, str]] = {}
    for protocol_id in dict.fromkeys((GENERIC_SITES, *site_protocols, *raw_sites)):
        where = f"[wording.diastasis_sites.{protocol_id}]"
        table = need_table(raw_sites, protocol_id, "[wording.diastasis_sites]")
        sites[protocol_id] = {site: _template(table, site, where, _NONE) for site in SITES}
    return Wording(tables, sites)


def _template(table: Mapping[str, Any], key: str, where: str, allowed: frozenset[str]) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(where, key, "is required and must be text")
    try:
        parts = [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(value)
            if name is not None
        ]
    except ValueError as exc:
        raise ProtocolError(where, key, f"is not a valid template ({exc})") from exc
    if any(spec or conversion for _, spec, conversion in parts):
        raise ProtocolError(where, key, "placeholders take no format (the app formats the numbers)")
    names = {name for name, _, _ in parts}
    unknown = names - allowed
    if unknown:
        allowed_text = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "none"
        raise ProtocolError(
            where, key, f"unknown placeholder {{{sorted(unknown)[0]}}}; allowed: {allowed_text}"
        )
    return value
