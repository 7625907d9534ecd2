"""The referral letter is addressed from the decision and carries the findings behind it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReferralNotNeededError, ReportKind, render_report
from clinic_app.reporting.samples import sample_input

from .pdfs import pdf_text, rendered


def test_refer_letter_names_recipients_reasons_and_findings() -> None:
    """A REFER letter goes to the named recipients with the findings that prompted it."""
    text = pdf_text(rendered(Status.REFER, ReportKind.REFERRAL))
    assert "GP; Pelvic-health physiotherapist" in text
    assert "Bowel urgency" in text
    assert "faecal urgency difficult to defer reported (Faecal urgency: yes)" in text
    assert "Dear colleague," in text
    assert "Alex Byrne" in text


def test_pelvic_health_hold_letter_is_addressed_to_the_physiotherapist() -> None:
    """A NOT_READY hold with a referral (P6) is addressed to the pelvic-health physiotherapist."""
    text = pdf_text(rendered(Status.NOT_READY, ReportKind.REFERRAL))
    assert "To Pelvic-health physiotherapist" in text
    assert "P6" in text
    assert "O2" not in text  # only the findings named by the referral


@pytest.mark.parametrize("status", [Status.READY, Status.NOT_READY_FUNCTION, Status.NOT_YET_TIME])
def test_referral_for_a_visit_that_needs_none_is_refused(status: Status) -> None:
    """Asking a letter for a visit without a referral raises instead of printing an empty one."""
    with pytest.raises(ReferralNotNeededError):
        render_report(sample_input(status), ReportKind.REFERRAL)


def test_referral_letter_fits_on_one_or_two_pages() -> None:
    """A letter stays short: one or two pages."""
    from .pdfs import page_count

    assert 1 <= page_count(rendered(Status.REFER, ReportKind.REFERRAL)) <= 2


def test_pelvic_health_hold_without_named_referral_still_gets_a_letter() -> None:
    """A P6/O1-type hold with no referral in the decision is addressed to the pelvic-health physio."""
    data = sample_input(Status.NOT_READY)
    data = replace(data, decision=replace(data.decision, referral=None))
    text = pdf_text(render_report(data, ReportKind.REFERRAL, invariant=True))
    assert "To Pelvic-health physiotherapist" in text
    assert "Pelvic heaviness" in text
