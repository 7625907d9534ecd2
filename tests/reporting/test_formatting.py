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
    assert abs(float(number(value).replace("\u2212", "-")) - value) <= 0.05 + 1e-9


def test_values_use_choice_labels() -> None:
    """Choice and multichoice values print their labels; booleans print yes/no."""
    info = FieldInfo("x.y", "Y", kind="choice", choice_labels={"none": "No symptoms", "pain": "Pain"})
    assert value_text("none", info) == "No symptoms"
    assert value_text(("none", "pain"), info) == "No symptoms, Pain"
    assert value_text(True, info) == "yes"
    assert day(dt.date(2026, 9, 3)) == "3 Sep 2026"


def test_negative_numbers_print_a_real_minus_sign() -> None:
    """A negative value uses U+2212, a change carries its sign, and no change prints as 0."""
    from clinic_app.reporting.formatting import MINUS, signed

    assert number(-0.5) == f"{MINUS}0.5"
    assert (signed(0.4), signed(-0.3), signed(0.01)) == ("+0.4", f"{MINUS}0.3", "0")


def test_weeks_since_birth_print_as_weeks_and_days() -> None:
    """Time since birth is whole weeks and days, exact at the 12-week gate."""
    from clinic_app.reporting.formatting import weeks, weeks_days

    assert (weeks_days(83), weeks_days(84), weeks_days(8), weeks(97 / 7)) == (
        "11 weeks 6 days",
        "12 weeks",
        "1 week 1 day",
        "13 weeks 6 days",
    )


def test_engine_sentences_are_printed_in_the_same_style() -> None:
    """Written sentences get rounded percentages, weeks and days, minus signs; dates and versions stay."""
    from clinic_app.reporting.formatting import clinical_text

    assert clinical_text("13.86 weeks (97 days) since birth") == "13 weeks 6 days since birth"
    assert clinical_text("LSI 95.1613 %; changed +0.0 %") == "LSI 95.2 %; changed 0 %"
    assert (
        clinical_text("Ba -0.5 cm, +7.0 reps, BMI 22.32 kg/m²") == "Ba \u22120.5 cm, +7 reps, BMI 22.3 kg/m²"
    )
    assert (
        clinical_text("2026-10-26, version 2026.12-1, items 3-5")
        == "2026-10-26, version 2026.12-1, items 3-5"
    )


def test_internal_references_are_dropped() -> None:
    """A source never points at the project's own files."""
    from clinic_app.reporting.formatting import public_text

    assert public_text("RunReady decision (CLINICAL.md §12–§13).") == "RunReady decision."
    assert public_text("Five articles (kept in the project's clinic-guidance folder).") == "Five articles."
    assert public_text("Widest site (Benjamin et al.; CLINICAL.md §4.2)") == "Widest site (Benjamin et al.)"


def test_times_carry_their_zone() -> None:
    """A stored UTC time prints with its date, clock time and a named zone."""
    from clinic_app.reporting.formatting import moment

    shown = moment(dt.datetime(2026, 9, 10, 11, 30, tzinfo=dt.UTC))
    assert shown.startswith(("10 Sep 2026, ", "11 Sep 2026, ", "9 Sep 2026, "))
    assert shown.split(" ")[-1].strip() != ""
    assert ":" in shown
