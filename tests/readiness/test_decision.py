"""Tests for the decision types: status precedence and plan stages."""

from __future__ import annotations

from clinic_app.readiness.decision import PlanStage, Status


def test_precedence_matches_clinical_section_12_with_incomplete() -> None:
    """Severity runs REFER > NOT_READY > NOT_YET_TIME > NOT_READY_FUNCTION > INCOMPLETE > cautions > READY."""
    order = sorted(Status, key=lambda s: s.severity, reverse=True)
    assert [s.value for s in order] == [
        "REFER",
        "NOT_READY",
        "NOT_YET_TIME",
        "NOT_READY_FUNCTION",
        "INCOMPLETE",
        "READY_WITH_CAUTIONS",
        "READY",
    ]


def test_most_severe_picks_the_highest_and_defaults_to_ready() -> None:
    """most_severe returns the most severe status, READY for an empty list."""
    assert Status.most_severe([Status.READY_WITH_CAUTIONS, Status.NOT_YET_TIME, Status.INCOMPLETE]) is (
        Status.NOT_YET_TIME
    )
    assert Status.most_severe([]) is Status.READY


def test_stage_without_walk_breaks_is_continuous() -> None:
    """A stage with no walking is continuous running."""
    assert PlanStage(9, "Stage 9", 30, 0, 1, 2).continuous
    assert not PlanStage(1, "Stage 1", 1, 1, 10, 2).continuous
