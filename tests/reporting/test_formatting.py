"""Values print in the unit recorded, without noise."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from clinic_app.reporting.formatting import day, number, value_text
from clinic_app.reporting.inputs import FieldInfo


def test_numbers_drop_trailing_zeros() -> None:
    """2.0 prints as 2 and 2.50 as 2.5."""
    assert (number(2.0), number(2.5), number(-0.04), number(91.666)) == ("2", "2.5", "0", "91.7")


@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False))
def test_number_round_trips_within_rounding(value: float) -> None:
    """The printed number parses back to the value within half a unit of the last place."""
    assert abs(float(number(value)) - value) <= 0.05 + 1e-9


def test_values_use_choice_labels() -> None:
    """Choice and multichoice values print their labels; booleans print yes/no."""
    info = FieldInfo("x.y", "Y", kind="choice", choice_labels={"none": "No symptoms", "pain": "Pain"})
    assert value_text("none", info) == "No symptoms"
    assert value_text(("none", "pain"), info) == "No symptoms, Pain"
    assert value_text(True, info) == "yes"
    assert day(dt.date(2026, 9, 3)) == "3 Sep 2026"
