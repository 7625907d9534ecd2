"""The one style sheet of every report: paragraph styles, table styles and colours.

All sizes derive from the layout's base size and all colours from ``layout.toml``, so a clinic
restyles its reports by editing data. Paragraphs allow no widow or orphan line (a paragraph
never leaves a single line alone at the top or foot of a page), and sources hang their first line.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from clinic_app.reporting.fonts import BOLD, OBLIQUE, REGULAR, register_fonts
from clinic_app.reporting.settings import Layout


def colour(value: str) -> colors.Color:
    """Return a ReportLab colour from ``#rrggbb``."""
    return colors.HexColor(value)


@dataclass(frozen=True, slots=True)
class StyleSheet:
    """Named paragraph styles and colours shared by every renderer."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_centre: ParagraphStyle
    outcome: ParagraphStyle
    notice: ParagraphStyle
    reference: ParagraphStyle
    """A source in a reference list: small, with a hanging indent."""
    text: colors.Color
    muted_colour: colors.Color
    accent: colors.Color
    header_fill: colors.Color
    grid: colors.Color
    zebra: colors.Color
    draft: colors.Color
    proposal_fill: colors.Color
    proposal_border: colors.Color

    def table(self, *, header: bool = True, zebra: bool = True, rows: int = 0) -> TableStyle:
        """Return the standard data-table style: header band, light grid, optional zebra rows.

        Args:
            header: style the first row as a header.
            zebra: shade every other body row.
            rows: number of rows (needed for zebra shading).
        """
        commands: list[tuple[object, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.4, self.grid),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), self.header_fill))
        if zebra:
            start = 1 if header else 0
            for row in range(start + 1, rows, 2):
                commands.append(("BACKGROUND", (0, row), (-1, row), self.zebra))
        return TableStyle(commands)

    def key_value(self) -> TableStyle:
        """Return the style of a borderless label/value block."""
        return TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        )


def build_stylesheet(layout: Layout) -> StyleSheet:
    """Build the style sheet for ``layout`` (registers the embedded fonts first)."""
    register_fonts()
    size = layout.base_size
    lead = size * layout.leading_ratio
    text = colour(layout.colour("text", "#1d2939"))
    muted = colour(layout.colour("muted", "#5d6b82"))
    accent = colour(layout.colour("accent", "#1f5f7a"))
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        bulletFontName=REGULAR,
        fontSize=size,
        leading=lead,
        textColor=text,
        spaceAfter=size * 0.4,
        allowWidows=0,
        allowOrphans=0,
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=size - 1, leading=(size - 1) * 1.22, spaceAfter=0)
    return StyleSheet(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=size - 1.5, leading=(size - 1.5) * 1.25),
        muted=ParagraphStyle(
            "muted",
            parent=body,
            fontSize=size - 1.5,
            leading=(size - 1.5) * 1.25,
            textColor=muted,
            fontName=OBLIQUE,
        ),
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD,
            fontSize=size * 1.9,
            leading=size * 2.3,
            textColor=accent,
            spaceAfter=2,
        ),
        subtitle=ParagraphStyle(
            "subtitle",
            parent=body,
            fontSize=size + 1,
            leading=(size + 1) * 1.3,
            textColor=muted,
            spaceAfter=size * 0.8,
        ),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=BOLD,
            fontSize=size * 1.35,
            leading=size * 1.7,
            textColor=accent,
            spaceBefore=size * 1.1,
            spaceAfter=size * 0.4,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=BOLD,
            fontSize=size * 1.1,
            leading=size * 1.4,
            textColor=text,
            spaceBefore=size * 0.7,
            spaceAfter=size * 0.25,
        ),
        bullet=ParagraphStyle(
            "bullet", parent=body, leftIndent=size * 1.4, bulletIndent=size * 0.3, spaceAfter=size * 0.2
        ),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=BOLD),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_centre=ParagraphStyle("cell_centre", parent=cell, alignment=TA_CENTER),
        outcome=ParagraphStyle(
            "outcome",
            parent=body,
            fontName=BOLD,
            fontSize=size * 1.45,
            leading=size * 1.8,
            textColor=colors.white,
            spaceAfter=2,
        ),
        notice=ParagraphStyle("notice", parent=body, fontName=BOLD, textColor=text),
        reference=ParagraphStyle(
            "reference",
            parent=body,
            fontSize=size - 2,
            leading=(size - 2) * 1.18,
            leftIndent=size * 1.2,
            firstLineIndent=-size * 1.2,
            spaceAfter=size * 0.08,
        ),
        text=text,
        muted_colour=muted,
        accent=accent,
        header_fill=colour(layout.colour("table_header", "#e4edf2")),
        grid=colour(layout.colour("table_grid", "#b7c4cf")),
        zebra=colour(layout.colour("zebra", "#f5f8fa")),
        draft=colour(layout.colour("draft", "#c0392b")),
        proposal_fill=colour(layout.colour("proposal_box", "#fff5e0")),
        proposal_border=colour(layout.colour("proposal_border", "#b26b00")),
    )
