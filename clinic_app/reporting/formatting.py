"""Turn recorded values into printed text: numbers without noise, dates, choice labels.

Values are printed in the unit they were recorded in; nothing is converted here.
"""

from __future__ import annotations

import datetime as dt

from clinic_app.domain.model import Value
from clinic_app.reporting.inputs import FieldInfo, humanise


def number(value: float, places: int = 1) -> str:
    """Format a number with at most ``places`` decimals and no trailing zeros (``2.0`` → ``2``)."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def day(value: dt.date) -> str:
    """Format a date as ``25 Nov 2026`` (unambiguous in every locale)."""
    return f"{value.day} {value:%b %Y}"


def value_text(value: Value, info: FieldInfo, yes: str = "yes", no: str = "no") -> str:
    """Return a recorded value as text, using the field's choice labels when it has them.

    Args:
        value: the stored value.
        info: how the field is printed.
        yes: the word for True.
        no: the word for False.
    """
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, int | float):
        return number(float(value), 2)
    if isinstance(value, tuple):
        return ", ".join(info.choice_labels.get(item, humanise(item).lower()) for item in value) or "—"
    if info.choice_labels and value in info.choice_labels:
        return info.choice_labels[value]
    if info.kind == "choice":
        return humanise(value).lower()
    return value
