"""Advice fits the decision and the person: checked on every scenario and on the protocol's conditions."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from clinic_app.domain.visitfile import VisitRecord, parse_visit_file
from clinic_app.readiness.decision import Decision, Status
from clinic_app.readiness.engine import assess
from clinic_app.readiness.planning import advice_facts, review_weeks
from clinic_app.readiness.protocol import ProtocolError, default_protocol
from clinic_app.readiness.tailoring import parse_tailoring

from .builders import assess_with

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.json"))
RUNNING = (Status.READY, Status.READY_WITH_CAUTIONS)
IMPACT = re.compile(r"\b(hops?|hopping|jumps?|jumping|skipping|bounds?)\b", re.IGNORECASE)
RUNNING_TIPS = re.compile(r"\b(runs?|before you run|walk–run plan|the plan|running buggy)\b", re.IGNORECASE)
PERINEAL = ("first_degree", "second_degree", "episiotomy", "third_degree", "fourth_degree")


def advice_problems(decision: Decision, facts: Mapping[str, object]) -> list[str]:
    """Return every way the decision's advice contradicts its status or her findings (empty: it fits).

    Used on the scenarios here and on the demo visits' final decisions in the consistency test.
    """
    problems = []
    fired = {f.rule_id for f in (*decision.holds, *decision.cautions, *decision.notes)}
    for item in decision.advice:
        words = " ".join((item.heading, item.text, *item.exercises))
        if fired & {"P1", "P2", "P3"} and IMPACT.search(" ".join(item.exercises)):
            problems.append(f"impact drills for someone who leaks: {item.heading}")
        if decision.status not in RUNNING and RUNNING_TIPS.search(words):
            problems.append(f"running advice while not ready to run: {item.heading}")
        if facts.get("prolapse.support_device") is True and "pessary" in words.lower():
            problems.append(f"pessary suggested to someone using a support device: {item.heading}")
        if facts.get("delivery.perineal_trauma") not in PERINEAL and "birth injury" in words.lower():
            problems.append(f"birth-injury wording without a perineal injury: {item.heading}")
    return problems


def _scenario(path: Path) -> VisitRecord:
    """Read one documented scenario visit."""
    outcome = parse_visit_file(json.loads(path.read_text(encoding="utf-8")))
    record = outcome.record
    assert record is not None
    return record


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_gets_advice_that_fits_her(path: Path) -> None:
    """No scenario's advice contradicts its status or her findings (leaks, device, birth)."""
    record = _scenario(path)
    decision = assess(record)
    assert advice_problems(decision, advice_facts(record)) == []


def test_someone_who_leaks_gets_impact_work_without_hops() -> None:
    """Leakage plus a failed hop task: impact advice is kept, its hops and jumps are replaced."""
    decision = assess_with({"symptoms.urinary_leakage": True, "load_impact.l6_completed": False})
    impact = [a for a in decision.advice if a.heading == "Getting ready for impact"]
    assert impact and not IMPACT.search(" ".join(impact[0].exercises))
    plain = assess_with({"load_impact.l6_completed": False})
    assert any(IMPACT.search(" ".join(a.exercises)) for a in plain.advice)


def test_support_device_changes_the_prolapse_advice() -> None:
    """The prolapse advice names a pessary only for someone not already using a support device."""
    scenario = _scenario(next(p for p in SCENARIOS if "pessary" in p.stem))
    decision = assess(scenario)
    (item,) = [a for a in decision.advice if a.rule_id == "O1"]
    assert "pessary" not in item.text.lower() and "support" in item.text.lower()
    results = scenario.visit.results.with_values({"prolapse.support_device": False})
    without = assess(replace(scenario, visit=replace(scenario.visit, results=results)))
    assert any("pessary" in a.text for a in without.advice)


def test_caesarean_gets_its_own_words_not_birth_injury() -> None:
    """After a caesarean the birth-related advice speaks of the scar, never of a birth injury."""
    record = _scenario(next(p for p in SCENARIOS if "caesarean" in p.stem))
    headings = [a.heading for a in assess(record).advice]
    assert "Care after a caesarean" in headings and "Care after birth injury" not in headings


def test_no_running_tips_while_she_waits() -> None:
    """A not-ready visit with running cautions (sleep, breastfeeding) gets no advice about runs."""
    decision = assess_with(
        {"symptoms.heaviness": True, "history.sleep_hours": 5.0, "history.breastfeeding": True}
    )
    assert decision.status is Status.NOT_READY
    assert {"Sleep and energy", "Running and breastfeeding"}.isdisjoint(a.heading for a in decision.advice)
    ready = assess_with({"history.sleep_hours": 5.0})
    assert "Sleep and energy" in {a.heading for a in ready.advice}


def test_review_after_the_plan_starts_comes_from_the_protocol() -> None:
    """READY and READY_WITH_CAUTIONS get the protocol's check-up interval; holds get none from it."""
    protocol = default_protocol()
    assert review_weeks(Status.READY, protocol) == 6
    assert review_weeks(Status.READY_WITH_CAUTIONS, protocol) == 4
    assert review_weeks(Status.NOT_READY, protocol) is None


def test_a_condition_that_is_not_defined_is_refused() -> None:
    """An advice entry naming an undefined condition stops the protocol from loading."""
    with pytest.raises(ProtocolError, match="not defined"):
        parse_tailoring({"advice": {"impact": {"instead": {"nobody": {"text": "x"}}}}})
    with pytest.raises(ProtocolError, match="applies"):
        parse_tailoring({"advice": {"impact": {"applies": "sometimes"}}})
