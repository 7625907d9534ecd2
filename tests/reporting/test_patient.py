"""The patient report: page one is the sheet for the fridge, for every outcome, in plain words."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from clinic_app.readiness.decision import AdviceItem, Decision, PassedCheck, Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.formatting import day
from clinic_app.reporting.inputs import ReportInput
from clinic_app.reporting.samples import sample_input
from clinic_app.reporting.wording import load_wording

from .pdfs import forms, page_count, pdf_text, rendered

WORDS = load_wording("patient")
RUNNING = (Status.READY, Status.READY_WITH_CAUTIONS)
PAGE_BUDGET = {status: 3 for status in Status}
"""Page one, the walk–run log when she may run, and one page of detail."""
SNAKE_OR_PATH = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[a-z][a-z_0-9]*\.[a-z][a-z_0-9]+\b")


def page_texts(pdf: bytes) -> list[str]:
    """Return each page's text, whitespace collapsed."""
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def with_decision(data: ReportInput, decision: Decision) -> ReportInput:
    """Return ``data`` with another (confirmed) proposal, dropping the restated final decision."""
    return replace(data, decision=decision, decided=None)


@pytest.mark.parametrize("status", list(Status))
def test_page_one_holds_decision_reasons_next_step_next_check_and_red_flags(status: Status) -> None:
    """Page one alone tells her the result, why, what to do this week, when to come back and when to call."""
    data = sample_input(status, forms=forms())
    first = page_texts(rendered(status, ReportKind.PATIENT))[0]
    assert WORDS.text(f"outcome.{status.value}.title") in first
    assert WORDS.term("status", status.value).upper() in first
    assert WORDS.text("why_heading") in first
    assert WORDS.lines(f"this_week.{status.value}")[0][:60] in first
    assert data.next_check_date is not None and day(data.next_check_date) in first
    assert data.letterhead.phone and WORDS.text("how_to_book", phone=data.letterhead.phone) in first
    assert WORDS.text("red_flags_heading") in first
    assert all(line[:50] in first for line in WORDS.lines("red_flags"))


@pytest.mark.parametrize("status", list(Status))
def test_patient_report_keeps_to_its_page_budget(status: Status) -> None:
    """Page one, the log page and one page of detail: no more for any outcome."""
    assert page_count(rendered(status, ReportKind.PATIENT)) <= PAGE_BUDGET[status]


@pytest.mark.parametrize("status", list(Status))
def test_reasons_on_page_one_are_hers_and_at_most_three(status: Status) -> None:
    """The hold (or caution) wording is on page one; never more than three reasons."""
    data = sample_input(status, forms=forms())
    first = page_texts(rendered(status, ReportKind.PATIENT))[0]
    why = first.split(WORDS.text("why_heading"))[1].split(WORDS.text("this_week_heading"))[0]
    assert 1 <= why.count("•") <= 3
    for finding in data.final_decision.holds[:3]:
        assert finding.patient_text in why


@pytest.mark.parametrize("status", list(Status))
def test_what_she_passed_is_a_short_grouped_checklist_after_page_one(status: Status) -> None:
    """Passed checks appear as groups with a count on a later page, never as the long list of checks."""
    pages = page_texts(rendered(status, ReportKind.PATIENT))
    assert WORDS.text("passed_heading") not in pages[0]
    later = " ".join(pages[1:])
    assert WORDS.text("passed_heading") in later and "Bladder and bowel" in later
    for check in sample_input(status).decision.passed:
        assert check.patient_text not in later


@pytest.mark.parametrize("status", list(Status))
def test_no_jargon_ids_or_internal_references(status: Status) -> None:
    """No snake_case, field paths, rule ids, "CLINICAL.md" or hyphen-minus numbers reach the patient."""
    text = pdf_text(rendered(status, ReportKind.PATIENT))
    assert SNAKE_OR_PATH.findall(text.replace("clinic@runready.example", "")) == []
    assert "CLINICAL.md" not in text and "below the hold level" not in text
    assert re.search(r"(?<![\w–])-\d", text) is None
    assert re.search(r"\b[PTOSLHJRMBG]\d\b", text) is None


def test_weeks_since_birth_is_shown_as_weeks_and_days() -> None:
    """Time since the birth reads "14 weeks 3 days", never a decimal."""
    text = pdf_text(rendered(Status.READY, ReportKind.PATIENT))
    assert "14 weeks 3 days" in text and "14.4" not in text


def test_a_declined_examination_reads_as_her_choice() -> None:
    """A check not done because she declined the examination is her choice, not a gap."""
    data = sample_input(Status.INCOMPLETE, forms=forms())
    results = data.record.visit.results.with_values({"pelvic_floor.exam_state": "declined"})
    record = replace(data.record, visit=replace(data.record.visit, results=results))
    text = pdf_text(render_report(replace(data, record=record), ReportKind.PATIENT, invariant=True))
    assert "Pelvic-floor baseline: you chose not to have this" in text
    assert "Hop symmetry: not checked" in text


def test_undecided_visit_prints_a_proposal_notice() -> None:
    """Without a clinician decision the report says it is a proposal awaiting the clinician."""
    text = pdf_text(rendered(Status.READY, ReportKind.PATIENT, decided=False))
    assert "PROPOSAL — awaiting your clinician's decision" in text
    assert "recommendation of Alex Byrne" not in text


def test_overridden_outcome_says_the_clinician_changed_it() -> None:
    """When the clinician changes the proposal, the report says so and shows the final outcome."""
    data = sample_input(Status.NOT_YET_TIME, override=True)
    pages = page_texts(render_report(data, ReportKind.PATIENT, invariant=True))
    assert "reviewed the proposed result and changed it" in " ".join(pages)
    assert WORDS.text("outcome.READY_WITH_CAUTIONS.title") in pages[0]
    assert WORDS.text("outcome.NOT_YET_TIME.title") not in " ".join(pages)
    assert WORDS.text("log.heading") in pages[1]
    assert WORDS.text("plan_none") not in " ".join(pages)


def test_next_check_is_the_visit_date_plus_the_interval() -> None:
    """The next check is the visit date plus the re-test interval, with how to book it."""
    first = page_texts(rendered(Status.NOT_READY_FUNCTION, ReportKind.PATIENT))[0]
    assert "8 Oct 2026 (4 weeks after this visit)" in first


def test_advice_exercises_are_listed() -> None:
    """Exercise advice prints its heading and each exercise."""
    text = pdf_text(rendered(Status.NOT_READY_FUNCTION, ReportKind.PATIENT))
    assert "Calf strength" in text
    assert "3 × 15 single-leg calf raises on a step" in text


def test_incomplete_visit_asks_for_the_missing_checks_not_for_exercises() -> None:
    """With checks missing, the report says so; advice that only asks to record a check is left out."""
    data = sample_input(Status.INCOMPLETE)
    advice = (AdviceItem("O5", "Still to assess", "Record pelvic_floor.mos to complete O5."),)
    data = with_decision(data, replace(data.decision, advice=advice))
    text = pdf_text(render_report(data, ReportKind.PATIENT, invariant=True))
    assert "Nothing held you back in the checks that were done" in text
    assert "pelvic_floor.mos" not in text


def test_passed_check_without_patient_wording_is_left_to_the_clinician() -> None:
    """A passed check with no patient wording (e.g. T2) is neither printed nor counted."""
    data = sample_input(Status.READY)
    extra = PassedCheck("T2", "Same time gate after caesarean and vaginal birth", "")
    decision = replace(data.decision, passed=(*data.decision.passed, extra))
    text = pdf_text(render_report(with_decision(data, decision), ReportKind.PATIENT))
    assert "Same time gate after caesarean" not in text
    assert "Time since the birth" not in text
