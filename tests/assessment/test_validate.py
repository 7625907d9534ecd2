"""Tests for validate(): field checks, messages a physio understands, and never raising."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.assessment.spec import FormCatalogue, load_forms
from clinic_app.assessment.validate import check_visit_document, validate
from clinic_app.domain.errors import FieldError

TODAY = dt.date(2026, 11, 25)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def errors_of(forms: FormCatalogue, values: dict[str, Any], **dates: dt.date) -> dict[str, str]:
    """Validate ``values`` and return message by path (one per path is enough here)."""
    return {error.path: error.message for error in validate(values, forms, today=TODAY, **dates)}


def test_empty_results_are_valid(forms: FormCatalogue) -> None:
    """Nothing recorded is not an error (the engine reports what was not assessed)."""
    assert validate({}, forms, today=TODAY) == []


def test_ird_in_wrong_unit_suggests_the_likely_one(forms: FormCatalogue) -> None:
    """31 recorded as cm is out of range and the message suggests mm."""
    found = errors_of(
        forms, {"diastasis.method": "calipers", "diastasis.unit": "cm", "diastasis.ird_umbilicus_rest": 31}
    )
    assert found["diastasis.ird_umbilicus_rest"] == (
        "Inter-recti distance at umbilicus — rest: 31 cm is outside 0–10 cm — did you mean mm?"
    )


def test_ird_is_never_converted(forms: FormCatalogue) -> None:
    """25 mm is valid as mm and the value is not rewritten in any way."""
    values = {"diastasis.method": "ultrasound", "diastasis.unit": "mm", "diastasis.ird_umbilicus_curl": 25}
    assert validate(values, forms, today=TODAY) == []
    assert values["diastasis.ird_umbilicus_curl"] == 25


def test_ird_without_unit_is_checked_against_the_widest_range(forms: FormCatalogue) -> None:
    """Without a unit, 500 is impossible in any unit and the missing unit is required."""
    found = errors_of(forms, {"diastasis.ird_below_rest": 500})
    assert "in any unit" in found["diastasis.ird_below_rest"]
    assert "required with any inter-recti distance" in found["diastasis.unit"]
    assert "required with any inter-recti distance" in found["diastasis.method"]


def test_height_in_metres_hints_at_the_unit(forms: FormCatalogue) -> None:
    """1.68 for height (cm) is out of range with a unit hint."""
    assert errors_of(forms, {"history.height_cm": 1.68})["history.height_cm"] == (
        "Height: 1.68 cm is outside 120–210 cm — check it is in cm"
    )


def test_negative_range_is_written_plainly(forms: FormCatalogue) -> None:
    """POP-Q Aa of −4 is outside −3 to 3 cm, with no misleading unit hint."""
    message = errors_of(forms, {"prolapse.popq_aa": -4})["prolapse.popq_aa"]
    assert message == "POP-Q point Aa: −4 cm is outside −3 to 3 cm"


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        ("symptoms.urinary_leakage", "yes", "expected yes or no, got 'yes'"),
        ("symptoms.urinary_leakage", 1, "expected yes or no"),
        ("history.sleep_hours", "six", "expected a number, got 'six'"),
        ("history.sleep_hours", True, "expected a number"),
        ("history.sleep_hours", float("nan"), "is not a measurement"),
        ("history.fatigue_score", 12.5, "12.5 is not a whole number"),
        ("questionnaires.iciq_amount", 3, "3 is not a possible score — the scores are 0, 2, 4 or 6"),
        ("strength.calf_raise.left", 201, "201 reps is outside 0–200 reps"),
        ("symptoms.daily_pain_rating", 11, "Worst daily-activity pain: 11/10 is outside 0–10/10"),
        (
            "diastasis.method",
            "ruler",
            "'ruler' is not an option — use calipers, ultrasound, tape or finger_widths",
        ),
        ("symptoms.leakage_triggers", "running", "expected a list of options"),
        ("symptoms.leakage_triggers", ("running", "skipping"), "'skipping' is not an option"),
        ("symptoms.leakage_triggers", ("running", "running"), "ticked twice"),
        ("load_impact.l1_symptoms", ("none", "pain"), "'None' cannot be combined with other options"),
        ("load_impact.l1_pain_site", 7, "expected text"),
        ("history.pre_existing_conditions", "x" * 2001, "longer than 2000"),
        ("questionnaires.iciq_date", "10/09/2026", "not a date written YYYY-MM-DD"),
        ("questionnaires.iciq_date", "2026-02-30", "not a real date"),
        ("questionnaires.iciq_date", "2026-11-26", "2026-11-26 is in the future"),
        ("hop.single_hop.missing_reason", "  ", "reason a side is missing must be written"),
    ],
)
def test_wrong_values_give_clear_messages(forms: FormCatalogue, path: str, value: Any, fragment: str) -> None:
    """Each wrong value is reported at its path with the label and a specific explanation."""
    found = errors_of(forms, {path: value})
    assert path in found, found
    assert fragment in found[path]
    spec = forms.field_by_path(path)
    assert spec is not None and found[path].startswith(spec.label)


def test_absurdly_large_numbers_are_reported_not_raised(forms: FormCatalogue) -> None:
    """A number too large for a float is one plain error, not an OverflowError."""
    found = errors_of(forms, {"history.height_cm": 10**400, "diastasis.ird_above_rest": -(10**400)})
    assert found["history.height_cm"] == "Height: an implausibly large number is not a measurement"
    assert "not a measurement" in found["diastasis.ird_above_rest"]


def test_integral_float_counts_as_whole_number(forms: FormCatalogue) -> None:
    """22.0 reps written by another tool is a whole number."""
    assert (
        validate({"strength.calf_raise.left": 22.0, "strength.calf_raise.right": 20}, forms, today=TODAY)
        == []
    )


def test_today_is_not_in_the_future(forms: FormCatalogue) -> None:
    """A questionnaire dated today is fine."""
    assert validate({"questionnaires.iciq_date": TODAY.isoformat()}, forms, today=TODAY) == []


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("gait.cadence", "unknown form 'gait'"),
        ("hop.long_jump", "'long_jump' is not a field of Hop tests"),
        ("hop.single_hop", "recorded per side — use hop.single_hop.left and hop.single_hop.right"),
        ("symptoms.heaviness.left", "is not recorded per side"),
        ("hop.single_hop.middle", "expected hop.single_hop.left, .right or .missing_reason"),
        ("hop", "not a field path"),
        ("hop..left", "not a field path"),
    ],
)
def test_unknown_or_misshapen_paths(forms: FormCatalogue, path: str, fragment: str) -> None:
    """A path that names no field is reported with what would be right."""
    found = errors_of(forms, {path: 1})
    assert fragment in found[path]


def test_non_string_key_and_non_mapping_results(forms: FormCatalogue) -> None:
    """Odd inputs are reported, not raised."""
    assert validate({3: 1}, forms, today=TODAY)[0].message.startswith("a field path must be text")
    assert validate(None, forms, today=TODAY) == [
        FieldError("results", "expected field values by path, got nothing")
    ]


def test_visit_level_dates(forms: FormCatalogue) -> None:
    """Delivery after the visit and dates in the future are reported on the visit paths."""
    found = errors_of(forms, {}, visit_date=dt.date(2026, 9, 1), delivery_date=dt.date(2026, 9, 2))
    assert found == {"delivery.date": "delivery date 2026-09-02 is after the visit on 2026-09-01"}
    future = errors_of(forms, {}, visit_date=dt.date(2027, 1, 1), delivery_date=dt.date(2026, 12, 1))
    assert set(future) == {"visit.date", "delivery.date"}


def test_errors_are_sorted_and_unique(forms: FormCatalogue) -> None:
    """Errors come back sorted by path with no duplicates."""
    errors = validate({"hop.single_hop.left": -5, "symptoms.heaviness": "x", "gait.x": 1}, forms, today=TODAY)
    assert errors == sorted(set(errors))


# --- visit documents ----------------------------------------------------------------------------


def load_example(name: str) -> Any:
    """Read one of the shipped example visit files."""
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def test_complete_example_validates_with_every_battery(forms: FormCatalogue) -> None:
    """The complete example fills every form and has no problems."""
    record, errors = check_visit_document(load_example("visit-complete.json"), forms, TODAY)
    assert errors == []
    assert record is not None
    recorded_forms = {path.split(".")[0] for path in record.visit.results}
    assert recorded_forms == {form.id for form in forms}


def test_invalid_example_reports_typical_mistakes(forms: FormCatalogue) -> None:
    """The invalid example shows unit slips, wrong scores, missing sides and broken rules."""
    record, errors = check_visit_document(load_example("visit-invalid.json"), forms, TODAY)
    assert record is None
    paths = {error.path for error in errors}
    assert {
        "results.diastasis.ird_umbilicus_rest",
        "results.history.height_cm",
        "results.questionnaires.iciq_amount",
        "results.questionnaires.iciq_date",
        "results.strength.calf_raise.right",
        "results.prolapse.consent",
        "results.prolapse.popq_tvl",
        "results.load_impact.l3_symptoms",
        "results.gait.cadence",
    } <= paths


def test_document_with_bad_header_still_checks_results(forms: FormCatalogue) -> None:
    """A document whose visit part is broken still gets its results checked, all at once."""
    data = load_example("visit-complete.json")
    data["visit"]["date"] = "someday"
    data["results"]["hop"]["single_hop"]["left"] = "far"
    record, errors = check_visit_document(data, forms, TODAY)
    assert record is None
    assert {"visit.date", "results.hop.single_hop.left"} <= {e.path for e in errors}


def test_document_with_future_visit_is_reported_once(forms: FormCatalogue) -> None:
    """A visit in the future is one error at visit.date."""
    data = copy.deepcopy(load_example("visit-complete.json"))
    data["visit"]["date"] = "2027-01-05"
    _, errors = check_visit_document(data, forms, TODAY)
    assert [e.path for e in errors].count("visit.date") == 1


# --- never raises -------------------------------------------------------------------------------

huge = st.sampled_from([10**400, -(10**400), 2**63, 10**13])
anything = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | huge
    | st.floats()
    | st.text(max_size=12)
    | st.dates().map(str),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


REAL_PATHS = sorted(spec.path for spec in load_forms().all_fields())
keys = st.one_of(
    st.tuples(
        st.sampled_from(REAL_PATHS), st.sampled_from(["", ".left", ".right", ".missing_reason", ".x"])
    ).map("".join),
    st.text(max_size=20),
    st.integers(),
    st.none(),
    st.tuples(st.integers()),
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_validate_never_raises(forms: FormCatalogue, data: st.DataObject) -> None:
    """Whatever keys and values are recorded, validate returns FieldErrors and never raises."""
    values = data.draw(st.dictionaries(keys, anything, max_size=15))
    errors = validate(
        values,
        forms,
        today=TODAY,
        visit_date=data.draw(st.none() | st.dates()),
        delivery_date=data.draw(st.none() | st.dates()),
    )
    assert all(isinstance(error, FieldError) and error.message for error in errors)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_validate_never_raises_on_plausible_values(forms: FormCatalogue, data: st.DataObject) -> None:
    """Values of the right shape for each field, in and out of range, never make validate raise."""
    values: dict[str, Any] = {}
    for spec in data.draw(st.lists(st.sampled_from(list(forms.all_fields())), max_size=25)):
        paths = [f"{spec.path}.left", f"{spec.path}.right"] if spec.sided else [spec.path]
        for path in paths:
            values[path] = data.draw(
                st.one_of(
                    st.integers(-50, 2000),
                    huge,
                    st.floats(-1e6, 1e6),
                    st.booleans(),
                    st.sampled_from(spec.choice_ids or ("x",)),
                    st.lists(st.sampled_from(spec.choice_ids or ("x",)), max_size=3).map(tuple),
                    st.text(max_size=5),
                )
            )
    errors = validate(values, forms, today=TODAY)
    assert errors == sorted(set(errors))


@settings(max_examples=100, deadline=None)
@given(anything)
def test_check_visit_document_never_raises(document: Any) -> None:
    """Any decoded JSON gives (None, errors) rather than an exception."""
    record, errors = check_visit_document(document, load_forms(), TODAY)
    assert record is None and errors
