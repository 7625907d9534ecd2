"""Readable words for the patient side of the window: delivery mode, perineal trauma, visit status.

The words are the shared vocabulary of the printed reports (``reports/wording/common.toml``), so the
window and the paper never name a birth or a sign-off state differently.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from typing import Any

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, VisitStatus
from clinic_app.domain.model import Delivery
from clinic_app.resources import reports_folder


@functools.cache
def _common() -> dict[str, Any]:
    path = reports_folder() / "wording" / "common.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _term(table: str, key: str, *, capital: bool = True) -> str:
    section = _common().get(table, {})
    found = section.get(key) if isinstance(section, dict) else None
    text = str(found) if found is not None else key.replace("_", " ")
    return text[:1].upper() + text[1:] if capital else text


def mode_words(mode: DeliveryMode) -> str:
    """``Forceps-assisted birth``."""
    return _term("delivery_mode", mode.value)


def trauma_words(trauma: PerinealTrauma) -> str:
    """``Third-degree tear (OASI)``."""
    return _term("perineal_trauma", trauma.value)


def status_words(status: VisitStatus, *, amends: str | None = None) -> str:
    """The sign-off state of a visit in words; an amendment says so."""
    if status is VisitStatus.AMENDED:
        return "Amended — replaced by a correction"
    words = _term("visit_status", status.value)
    return f"{words} — amendment" if amends else words


def day_text(day: dt.date) -> str:
    """A date as clinicians read it without ambiguity: ``02 Apr 1991``."""
    return day.strftime("%d %b %Y")


def delivery_text(delivery: Delivery) -> str:
    """One line for a birth: date, mode, perineal trauma and parity."""
    return (
        f"{day_text(delivery.delivery_date)} · {mode_words(delivery.mode)} · "
        f"perineum: {_term('perineal_trauma', delivery.perineal_trauma.value, capital=False)} · "
        f"parity {delivery.parity}"
    )


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)
