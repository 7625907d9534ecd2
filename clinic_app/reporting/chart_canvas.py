"""Draw the report charts' plain shapes straight onto the PDF canvas.

ReportLab's general renderer (``renderPDF``) walks a drawing as a tree and, for every shape,
works out which of some twenty graphics-state properties changed; for the few hundred lines,
markers and labels of a clinician summary that bookkeeping cost more than the drawing. The charts
only use flat lists of lines, polylines, polygons, rectangles, circles and strings, so
:class:`PlainDrawing` draws those itself with the same canvas operations and the same state each
shape carries (colour, width, dash, fill, font), and hands anything else to ``renderPDF``.
The drawing stays a normal :class:`~reportlab.graphics.shapes.Drawing`: its ``contents`` are
unchanged, so tests and other renderers read it as before.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

_PLAIN = (Line, PolyLine, Polygon, Rect, Circle, String)


class PlainDrawing(Drawing):  # type: ignore[misc]  # ReportLab is untyped
    """A drawing of plain shapes, drawn directly on the canvas when it is placed in a story."""

    def draw(self, showBoundary: Any = None) -> None:  # noqa: N803 (ReportLab's name)
        """Draw every shape; fall back to ``renderPDF`` when a shape is not one of the plain ones."""
        if not self.plain():
            if showBoundary is None:
                super().draw()
            else:
                super().draw(showBoundary)
            return
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setDash()  # a solid line unless a shape sets its own dash, as renderPDF starts
        for node in self.contents:
            canvas.saveState()
            _draw_shape(canvas, node)
            canvas.restoreState()
        canvas.restoreState()

    def plain(self) -> bool:
        """True when this drawing is untransformed and holds only shapes drawn here."""
        if tuple(self.transform) != (1, 0, 0, 1, 0, 0) or getattr(self, "renderScale", 1) != 1:
            return False
        for node in self.contents:
            if type(node) not in _PLAIN or (type(node) is Rect and (node.rx or node.ry)):
                return False
        return True


def _draw_shape(canvas: Canvas, node: Any) -> None:
    """Set the shape's own graphics state, as ``renderPDF`` does, then draw it."""
    stroke = node.strokeColor is not None if not isinstance(node, String) else False
    fill = getattr(node, "fillColor", None) is not None and not isinstance(node, Line | PolyLine)
    if stroke:
        canvas.setStrokeColor(node.strokeColor)
        canvas.setLineWidth(node.strokeWidth)
        canvas.setLineCap(node.strokeLineCap)
        canvas.setLineJoin(node.strokeLineJoin)
        dash = node.strokeDashArray
        if dash:
            canvas.setDash(dash, 0)
    if isinstance(node, String):
        if node.fillColor is None:
            return
        canvas.setFillColor(node.fillColor)
        canvas.setFont(node.fontName, node.fontSize)
        x = node.x
        if node.textAnchor in ("end", "middle"):
            width = stringWidth(node.text, node.fontName, node.fontSize, node.encoding)
            x -= width if node.textAnchor == "end" else width * 0.5
        canvas.drawString(x, node.y, node.text)
        return
    if fill:
        canvas.setFillColor(node.fillColor)
    if isinstance(node, Line):
        if stroke:
            canvas.line(node.x1, node.y1, node.x2, node.y2)
    elif isinstance(node, Circle):
        canvas.circle(node.cx, node.cy, node.r, fill=int(fill), stroke=int(stroke))
    elif isinstance(node, Rect):
        canvas.rect(node.x, node.y, node.width, node.height, stroke=int(stroke), fill=int(fill))
    else:
        points = node.points
        path = canvas.beginPath()
        path.moveTo(points[0], points[1])
        for index in range(2, len(points), 2):
            path.lineTo(points[index], points[index + 1])
        if isinstance(node, Polygon):
            path.close()
            canvas.drawPath(path, stroke=int(stroke), fill=int(fill))
        elif stroke:
            canvas.drawPath(path)
