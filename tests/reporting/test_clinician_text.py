"""Every document of every sample outcome reads as a clinician writes: no paths, ids or stray noise."""

from __future__ import annotations

import dataclasses
import re

import pytest

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.samples import sample_input

from .pdfs import forms, kinds_for, pdf_text

FORBIDDEN = {
    "field path": re.compile(
        r"\b(?:history|symptoms|questionnaires|diastasis|prolapse|pelvic_floor|load_impact|strength|hop"
        r"|jumping|delivery|visit)\.[a-z_]+"
    ),
    "snake_case": re.compile(r"\b[a-z]+_[a-z0-9_]+\b"),
    "internal reference": re.compile(r"CLINICAL\.md|project's"),
    "hyphen-minus as a minus": re.compile(r"(?:^|[\s(:;=,])-\d"),
    "percentage with more than one decimal": re.compile(r"\d+\.\d{2,}\s?%"),
    "weeks with decimals": re.compile(r"\d+\.\d+ weeks"),
}


def problems(text: str) -> list[str]:
    """Return each forbidden thing found in ``text`` with a little context."""
    found = []
    for name, pattern in FORBIDDEN.items():
        for match in pattern.finditer(text):
            found.append(f"{name}: …{text[max(0, match.start() - 30) : match.end() + 10]}…")
    return found


@pytest.mark.parametrize("override", [False, True])
@pytest.mark.parametrize("status", list(Status))
def test_no_document_prints_paths_ids_or_noise(status: Status, override: bool) -> None:
    """Scan every kind of every sample outcome (confirmed and overridden) for forbidden text."""
    data = sample_input(status, override=override, forms=forms())
    for kind in kinds_for(status):
        text = pdf_text(render_report(data, kind, invariant=True))
        assert problems(text) == [], kind


def test_the_scan_catches_what_it_forbids() -> None:
    """The patterns find a field path, snake_case, an internal reference, a hyphen minus and 95.16 %."""
    sample = "hop.single_hop spontaneous_vaginal CLINICAL.md Ba -0.5 cm LSI 95.16 % 13.86 weeks"
    assert len(problems(sample)) >= 6


def test_footer_shows_the_visit_date_and_the_printed_date() -> None:
    """The footer prints both dates in the one date style, and no visit id."""
    text = pdf_text(render_report(sample_input(Status.READY, forms=forms()), ReportKind.CLINICIAN))
    assert "visit of 10 Sep 2026 · printed 10 Sep 2026" in text
    assert "V-0003" not in text


def test_declined_internal_exam_reads_as_declined_by_the_patient() -> None:
    """A pelvic-floor check missing because the patient declined says so, not "missing inputs"."""
    from dataclasses import replace

    data = sample_input(Status.INCOMPLETE, forms=forms())
    results = data.record.visit.results.with_values({"pelvic_floor.exam_state": "declined"})
    record = replace(data.record, visit=replace(data.record.visit, results=results))
    text = pdf_text(render_report(replace(data, record=record), ReportKind.CLINICIAN, invariant=True))
    assert "declined by the patient" in text
    assert "the patient declined the internal examination" in text


def test_caesarean_birth_line_leaves_out_perineal_trauma() -> None:
    """After a caesarean the birth line names the mode and parity, not a bare "not applicable"."""
    data = sample_input(Status.READY, forms=forms())
    delivery = dataclasses.replace(
        data.delivery, mode=DeliveryMode.EMERGENCY_CAESAREAN, perineal_trauma=PerinealTrauma.NOT_APPLICABLE
    )
    record = dataclasses.replace(data.record, delivery=delivery)
    text = pdf_text(render_report(dataclasses.replace(data, record=record), ReportKind.CLINICIAN))
    assert "caesarean" in text
    assert "not applicable" not in text
