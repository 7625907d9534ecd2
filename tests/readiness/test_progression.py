"""The walk–run plan obeys its own rule G2: weekly running minutes never rise by more than 10 %."""

from __future__ import annotations

import itertools
import tomllib
from typing import Any

import pytest

from clinic_app.readiness.decision import Plan, Status
from clinic_app.readiness.progression import Rise, steepest_rise, weekly_running_minutes
from clinic_app.readiness.protocol import (
    ProtocolError,
    default_protocol,
    default_protocol_path,
    parse_protocol,
)

from .builders import assess_with

G2_LIMIT = 1.10
"""CLINICAL.md §11.2 / §12 G2 (Deering 2024): no more than 10 % more running volume per week."""


def _weeks(plan: Plan) -> list[float]:
    """Running minutes of each week, counted here from the plan as the patient reads it.

    Sessions run in stage order, ``sessions_per_week`` a week; after the last stage she keeps
    running it, so a last week left short is filled with that stage.
    """
    sessions = [s.run_minutes * s.repeats for s in plan.stages for _ in range(s.sessions)]
    per_week = plan.sessions_per_week
    while len(sessions) % per_week:
        sessions.append(sessions[-1])
    return [sum(sessions[i:i + per_week]) for i in range(0, len(sessions), per_week)]


@pytest.mark.parametrize(
    ("changes", "status"),
    [({}, Status.READY), ({"history.sleep_hours": 5.5}, Status.READY_WITH_CAUTIONS)],
)
def test_weekly_running_minutes_never_rise_more_than_g2_allows(
    changes: dict[str, Any], status: Status
) -> None:
    """Standard and conservative plans: each week's running minutes are at most 110 % of the week before."""
    decision = assess_with(changes)
    assert decision.status is status and decision.plan is not None
    weeks = _weeks(decision.plan)
    rises = [(n, after / before) for n, (before, after) in enumerate(itertools.pairwise(weeks), start=2)]
    assert [(n, round(r, 3)) for n, r in rises if r > G2_LIMIT + 1e-9] == []
    assert weeks[0] == 30 and weeks[-1] == 90  # 3 × 10 min of running to 3 × 30 min continuous


def test_the_plan_prints_the_rule_it_follows() -> None:
    """The patient reads G2 beside the stages, and the protocol's limit is the same 10 %."""
    protocol = default_protocol()
    assert protocol.plan.max_weekly_increase == pytest.approx(G2_LIMIT - 1)
    assert "a tenth" in protocol.rule("G2").patient_text
    assert any("a tenth to your weekly running time" in r for r in protocol.plan.progression_rules)


def test_weekly_minutes_fill_the_last_week_with_the_last_stage() -> None:
    """The engine's own count agrees with the test's, and a short last week is not counted as a drop."""
    plan = default_protocol().plan
    stages = [(stage, stage.sessions) for stage in plan.stages]
    weekly = weekly_running_minutes(stages, plan.sessions_per_week)
    assert weekly == _weeks(assess_with().plan or Plan("", "", (), 3, "", (), ()))
    stage = plan.stages[0]
    assert weekly_running_minutes([(stage, 4)], 3) == [30.0, 30.0]
    assert steepest_rise([30.0, 45.0, 40.0]) == Rise(2, 1.5) and steepest_rise([30.0]) is None


def _with_stages(stages: list[dict[str, Any]]) -> dict[str, Any]:
    data = tomllib.loads(default_protocol_path().read_text(encoding="utf-8"))
    data["plan"]["stages"] = stages
    return data


def test_a_plan_that_breaks_g2_is_refused_naming_the_week() -> None:
    """The old ladder (10 min of running, then 14, 18 …, two sessions a stage) is refused on load."""
    old = [(1.0, 1.0, 10), (2.0, 1.0, 7), (3.0, 1.0, 6), (5.0, 1.0, 4), (30.0, 0.0, 1)]
    stages = [{"title": f"Stage {n}", "run_minutes": r, "walk_minutes": w, "repeats": k, "sessions": 2}
              for n, (r, w, k) in enumerate(old, start=1)]
    with pytest.raises(ProtocolError) as info:
        parse_protocol(_with_stages(stages))
    assert (info.value.where, info.value.key) == ("[plan]", "stages")
    assert "week 2 raises running minutes by 47 %" in str(info.value)


def test_a_clinic_may_set_another_limit_but_not_none() -> None:
    """max_weekly_increase is a setting (a fraction above 0 and at most 1), checked on load."""
    data = tomllib.loads(default_protocol_path().read_text(encoding="utf-8"))
    data["plan"]["max_weekly_increase"] = 0
    with pytest.raises(ProtocolError, match="max_weekly_increase"):
        parse_protocol(data)
    data["plan"]["max_weekly_increase"] = 0.05
    with pytest.raises(ProtocolError, match="more than max_weekly_increase"):
        parse_protocol(data)
