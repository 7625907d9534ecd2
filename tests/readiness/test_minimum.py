"""The declared minimum of each rule: what counts as recorded, what is named as missing, the docs table."""

from __future__ import annotations

from pathlib import Path

from clinic_app.readiness.minimum import describe_minimum, met, unmet
from clinic_app.readiness.protocol import default_protocol
from clinic_app.readiness.rulespec import Minimum, Requirement

DOC = Path(__file__).resolve().parents[2] / "docs" / "design" / "readiness.md"
PROTOCOL = default_protocol()


def test_a_value_counts_only_when_readable_and_wanted() -> None:
    """Absent, empty, unreadable or unwanted values do not meet a requirement; record paths always do."""
    assert met(Requirement("diastasis.unit"), {"diastasis.unit": "cm"})
    assert not met(Requirement("load_impact.l1_symptoms"), {"load_impact.l1_symptoms": ()})
    assert not met(Requirement("strength.bridge.left"), {"strength.bridge.left": 10**400})
    wanted = Requirement("pelvic_floor.cough_test_supine", ("negative", "positive"))
    assert not met(wanted, {"pelvic_floor.cough_test_supine": "not_done"})
    assert met(Requirement("delivery.date"), {})


def test_one_of_is_met_by_any_complete_alternative() -> None:
    """Alternatives need one of them complete (both sides of one hop test); else all are pointed at."""
    hops = PROTOCOL.rule("H1").assessed
    assert unmet(hops, {"hop.triple_hop.left": 300.0, "hop.triple_hop.right": 310.0}, PROTOCOL) == []
    (gap,) = unmet(hops, {"hop.single_hop.left": 120.0}, PROTOCOL)
    assert "hop.single_hop.right" in gap.paths and "hop.timed_hop_6m.left" in gap.paths
    assert gap.text.startswith("one of: single hop for distance (left and right) / triple hop")


def test_when_adds_the_needs_of_the_recorded_choice() -> None:
    """Extra needs apply only for the choice recorded; an empty minimum is always met."""
    minimum = Minimum(needs=(Requirement("prolapse.system"),),
                      when={"prolapse.system": {"baden_walker": (Requirement("prolapse.bw_apical"),)}})
    assert unmet(minimum, {"prolapse.system": "popq"}, PROTOCOL) == []
    (gap,) = unmet(minimum, {"prolapse.system": "baden_walker"}, PROTOCOL)
    assert gap.paths == ("prolapse.bw_apical",)
    assert unmet(Minimum(), {}, PROTOCOL) == []


def test_the_design_note_prints_the_protocols_minimum_for_every_rule() -> None:
    """docs/design/readiness.md shows, for every rule, the minimum the shipped protocol declares."""
    text = DOC.read_text(encoding="utf-8")
    for rule in PROTOCOL.rules.values():
        if rule.family == "plan":
            continue
        role = "gate" if rule.gate else "check"
        row = f"| {rule.id} {rule.title} | {role} | {describe_minimum(rule.assessed, PROTOCOL)} |"
        assert row in text, rule.id
