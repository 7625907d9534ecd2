"""The patient report states the outcome honestly, in plain words, for every outcome."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clinic_app.readiness.decision import AdviceItem, PassedCheck, Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.samples import sample_decision, sample_input
from clinic_app.reporting.wording import load_wording

from .pdfs import pdf_text, rendered

WORDS = load_wording("patient")


@pytest.mark.parametrize("status", list(Status))
def test_outcome_title_and_status_label_are_printed(status: Status) -> None:
    """Each outcome prints its own title and status label, so colour is never the only cue."""
    text = pdf_text(rendered(status, ReportKind.PATIENT))
    assert WORDS.text(f"outcome.{status.value}.title") in text
    assert WORDS.term("status", status.value).upper() in text


@pytest.mark.parametrize("status", list(Status))
def test_report_lists_passed_checks_red_flags_and_signoff(status: Status) -> None:
    """What she passed, the red flags and the clinician's recommendation are always present."""
    text = pdf_text(rendered(status, ReportKind.PATIENT))
    for check in sample_decision(status).passed:
        assert check.patient_text in text
    assert WORDS.text("red_flags_heading") in text
    assert WORDS.lines("red_flags")[0] in text
    assert "recommendation of Alex Byrne" in text


def test_plan_table_is_printed_for_ready_outcomes() -> None:
    """A ready outcome prints the walk–run stages with progression and stop rules."""
    text = pdf_text(rendered(Status.READY, ReportKind.PATIENT))
    assert "Walk–run 1:1" in text
    assert "Continuous 20 min" in text
    assert WORDS.text("plan_progression_heading") in text
    assert "stop, walk home and drop back one stage" in text


@pytest.mark.parametrize("status", [Status.REFER, Status.NOT_READY, Status.NOT_YET_TIME, Status.INCOMPLETE])
def test_no_plan_is_offered_on_a_hold(status: Status) -> None:
    """A hold never prints a running plan, only the promise of one at a later visit."""
    text = pdf_text(rendered(status, ReportKind.PATIENT))
    assert "Walk–run 1:1" not in text
    assert WORDS.text("plan_none")[:40] in text


def test_not_assessed_checks_are_never_listed_as_passed() -> None:
    """Checks without data appear under "not assessed" and not under "What you passed"."""
    text = pdf_text(rendered(Status.INCOMPLETE, ReportKind.PATIENT))
    passed_part = text.split(WORDS.text("passed_heading"))[1].split(WORDS.text("not_assessed_heading"))[0]
    assert "Pelvic-floor baseline" not in passed_part
    assert "Pelvic-floor baseline — not assessed" in text
    assert "Hop symmetry — not assessed" in text


def test_undecided_visit_prints_a_proposal_notice() -> None:
    """Without a clinician decision the report says it is a proposal awaiting the clinician."""
    text = pdf_text(rendered(Status.READY, ReportKind.PATIENT, decided=False))
    assert "PROPOSAL — awaiting your clinician's decision" in text
    assert "recommendation of Alex Byrne" not in text


def test_overridden_outcome_says_the_clinician_changed_it() -> None:
    """When the clinician changes the proposal, the report says so and shows the final outcome."""
    data = sample_input(Status.NOT_YET_TIME, override=True)
    text = pdf_text(render_report(data, ReportKind.PATIENT, invariant=True))
    assert "reviewed the proposed result and changed it" in text
    assert WORDS.text("outcome.READY_WITH_CAUTIONS.title") in text


def test_retest_date_is_computed_from_the_visit() -> None:
    """The re-test date is the visit date plus the decision's re-test interval."""
    text = pdf_text(rendered(Status.NOT_READY_FUNCTION, ReportKind.PATIENT))
    assert "8 Oct 2026 (about 4 weeks after this visit)" in text


def test_advice_exercises_are_listed() -> None:
    """Exercise advice prints its heading and each exercise."""
    text = pdf_text(rendered(Status.NOT_READY_FUNCTION, ReportKind.PATIENT))
    assert "Calf strength" in text
    assert "3 × 15 single-leg calf raises on a step" in text


def test_incomplete_visit_asks_for_the_missing_checks_not_for_exercises() -> None:
    """With checks missing, the report says so; advice that only asks to record a check is left out."""
    data = sample_input(Status.INCOMPLETE)
    advice = (AdviceItem("O5", "Still to assess", "Record pelvic_floor.mos to complete O5."),)
    data = replace(data, decision=replace(data.decision, advice=advice))
    text = pdf_text(render_report(data, ReportKind.PATIENT, invariant=True))
    assert "Nothing held you back in the checks that were done" in text
    assert "pelvic_floor.mos" not in text


def test_passed_check_without_patient_wording_is_left_to_the_clinician() -> None:
    """A passed check with no patient wording (e.g. T2) is not printed with its clinician title."""
    data = sample_input(Status.READY)
    extra = PassedCheck("T2", "Same time gate after caesarean and vaginal birth", "")
    decision = replace(data.decision, passed=(*data.decision.passed, extra))
    text = pdf_text(render_report(replace(data, decision=decision), ReportKind.PATIENT))
    assert "Same time gate after caesarean" not in text
