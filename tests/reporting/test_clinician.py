"""The clinician summary prints every recorded value, every rule applied and what was missing."""

from __future__ import annotations

from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.samples import sample_input

from .pdfs import forms, pdf_text, rendered


def test_recorded_values_print_with_units_sides_and_symmetry() -> None:
    """Sided strength values print left, right, unit and the LSI with the weaker side."""
    text = pdf_text(rendered(Status.READY, ReportKind.CLINICIAN))
    assert "S1 Single-leg calf raise 24 22 reps 91.7 % (R)" in text
    assert "6 m timed hop" in text
    assert "95.5 % (R)" in text  # timed: faster ÷ slower, the slower right side is weaker


def test_popq_grid_stage_and_ird_by_site_are_printed() -> None:
    """The POP-Q grid with its computed stage and inter-recti distance by site and condition print."""
    text = pdf_text(rendered(Status.READY, ReportKind.CLINICIAN))
    assert "POP-Q stage I (Bump 1996)" in text
    assert "tvl 9" in text
    assert "At the umbilicus 1.9 cm 1.5 cm" in text
    assert "Method: Calipers" in text


def test_questionnaire_band_cites_klovning() -> None:
    """The ICIQ-UI SF total prints with its band and the Klovning 2009 citation."""
    text = pdf_text(rendered(Status.READY, ReportKind.CLINICIAN))
    assert "ICIQ-UI SF total 0/21 — band: none (bands from Klovning 2009)" in text
    assert "PFDI-20 total 15.6/300" in text


def test_rules_print_threshold_source_and_effect() -> None:
    """Each rule that fired prints its id, threshold, source and what it did to the outcome."""
    text = pdf_text(rendered(Status.NOT_READY, ReportKind.CLINICIAN))
    assert "O2" in text
    assert "> 2.0 cm" in text
    assert "Goom T, Donnelly G" in text
    assert "hold → Not ready — temporary hold" in text
    assert "RunReady default return-to-run protocol, version 1.0.0" in text


def test_overrides_print_author_and_reason() -> None:
    """A documented override prints its rule, reason and author."""
    data = sample_input(Status.NOT_READY, override=True, forms=forms())
    text = pdf_text(render_report(data, ReportKind.CLINICIAN, invariant=True))
    assert "Generates linea alba tension without doming on load tests." in text
    assert "Overrides" in text
    assert "FINAL DECISION — OVERRIDDEN" in text


def test_not_assessed_list_names_missing_inputs() -> None:
    """Checks without inputs are listed with the fields that would be needed."""
    text = pdf_text(rendered(Status.INCOMPLETE, ReportKind.CLINICIAN))
    assert "Not assessed" in text
    assert "Modified Oxford Scale grade (power)" in text  # the missing input by its label
    assert "pelvic_floor" not in text
    assert "not recorded: Pelvic-floor muscle function, Hop tests" in text  # forms with nothing recorded


def test_trend_charts_are_drawn_with_earlier_visits() -> None:
    """With earlier visits on file, the trend charts print their titles and axis label."""
    text = pdf_text(rendered(Status.READY, ReportKind.CLINICIAN))
    assert "Inter-recti distance at the umbilicus (cm)" in text
    assert "Hop limb symmetry index (%)" in text
    assert "weeks since birth" in text
    assert "2 cm (O2)" in text  # the inter-recti threshold from the protocol, named in the legend


def test_without_earlier_visits_the_trend_section_says_so() -> None:
    """A first visit says there is nothing to compare instead of drawing empty charts."""
    data = sample_input(Status.READY, earlier=False, forms=forms())
    text = pdf_text(render_report(data, ReportKind.CLINICIAN, invariant=True))
    assert "No earlier visit is on file" in text
    assert "weeks since birth" not in text


def test_undecided_visit_says_the_outcome_is_a_proposal() -> None:
    """Without a clinician decision the summary says the outcome is the engine's proposal only."""
    text = pdf_text(rendered(Status.READY, ReportKind.CLINICIAN, decided=False))
    assert "Engine proposal — no clinician decision yet".upper() in text.upper()
    assert "not a clearance" in text


def test_report_without_form_specs_prints_readable_ids() -> None:
    """Without form specs, values still print, labelled from their ids."""
    data = sample_input(Status.READY, forms=())
    text = pdf_text(render_report(data, ReportKind.CLINICIAN, invariant=True))
    assert "Calf raise 24 22" in text
