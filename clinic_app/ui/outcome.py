"""Readiness outcomes on screen: a symbol and words, never colour alone.

The words and symbol names come from the report settings through :mod:`clinic_app.services.outcomes`;
this module only turns a symbol name into a glyph that every desktop font has.
"""

from __future__ import annotations

from clinic_app.readiness.decision import Status
from clinic_app.services.outcomes import outcome_label

GLYPHS: dict[str, str] = {
    "octagon_bang": "✚",
    "no_entry": "⊘",
    "clock": "◷",
    "triangle_bang": "⚠",
    "question": "?",
    "check_caution": "✔!",
    "check": "✔",
}
"""Symbol names of ``reports/layout.toml`` as text glyphs that DejaVu Sans has (checked with fc-list;
emoji such as ⛔ are missing from it and would show as an empty box)."""


def outcome_text(status: Status | str | None, *, empty: str = "—") -> str:
    """Return ``"<glyph> <words>"`` for a status, or ``empty`` when there is none."""
    if status is None or status == "":
        return empty
    label = outcome_label(status)
    glyph = GLYPHS.get(label.symbol, "•")
    return f"{glyph} {label.words}"


def outcome_colour(status: Status | str) -> str:
    """Return the outcome's colour (#rrggbb), always shown together with :func:`outcome_text`."""
    return outcome_label(status).colour
