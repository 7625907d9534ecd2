"""Print a report's PDF: each page rendered by Qt PDF at the printer's resolution onto the printer.

The PDF the preview shows is the PDF that is printed, so a draft prints with its DRAFT mark and a
signed report prints exactly the bytes whose SHA-256 is recorded. :func:`print_pdf` runs on a
worker thread (painting on a ``QPrinter`` and rendering with a document of its own are allowed off
the GUI thread), so a long report never freezes the window while it prints.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter

RESOLUTION_CEILING_DPI = 600
"""Pages are rendered at the printer's resolution up to this (a 1200 dpi A4 bitmap is ~560 MB)."""
BAND_PIXELS = 1_000_000
"""A page is rendered in bands of about this many pixels (see :func:`_draw_page`)."""


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
    drawn to fill the printer's page at the report's own proportions.

    Raises:
        PrintError: the printer could not start, or the PDF cannot be read.
    """
    document, buffer = open_document(pdf)
    painter = QPainter()
    try:
        pages = pages_to_print(printer, document.pageCount())
        if not painter.begin(printer):
            raise PrintError(
                "The printer did not start (is it switched on and connected?). Nothing was printed."
            )
        dpi = min(printer.resolution(), RESOLUTION_CEILING_DPI)
        printed = 0
        for index in pages:
            if cancel is not None and cancel.is_set():
                break
            if printed:
                printer.newPage()
            _draw_page(painter, printer, document, index, dpi)
            printed += 1
            if progress is not None:
                progress(printed, len(pages))
        return printed
    finally:
        if painter.isActive():
            painter.end()
        document.close()
        buffer.close()


def _draw_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, index: int, dpi: int) -> None:
    """Render one page in horizontal bands and draw it centred on the printer's page, in proportion.

    Qt PDF renders every document under one process-wide lock; a whole 600 dpi page holds it for a
    few hundred milliseconds, during which the preview on the GUI thread cannot paint. Bands of about
    a million pixels hold it for a few milliseconds each.
    """
    points = document.pagePointSize(index)
    target = QRectF(painter.viewport())
    fit = min(target.width() / points.width(), target.height() / points.height())
    width, height = points.width() * fit, points.height() * fit
    left = target.x() + (target.width() - width) / 2
    top = target.y() + (target.height() - height) / 2
    pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    band = max(64, BAND_PIXELS // max(1, pixels.width()))
    scale = height / pixels.height()
    for y in range(0, pixels.height(), band):
        rows = min(band, pixels.height() - y)
        options = QPdfDocumentRenderOptions()
        options.setScaledSize(pixels)
        options.setScaledClipRect(QRect(0, y, pixels.width(), rows))
        image = document.render(index, QSize(pixels.width(), rows), options)
        painter.drawImage(QRectF(left, top + y * scale, width, rows * scale), image)
