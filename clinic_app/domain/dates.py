"""Dates and times as clinicians write them, one style for the window, the command line and paper.

``25 Nov 2026`` rather than ``2026-11-25`` or ``11/25/2026``: unambiguous in every locale. A time
carries its zone (``10 Sep 2026, 11:30 UTC``), shown in the zone of the computer showing it.
"""

from __future__ import annotations

import datetime as dt


def day(value: dt.date) -> str:
    """Format a date as ``25 Nov 2026`` (unambiguous in every locale)."""
    return f"{value.day} {value:%b %Y}"


def moment(value: dt.datetime) -> str:
    """Format a time with its date and time zone (``10 Sep 2026, 11:30 UTC``), in local time.

    Storage keeps times in UTC; a time without a zone is taken as UTC, then shown in the zone of the
    computer showing it, named, so the reader never has to guess.
    """
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    local = aware.astimezone()
    zone = local.tzname() or local.strftime("UTC%z")
    return f"{day(local.date())}, {local:%H:%M} {zone}"


def day_text(iso: str) -> str:
    """``day()`` of an ISO date string; text that is not one is returned unchanged (never hidden)."""
    try:
        return day(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def moment_text(iso: str) -> str:
    """``moment()`` of an ISO date-time string; text that is not one is returned unchanged."""
    try:
        return moment(dt.datetime.fromisoformat(iso))
    except ValueError:
        return iso
