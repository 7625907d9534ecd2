"""Tests for how numbers, ranges and values are written in messages."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.assessment.wording import describe_value, format_number, format_range, join_or, with_unit


@pytest.mark.parametrize(
    ("value", "text"),
    [(31, "31"), (31.0, "31"), (2.5, "2.5"), (0.1 + 0.2, "0.3"), (-3, "−3"), (-0.5, "−0.5"), (True, "yes")],
)
def test_format_number(value: float, text: str) -> None:
    """Whole numbers lose '.0', float noise is trimmed, minus is a real minus sign."""
    assert format_number(value) == text


def test_format_number_non_finite() -> None:
    """NaN and infinity are written as Python writes them rather than raising."""
    assert format_number(math.nan) == "nan"
    assert format_number(math.inf) == "inf"


@pytest.mark.parametrize(
    ("low", "high", "unit", "text"),
    [
        (0, 10, "cm", "0–10 cm"),
        (-3, 3, "cm", "−3 to 3 cm"),
        (0, 10, "/10", "0–10/10"),
        (4, None, "cm", "at least 4 cm"),
        (None, 3, "", "at most 3"),
        (None, None, "", "any value"),
    ],
)
def test_format_range(low: float | None, high: float | None, unit: str, text: str) -> None:
    """Ranges read naturally, including negative and open ones."""
    assert format_range(low, high, unit) == text


def test_with_unit_and_join_or() -> None:
    """Units attach with a space except ratings; alternatives join with 'or'."""
    assert with_unit("7", "/10") == "7/10" and with_unit("7", "cm") == "7 cm" and with_unit("7", "") == "7"
    assert join_or([]) == "" and join_or(["a"]) == "a" and join_or(["a", "b", "c"]) == "a, b or c"


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "nothing"), ("x" * 50, "'" + "x" * 37 + "...'"), ([1], "a list"), ({}, "an object"),
     (10**400, "an implausibly large number"), (b"x", "a bytes")],
)  # fmt: skip
def test_describe_value_is_short(value: object, text: str) -> None:
    """Wrong values are described briefly, never as a huge repr."""
    assert describe_value(value) == text


@given(st.one_of(st.integers(), st.floats(), st.text(), st.none(), st.lists(st.integers())))
def test_describe_value_never_raises_and_stays_short(value: object) -> None:
    """Any value gets a description of bounded length."""
    assert len(describe_value(value)) < 60
