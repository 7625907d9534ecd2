"""The engine as a whole: precedence of §12, INCOMPLETE, explanations, sources, custom protocols."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from clinic_app.readiness.decision import Status
from clinic_app.readiness.engine import assess
from clinic_app.readiness.protocol import default_protocol, default_protocol_path, load_protocol

from .builders import assess_with, fired, gap_ids, passing_document, record_of

# One change per status, each alone producing that status.
TRIGGERS: dict[Status, dict[str, object]] = {
    Status.REFER: {"symptoms.faecal_incontinence": True},
    Status.NOT_READY: {"diastasis.doming": True},
    Status.NOT_READY_FUNCTION: {"strength.calf_raise.left": 12},
    Status.INCOMPLETE: {"strength.bridge.left": None},
    Status.READY_WITH_CAUTIONS: {"history.sui_running_during_pregnancy": True},
}
EARLY = "2026-08-10"  # 10 weeks: T1 holds (NOT_YET_TIME)


def test_the_passing_visit_is_ready_with_a_plan() -> None:
    """A complete visit with no finding is READY with the standard plan and no re-test."""
    decision = assess(record_of(passing_document()))
    assert decision.status is Status.READY
    assert decision.plan is not None and not decision.plan.conservative
    assert decision.retest_weeks is None and decision.referral is None


@pytest.mark.parametrize("status", list(TRIGGERS))
def test_each_trigger_gives_its_status(status: Status) -> None:
    """Each trigger alone yields its status (the oracle for the precedence test)."""
    assert assess_with(TRIGGERS[status]).status is status


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(list(TRIGGERS), 2)))
def test_precedence_most_severe_wins(first: Status, second: Status) -> None:
    """Two triggers together give the more severe status, and both are reported."""
    decision = assess_with({**TRIGGERS[first], **TRIGGERS[second]})
    assert decision.status is Status.most_severe([first, second])


@pytest.mark.parametrize("status", list(TRIGGERS))
def test_precedence_with_the_time_gate(status: Status) -> None:
    """Below 12 weeks, REFER and NOT_READY outrank NOT_YET_TIME; everything else is outranked by it."""
    decision = assess_with(TRIGGERS[status], visit_date=EARLY)
    assert decision.status is Status.most_severe([status, Status.NOT_YET_TIME])
    assert "T1" in fired(decision)


def test_precedence_order_is_the_documented_one() -> None:
    """Status order: REFER, NOT_READY, NOT_YET_TIME, NOT_READY_FUNCTION, INCOMPLETE, RWC, READY."""
    assert [s.value for s in sorted(Status, key=lambda s: -s.severity)] == [
        "REFER",
        "NOT_READY",
        "NOT_YET_TIME",
        "NOT_READY_FUNCTION",
        "INCOMPLETE",
        "READY_WITH_CAUTIONS",
        "READY",
    ]


def test_all_triggered_reasons_are_listed() -> None:
    """A visit with several problems lists every triggered rule, not only the deciding one."""
    decision = assess_with(
        {
            "symptoms.faecal_incontinence": True,
            "diastasis.doming": True,
            "strength.calf_raise.left": 12,
            "history.sleep_hours": 5,
        }
    )
    assert {"P4", "O3", "S1", "R3"} <= set(fired(decision))
    assert {f.rule_id for f in decision.cautions} == {"R3", "R4"}  # short sleep also counts for R4


def test_incomplete_lists_what_to_assess_next() -> None:
    """INCOMPLETE has no plan; its advice starts with each missing gate and what to record, by label."""
    decision = assess_with({"strength.bridge.left": None, "load_impact.l4_completed": None})
    assert decision.status is Status.INCOMPLETE and decision.plan is None
    assert {"S2", "L4"} <= gap_ids(decision)
    texts = [a.text for a in decision.advice if a.heading == "Still to assess"]
    assert "Record single-leg bridge (left) to complete the Single-leg bridge check (S2)." in texts
    assert not any("strength.bridge" in t or "load_impact." in t for t in texts)


def test_empty_visit_is_incomplete_not_ready() -> None:
    """A visit with no results at all can never be READY: every gate is listed as missing."""
    doc = passing_document()
    doc["results"] = {}
    decision = assess(record_of(doc))
    assert decision.status is Status.INCOMPLETE
    assert {"P1", "O1", "O2", "O5", "L1", "S1", "R1"} <= gap_ids(decision)


def test_passed_checks_and_derived_values_are_reported() -> None:
    """'What you passed' and derived values (weeks, BMI, POP-Q stage, LSI, ICIQ band) are present."""
    decision = assess(record_of(passing_document()))
    passed = {p.rule_id for p in decision.passed}
    assert {"T1", "P1", "O2", "S1", "L7"} <= passed
    labels = {d.label for d in decision.derived}
    assert {"Weeks since birth", "BMI", "POP-Q stage", "ICIQ-UI SF total (Klovning 2009 band)"} <= labels
    assert any(label.endswith("LSI") for label in labels)


def test_sources_are_full_references_and_protocol_version_is_kept() -> None:
    """The decision carries full references and the protocol id and version."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": 3.1})
    assert any(s.startswith("Sperstad JB") for s in decision.sources)
    protocol = default_protocol()
    assert (decision.protocol_id, decision.protocol_version) == (protocol.id, protocol.version)


def test_engine_is_deterministic() -> None:
    """The same record and protocol always give an identical decision."""
    record = record_of(passing_document())
    assert assess(record) == assess(record)


def _custom(tmp_path: Path, replacements: list[tuple[str, str, str]]) -> Path:
    """Write a clinic copy of the default protocol with (rule section, old, new) text replacements."""
    text = default_protocol_path().read_text(encoding="utf-8")
    for section, old, new in replacements:
        at = text.index(section)
        where = text.index(old, at)
        text = text[:where] + new + text[where + len(old) :]
    path = tmp_path / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_clinic_protocol_can_make_hop_asymmetry_a_hold(tmp_path: Path) -> None:
    """Changing H1 to a hold in a clinic copy turns the caution into NOT_READY_FUNCTION, no code change."""
    path = _custom(
        tmp_path,
        [
            ("[rules.H1]", 'kind = "caution"', 'kind = "hold"'),
            ("[rules.H1]", 'outcome = "READY_WITH_CAUTIONS"', 'outcome = "NOT_READY_FUNCTION"'),
        ],
    )
    changes = {"hop.single_hop.left": 80, "hop.single_hop.right": 100}
    assert assess_with(changes).status is Status.READY_WITH_CAUTIONS
    decision = assess_with(changes, protocol=load_protocol(path))
    assert decision.status is Status.NOT_READY_FUNCTION
    assert fired(decision)["H1"][0].overridable


def test_clinic_protocol_can_make_bmi_a_hold_and_move_the_time_gate(tmp_path: Path) -> None:
    """A clinic copy with R1 as a hold and a 16-week gate changes the decisions accordingly."""
    path = _custom(
        tmp_path,
        [
            ("[rules.R1]", 'kind = "caution"', 'kind = "hold"'),
            ("[rules.R1]", 'outcome = "READY_WITH_CAUTIONS"', 'outcome = "NOT_READY_FUNCTION"'),
            ("[rules.T1.checks.weeks]", "threshold = 12.0", "threshold = 16.0"),
            ("[protocol]", 'version = "2026.12-1"', 'version = "clinic-7"'),
        ],
    )
    protocol = load_protocol(path)
    heavy = assess_with({"history.weight_kg": 90, "history.height_cm": 165}, protocol=protocol)
    assert heavy.status is Status.NOT_READY_FUNCTION and heavy.protocol_version == "clinic-7"
    fifteen_weeks = assess_with(visit_date="2026-09-14", protocol=protocol)
    assert fifteen_weeks.status is Status.NOT_YET_TIME
    assert "< 16.0 weeks" in fired(fifteen_weeks)["T1"][0].explanation


def test_an_integer_too_large_for_a_float_is_not_a_measurement() -> None:
    """A huge integer (which no valid form allows) is treated as not recorded instead of raising."""
    decision = assess_with({"strength.bridge.left": 10**400})
    assert decision.status is Status.INCOMPLETE and "S2" in gap_ids(decision)
