"""The renderer every report kind derives from: plain data in, PDF bytes out.

:class:`ReportRenderer` fixes the order of work and leaves each step overridable: the page size,
the page templates, the first-page letterhead, the running header and footer, the DRAFT mark and
the story itself. ``invariant=True`` makes ReportLab omit timestamps and random ids, so the same
input gives byte-identical PDFs (used by the tests).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from clinic_app.reporting.flowables import framed_notice
from clinic_app.reporting.fonts import BOLD, REGULAR
from clinic_app.reporting.formatting import clinical_text, day, public_text
from clinic_app.reporting.inputs import ReportInput, ReportKind
from clinic_app.reporting.pagination import Heading, link_headings, page_counting_canvas
from clinic_app.reporting.paragraphs import CachedParagraph
from clinic_app.reporting.styles import StyleSheet, build_stylesheet
from clinic_app.reporting.wording import Wording, load_wording

CELL_PADDING = 4.0
"""Left and right padding of table cells in points (the style sheet's table padding)."""
HEADING_ROOM_MM = 30
"""Space a heading needs below it on the page, or it starts on the next page."""


def text(value: object) -> str:
    """Escape a value for a ReportLab paragraph (names may hold ``&`` or ``<``), in print style.

    Every printed sentence passes here, so the number, minus-sign and time-since-birth rules of
    :mod:`clinic_app.reporting.formatting` hold in every document whoever wrote the sentence.
    """
    return escape(printed(value))


def printed(value: object) -> str:
    """Return a value as print text (rounding, minus sign, no internal references), unescaped."""
    return clinical_text(public_text(str(value)))


@functools.lru_cache(maxsize=8)
def _wording(kind: str) -> Wording:
    """Return the bundled wording of ``kind``, read once per process (the files ship with the app)."""
    return load_wording(kind)


class ReportRenderer:
    """Base class of the patient report, clinician summary and referral letter.

    Subclasses set :attr:`kind` and implement :meth:`story`; they may override any step.
    """

    kind: ReportKind = ReportKind.PATIENT

    def __init__(self, data: ReportInput, *, invariant: bool = False) -> None:
        self.data = data
        self.invariant = invariant
        self.layout = data.layout
        self.styles: StyleSheet = build_stylesheet(data.layout)
        self.words: Wording = _wording(self.kind.value)
        top, right, bottom, left = data.layout.margins_mm
        self.margins = (top * mm, right * mm, bottom * mm, left * mm)
        self.page_width, self.page_height = self.page_size()
        self.frame_width = self.page_width - self.margins[1] - self.margins[3]

    # --- steps a subclass may override ---------------------------------------------------------

    def page_size(self) -> tuple[float, float]:
        """Return the page size in points from the layout (A4 or Letter)."""
        width, height = LETTER if self.layout.page_size == "Letter" else A4
        return float(width), float(height)

    def title(self) -> str:
        """Return the document title (PDF metadata)."""
        return self.words.text("title")

    def story(self) -> list[Flowable]:
        """Return the flowables of the report body."""
        raise NotImplementedError

    def footer_text(self) -> str:
        """Return the left-hand footer line: one date style, the visit date and the printed date.

        ``{visit}`` (the visit's id) is still filled for a clinic's own wording file, but the bundled
        wording prints no ids.
        """
        return printed(
            self.words.text(
                "footer",
                clinic=self.data.letterhead.name,
                name=self.data.patient.display_name,
                date=day(self.data.visit.visit_date),
                printed=day(self.data.printed_on),
                visit=self.data.visit.id,
            )
        )

    def page_templates(self) -> Sequence[PageTemplate]:
        """Return the first-page template (room for the letterhead) and the later-page one."""
        top, _, bottom, left = self.margins
        header = self.layout.header_height_mm * mm
        body_height = self.page_height - top - bottom
        first = Frame(
            left,
            bottom,
            self.frame_width,
            body_height - header,
            id="first",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        later = Frame(
            left,
            bottom,
            self.frame_width,
            body_height - 7 * mm,
            id="later",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        return [
            PageTemplate(
                id="first", frames=[first], onPage=self.draw_first_page, autoNextPageTemplate="later"
            ),
            PageTemplate(id="later", frames=[later], onPage=self.draw_later_page),
        ]

    def draw_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Decorate the first page: watermark, letterhead and footer."""
        self.draw_draft_mark(canvas)
        self.draw_letterhead(canvas)
        self.draw_footer(canvas)

    def draw_later_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Decorate later pages: watermark, running header and footer."""
        self.draw_draft_mark(canvas)
        self.draw_running_header(canvas)
        self.draw_footer(canvas)

    def draw_letterhead(self, canvas: Canvas) -> None:
        """Draw logo, clinic name, address and contact details across the top of the page."""
        head = self.data.letterhead
        top, right, _, left = self.margins
        y_top = self.page_height - top + 4 * mm
        logo_size = 15 * mm
        x_text = left
        canvas.saveState()
        if head.logo is not None:
            canvas.drawImage(str(head.logo), left, y_top - logo_size, logo_size, logo_size, mask="auto")
            x_text = left + logo_size + 4 * mm
        size = self.layout.base_size
        canvas.setFillColor(self.styles.accent)
        canvas.setFont(BOLD, size * 1.35)
        canvas.drawString(x_text, y_top - size * 1.3, head.name)
        canvas.setFillColor(self.styles.muted_colour)
        canvas.setFont(REGULAR, size - 1)
        canvas.drawString(x_text, y_top - size * 2.7, " · ".join(head.address))
        contact = [
            part
            for part in (
                f"{self.words.common_text('phone_label')} {head.phone}" if head.phone else "",
                f"{self.words.common_text('email_label')} {head.email}" if head.email else "",
                head.website,
            )
            if part
        ]
        canvas.drawString(x_text, y_top - size * 4.0, "   ".join(contact))
        canvas.setStrokeColor(self.styles.accent)
        canvas.setLineWidth(1.2)
        rule_y = y_top - logo_size - 2.5 * mm
        canvas.line(left, rule_y, self.page_width - right, rule_y)
        canvas.restoreState()

    def draw_running_header(self, canvas: Canvas) -> None:
        """Draw the short header of later pages: clinic, report title and patient."""
        top, right, _, left = self.margins
        y = self.page_height - top + 1 * mm
        canvas.saveState()
        canvas.setFont(REGULAR, self.layout.base_size - 1.5)
        canvas.setFillColor(self.styles.muted_colour)
        canvas.drawString(left, y, f"{self.data.letterhead.name} · {self.title()}")
        canvas.drawRightString(self.page_width - right, y, self.data.patient.display_name)
        canvas.setStrokeColor(self.styles.grid)
        canvas.setLineWidth(0.5)
        canvas.line(left, y - 2 * mm, self.page_width - right, y - 2 * mm)
        canvas.restoreState()

    def draw_footer(self, canvas: Canvas) -> None:
        """Draw the footer rule and line (and the visit-file mark); the counting canvas adds page numbers."""
        _, right, bottom, left = self.margins
        y = bottom - 8 * mm
        canvas.saveState()
        canvas.setStrokeColor(self.styles.grid)
        canvas.setLineWidth(0.5)
        canvas.line(left, y + 3.5 * mm, self.page_width - right, y + 3.5 * mm)
        canvas.setFont(REGULAR, self.layout.base_size - 2)
        canvas.setFillColor(self.styles.muted_colour)
        canvas.drawString(left, y, self.footer_text())
        if self.data.from_visit_file:
            canvas.setFillColor(self.styles.draft)
            canvas.setFont(BOLD, self.layout.base_size - 2)
            canvas.drawString(left, y - 3.5 * mm, self.words.common_text("visit_file_mark"))
        canvas.restoreState()

    def draw_draft_mark(self, canvas: Canvas) -> None:
        """Print a large diagonal DRAFT across the page while the visit is unsigned."""
        if not self.data.is_draft:
            return
        canvas.saveState()
        canvas.setFillColor(self.styles.draft)
        canvas.setFillAlpha(0.13)
        canvas.setFont(BOLD, 110)
        canvas.translate(self.page_width / 2, self.page_height / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, -38, self.words.common_text("draft_mark"))
        canvas.restoreState()

    def canvas_class(self) -> type[Canvas]:
        """Return the canvas class that numbers pages "Page n of N"."""
        _, right, bottom, _ = self.margins
        return page_counting_canvas(
            self.words.text("page_label"),
            REGULAR,
            self.layout.base_size - 2,
            self.page_width - right,
            bottom - 8 * mm,
        )

    # --- the fixed order of work ---------------------------------------------------------------

    def render(self) -> bytes:
        """Build the PDF and return its bytes."""
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=(self.page_width, self.page_height),
            title=self.title(),
            author=self.data.clinician.name,
            subject=self.data.patient.display_name,
            creator="RunReady Clinic",
            invariant=1 if self.invariant else 0,
            leftMargin=self.margins[3],
            rightMargin=self.margins[1],
            topMargin=self.margins[0],
            bottomMargin=self.margins[2],
        )
        doc.addPageTemplates(list(self.page_templates()))
        doc.build(link_headings(self.story()), canvasmaker=self.canvas_class())
        return buffer.getvalue()

    # --- helpers for subclasses ----------------------------------------------------------------

    def heading(self, words: str, level: int = 1) -> Flowable:
        """Return a heading that never ends a page: it moves on when less than ~3 cm is left.

        A conditional page break (rather than keep-with-next) lets a long table that follows
        start under its heading and split across pages with its header row repeated.
        """
        return Heading(text(words), self.styles.h1 if level == 1 else self.styles.h2, HEADING_ROOM_MM * mm)

    def status_notices(self, draft_text: str | None = None) -> list[Flowable]:
        """Return the framed notices for an unsigned (DRAFT), a visit-file or a later-amended visit."""
        status = self.data.visit.status.value
        if self.data.from_visit_file:
            words = self.words.common_text("visit_file_banner")
        elif status == "draft":
            words = draft_text or self.words.common_text("draft_banner")
        elif status == "amended":
            words = self.words.common_text("amended_banner")
        else:
            return []
        return [
            framed_notice(self.styles, text(words), self.frame_width, border=self.styles.draft),
            self.spacer(2),
        ]

    def group(self, items: Sequence[Flowable]) -> KeepTogether:
        """Keep ``items`` on one page; headings inside use their plain form (the group moves whole)."""
        return KeepTogether([item.plain() if isinstance(item, Heading) else item for item in items])

    def para(self, words: str, style: str = "body") -> Paragraph:
        """Return an escaped paragraph in the named style."""
        return CachedParagraph(text(words), getattr(self.styles, style))

    def bullets(self, items: Sequence[str]) -> list[Flowable]:
        """Return one bulleted paragraph per item."""
        return [CachedParagraph(text(item), self.styles.bullet, bulletText="•") for item in items]

    def bullet_columns(self, items: Sequence[str]) -> Table:
        """Return a long bulleted list in two columns, read down the first column then the second."""
        half = (len(items) + 1) // 2
        left, right = list(items[:half]), list(items[half:])
        right += [""] * (half - len(right))

        def cell(item: str) -> Paragraph:
            return CachedParagraph(text(item), self.styles.bullet, bulletText="•" if item else None)

        table = Table(
            [[cell(a), cell(b)] for a, b in zip(left, right, strict=True)],
            colWidths=[self.frame_width / 2] * 2,
        )
        table.setStyle(self.styles.key_value())
        return table

    def data_table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        bold_first: bool = False,
    ) -> Table:
        """Return a wrapped, zebra-striped table whose header repeats on every page.

        Args:
            header: column titles.
            rows: cell texts (plain text, escaped here).
            widths: column widths as fractions of the frame width.
            bold_first: print the first column in bold.
        """
        columns = [w * self.frame_width for w in widths]
        head = [self.cell(title, columns[i], bold=True) for i, title in enumerate(header)]
        body = [
            [self.cell(value, columns[i], bold=bold_first and i == 0) for i, value in enumerate(row)]
            for row in rows
        ]
        table = Table([head, *body], colWidths=columns, repeatRows=1)
        style = self.styles.table(rows=len(body) + 1)
        cell = self.styles.cell
        style.add("FONTSIZE", (0, 0), (-1, -1), cell.fontSize)
        style.add("LEADING", (0, 0), (-1, -1), cell.leading)
        style.add("TEXTCOLOR", (0, 0), (-1, -1), cell.textColor)
        style.add("FONTNAME", (0, 0), (-1, 0), BOLD)
        if bold_first:
            style.add("FONTNAME", (0, 1), (0, -1), BOLD)
        table.setStyle(style)
        return table

    def cell(self, value: str, width: float, *, bold: bool = False) -> str | Paragraph:
        """Return a table cell: the plain string when it fits on one line, else a wrapping paragraph.

        Plain strings draw several times faster than paragraphs, and most cells (numbers, units,
        short labels) fit; the table style gives both the same font, size and colour.
        """
        style = self.styles.cell_bold if bold else self.styles.cell
        value = printed(value)
        room = width - 2 * CELL_PADDING
        if "\n" not in value and stringWidth(value, style.fontName, style.fontSize) <= room:
            return value
        return CachedParagraph(text(value), style)

    def key_values(
        self, pairs: Sequence[tuple[str, str]], columns: int = 2, *, label_share: float = 0.36
    ) -> Table:
        """Return label/value pairs laid out in ``columns`` column pairs; labels take ``label_share``."""
        cells: list[list[Paragraph]] = []
        row: list[Paragraph] = []
        for label, value in pairs:
            row.append(CachedParagraph(text(label), self.styles.muted))
            row.append(CachedParagraph(text(value), self.styles.body))
            if len(row) == columns * 2:
                cells.append(row)
                row = []
        if row:
            row.extend([Paragraph("", self.styles.body)] * (columns * 2 - len(row)))
            cells.append(row)
        share = self.frame_width / columns
        widths = [share * label_share, share * (1 - label_share)] * columns
        table = Table(cells, colWidths=widths, hAlign="LEFT")
        table.setStyle(self.styles.key_value())
        return table

    def spacer(self, height_mm: float = 3) -> Spacer:
        """Return vertical space."""
        return Spacer(1, height_mm * mm)


Renderer = Callable[[ReportInput], bytes]
