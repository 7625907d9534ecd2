"""A paragraph that breaks its lines once per width, however often platypus asks for its size.

Platypus wraps a table cell's paragraph up to three times at the same width: a heading measuring
the table it introduces, the frame placing the table, and the table drawing the cell (and a
kept-together group measures its content before placing it). Each wrap breaks the lines again,
measuring every word; in the clinician summary that was the largest single cost. The result of a
wrap depends only on the width (the height offered is not used), so the last one is kept.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph


class CachedParagraph(Paragraph):  # type: ignore[misc]  # ReportLab is untyped
    """A :class:`~reportlab.platypus.Paragraph` that reuses its line breaks when rewrapped at one width.

    The cache is dropped whenever ReportLab drops the line breaks (``split`` deletes ``blPara``
    when the paragraph must move on whole), so a later wrap recomputes them as before.
    """

    _wrapped_at: float | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Return the size at ``available_width``, breaking lines only when the width changed."""
        state: dict[str, Any] = self.__dict__
        if state.get("_wrapped_at") == available_width and "blPara" in state:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(available_width, available_height)
        if state.get("width") == available_width:  # not the "no room at all" early return
            self._wrapped_at = available_width
        return size
