"""The print job's bands: in place on the page, short enough to leave the GUI thread room, and cancellable."""

from __future__ import annotations

import io
import threading

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from clinic_app.ui.reports import printing
from clinic_app.ui.reports.printing import open_document, print_pdf, render_band


def striped_pdf(pages: int = 1) -> bytes:
    """A4 pages with a line of text every 20 points, so a band out of place shows at once."""
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        for line in range(40):
            drawing.drawString(60, 800 - 20 * line, f"page {page + 1} line {line + 1} — the quick brown fox")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def grey(image: QImage) -> QImage:
    """The image laid on white, in grey."""
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper.convertToFormat(QImage.Format.Format_Grayscale8)


def mean_difference(first: QImage, second: QImage) -> float:
    """Mean absolute grey difference (0–255) of two images of one size."""
    a, b = grey(first), grey(second)
    line = a.bytesPerLine()
    data = bytes(a.constBits()), bytes(b.constBits())
    total = 0
    for row in range(a.height()):
        start, end = row * line, row * line + a.width()
        total += sum(abs(x - y) for x, y in zip(data[0][start:end], data[1][start:end], strict=True))
    return total / (a.width() * a.height())


def pdf_printer(path: str, dpi: int = 100) -> QPrinter:
    """A printer writing a PDF file at ``dpi``."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(path)
    printer.setResolution(dpi)
    return printer


@pytest.mark.parametrize("rows", [7, 40, 333])
def test_bands_stacked_give_the_page_rendered_whole(qapp, rows):
    """Thin bands laid one under the other match the whole page (Qt PDF squeezed clipped renders)."""
    document, buffer = open_document(striped_pdf())
    size = QSize(827, 1169)  # A4 at 100 dpi
    whole = document.render(0, size)
    stacked = QImage(size, QImage.Format.Format_ARGB32)
    stacked.fill(QColor(0, 0, 0, 0))
    painter = QPainter(stacked)
    for top in range(0, size.height(), rows):
        painter.drawImage(0, top, render_band(document, 0, size, top, min(rows, size.height() - top)))
    painter.end()
    document.close()
    buffer.close()
    assert mean_difference(whole, stacked) < 1.0


def test_band_size_follows_the_time_a_band_takes():
    """A slow band makes the next ones smaller, a quick one larger, within the row bounds."""
    bands = printing._Bands(300)
    first = bands.rows(2480)
    bands.took(2480 * first, printing.BAND_SECONDS * 4)
    assert bands.rows(2480) < first
    for _ in range(30):
        bands.took(2480 * bands.rows(2480), printing.BAND_SECONDS / 100)
    assert bands.rows(2480) == printing.BAND_ROWS[1]
    for _ in range(30):
        bands.took(2480 * bands.rows(2480), printing.BAND_SECONDS * 100)
    assert bands.rows(2480) == printing.BAND_ROWS[0]


def test_progress_follows_each_page(qapp, tmp_path):
    """progress(done, total) is called once per finished page of the chosen range."""
    printer = pdf_printer(str(tmp_path / "out.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    seen: list[tuple[int, int]] = []
    assert print_pdf(striped_pdf(4), printer, progress=lambda done, total: seen.append((done, total))) == 2
    assert seen == [(1, 2), (2, 2)]


def test_cancel_during_a_page_stops_the_job_within_a_band(qapp, tmp_path, read_pages):
    """Cancel set when page 1 is done stops during page 2: 0 pages reported, page 3 never drawn."""
    stop = threading.Event()
    target = tmp_path / "out.pdf"
    printer = pdf_printer(str(target))
    assert print_pdf(striped_pdf(3), printer, cancel=stop, progress=lambda done, total: stop.set()) == 0
    assert len(read_pages(target.read_bytes())) == 2  # the PDF engine cannot abort: page 2 is begun


def test_printed_pages_are_opaque_and_lossless(qapp, tmp_path, read_pages):
    """Bands go to the printer without transparency and without JPEG (small text stays sharp)."""
    target = tmp_path / "out.pdf"
    print_pdf(striped_pdf(), pdf_printer(str(target)))
    page = read_pages(target.read_bytes())[0]
    images = [item.get_object() for item in page["/Resources"]["/XObject"].values()]
    assert images
    for image in images:
        assert image["/Filter"] == "/FlateDecode"
        assert "/SMask" not in image and "/Mask" not in image
