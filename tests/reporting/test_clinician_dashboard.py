"""Page one of the clinician summary is a dashboard; the whole summary keeps to its page budget."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.samples import sample_input

from .pdfs import forms, page_count, rendered

PAGE_BUDGET = 4
"""Pages a complete sample visit may take (issue 13: "about four pages")."""


def page_text(pdf: bytes, index: int) -> str:
    """Return the text of one page, whitespace collapsed."""
    page = PdfReader(io.BytesIO(pdf)).pages[index]
    return " ".join((page.extract_text() or "").split())


@pytest.mark.parametrize("status", list(Status))
def test_page_one_holds_the_final_decision_signer_and_key_values(status: Status) -> None:
    """Page one names the final decision, who signed it and when (with zone) and the key values."""
    first = page_text(rendered(status, ReportKind.CLINICIAN), 0)
    assert "FINAL DECISION" in first
    assert "Signed by Alex Byrne on 10 Sep 2026, " in first
    assert "UTC" in first or "GMT" in first or "IST" in first  # a named time zone
    assert "Key values against the protocol's thresholds" in first
    assert "Time since birth" in first


def test_override_is_marked_with_author_reason_and_the_engine_proposal() -> None:
    """An override prints "overridden", its author, the reason and the engine's proposal as such."""
    data = sample_input(Status.NOT_READY, override=True, forms=forms())
    first = page_text(render_report(data, ReportKind.CLINICIAN, invariant=True), 0)
    assert "FINAL DECISION — OVERRIDDEN" in first
    assert "Overridden by Alex Byrne" in first
    assert "The engine proposed: Not ready — temporary hold." in first
    assert "Generates linea alba tension without doming on load tests." in first


def test_undecided_visit_is_shown_as_the_engines_proposal() -> None:
    """Without a clinician decision the banner says it is the engine's proposal, not a decision."""
    first = page_text(rendered(Status.READY, ReportKind.CLINICIAN, decided=False), 0)
    assert "ENGINE PROPOSAL — NO CLINICIAN DECISION YET" in first
    assert "FINAL DECISION" not in first


def test_key_values_show_protocol_targets_and_results() -> None:
    """The inter-recti row prints the value now, the protocol's target and the engine's hold."""
    first = page_text(rendered(Status.NOT_READY, ReportKind.CLINICIAN), 0)
    assert "Inter-recti distance, widest site 2.4 cm ≤ 2 cm ✗ hold" in first
    assert "Single-leg bridge L 25 · R 24 reps ≥ 20 reps ✓ met" in first


def test_holds_are_summarised_on_page_one_and_in_full_in_the_appendix() -> None:
    """A hold is one line on page one; the appendix prints the rules that fired with their source."""
    pdf = rendered(Status.NOT_READY, ReportKind.CLINICIAN)
    assert "What decided it" in page_text(pdf, 0)
    later = " ".join(page_text(pdf, i) for i in range(1, page_count(pdf)))
    assert "Appendix — the full record" in later
    assert "Rules that fired" in later and "Goom T, Donnelly G" in later


@pytest.mark.parametrize("override", [False, True])
@pytest.mark.parametrize("status", list(Status))
def test_a_complete_visit_keeps_to_the_page_budget(status: Status, override: bool) -> None:
    """Every sample outcome, confirmed or overridden, fits in the page budget."""
    data = sample_input(status, override=override, forms=forms())
    assert page_count(render_report(data, ReportKind.CLINICIAN, invariant=True)) <= PAGE_BUDGET


def test_load_tasks_are_one_compact_table() -> None:
    """The load and impact tasks print one row per task, not a row per recorded field."""
    text = " ".join(page_text(rendered(Status.READY, ReportKind.CLINICIAN), i) for i in range(1, 4))
    assert "Task Done Amount Control Symptoms" in text
    assert "L3 quality of control" not in text
