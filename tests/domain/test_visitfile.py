"""Tests for the runready-visit/1 format: round trips and bad documents that never raise."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, VisitStatus
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results
from clinic_app.domain.visitfile import (
    FORMAT_ID,
    flatten_results,
    nest_results,
    parse_visit_file,
    record_to_json,
)

TODAY = dt.date(2026, 11, 25)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "visit-complete.json"


def minimal() -> dict[str, Any]:
    """A small valid document (patient, delivery, visit and a few results)."""
    return {
        "format": FORMAT_ID,
        "patient": {
            "id": "P-1",
            "family_name": "Ní Bhriain",
            "given_names": "Zoë",
            "date_of_birth": "1991-04-02",
        },
        "delivery": {
            "date": "2026-06-01",
            "mode": "spontaneous_vaginal",
            "perineal_trauma": "third_degree",
            "parity": 2,
        },
        "visit": {
            "id": "V-1",
            "date": "2026-09-10",
            "clinician": {"id": "C-1", "name": "Alex Byrne"},
            "status": "draft",
        },
        "results": {
            "symptoms": {"urinary_leakage": False, "daily_pain_sites": ["hip", "knee"]},
            "strength": {"calf_raise": {"left": 22, "right": 18}},
            "hop": {"single_hop": {"left": 110.5, "missing_reason": "right knee sore"}},
        },
    }


def test_parse_minimal_document() -> None:
    """A valid document gives a record with typed fields and flat results."""
    outcome = parse_visit_file(minimal(), today=TODAY)
    assert outcome.errors == []
    record = outcome.record
    assert record is not None
    assert record.delivery.mode is DeliveryMode.SPONTANEOUS_VAGINAL
    assert record.delivery.perineal_trauma is PerinealTrauma.THIRD_DEGREE
    assert record.visit.status is VisitStatus.DRAFT
    assert record.visit.results.number("strength.calf_raise.left") == 22
    assert record.visit.results.choices("symptoms.daily_pain_sites") == ("hip", "knee")
    assert record.visit.results.text("hop.single_hop.missing_reason") == "right knee sore"


def test_round_trip_of_minimal_document() -> None:
    """record_to_json → parse_visit_file gives back an equal record."""
    record = parse_visit_file(minimal(), today=TODAY).record
    assert record is not None
    again = parse_visit_file(json.loads(json.dumps(record_to_json(record))), today=TODAY)
    assert again.errors == []
    assert again.record == record


def test_round_trip_of_the_complete_example_with_previous_visit() -> None:
    """The shipped complete example survives a JSON round trip, earlier visit included."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    record = parse_visit_file(data, today=TODAY).record
    assert record is not None
    assert len(record.previous) == 1
    assert parse_visit_file(record_to_json(record), today=TODAY).record == record


values = st.one_of(
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=10),
    st.lists(st.text(min_size=1, max_size=5), max_size=3).map(tuple),
)
ident = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@given(
    st.dictionaries(
        st.tuples(ident, ident, st.sampled_from(["", "left", "right", "missing_reason"])), values, max_size=12
    )
)
def test_nest_and_flatten_are_inverse(raw: dict[tuple[str, str, str], Any]) -> None:
    """Flat results nested to JSON and flattened again are unchanged (sided keys included)."""
    flat: dict[FieldPath, Any] = {}
    for (form, field, side), value in raw.items():
        path = f"{form}.{field}.{side}" if side else f"{form}.{field}"
        # A field is either plain or sided, never both.
        if (side and FieldPath(f"{form}.{field}") in flat) or (
            not side and any(k.startswith(f"{form}.{field}.") for k in flat)
        ):
            continue
        flat[FieldPath(path)] = value
    results = Results(flat)
    again, errors = flatten_results(json.loads(json.dumps(nest_results(results))))
    assert errors == []
    assert dict(again) == dict(results)


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.update(format="other/2"), "format"),
        (lambda d: d.pop("patient"), "patient"),
        (lambda d: d["patient"].update(date_of_birth="02/04/1991"), "patient.date_of_birth"),
        (lambda d: d["delivery"].update(mode="water_birth"), "delivery.mode"),
        (lambda d: d["delivery"].update(parity=0), "delivery.parity"),
        (lambda d: d["delivery"].update(date="2026-12-01"), "delivery.date"),
        (lambda d: d["delivery"].update(date="2026-09-11"), "delivery.date"),
        (lambda d: d["visit"].update(date="2027-01-01"), "visit.date"),
        (lambda d: d["visit"]["clinician"].update(name=""), "visit.clinician.name"),
        (lambda d: d.update(results=[1, 2]), "results"),
        (lambda d: d["results"].update(hop={"single_hop": {"middle": 3}}), "results.hop.single_hop.middle"),
        (
            lambda d: d["results"].update(symptoms={"daily_pain_sites": [1, 2]}),
            "results.symptoms.daily_pain_sites",
        ),
        (lambda d: d.update(previous_visits={"a": 1}), "previous_visits"),
    ],
)
def test_bad_documents_give_field_errors(mutate: Any, path: str) -> None:
    """Each typical mistake is reported at its JSON path and yields no record."""
    data = copy.deepcopy(minimal())
    mutate(data)
    outcome = parse_visit_file(data, today=TODAY)
    assert outcome.record is None
    assert path in [error.path for error in outcome.errors]


def test_earlier_visit_after_current_visit_is_an_error() -> None:
    """An 'earlier' visit dated after the current one is reported."""
    data = minimal()
    data["previous_visits"] = [
        {"visit": {"date": "2026-10-01", "clinician": {"id": "C-1", "name": "A"}}, "results": {}}
    ]
    outcome = parse_visit_file(data, today=TODAY)
    assert [e.path for e in outcome.errors] == ["previous_visits[0].visit.date"]


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)


@given(json_like)
def test_parse_never_raises_on_arbitrary_json(data: Any) -> None:
    """Any decoded JSON value gives an outcome with errors, never an exception."""
    outcome = parse_visit_file(data, today=TODAY)
    assert outcome.record is None
    assert outcome.errors


@given(st.sampled_from(["patient", "delivery", "visit", "results", "previous_visits"]), json_like)
def test_parse_never_raises_when_one_section_is_garbage(section: str, garbage: Any) -> None:
    """Replacing any one section of a valid document by arbitrary JSON never raises."""
    data = minimal()
    data[section] = garbage
    outcome = parse_visit_file(data, today=TODAY)
    assert (outcome.record is None) == bool(outcome.errors)
