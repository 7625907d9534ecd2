"""Loading and validating protocol files: the shipped default and the errors a bad copy gets."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from clinic_app.readiness.decision import FindingKind, Status
from clinic_app.readiness.protocol import (
    NEVER_OVERRIDABLE,
    RULE_IDS,
    ProtocolError,
    default_protocol,
    default_protocol_path,
    load_protocol,
    parse_protocol,
)

CONFIDENCE = re.compile(r"^(CONFIRMED|CONFIRMED-secondary|MEMORY|DESIGN|PARTIAL)\b")


def _raw() -> dict[str, Any]:
    return tomllib.loads(default_protocol_path().read_text(encoding="utf-8"))


def test_default_protocol_defines_every_rule_of_section_12() -> None:
    """All 47 rule ids are present with title, source, confidence mark and patient wording."""
    protocol = default_protocol()
    assert set(protocol.rules) == set(RULE_IDS) and len(RULE_IDS) == 47
    for rule in protocol.rules.values():
        assert rule.title and rule.source and rule.patient_text and rule.refs
        assert CONFIDENCE.match(rule.confidence), rule.id


def test_default_protocol_has_versions_and_plan_settings() -> None:
    """The protocol has an id and version; the plan starts at 1:1 and ends continuous, 3 sessions/week."""
    protocol = default_protocol()
    assert protocol.id and protocol.version
    stages = protocol.plan.stages
    assert (stages[0].run_minutes, stages[0].walk_minutes) == (1.0, 1.0)
    assert stages[-1].walk_minutes == 0 and protocol.plan.sessions_per_week == 3


def test_default_thresholds_match_clinical_section_12() -> None:
    """Key thresholds and directions are those of §12/§13."""
    p = default_protocol()
    expected = {
        ("T1", "weeks"): ("lt", 12.0),
        ("T3", "weeks"): ("lt", 3.0),
        ("O2", "cm"): ("gt", 2.0),
        ("O2", "mm"): ("gt", 20),
        ("O2", "finger_widths"): ("ge", 2),
        ("S1", "reps"): ("lt", 20),
        ("H1", "lsi"): ("lt", 90.0),
        ("O5", "mos"): ("le", 2),
        ("R1", "bmi"): ("gt", 30.0),
        ("R3", "sleep"): ("lt", 6.8),
        ("J1", "total"): ("ge", 6),
        ("J2", "total"): ("ge", 5),
        ("P3", "total"): ("ge", 1),
        ("P9", "weeks"): ("ge", 8.0),
        ("B1", "baby_age"): ("lt", 26.0),
    }
    for (rule_id, check), (comparison, threshold) in expected.items():
        spec = p.rule(rule_id).check(check)
        assert (spec.comparison, spec.threshold) == (comparison, threshold), rule_id


def test_symptom_rules_are_not_overridable_and_t1_o1_o2_are() -> None:
    """§13: T1, O1, O2 may be overridden; symptom rules and T3 never."""
    p = default_protocol()
    assert all(p.rule(r).overridable for r in ("T1", "O1", "O2"))
    assert not any(p.rule(r).overridable for r in NEVER_OVERRIDABLE)


def test_patient_wording_never_says_safe() -> None:
    """No wording anywhere in the protocol calls anything 'safe'."""
    text = default_protocol_path().read_text(encoding="utf-8")
    assert not re.search(r"\bsafe(ly|ty)?\b", text, re.IGNORECASE)


def test_default_protocol_is_cached_and_equal_to_a_fresh_load() -> None:
    """The cached default equals a fresh load of the same file."""
    assert default_protocol() == load_protocol(default_protocol_path())


def _error(mutate: Any) -> ProtocolError:
    data = _raw()
    mutate(data)
    with pytest.raises(ProtocolError) as info:
        parse_protocol(data)
    return info.value


@pytest.mark.parametrize(
    ("mutate", "where", "key"),
    [
        (lambda d: d["rules"].pop("O2"), "rule O2", "rules"),
        (
            lambda d: d["rules"]["O2"]["checks"]["cm"].update(comparison="above"),
            "rule O2 check cm",
            "comparison",
        ),
        (lambda d: d["rules"]["O2"]["checks"]["cm"].update(threshold="two"), "rule O2 check cm", "threshold"),
        (lambda d: d["rules"]["P1"].update(overridable=True), "rule P1", "overridable"),
        (lambda d: d["rules"]["H1"].update(kind="hold"), "rule H1", "kind"),
        (lambda d: d["rules"]["H1"].update(outcome="READY"), "rule H1", "kind"),
        (lambda d: d["rules"]["S1"].update(kind="blocker"), "rule S1", "kind"),
        (
            lambda d: d["rules"]["S1"]["checks"]["reps"].update(text="{reps} reps"),
            "rule S1 check reps",
            "text",
        ),
        (lambda d: d["rules"]["S1"].update(refs=["nobody_2020"]), "rule S1", "refs"),
        (lambda d: d["rules"]["S1"].update(advice="yoga"), "rule S1", "advice"),
        (lambda d: d["rules"]["P4"].update(refer_to=["surgeon"]), "rule P4", "refer_to"),
        (lambda d: d["rules"]["T1"].pop("source"), "rule T1", "source"),
        (lambda d: d["rules"].update(X9=d["rules"]["T1"]), "rule X9", "id"),
        (lambda d: d["plan"]["stages"][-1].update(walk_minutes=1.0), "[plan]", "stages"),
        (lambda d: d["plan"].update(sessions_per_week=7), "[plan]", "sessions_per_week"),
        (lambda d: d["compare"].update(hop_lsi_pct=-1), "[compare]", "hop_lsi_pct"),
        (lambda d: d["status"].pop("INCOMPLETE"), "[status]", "INCOMPLETE"),
        (lambda d: d["retest"].update(SOON=2), "[retest]", "SOON"),
        (lambda d: d["rules"]["O2"].pop("assessed"), "rule O2", "assessed"),
        (lambda d: d["rules"]["O2"]["assessed"].update(needs=["diastasis.ird_navel_curl"]),
         "rule O2 assessed", "needs"),
        (lambda d: d["rules"]["O2"]["assessed"].update(needs=["strength.bridge.left"]),
         "rule O2 assessed", "needs"),
        (lambda d: d["rules"]["O2"]["assessed"].update(sites=[]), "rule O2 assessed", "sites"),
        (lambda d: d["rules"]["O1"]["assessed"]["needs"][0].update({"is": ["done"]}),
         "rule O1 assessed", "is"),
        (lambda d: d["rules"]["O1"]["assessed"]["when"]["prolapse.system"].update(halfway=[]),
         "rule O1 assessed", "when"),
        (lambda d: d["rules"]["P3"]["assessed"].update(one_of=["questionnaires.iciq_total"]),
         "rule P3 assessed", "one_of"),
        (lambda d: d["rules"]["O2"].update(inputs=[*d["rules"]["O2"]["inputs"], "diastasis.ird_navel_curl"]),
         "rule O2", "inputs"),
    ],
)
def test_bad_protocol_names_rule_and_key(mutate: Any, where: str, key: str) -> None:
    """Every kind of mistake raises ProtocolError naming the rule (or section) and the key."""
    error = _error(mutate)
    assert (error.where, error.key) == (where, key)
    assert where in str(error) and f"key '{key}'" in str(error)


def test_unreadable_and_non_toml_files_raise(tmp_path: Path) -> None:
    """A missing file or a file that is not TOML raises ProtocolError, not a raw exception."""
    with pytest.raises(ProtocolError, match="cannot be read"):
        load_protocol(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[rules\n", encoding="utf-8")
    with pytest.raises(ProtocolError, match="not valid TOML"):
        load_protocol(bad)


def test_check_kind_and_status() -> None:
    """A check inherits the rule's kind/outcome unless it sets its own (R6 risk refers, O4 alone cautions)."""
    p = default_protocol()
    r6 = p.rule("R6")
    assert r6.status_of(r6.check("concerns")) is Status.READY_WITH_CAUTIONS
    assert r6.status_of(r6.check("risk")) is Status.REFER
    o4 = p.rule("O4")
    assert o4.kind_of(o4.check("alone")) is FindingKind.CAUTION
    assert p.rule("R2").status_of(p.rule("R2").check("reported")) is None


@pytest.mark.parametrize(
    ("comparison", "threshold", "value", "fires"),
    [
        ("lt", 12.0, 12.0, False),
        ("lt", 12.0, 11.99, True),
        ("le", 2, 2, True),
        ("gt", 2.0, 2.0, False),
        ("ge", 2, 2, True),
        ("eq", "positive", "positive", True),
        ("in", ("poor",), "fair", False),
        ("contains", ("leakage",), ("none",), False),
        ("contains", ("leakage",), ("pain", "leakage"), True),
        ("is_true", None, True, True),
        ("is_true", None, False, False),
        ("lt", 20, "20", False),
    ],
)
def test_comparisons_fire_exactly_as_written(
    comparison: str, threshold: object, value: object, fires: bool
) -> None:
    """Each comparison fires exactly on its side of the boundary; text never compares as a number."""
    from clinic_app.readiness.protocol import CheckSpec

    spec = CheckSpec("c", comparison, threshold, "", "")  # type: ignore[arg-type]
    assert spec.fires(value) is fires
