"""How numbers, ranges and values are written in messages a physiotherapist reads.

One place for the formatting so validation messages, the command line and reports agree: ``31``
not ``31.0``, ``0–10 cm`` with an en dash, choice ids shown as their labels where that helps.
"""

from __future__ import annotations

import math


def format_number(value: float) -> str:
    """Write a number without a trailing ``.0`` and without float noise (``0.30000000000000004``).

    Args:
        value: any int or float, including NaN and infinities.

    Returns:
        The shortest readable form, at most four decimals.
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value).replace("-", "−")
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "−" + text[1:] if text.startswith("-") else text


def format_range(low: float | None, high: float | None, unit: str = "") -> str:
    """Write a closed range as ``0–10 cm``, or ``at least 4 cm`` / ``at most 3 cm`` when open."""
    suffix = with_unit("", unit)
    if low is not None and high is not None:
        if low < 0:
            return f"{format_number(low)} to {format_number(high)}{suffix}"
        return f"{format_number(low)}–{format_number(high)}{suffix}"
    if low is not None:
        return f"at least {format_number(low)}{suffix}"
    if high is not None:
        return f"at most {format_number(high)}{suffix}"
    return "any value"


def with_unit(text: str, unit: str) -> str:
    """Append a unit: ``31 cm``, but ``7/10`` for a rating out of ten."""
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("/") else f"{text} {unit}"


def describe_value(value: object) -> str:
    """Describe a wrongly typed value briefly (no huge reprs in a one-line message)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value) if abs(value) < 10**15 else "an implausibly large number"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"'{text}'"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


def join_or(words: list[str]) -> str:
    """Join alternatives for a message: ``a``, ``a or b``, ``a, b or c``."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"
