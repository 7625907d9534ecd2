"""Turn recorded values into printed text the way a clinician writes them.

One style for every document: numbers without noise and with a real minus sign (U+2212), percentages
to one decimal, dates as ``10 Sep 2026``, times with their time zone, and time since birth as whole
weeks and days (``13 weeks 6 days``: exact at the 12-week boundary, where ``11.9 weeks`` would read
as "about 12"). Values are printed in the unit they were recorded in; nothing is converted here.

:func:`clinical_text` applies the same rules to sentences that arrive already written (engine
explanations, stored decisions), so a report never shows ``95.1613 %`` or ``-0.5`` whatever made it.
"""

from __future__ import annotations

import functools
import re

from clinic_app.domain.dates import day as day  # re-exported: the reports call formatting.day
from clinic_app.domain.dates import moment as moment
from clinic_app.domain.model import Value
from clinic_app.domain.weeks import weeks_days as domain_weeks_days
from clinic_app.domain.weeks import weeks_text
from clinic_app.reporting.inputs import FieldInfo, humanise

_DIGIT = re.compile(r"\d")
MINUS = "\u2212"
"""The minus sign; a hyphen-minus before a digit reads as a dash in print."""

_WEEKS_DAYS = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?) weeks \((\d+) days\)")
_DECIMAL_WEEKS = re.compile(r"(?<![\w.])([+\-\u2212]?)(\d+\.\d+) weeks")
_PERCENT = re.compile(r"(?<![\w.])([+\-\u2212]?)(\d+\.\d{2,})(\s?%)")
_LONG_DECIMAL = re.compile(r"(?<![\w.\-])([+\-\u2212]?)(\d+\.\d{3,})(?![\d.\-])")
_BMI = re.compile(r"(?<![\w.])(\d+\.\d{2,})(\s?kg/m²)")
_SIGNED_WHOLE = re.compile(r"(?<![\w.])([+\-\u2212]\d+)\.0(?![\d.])")
_SIGNED_ZERO = re.compile(r"(?<![\w.])[+\-\u2212]0(?:\.0+)?(?![\d.])")
_HYPHEN_MINUS = re.compile(r"(?:(?<=^)|(?<=[\s(\[/:;=,]))-(?=\d)")
_INTERNAL_DOC = re.compile(r"[;,]?\s*CLINICAL\.md(?:\s*§[\w.–§-]+(?:\s*(?:,|and)\s*§?[\w.–§-]+)*)?")
_INTERNAL_PLACE = re.compile(r"\s*\((?:kept|stored|held) in the project[^)]*\)")
_EMPTY_BRACKETS = re.compile(r"\s*\(\s*[;,]?\s*\)")


def number(value: float, places: int = 1) -> str:
    """Format a number with at most ``places`` decimals, no trailing zeros and a real minus sign."""
    shown = f"{value:.{places}f}"
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    if shown in ("-0", ""):
        return "0"
    return shown.replace("-", MINUS)


def signed(value: float, places: int = 1) -> str:
    """Format a change with its sign (``+0.4``, ``−0.3``); no change prints as ``0``."""
    shown = number(value, places)
    return shown if shown == "0" or shown.startswith(MINUS) else f"+{shown}"


def percent(value: float) -> str:
    """Format a percentage to one decimal (``95.2 %``)."""
    return f"{number(value, 1)} %"


def weeks_days(days: int) -> str:
    """Format time since birth as whole weeks and days (``13 weeks 6 days``, ``12 weeks``)."""
    return domain_weeks_days(days)


def weeks(value: float) -> str:
    """Format a number of weeks (a float, as the engine computes it) as weeks and days."""
    return weeks_text(value)


@functools.lru_cache(maxsize=4096)
def public_text(sentence: str) -> str:
    """Drop references a reader outside the project cannot follow.

    ``CLINICAL.md §12`` or "kept in the project's folder" mean nothing on paper; stored decisions may
    still carry them from an earlier protocol version.
    """
    if "CLINICAL.md" not in sentence and "project" not in sentence:
        return sentence
    out = _INTERNAL_PLACE.sub("", _INTERNAL_DOC.sub("", sentence))
    out = _EMPTY_BRACKETS.sub("", out).replace("(; ", "(").replace("( ", "(")
    return out.strip()


@functools.lru_cache(maxsize=4096)
def clinical_text(sentence: str) -> str:
    """Apply the print rules to an already-written sentence.

    Time since birth becomes weeks and days, percentages and BMI get one decimal, other long
    decimals two, a signed zero change becomes ``0`` and a hyphen-minus used as a sign becomes a
    minus. Dates (``2026-10-26``), ranges and versions (``v2026.12-1``) are left alone.
    """
    if _DIGIT.search(sentence) is None:
        return sentence
    out = _WEEKS_DAYS.sub(lambda m: weeks_days(int(m.group(2))), sentence)
    out = _DECIMAL_WEEKS.sub(lambda m: _signed_weeks(m.group(1), float(m.group(2))), out)
    out = _PERCENT.sub(lambda m: _sign(m.group(1)) + number(float(m.group(2)), 1) + m.group(3), out)
    out = _BMI.sub(lambda m: number(float(m.group(1)), 1) + m.group(2), out)
    out = _LONG_DECIMAL.sub(lambda m: _sign(m.group(1)) + number(float(m.group(2)), 2), out)
    out = _SIGNED_ZERO.sub("0", out)
    out = _SIGNED_WHOLE.sub(lambda m: m.group(1), out)
    return _HYPHEN_MINUS.sub(MINUS, out)


def _sign(sign: str) -> str:
    """Return a printed sign: the minus for ``-``, ``+`` kept, nothing otherwise."""
    return MINUS if sign in ("-", MINUS) else sign


def _signed_weeks(sign: str, value: float) -> str:
    """Return decimal weeks as weeks and days, keeping a change's sign."""
    shown = weeks(value)
    return f"{_sign(sign)}{shown}" if shown != "0 weeks" else shown


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
