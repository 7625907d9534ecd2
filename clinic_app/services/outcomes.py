"""How each readiness outcome is named and marked on screen, read from the report settings.

The words (``reports/wording/common.toml`` ``[status]``) and the symbol names (``reports/layout.toml``
``[outcome.*]``) are the same ones the printed reports use, so the window and the paper never name an
outcome differently. Read with the standard library only (no ReportLab at window start-up).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass

from clinic_app.readiness.decision import Status
from clinic_app.resources import reports_folder


@dataclass(frozen=True, slots=True)
class OutcomeLabel:
    """The words, symbol name and colour of one outcome (colour is never the only cue)."""

    status: Status
    words: str
    symbol: str
    colour: str


@functools.cache
def outcome_labels() -> dict[Status, OutcomeLabel]:
    """Return the label of every readiness status, most severe first."""
    folder = reports_folder()
    common = tomllib.loads((folder / "wording" / "common.toml").read_text(encoding="utf-8"))
    layout = tomllib.loads((folder / "layout.toml").read_text(encoding="utf-8"))
    words = common.get("status", {})
    styles = layout.get("outcome", {})
    return {
        status: OutcomeLabel(
            status,
            str(words.get(status.value, status.value.replace("_", " ").capitalize())),
            str(styles.get(status.value, {}).get("symbol", "")),
            str(styles.get(status.value, {}).get("colour", "#000000")),
        )
        for status in Status
    }


def outcome_label(status: Status | str) -> OutcomeLabel:
    """Return the label of one status (given as a :class:`Status` or its stored text)."""
    return outcome_labels()[Status(status)]
