"""Print a report's PDF: each page rendered by Qt PDF at the printer's resolution onto the printer.

The PDF the preview shows is the PDF that is printed, so a draft prints with its DRAFT mark and a
signed report prints exactly the bytes whose SHA-256 is recorded. :func:`print_pdf` runs on the
report worker thread: Qt allows a ``QPainter`` on a ``QPrinter`` (as on a ``QImage``) outside the
GUI thread, and the job renders with a ``QPdfDocument`` of its own.

A worker thread alone does not keep the window responsive. PySide6 keeps Python's GIL through
``QPdfDocument.render`` and ``QPainter.drawImage`` (which compresses the image into the print
stream, ~20 ns a pixel), so while one such call runs, the GUI thread can run no Python at all: a
300 dpi page drawn in ~1 MP bands stopped the window for 90–120 ms at a time. Pages are therefore
rendered and drawn in bands that take about :data:`BAND_SECONDS` each (the size follows the time
the last band took, so a slow machine gets smaller bands), and after each band the job lets go of
the GIL for :data:`YIELD_SECONDS`, so the GUI thread gets in at once rather than after Python's
5 ms switch interval. ``benchmarks/bench_print.py`` measures the window meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

from clinic_app.ui.reports.worker import ReportWorker

RESOLUTION_CEILING_DPI = 600
"""Pages are rendered at the printer's resolution up to this (a 1200 dpi A4 bitmap is ~560 MB)."""
BAND_SECONDS = 0.005
"""Aimed time for rendering and drawing one band (each Qt call in it is shorter; see the module)."""
FIRST_BAND_PIXELS = 120_000
"""The first band's size; later ones are scaled from the time the previous band took."""
YIELD_SECONDS = 0.0005
"""After each band the job waits this long for a cancel, without the GIL (the GUI thread runs)."""
CLIP_EXTRA = 1
"""Pixels added to a band's clip rectangle for Qt PDF's scale of it (see :func:`render_band`)."""
BAND_ROWS = (4, 2_000)
"""Bounds on a band's height in pixel rows, whatever the timing says."""


class PrintError(RuntimeError):
    """The report could not be printed; ``str(error)`` is the message to show."""


def open_document(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    """Load PDF bytes into a document (keep the buffer alive as long as the document).

    Raises:
        PrintError: the bytes are not a PDF Qt can read.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise PrintError(f"The report could not be read for printing ({document.error().name}).")
    return document, buffer


def prepare_printer(printer: QPrinter, pdf: bytes) -> None:
    """Give the printer the report's own paper size and no extra margins (the report has its own)."""
    document, buffer = open_document(pdf)
    try:
        points = document.pagePointSize(0)
    finally:
        document.close()
        buffer.close()
    size = QPageSize(
        QSizeF(points.width(), points.height()),
        QPageSize.Unit.Point,
        "",
        QPageSize.SizeMatchPolicy.FuzzyMatch,
    )
    orientation = (
        QPageLayout.Orientation.Landscape
        if points.width() > points.height()
        else QPageLayout.Orientation.Portrait
    )
    printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point))
    printer.setFullPage(True)


def pages_to_print(printer: QPrinter, count: int) -> list[int]:
    """The 0-based pages the print dialog chose (all pages unless a range was given)."""
    first, last = printer.fromPage(), printer.toPage()
    if printer.printRange() != QPrinter.PrintRange.PageRange or first == 0:
        return list(range(count))
    return [page for page in range(first - 1, min(last, count))]


def print_pdf(
    pdf: bytes,
    printer: QPrinter,
    *,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Print ``pdf`` on ``printer``, page by page; return the number of pages printed.

    Each page is rendered at the printer's resolution (capped at :data:`RESOLUTION_CEILING_DPI`) and
    drawn to fill the printer's page at the report's own proportions. ``cancel`` is looked at
    between bands: once it is set nothing more is drawn, the job is aborted where the printer
    system allows it (Qt's PDF and CUPS back ends do not: what was drawn is still sent) and 0 is
    returned, so a cancelled job never counts as the report printed. ``progress(done, total)``
    follows each finished page.

    Raises:
        PrintError: the printer could not start, or the PDF cannot be read.
    """
    document, buffer = open_document(pdf)
    painter = QPainter()
    try:
        pages = pages_to_print(printer, document.pageCount())
        if _cancelled(cancel):
            return 0
        if not painter.begin(printer):
            raise PrintError(
                "The printer did not start (is it switched on and connected?). Nothing was printed."
            )
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
        bands = _Bands(min(printer.resolution(), RESOLUTION_CEILING_DPI))
        printed = 0
        for index in pages:
            if printed:
                printer.newPage()
            if not _draw_page(painter, document, index, bands, cancel):
                printer.abort()  # Windows and macOS drop the job; Qt's PDF and CUPS engines cannot
                return 0
            printed += 1
            if progress is not None:
                progress(printed, len(pages))
        return printed
    finally:
        if painter.isActive():
            painter.end()
        document.close()
        buffer.close()


def _cancelled(cancel: threading.Event | None) -> bool:
    return cancel is not None and cancel.is_set()


class _Bands:
    """How many pixel rows the next band has, from how long the last one took (per pixel)."""

    def __init__(self, dpi: int) -> None:
        self.dpi = dpi
        self.pixels = FIRST_BAND_PIXELS

    def rows(self, width: int) -> int:
        low, high = BAND_ROWS
        return max(low, min(high, self.pixels // max(1, width)))

    def took(self, pixels: int, seconds: float) -> None:
        if seconds > 0:
            wanted = pixels * BAND_SECONDS / seconds
            self.pixels = round(max(self.pixels / 4, min(self.pixels * 2, wanted)))


def _draw_page(
    painter: QPainter, document: QPdfDocument, index: int, bands: _Bands, cancel: threading.Event | None
) -> bool:
    """Render one page band by band and draw it centred on the printer's page, in proportion.

    Each band is laid on white before it is drawn: an opaque image is drawn in half the time of
    one with transparency, and it may overlap the next band by a row, so no hairline shows where
    two bands meet however the printer rounds their edges. Returns False when cancelled.
    """
    points = document.pagePointSize(index)
    target = QRectF(painter.viewport())
    fit = min(target.width() / points.width(), target.height() / points.height())
    width, height = points.width() * fit, points.height() * fit
    left = target.x() + (target.width() - width) / 2
    top = target.y() + (target.height() - height) / 2
    pixels = QSize(round(points.width() * bands.dpi / 72), round(points.height() * bands.dpi / 72))
    scale = height / pixels.height()
    pause = cancel if cancel is not None else threading.Event()
    y = 0
    while y < pixels.height():
        if _cancelled(cancel):
            return False
        begun = time.perf_counter()
        rows = min(bands.rows(pixels.width()), pixels.height() - y)
        drawn = min(rows + 1, pixels.height() - y)  # one row of overlap with the next band
        image = _on_white(render_band(document, index, pixels, y, drawn))
        painter.drawImage(QRectF(left, top + y * scale, width, drawn * scale), image)
        bands.took(pixels.width() * drawn, time.perf_counter() - begun)
        y += rows
        if pause.wait(YIELD_SECONDS):  # the GIL is free meanwhile: the GUI thread runs its Python
            return False
    return True


def render_band(document: QPdfDocument, index: int, page: QSize, top: int, rows: int) -> QImage:
    """Rows ``top`` to ``top + rows`` of page ``index`` rendered at ``page`` pixels, exactly in place.

    Qt PDF (6.x, ``QPdfDocument::render``) scales a clipped render by the clip rectangle's
    ``right() - left()`` and ``bottom() - top()``, one less than its width and height, so a band
    ``h`` rows high came out squeezed by ``(h - 1) / h`` and shifted up by ``top / h`` rows: on a
    small band, whole lines of text out of place. The clip is given one pixel wider and higher
    than the image so that the scale is exact (tests compare a banded page with a whole one).
    """
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(page)
    options.setScaledClipRect(QRect(0, top, page.width() + CLIP_EXTRA, rows + CLIP_EXTRA))
    return document.render(index, QSize(page.width(), rows), options)


def _on_white(band: QImage) -> QImage:
    """The band laid on white paper, without transparency (Qt PDF renders a transparent background)."""
    paper = QImage(band.size(), QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, band)
    painter.end()
    return paper


def warm_up_printing() -> int:
    """Draw one small band into a PDF in memory, so the first print does not pay for it.

    The first ``QPainter`` on a PDF device sets up its engine and the first image drawn loads the
    image writers, ~40 ms the first time, which would fall on the first print job. Runs on a worker
    (nothing here touches a widget); returns the bytes written.
    """
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.ReadWrite)
    writer = QPdfWriter(buffer)
    writer.setResolution(72)
    painter = QPainter()
    if painter.begin(writer):
        band = QImage(64, 8, QImage.Format.Format_ARGB32)
        band.fill(Qt.GlobalColor.transparent)
        painter.drawImage(QRectF(0, 0, 64, 8), _on_white(band))
        painter.end()
    size = int(buffer.size())
    buffer.close()
    return size


class PrintProgress(QProgressDialog):
    """The pages of a running print job, with Cancel (not modal: the window stays usable).

    It shows only when the job lasts longer than a moment, follows ``worker.job_did_progress`` and
    closes itself when the job ends; Cancel sets ``cancel``, which the job looks at between bands.
    """

    def __init__(self, parent: QWidget, cancel: threading.Event, worker: ReportWorker, pages: int) -> None:
        super().__init__(f"Printing {pages} page(s)…", "Cancel printing", 0, max(1, pages), parent)
        self.setWindowTitle("Printing")
        self.setAccessibleName("Print progress")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setMinimumDuration(400)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setValue(0)
        self._cancel = cancel
        self.canceled.connect(self._on_cancel)
        worker.job_did_progress.connect(self._on_progress)
        worker.job_did_finish.connect(self._on_finished)

    def _on_progress(self, done: int, total: int) -> None:
        self.setMaximum(max(1, total))
        self.setValue(done)
        if done < total:
            self.setLabelText(f"Printing page {done + 1} of {total}…")

    def _on_cancel(self) -> None:
        self._cancel.set()
        self.setLabelText("Cancelling: nothing more goes to the printer…")

    def _on_finished(self) -> None:
        self.hide()
        self.deleteLater()
