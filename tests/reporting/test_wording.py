"""Every printed sentence comes from the wording files, complete for every outcome."""

from __future__ import annotations

import pytest

from clinic_app.readiness.decision import Status
from clinic_app.reporting.wording import WordingError, load_wording


def test_patient_wording_covers_every_outcome() -> None:
    """Each status has a patient title and body, and a shared status label."""
    words = load_wording("patient")
    for status in Status:
        assert words.text(f"outcome.{status.value}.title")
        assert words.text(f"outcome.{status.value}.body")
        assert words.common_text(f"status.{status.value}")


def test_placeholders_are_filled() -> None:
    """Placeholders in a sentence are replaced by the given values."""
    words = load_wording("patient")
    assert "Alex Byrne" in words.text("proposal_notice", clinician="Alex Byrne")


def test_missing_key_raises_instead_of_printing_nothing() -> None:
    """A key absent from the wording file is an error, not an empty line."""
    with pytest.raises(WordingError, match="no_such_key"):
        load_wording("clinician").text("no_such_key")


def test_unknown_kind_is_refused() -> None:
    """Only the three report kinds have wording."""
    with pytest.raises(ValueError, match="unknown report kind"):
        load_wording("invoice")
