"""Rules show what they read by its label, never by its field path (observed values, gaps, inputs)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clinic_app.domain.visitfile import parse_visit_file
from clinic_app.readiness.decision import Decision
from clinic_app.readiness.engine import assess
from clinic_app.readiness.protocol import default_protocol

from .builders import TODAY, assess_with
from .test_engine_properties import OTHER_PERTURBATIONS, REQUIRED_PERTURBATIONS

FIELD_PATH = re.compile(r"\b[a-z][a-z_0-9]*\.[a-z][a-z_0-9]*\b")
"""``form.field`` as written in visit files; labels and sentences never contain one."""
SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.json"))
TUCK_FLAWS = {"jumping.tuck_scoring": "original", **{f"jumping.tuck_{k}": 1 for k in (
    "knee_valgus", "thighs_not_parallel", "thighs_unequal", "foot_width", "foot_not_parallel",
    "contact_timing")}, **{f"jumping.tuck_{k}": 0 for k in (
    "landing_noise", "pause", "technique_declines", "footprint")}}


def _printed(decision: Decision) -> list[str]:
    """Every label and sentence of a decision that names an input."""
    texts = [o.label for f in (*decision.holds, *decision.cautions, *decision.notes) for o in f.observed]
    texts += [f.explanation for f in (*decision.holds, *decision.cautions, *decision.notes)]
    texts += [d.label for d in decision.derived]
    texts += [n for gap in decision.not_assessed for n in gap.needs]
    texts += [a.text for a in decision.advice]
    return texts


def test_every_rule_input_has_a_label_that_is_not_its_path() -> None:
    """Every input and declared minimum prints as words ("diastasis.ird_umbilicus_rest" used not to)."""
    protocol = default_protocol()
    for rule in protocol.rules.values():
        for path in (*rule.inputs, *rule.assessed.paths()):
            label = protocol.label(path)
            assert label != path and not FIELD_PATH.search(label), (rule.id, path)


@pytest.mark.parametrize(
    "changes",
    [{"diastasis.ird_umbilicus_rest": 2.8}, {"diastasis.ird_below_curl": 2.4}, TUCK_FLAWS,
     *REQUIRED_PERTURBATIONS, *OTHER_PERTURBATIONS],
)
def test_findings_show_observed_values_by_label(changes: dict[str, object]) -> None:
    """A fired rule's observed values and wording name fields by label, never by path."""
    decision = assess_with(changes)
    assert decision.holds or decision.cautions or decision.notes
    assert [t for t in _printed(decision) if FIELD_PATH.search(t)] == []


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenarios_print_no_field_path(path: Path) -> None:
    """The documented scenarios, including the incomplete one, print labels only."""
    record = parse_visit_file(json.loads(path.read_text(encoding="utf-8")), today=TODAY).record
    assert record is not None
    assert [t for t in _printed(assess(record)) if FIELD_PATH.search(t)] == []


def test_missing_inputs_are_named_in_words() -> None:
    """Each "not assessed" line names the missing input by its label, with the side for a sided one."""
    decision = assess_with({"symptoms.urinary_leakage": None, "strength.bridge.right": None})
    lines = [n for gap in decision.not_assessed for n in gap.needs]
    assert "urinary leakage" in lines and "single-leg bridge (right)" in lines
