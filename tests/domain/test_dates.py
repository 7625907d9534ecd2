"""Dates and times in one style: day month-name year, times with their zone, odd text left visible."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from clinic_app.domain.dates import day, day_text, moment, moment_text


@pytest.fixture
def in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run in the UTC zone, and give the process its own zone back afterwards."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_day_reads_the_same_in_every_locale() -> None:
    """25 November 2026 is '25 Nov 2026', with no leading zero."""
    assert day(dt.date(2026, 11, 25)) == "25 Nov 2026"
    assert day(dt.date(2026, 3, 4)) == "4 Mar 2026"


def test_a_time_names_its_zone(in_utc: None) -> None:
    """A UTC time is shown in the computer's zone, with that zone named."""
    assert moment(dt.datetime(2026, 9, 10, 11, 30, tzinfo=dt.UTC)) == "10 Sep 2026, 11:30 UTC"
    assert moment(dt.datetime(2026, 9, 10, 11, 30)) == "10 Sep 2026, 11:30 UTC"  # naive is UTC


def test_iso_text_is_formatted_and_other_text_is_kept(in_utc: None) -> None:
    """An ISO string is formatted; anything else comes back unchanged rather than hidden."""
    assert day_text("2026-10-30") == "30 Oct 2026"
    assert moment_text("2026-12-02T23:08:25.913245+00:00") == "2 Dec 2026, 23:08 UTC"
    assert day_text("sometime") == "sometime" and moment_text("") == ""
