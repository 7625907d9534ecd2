"""Time since birth reads as whole weeks and days, the same in the window and on paper."""

from __future__ import annotations

from clinic_app.domain.weeks import MINUS, weeks_days, weeks_text


def test_whole_weeks_and_days() -> None:
    """A day count prints as weeks and days, singular where it is one."""
    assert weeks_days(84) == "12 weeks"
    assert weeks_days(83) == "11 weeks 6 days"
    assert weeks_days(8) == "1 week 1 day"
    assert weeks_days(-3) == f"{MINUS}0 weeks 3 days"


def test_engine_weeks_round_to_the_nearest_day() -> None:
    """The engine's float weeks (days / 7, rounded to 4 places) come back as the exact day count."""
    assert weeks_text(round(103 / 7, 4)) == "14 weeks 5 days"
    assert weeks_text(15.0) == "15 weeks"
