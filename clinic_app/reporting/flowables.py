"""Drawn building blocks: the outcome symbol, the outcome banner and framed notices.

The outcome is always shown three ways at once — a drawn symbol, a colour and words — so it reads
correctly in greyscale print and for colour-blind readers.
"""

from __future__ import annotations

import math

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from clinic_app.readiness.decision import Finding
from clinic_app.reporting.fonts import BOLD, REGULAR
from clinic_app.reporting.styles import StyleSheet, colour

SYMBOLS = ("octagon_bang", "no_entry", "clock", "triangle_bang", "question", "check_caution", "check")


class OutcomeSymbol(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A square symbol drawn in ``ink`` with vector strokes (no font glyph needed)."""

    def __init__(self, symbol: str, size: float, ink: colors.Color = colors.white) -> None:
        super().__init__()
        if symbol not in SYMBOLS:
            raise ValueError(f"unknown outcome symbol '{symbol}'; expected one of {', '.join(SYMBOLS)}")
        self.symbol = symbol
        self.size = size
        self.ink = ink
        self.width = size
        self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Report the fixed square size."""
        return self.size, self.size

    def draw(self) -> None:
        """Draw the symbol centred in its square."""
        draw_symbol(self.canv, self.symbol, self.size / 2, self.size / 2, self.size, self.ink)


def draw_symbol(canvas: Canvas, symbol: str, cx: float, cy: float, size: float, ink: colors.Color) -> None:
    """Draw ``symbol`` centred on (cx, cy) within a ``size`` square."""
    r = size * 0.44
    canvas.saveState()
    canvas.setStrokeColor(ink)
    canvas.setFillColor(ink)
    canvas.setLineWidth(max(1.2, size * 0.07))
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    if symbol == "octagon_bang":
        _polygon(canvas, cx, cy, r, 8, math.pi / 8)
        _bang(canvas, cx, cy, size)
    elif symbol == "no_entry":
        canvas.circle(cx, cy, r, stroke=1, fill=0)
        canvas.rect(cx - r * 0.6, cy - size * 0.06, r * 1.2, size * 0.12, stroke=0, fill=1)
    elif symbol == "clock":
        canvas.circle(cx, cy, r, stroke=1, fill=0)
        canvas.line(cx, cy, cx, cy + r * 0.65)
        canvas.line(cx, cy, cx + r * 0.5, cy - r * 0.2)
    elif symbol == "triangle_bang":
        _polygon(canvas, cx, cy - r * 0.12, r * 1.05, 3, math.pi / 2)
        _bang(canvas, cx, cy - r * 0.1, size * 0.8)
    elif symbol == "question":
        canvas.circle(cx, cy, r, stroke=1, fill=0)
        canvas.setFont(BOLD, size * 0.55)
        canvas.drawCentredString(cx, cy - size * 0.19, "?")
    else:
        canvas.circle(cx, cy, r, stroke=1, fill=0)
        path = canvas.beginPath()
        path.moveTo(cx - r * 0.5, cy + r * 0.02)
        path.lineTo(cx - r * 0.12, cy - r * 0.38)
        path.lineTo(cx + r * 0.55, cy + r * 0.4)
        canvas.drawPath(path, stroke=1, fill=0)
        if symbol == "check_caution":
            small = size * 0.34
            tx, ty = cx + r * 0.85, cy - r * 0.85
            _polygon(canvas, tx, ty, small * 0.55, 3, math.pi / 2, fill=True)
    canvas.restoreState()


def _polygon(
    canvas: Canvas, cx: float, cy: float, r: float, sides: int, start: float, *, fill: bool = False
) -> None:
    """Draw a regular polygon of ``sides`` corners, the first at angle ``start``."""
    path = canvas.beginPath()
    for index in range(sides):
        angle = start + index * 2 * math.pi / sides
        x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
        if index == 0:
            path.moveTo(x, y)
        else:
            path.lineTo(x, y)
    path.close()
    canvas.drawPath(path, stroke=1, fill=1 if fill else 0)


def _bang(canvas: Canvas, cx: float, cy: float, size: float) -> None:
    """Draw an exclamation mark as a bar and a dot."""
    canvas.line(cx, cy + size * 0.2, cx, cy - size * 0.05)
    canvas.circle(cx, cy - size * 0.2, size * 0.045, stroke=0, fill=1)


def outcome_banner(
    styles: StyleSheet, *, symbol: str, fill: str, title: str, body: str, label: str, width: float
) -> Table:
    """Return the coloured outcome banner: symbol, status label, title and explanation.

    Args:
        styles: the report style sheet.
        symbol: one of :data:`SYMBOLS`.
        fill: banner colour ``#rrggbb``.
        title: the outcome in words (bold).
        body: a sentence or two explaining it.
        label: the short status name printed above the title (e.g. "Not yet time").
        width: available width in points.
    """
    white_small = styles.small.clone("banner_small", textColor=colors.white)
    white_body = styles.body.clone("banner_body", textColor=colors.white, spaceAfter=0)
    icon = OutcomeSymbol(symbol, styles.body.fontSize * 4.2)
    text = [
        Paragraph(label.upper(), white_small),
        Paragraph(title, styles.outcome),
        Paragraph(body, white_body),
    ]
    table = Table([[icon, text]], colWidths=[styles.body.fontSize * 5.6, width - styles.body.fontSize * 5.6])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colour(fill)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (0, 0), 10),
            ]
        )
    )
    return table


def framed_notice(
    styles: StyleSheet,
    text: str,
    width: float,
    *,
    border: colors.Color | None = None,
    fill: colors.Color | None = None,
    bold: bool = True,
) -> Table:
    """Return ``text`` (paragraph markup) in a framed, tinted box: proposal, draft and red flags."""
    table = Table([[Paragraph(text, styles.notice if bold else styles.body)]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("BOX", (0, 0), (-1, -1), 1.2, border or styles.proposal_border),
                ("BACKGROUND", (0, 0), (-1, -1), fill or styles.proposal_fill),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def finding_text(finding: Finding) -> str:
    """Return a finding's explanation plus any observed value it does not already mention."""
    explanation = finding.explanation or finding.title
    extra = [f"{o.label}: {o.display}" for o in finding.observed if o.display not in explanation]
    return f"{explanation} ({'; '.join(extra)})" if extra else explanation
