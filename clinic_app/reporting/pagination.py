"""Page flow: page numbering that knows the total, and headings that never end a page.

Both work around platypus defaults: ReportLab numbers a page before it knows how many follow, and
keep-with-next drags a whole long table to the next page. Kept apart from the renderer so the
renderer module stays about the order of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table


def page_counting_canvas(label: str, font: str, size: float, right: float, y: float) -> type[Canvas]:
    """Return a canvas class that prints ``label`` ("Page {page} of {pages}") on every page.

    The total is only known at the end, so pages are kept until :meth:`save` and numbered then.
    """

    class _PageCountingCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Start every page in the embedded font so no unembedded base-14 font is referenced.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(font, size)
                self.drawRightString(right, y, label.format(page=number, pages=total))
                Canvas.showPage(self)
            Canvas.save(self)

    return _PageCountingCanvas


class Heading(Paragraph):  # type: ignore[misc]  # ReportLab is untyped
    """A heading that never ends a page: it needs ``room`` below it, or the first rows of its table.

    When the heading is followed by a table (``follower``), the space needed is at least the
    table's header row plus its first body row, since a table cannot split above that.
    """

    def __init__(self, markup: str, style: Any, room: float) -> None:
        super().__init__(markup, style)
        self.markup = markup
        self.room = room
        self.follower: Table | None = None

    def plain(self) -> Paragraph:
        """Return the same heading as a plain paragraph, for use inside a kept-together group."""
        return Paragraph(self.markup, self.style)

    def need_below(self, available_width: float, space: float = 1e6) -> float:
        """Return the space the heading needs below itself at this width, given ``space`` below it.

        The table is measured only as far as ``space`` reaches (platypus stops measuring rows once
        they overflow it), not to its end: when its first two rows do not fit, the need is reported
        as more than ``space``.
        """
        if self.follower is None:
            return float(self.room)
        self.follower.wrap(available_width, space)
        first_rows = self.follower._rowHeights[:2]
        if None in first_rows:
            return space + 1
        return max(float(self.room), float(sum(first_rows)) + 2)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Claim more than the space left when too little remains, so the frame moves it on."""
        width, height = super().wrap(available_width, available_height)
        if available_height < height + self.need_below(available_width, available_height - height):
            return width, available_height + 1
        return width, height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Never split a heading: it moves to the next page whole."""
        return []


def link_headings(story: Sequence[Flowable]) -> list[Flowable]:
    """Tell each heading what directly follows it, so it never ends a page above it.

    A table is linked as the heading's follower; a heading directly below another (``Recorded
    values`` over ``History and risk factors``) adds its own height and room to the upper one's,
    or the upper heading would stay alone at the foot of a page when the lower one moves on.
    """
    flowables = list(story)
    for current, following in reversed(list(pairwise(flowables))):
        if not isinstance(current, Heading):
            continue
        if isinstance(following, Table):
            current.follower = following
        elif isinstance(following, Heading):
            current.room = max(current.room, following.room + _HEADING_HEIGHT)
    return flowables


_HEADING_HEIGHT = 24.0
"""About the height of a second-level heading with its space before and after, in points."""
