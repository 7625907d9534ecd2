"""Draw the report charts' plain shapes straight onto the PDF canvas.

ReportLab's general renderer (``renderPDF``) walks a drawing as a tree and, for every shape,
works out which of some twenty graphics-state properties changed; for the few hundred lines,
markers and labels of a clinician summary that bookkeeping cost more than the drawing. The charts
only use flat lists of lines, polylines, polygons, rectangles, circles and strings, so
:class:`PlainDrawing` draws those itself with the same canvas operations and the same state each
shape carries (colour, width, dash, fill, font) — written only when it changes, where renderPDF
wraps every shape in a save and restore — and hands anything else to ``renderPDF``.
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
        canvas.setDash()  # the state renderPDF starts every drawing with
        canvas.setLineCap(0)
        canvas.setLineJoin(0)
        pen = _Pen(canvas)
        for node in self.contents:
            _draw_shape(canvas, pen, node)
        canvas.restoreState()

    def plain(self) -> bool:
        """True when this drawing is untransformed and holds only shapes drawn here."""
        if tuple(self.transform) != (1, 0, 0, 1, 0, 0) or getattr(self, "renderScale", 1) != 1:
            return False
        for node in self.contents:
            if type(node) not in _PLAIN or (type(node) is Rect and (node.rx or node.ry)):
                return False
        return True


class _Pen:
    """The canvas state while a drawing is drawn: a setting is written only when it changes."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.state: dict[str, Any] = {"dash": None}

    def set(self, key: str, value: Any) -> None:
        """Write one setting (stroke, width, dash, fill or font) unless it is already in force."""
        if key in self.state and self.state[key] == value:
            return
        self.state[key] = value
        canvas = self.canvas
        if key == "stroke":
            canvas.setStrokeColor(value)
        elif key == "width":
            canvas.setLineWidth(value)
        elif key == "dash":
            canvas.setDash(value, 0) if value else canvas.setDash()
        elif key == "fill":
            canvas.setFillColor(value)
        else:
            canvas.setFont(*value)


def _draw_shape(canvas: Canvas, pen: _Pen, node: Any) -> None:
    """Bring the canvas to the shape's own state (colour, width, dash, fill, font), then draw it."""
    if isinstance(node, String):
        if node.fillColor is None:
            return
        pen.set("fill", node.fillColor)
        pen.set("font", (node.fontName, node.fontSize))
        x = node.x
        if node.textAnchor in ("end", "middle"):
            width = stringWidth(node.text, node.fontName, node.fontSize, node.encoding)
            x -= width if node.textAnchor == "end" else width * 0.5
        canvas.drawString(x, node.y, node.text)
        return
    stroke = node.strokeColor is not None
    fill = not isinstance(node, Line | PolyLine) and node.fillColor is not None
    if stroke:
        pen.set("stroke", node.strokeColor)
        pen.set("width", node.strokeWidth)
        pen.set("dash", list(node.strokeDashArray) if node.strokeDashArray else None)
    if fill:
        pen.set("fill", node.fillColor)
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
