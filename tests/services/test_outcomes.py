"""Outcome words and symbols on screen are the report's own."""

from __future__ import annotations

from clinic_app.readiness.decision import Status
from clinic_app.services.outcomes import outcome_label, outcome_labels


def test_every_status_has_words_a_symbol_and_a_colour():
    """No status is shown by colour alone: each has words and a symbol name."""
    labels = outcome_labels()
    assert set(labels) == set(Status)
    for label in labels.values():
        assert label.words and label.symbol and label.colour.startswith("#")
    assert "safe" not in " ".join(label.words.lower() for label in labels.values())


def test_a_stored_status_text_finds_its_label():
    """The stored text of a status gives the same label as the enum."""
    assert outcome_label("READY").words == outcome_label(Status.READY).words == "Ready to start walk–run"
