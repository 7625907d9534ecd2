"""Time since birth as clinicians write it: whole weeks and days (``13 weeks 6 days``, ``12 weeks``).

One wording for the window and every printed document, so a visit never reads "15.0" on screen and
"15 weeks" on paper. Whole weeks and days rather than a decimal: at the 12-week gate, "11.9 weeks"
reads as "about 12" where "11 weeks 6 days" does not.
"""

from __future__ import annotations

MINUS = "\u2212"
"""The minus sign; a hyphen-minus before a digit reads as a dash in print."""


def weeks_days(days: int) -> str:
    """Format a number of days since birth as whole weeks and days (``13 weeks 6 days``, ``1 week``)."""
    whole, rest = divmod(abs(days), 7)
    unit = "week" if whole == 1 else "weeks"
    shown = f"{whole} {unit}" if not rest else f"{whole} {unit} {rest} day{'s' if rest != 1 else ''}"
    return f"{MINUS}{shown}" if days < 0 else shown


def weeks_text(weeks: float) -> str:
    """Format weeks since birth as the engine computes them (a float) as whole weeks and days."""
    return weeks_days(round(weeks * 7))
