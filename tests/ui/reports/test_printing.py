"""Print and Save as from the preview: a PDF printer stands in for the system's, pypdf reads the pages."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton

from clinic_app.services import records
from clinic_app.ui.reports import dialogs
from clinic_app.ui.reports.preview import ReportPreviewDialog
from clinic_app.ui.reports.printing import open_document, print_pdf

PRINT_DPI = 100  # low enough to keep the test quick; the path is the same as at 600 dpi


def opened(qtbot, window, ctx, visit_id: str, kind: str) -> ReportPreviewDialog:
    """A shown preview of ``kind`` for the visit, once its PDF has loaded."""
    dialog = ReportPreviewDialog(window, ctx, visit_id, kind)
    dialog.show()
    with qtbot.waitSignal(dialog.report_did_load, timeout=20_000):
        dialog.start()
    return dialog


def pdf_printer_answer(monkeypatch, target: Path, seen: list[QPrinter]) -> None:
    """Answer the print dialog by choosing 'Print to file (PDF)' at ``target``."""

    def answer(parent, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setResolution(PRINT_DPI)
        seen.append(printer)
        return True

    monkeypatch.setattr(dialogs, "ask_printer", answer)


def grey_page(data: bytes, page: int, size: QSize) -> QImage:
    """One page rendered at ``size`` on white paper, in grey (Qt PDF renders a transparent background)."""
    document, buffer = open_document(data)
    rendered = document.render(page, size)
    document.close()
    buffer.close()
    paper = QImage(rendered.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return paper.convertToFormat(QImage.Format.Format_Grayscale8)


def mean_difference(first: bytes, second: bytes, page: int, dpi: int = PRINT_DPI) -> float:
    """Mean absolute grey difference (0–255) of one page of two PDFs, both rendered at ``dpi``.

    At the print's own resolution the printed page's pixels are the rendered report's pixels, so a
    band out of place, a missing DRAFT mark or a page of another size shows, and anti-aliasing does
    not (compared at a thumbnail size, vector text and a printed raster differ by ~10 anyway).
    """
    document, buffer = open_document(first)
    points = document.pagePointSize(page)
    document.close()
    buffer.close()
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    a, b = grey_page(first, page, size), grey_page(second, page, size)
    rows = [bytes(image.constBits()) for image in (a, b)]
    line = a.bytesPerLine()
    total = 0
    for row in range(a.height()):
        start, end = row * line, row * line + a.width()
        total += sum(abs(x - y) for x, y in zip(rows[0][start:end], rows[1][start:end], strict=True))
    return total / (a.width() * a.height())


def test_signed_report_prints_every_page_and_keeps_its_record(
    qtbot, main_window, ctx, signed_visit, read_pages, tmp_path, monkeypatch
):
    """Printing a signed visit prints all its pages at the report's paper size and records its SHA-256."""
    dialog = opened(qtbot, main_window, ctx, signed_visit, "clinician")
    target = tmp_path / "printed.pdf"
    seen: list[QPrinter] = []
    pdf_printer_answer(monkeypatch, target, seen)
    with qtbot.waitSignal(dialog.print_did_finish, timeout=60_000) as blocker:
        dialog.print_report()
    source = read_pages(dialog.report.pdf)
    printed = read_pages(target.read_bytes())
    assert blocker.args[0] == len(source) == len(printed)
    for page_in, page_out in zip(source, printed, strict=True):
        assert abs(float(page_in.mediabox.width) - float(page_out.mediabox.width)) < 2
        assert abs(float(page_in.mediabox.height) - float(page_out.mediabox.height)) < 2
        assert page_out.images  # the page was drawn from the rendered report
    entries = records.list_reports(ctx.db, signed_visit)
    assert [e.sha256 for e in entries] == [hashlib.sha256(dialog.report.pdf).hexdigest()]
    assert "printed" in entries[0].file_name
    assert "record kept" in dialog.status.text()
    assert mean_difference(dialog.report.pdf, target.read_bytes(), 0) < 5
    dialog.close()


def test_draft_prints_with_its_draft_mark_and_no_record(
    qtbot, main_window, ctx, draft_visit, read_pages, tmp_path, monkeypatch
):
    """A draft prints the pages the preview shows — DRAFT mark included — and keeps no report record."""
    dialog = opened(qtbot, main_window, ctx, draft_visit, "patient")
    target = tmp_path / "draft.pdf"
    pdf_printer_answer(monkeypatch, target, [])
    with qtbot.waitSignal(dialog.print_did_finish, timeout=60_000):
        dialog.print_report()
    source = dialog.report.pdf
    assert all("DRAFT" in page.extract_text() for page in read_pages(source))
    assert len(read_pages(target.read_bytes())) == len(read_pages(source))
    for page in range(len(read_pages(source))):  # the printed page looks like the marked page
        assert mean_difference(source, target.read_bytes(), page) < 5
    assert records.list_reports(ctx.db, draft_visit) == []
    assert "DRAFT" in dialog.status.text()
    dialog.close()


def test_cancelled_print_dialog_prints_nothing(qtbot, main_window, ctx, signed_visit, monkeypatch):
    """Cancelling the system print dialog starts no job and records nothing."""
    dialog = opened(qtbot, main_window, ctx, signed_visit, "patient")
    monkeypatch.setattr(dialogs, "ask_printer", lambda parent, printer: False)
    dialog.print_report()
    assert not dialog.worker.busy
    assert records.list_reports(ctx.db, signed_visit) == []
    dialog.close()


def test_cancel_in_the_progress_window_stops_the_print_and_records_nothing(
    qtbot, main_window, ctx, signed_visit, tmp_path, monkeypatch
):
    """Cancel printing in the progress window: the job stops, 0 pages, no report record, a message."""
    dialog = opened(qtbot, main_window, ctx, signed_visit, "clinician")
    pdf_printer_answer(monkeypatch, tmp_path / "cancelled.pdf", [])
    with qtbot.waitSignal(dialog.print_did_finish, timeout=60_000) as blocker:
        dialog.print_report()
        assert dialog.print_progress.maximum() == dialog.document.pageCount()
        dialog.print_progress.findChild(QPushButton).click()  # the job has at most begun page 1
    assert blocker.args == [0]
    qtbot.waitUntil(lambda: ctx.tasks.pending == 0, timeout=10_000)
    assert records.list_reports(ctx.db, signed_visit) == []
    assert "cancelled" in dialog.status.text()
    assert dialog.print_action.isEnabled()
    dialog.close()


def test_page_range_from_the_print_dialog_is_honoured(qtbot, tmp_path):
    """Pages 2–3 chosen in the dialog print two pages, and cancelling stops before the next page."""
    import threading

    from reportlab.pdfgen import canvas

    target = tmp_path / "four.pdf"
    import io

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for number in range(4):
        drawing.drawString(100, 700, f"page {number + 1}")
        drawing.showPage()
    drawing.save()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setResolution(PRINT_DPI)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert print_pdf(buffer.getvalue(), printer) == 2
    stop = threading.Event()
    stop.set()
    again = QPrinter(QPrinter.PrinterMode.HighResolution)
    again.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    again.setOutputFileName(str(tmp_path / "none.pdf"))
    assert print_pdf(buffer.getvalue(), again, cancel=stop) == 0


def test_save_as_writes_the_previewed_bytes_and_records_them(
    qtbot, main_window, ctx, signed_visit, tmp_path, monkeypatch
):
    """Save as writes exactly the previewed PDF and keeps its report record with the same SHA-256."""
    dialog = opened(qtbot, main_window, ctx, signed_visit, "patient")
    target = tmp_path / "out" / "report.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, title, suggested: target)
    with qtbot.waitSignal(dialog.report_did_save, timeout=20_000):
        dialog.save_report_as()
    assert target.read_bytes() == dialog.report.pdf
    entries = records.list_reports(ctx.db, signed_visit)
    assert [(e.file_name, e.sha256) for e in entries] == [
        ("report.pdf", hashlib.sha256(dialog.report.pdf).hexdigest())
    ]
    dialog.close()


def test_save_as_never_writes_over_the_clinic_database(qtbot, main_window, ctx, signed_visit, monkeypatch):
    """Choosing the clinic database file as the target is refused with a message; the file is unchanged."""
    dialog = opened(qtbot, main_window, ctx, signed_visit, "patient")
    database = ctx.db.sqlite_path
    before = database.read_bytes()
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, title, suggested: database)
    dialog.save_report_as()
    qtbot.waitUntil(lambda: "Saving" not in dialog.status.text(), timeout=10_000)
    assert database.read_bytes() == before
    assert dialog.status.text()  # a message, not silence
    assert records.list_reports(ctx.db, signed_visit) == []
    dialog.close()
