"""Weekly running minutes of a walk–run plan, and the check that they obey rule G2.

G2 (CLINICAL.md §11.2, §12; Deering 2024) prints beside the plan that weekly running volume should
grow by no more than 10 % a week. The plan is data, so a clinic could write stages that break the
rule it prints; the protocol loader therefore computes the week-by-week running minutes of the
standard and the conservative ladder and refuses a file whose stages rise faster than its
``[plan] max_weekly_increase``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from clinic_app.readiness.rulespec import PlanSettings, StageSpec


class StageLike(Protocol):
    """A stage as the protocol writes it or the plan shows it."""

    @property
    def run_minutes(self) -> float:
        """Length of one run interval (the whole run for a continuous stage)."""
        ...

    @property
    def repeats(self) -> int:
        """Run intervals per session."""
        ...


def session_minutes(stage: StageLike) -> float:
    """Running minutes in one session of ``stage`` (walking not counted)."""
    return stage.run_minutes * stage.repeats


def weekly_running_minutes(stages: Iterable[tuple[StageLike, int]], sessions_per_week: int) -> list[float]:
    """Running minutes per week when the stages are done in order, ``sessions_per_week`` a week.

    Args:
        stages: each stage with the number of sessions done at it before moving on.
        sessions_per_week: sessions in a week.

    Returns:
        One total per week. The last stage goes on after the plan ends, so the last week is filled
        with its sessions rather than counted short.
    """
    sessions = [session_minutes(stage) for stage, count in stages for _ in range(count)]
    if not sessions:
        return []
    weeks = math.ceil(len(sessions) / sessions_per_week)
    sessions += [sessions[-1]] * (weeks * sessions_per_week - len(sessions))
    return [sum(sessions[w * sessions_per_week:(w + 1) * sessions_per_week]) for w in range(weeks)]


@dataclass(frozen=True, slots=True)
class Rise:
    """The steepest week-on-week rise of a plan: week number (from 2) and the factor."""

    week: int
    factor: float


def steepest_rise(weekly: Sequence[float]) -> Rise | None:
    """Return the largest week-on-week increase factor, or None for a plan of one week."""
    pairs = enumerate(itertools.pairwise(weekly), start=2)
    rises = [Rise(week, after / before) for week, (before, after) in pairs if before > 0]
    return max(rises, key=lambda rise: rise.factor, default=None)


def breaks_limit(rise: Rise | None, max_increase: float) -> bool:
    """True when a week rises by more than ``max_increase`` (0.10 = 10 %), allowing float rounding."""
    return rise is not None and rise.factor > 1 + max_increase + 1e-9


def ladder(settings: PlanSettings, *, conservative: bool) -> list[tuple[StageSpec, int]]:
    """The stages a plan goes through, each with its sessions: the standard or the conservative one.

    The conservative ladder (READY_WITH_CAUTIONS) starts with its own first stages and adds sessions
    to every standard stage.
    """
    if not conservative:
        return [(stage, stage.sessions) for stage in settings.stages]
    return [*((stage, stage.sessions) for stage in settings.conservative_first_stages),
            *((stage, stage.sessions + settings.conservative_extra_sessions) for stage in settings.stages)]
