"""Live evaluation of a visit being typed: errors, a proposal on valid values only, live measures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic_app.domain.model import Results
from clinic_app.domain.visitfile import VisitRecord, parse_visit_file
from clinic_app.readiness.decision import Status
from clinic_app.readiness.engine import assess
from clinic_app.services import editing

SCENARIOS = sorted((Path(__file__).parents[1] / "readiness" / "scenarios").glob("*.json"))


def _record(path: Path) -> VisitRecord:
    outcome = parse_visit_file(json.loads(path.read_text(encoding="utf-8")))
    assert outcome.record is not None, outcome.errors
    return outcome.record


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_a_valid_visit_gets_the_same_proposal_as_assess(scenario: Path):
    """On a complete, valid visit the live proposal is exactly the engine's."""
    record = _record(scenario)
    live = editing.evaluate(record, record.visit.results)
    assert live.errors == ()
    assert live.decision is not None
    assert live.decision.status == assess(record).status


def test_a_refused_value_counts_as_not_recorded_never_as_a_pass():
    """A distance the forms refuse is an error at its field and is left out of the proposal."""
    record = _record(SCENARIOS[0])
    bad = record.visit.results.with_values({"diastasis.ird_umbilicus_curl": 31.0})
    live = editing.evaluate(record, bad)
    assert "diastasis.ird_umbilicus_curl" in live.messages
    assert "did you mean mm" in live.messages["diastasis.ird_umbilicus_curl"]
    assert live.decision is not None
    assert live.decision.status is not Status.READY


def test_blank_inputs_are_not_recorded():
    """Empty text, None and an empty choice list are dropped; text is trimmed."""
    results = editing.clean_values(
        {"a.b": None, "a.c": "  ", "a.d": (), "a.e": " 12 ", "a.f": 0, "a.g": False}
    )
    assert dict(results) == {"a.e": "12", "a.f": 0, "a.g": False}


def test_live_measures_give_lsi_with_the_weaker_side_and_the_popq_stage():
    """Sided measures show LSI and the weaker side; a complete POP-Q shows its stage."""
    results = Results(
        {
            "hop.single_hop.left": 100.0,
            "hop.single_hop.right": 80.0,
            "hop.timed_hop_6m.left": 2.0,
            "hop.timed_hop_6m.right": 2.5,
        }
    )
    out = editing.live_measures(results)
    assert out["hop.single_hop"] == "LSI 80 % · weaker: right"
    assert out["hop.timed_hop_6m"] == "LSI 80 % · weaker: right"
    record = _record(SCENARIOS[0])
    stage = editing.live_measures(record.visit.results).get(editing.POPQ_STAGE_KEY, "")
    assert stage.endswith("(computed from the nine points)")


def test_copy_form_takes_one_battery_of_the_previous_visit():
    """Copy from last visit fills only the battery asked for."""
    previous = Results({"hop.single_hop.left": 1.0, "strength.bridge.left": 20})
    assert editing.copy_form(previous, "hop") == {"hop.single_hop.left": 1.0}
