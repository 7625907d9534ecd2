"""A conflicting visit's differences read as words a clinician decides from: names, dates, states."""

from __future__ import annotations

from typing import Any

from clinic_app.services.exchange_compare import visit_conflict

MINE: dict[str, Any] = {
    "id": "V-1",
    "patient_id": "P-1",
    "visit_date": "2026-10-30",
    "clinician_id": "C-1",
    "status": "draft",
    "signed_by": None,
    "amends": None,
    "results": [],
    "decisions": [],
    "reports": [],
}
NAMES = {"C-1": "Alex Byrne", "C-2": "Sam Lee", "P-1": "Łucja Żmuda"}


def test_people_and_states_are_named_and_unknown_ids_stay_unnamed() -> None:
    """Known ids become names, unknown ones 'another …'; no id or snake_case key reaches the text."""
    theirs = {**MINE, "patient_id": "P-9", "clinician_id": "C-7", "status": "signed", "signed_by": "C-2"}
    conflict = visit_conflict(MINE, theirs, "Łucja Żmuda", NAMES)
    assert conflict.differences == (
        "patient: Łucja Żmuda here, another patient in the bundle",
        "recorded by Alex Byrne here, by another clinician in the bundle",
        "status: draft here, signed in the bundle",
        "not signed here, signed by Sam Lee in the bundle",
    )
    text = " ".join(conflict.differences)
    assert not any(token in text for token in ("P-9", "C-7", "C-2", "_id", "signed_by"))


def test_dates_and_amendments_read_in_words() -> None:
    """A moved visit date is written as a date; amendment links are described, not listed as ids."""
    moved = visit_conflict(MINE, {**MINE, "visit_date": "2026-11-02", "amends": "V-0"}, "", NAMES)
    assert moved.differences == (
        "visit date: 30 Oct 2026 here, 2 Nov 2026 in the bundle",
        "not an amendment here, an amendment in the bundle",
    )
    both = visit_conflict({**MINE, "amends": "V-0"}, {**MINE, "amends": "V-5"}, "", NAMES)
    assert both.differences == ("amends a different earlier visit here than in the bundle",)


def test_a_visit_differing_only_in_bookkeeping_still_says_so() -> None:
    """Without a visible difference the conflict says the version or timestamps differ."""
    assert visit_conflict(MINE, dict(MINE)).differences == ("version or timestamps differ",)
