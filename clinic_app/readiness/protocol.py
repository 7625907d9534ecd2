"""Load and validate a readiness protocol file (TOML) into frozen, typed settings.

The protocol is clinical content, so it lives in data (``protocols/default.toml``) and a clinic may
point the app at its own copy. Because a typo there would silently change clinical decisions, the
loader checks every key it uses and raises :class:`ProtocolError` naming the rule id (or section)
and the key. The settings types live in :mod:`clinic_app.readiness.rulespec` and are re-exported;
the parsing is split by job: rules (:mod:`protocolrules`), the other sections
(:mod:`protocolsections`), the printed wording (:mod:`wording`) and advice fit (:mod:`tailoring`).
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from clinic_app.assessment.formtypes import FormCatalogue
from clinic_app.assessment.spec import load_forms
from clinic_app.readiness.protocolfields import need_table, need_text, str_map
from clinic_app.readiness.protocolrules import check_paths, cross_check, parse_rule
from clinic_app.readiness.protocolsections import (
    COMPARE_KEYS,
    parse_advice,
    parse_compare,
    parse_headlines,
    parse_plan,
    parse_retest,
)
from clinic_app.readiness.rulespec import (
    COMPARISONS,
    NEVER_OVERRIDABLE,
    RULE_IDS,
    AdviceSpec,
    CheckSpec,
    PlanSettings,
    Protocol,
    ProtocolError,
    RuleSpec,
    StageSpec,
)
from clinic_app.readiness.tailoring import parse_tailoring
from clinic_app.readiness.wording import Wording, parse_wording

__all__ = [
    "COMPARE_KEYS",
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
    "Wording",
    "default_protocol",
    "default_protocol_path",
    "load_protocol",
    "parse_protocol",
]

_SITE_PROTOCOL = "diastasis.site_protocol"
"""The form field whose choices each need their IRD site wording (``[wording.diastasis_sites]``)."""


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
    head = need_table(data, "protocol", "[protocol]")
    sources = str_map(data, "sources")
    raw_targets = need_table(data, "referral_targets", "[referral_targets]")
    targets = {key: need_text(need_table(raw_targets, key, "[referral_targets]"), "name",
                              f"[referral_targets.{key}]")
               for key in raw_targets}
    advice = parse_advice(need_table(data, "advice", "[advice]"))
    catalogue = forms if forms is not None else _bundled_forms()
    site_field = catalogue.field_by_path(_SITE_PROTOCOL)
    wording = parse_wording(data, site_field.choice_ids if site_field is not None else ())
    raw_rules = need_table(data, "rules", "[rules]")
    unknown = sorted(set(raw_rules) - set(RULE_IDS))
    if unknown:
        raise ProtocolError(f"rule {unknown[0]}", "id", "is not a rule of §12 (no engine code for it)")
    rules: dict[str, RuleSpec] = {}
    for rule_id in RULE_IDS:
        if rule_id not in raw_rules:
            raise ProtocolError(f"rule {rule_id}", "rules", "is missing: every rule of §12 must be defined")
        rule = parse_rule(rule_id, need_table(raw_rules, rule_id, f"rule {rule_id}"))
        cross_check(rule, sources, targets, advice)
        rules[rule_id] = rule
    incomplete = need_table(data, "incomplete", "[incomplete]")
    protocol = Protocol(
        id=need_text(head, "id", "[protocol]"),
        version=need_text(head, "version", "[protocol]"),
        title=need_text(head, "title", "[protocol]"),
        disclaimer=need_text(head, "disclaimer", "[protocol]"),
        rules=rules,
        sources=sources,
        labels=str_map(data, "labels"),
        headlines=parse_headlines(need_table(data, "status", "[status]")),
        retest=parse_retest(need_table(data, "retest", "[retest]")),
        incomplete_heading=need_text(incomplete, "heading", "[incomplete]"),
        incomplete_text=need_text(incomplete, "text", "[incomplete]"),
        referral_targets=targets,
        compare=parse_compare(need_table(data, "compare", "[compare]")),
        plan=parse_plan(need_table(data, "plan", "[plan]")),
        advice=advice,
        wording=wording,
        forms=catalogue,
        tailoring=parse_tailoring(data),
    )
    for rule in rules.values():
        check_paths(rule, protocol)
    return protocol
