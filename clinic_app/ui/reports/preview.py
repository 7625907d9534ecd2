"""Preview a visit's report in the window, then print it or save it — the same PDF bytes each time.

The PDF is built on the database worker (``ctx.tasks.run_query``) and loaded into a ``QPdfDocument``
from a ``QBuffer``; ``QPdfView`` renders its pages on threads of its own, so the window stays
responsive from the click to the painted page. Print renders the pages at the printer's resolution
on a :class:`~clinic_app.ui.reports.worker.ReportWorker`; a signed visit's printed or saved report is
recorded with its SHA-256 (``services.reportprint.record_issued``), a draft's is not (it carries the
DRAFT mark on every page).

The viewer (pages, navigation, zoom) is :mod:`clinic_app.ui.reports.viewer`; Save as PDF is
:mod:`clinic_app.ui.reports.saving`; this module builds, prints and closes.
"""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from clinic_app.reporting import ReferralNotNeededError, ReportKind
from clinic_app.reporting.settings import Addressee
from clinic_app.services import preferences, reportprint
from clinic_app.services.clinic import Database, explain_failure
from clinic_app.services.errors import NotFoundError
from clinic_app.services.reportprint import WindowReport
from clinic_app.services.session import SignedIn
from clinic_app.ui.context import AppContext
from clinic_app.ui.reports import dialogs
from clinic_app.ui.reports.printing import (
    PrintError,
    PrintProgress,
    pages_to_print,
    prepare_printer,
    print_pdf,
    warm_up_printing,
)
from clinic_app.ui.reports.saving import ReportSaving
from clinic_app.ui.reports.viewer import PageViewer
from clinic_app.ui.reports.worker import ReplyGuard, ReportWorker

log = logging.getLogger(__name__)


def build_for_preview(
    db: Database, visit_id: str, kind: ReportKind, addressee: Addressee | None = None
) -> WindowReport:
    """Build the report with the clinic's saved letterhead and paper size (runs on the worker).

    ``addressee`` is the one typed for this referral letter; it wins over the saved service address.
    """
    settings = preferences.report_settings()
    if addressee is not None:
        settings = replace(settings, letterhead=replace(settings.letterhead, addressee=addressee))
    return reportprint.window_report(db, visit_id, kind, settings=settings)


def addressee_from_text(typed: str) -> Addressee | None:
    """Turn the typed addressee (name, then address lines) into one; None when nothing was typed."""
    lines = [line.strip() for line in typed.splitlines() if line.strip()]
    return Addressee(lines[0], tuple(lines[1:])) if lines else None


class ReportPreviewDialog(PageViewer, ReportSaving, QDialog):
    """One report of one visit: pages, zoom, fit width, Print…, Save as….

    Signals:
        report_did_load(pages): the PDF is in the view (its pages paint shortly after).
        report_did_fail(message): the report could not be built.
        print_did_finish(pages): a print job ended; 0 when nothing was printed.
        report_did_save(path): Save as wrote the file.
    """

    report_did_load = Signal(int)
    report_did_fail = Signal(str)
    print_did_finish = Signal(int)
    report_did_save = Signal(object)

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, visit_id: str, kind: ReportKind | str
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.visit_id = visit_id
        self.kind = ReportKind(kind)
        self.report: WindowReport | None = None
        self._buffer: QBuffer | None = None
        self._printer: QPrinter | None = None
        self.worker = ReportWorker(self)
        self.replies = ReplyGuard(self)
        self.print_cancel = threading.Event()
        self.setWindowTitle(reportprint.KIND_TITLES[self.kind])
        self.setAccessibleName("Report preview")
        self.setMinimumSize(720, 560)
        self.resize(980, 760)

        self._build_view()

        self.message = QLabel(f"Building the {reportprint.KIND_TITLES[self.kind].lower()}…", self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)

        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Report status")
        self.banner.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Print and save messages")

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.print_action = self._action("&Print…", QKeySequence.StandardKey.Print, self.print_report)
        self.save_action = self._action("Save &as PDF…", QKeySequence.StandardKey.SaveAs, self.save_report_as)
        self._build_page_tools()
        self.fit_page_action = self._action("Whole &page", QKeySequence("Ctrl+9"), self.fit_page)
        self.toolbar.addSeparator()
        self.addressee: Addressee | None = None
        if self.kind is ReportKind.REFERRAL:
            self._action("A&ddressee…", QKeySequence(), self.choose_addressee)
        self._action("&Close", QKeySequence.StandardKey.Close, self.close)
        self._set_enabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status)

    def _set_enabled(self, enabled: bool) -> None:
        for action in (
            self.print_action,
            self.save_action,
            self.previous_action,
            self.next_action,
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_width_action,
            self.fit_page_action,
        ):
            action.setEnabled(enabled)
        self.page_box.setEnabled(enabled)

    # --- building ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Build the report on the database worker; the pages appear when it is done."""
        self.ctx.tasks.run_query(
            functools.partial(build_for_preview, self.ctx.db, self.visit_id, self.kind, self.addressee),
            **self.replies.handlers(self._on_built, self._on_build_failed),
            label="Building the report…",
        )

    def choose_addressee(self) -> None:
        """Ask who this letter goes to and build it again with that addressee (empty: the saved one)."""
        current = self.addressee
        shown = "\n".join((current.name, *current.address)) if current is not None else ""
        typed = dialogs.ask_addressee(self, shown)
        if typed is None:
            return
        self.addressee = addressee_from_text(typed)
        self.start()

    def _on_built(self, report: WindowReport) -> None:
        self.report = report
        self.setWindowTitle(report.title)
        buffer = QBuffer(self)
        buffer.setData(QByteArray(report.pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        if self.document.status() != QPdfDocument.Status.Ready:
            self._show_failure("The report was built but cannot be shown. Try Save as PDF instead.")
            self.save_action.setEnabled(True)
            return
        count = self.document.pageCount()
        self.page_box.setRange(1, count)
        self.pages_label.setText(f" of {count} ")
        if report.signed:
            self.banner.hide()
        else:
            self.banner.setText(
                "⚠ DRAFT — this visit is not signed. Every page prints with a DRAFT mark, and no report "
                "record is kept until the visit is signed."
            )
            self.banner.setStyleSheet(
                "QLabel { background: #fff4d6; border: 1px solid #a36b00; padding: 4px; }"
            )
            self.banner.show()
        self.stack.setCurrentWidget(self.view)
        self._set_enabled(True)
        self._update_page_actions(0)
        self.report_did_load.emit(count)

    def _on_build_failed(self, error: BaseException) -> None:
        if isinstance(error, ReferralNotNeededError):
            text = "This visit needs no referral letter: the clinician's final decision calls for none."
        elif isinstance(error, NotFoundError):
            text = "This visit is no longer in the clinic database."
        else:
            text = explain_failure(error) or ""
            if not text:
                log.error("Building the report failed", exc_info=error)
                text = f"The report could not be built ({type(error).__name__}: {error})."
        self._show_failure(text)

    def _show_failure(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.report_did_fail.emit(text)

    def _user(self) -> SignedIn:
        """The signed-in clinician, who issues what is printed or saved."""
        if self.ctx.user is None:
            raise RuntimeError("No clinician is signed in.")
        return self.ctx.user

    # --- print and save ------------------------------------------------------------------------------

    def make_printer(self) -> QPrinter:
        """A high-resolution printer with the report's paper size (the system dialog may change it)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        if self.report is not None:
            prepare_printer(printer, self.report.pdf)
        return printer

    def print_report(self) -> None:
        """Ask the system print dialog, then print on the report worker (the window stays usable)."""
        if self.report is None or self.worker.busy:
            return
        printer = self.make_printer()
        printer.setFromTo(1, self.document.pageCount())
        printer.setPrintRange(QPrinter.PrintRange.AllPages)
        if not dialogs.ask_printer(self, printer):
            return
        self._printer = printer
        self.print_action.setEnabled(False)
        self.status.setText("Printing…")
        self.print_cancel.clear()
        pages = len(pages_to_print(printer, self.document.pageCount()))
        self.print_progress = PrintProgress(self, self.print_cancel, self.worker, pages)
        self.worker.run(
            functools.partial(
                print_pdf, self.report.pdf, printer, cancel=self.print_cancel, progress=self.worker.progress
            ),
            success=self._on_printed,
            failure=self._on_print_failed,
        )

    def _on_printed(self, pages: int) -> None:
        printer, self._printer = self._printer, None
        self.print_action.setEnabled(True)
        report = self.report
        if report is None or printer is None:
            return
        target = Path(printer.outputFileName()).name if printer.outputFileName() else printer.printerName()
        if pages == 0:
            self.status.setText(
                "Printing was cancelled, so no report record is kept. Pages the printer had already "
                "received may still come out."
            )
        elif report.signed:
            self.status.setText(f"Printed {pages} page(s). Keeping the report record…")
            self.ctx.tasks.run_op(
                functools.partial(
                    reportprint.record_issued,
                    self.ctx.db,
                    report,
                    file_name=f"printed: {target or 'printer'}",
                    user=self._user(),
                ),
                **self.replies.handlers(
                    functools.partial(self._on_recorded, f"Printed {pages} page(s)"), self._on_record_failed
                ),
                label="Keeping the report record…",
            )
        else:
            self.status.setText(f"Printed {pages} page(s), marked DRAFT (no report record for a draft).")
        self.print_did_finish.emit(pages)

    def _on_print_failed(self, error: BaseException) -> None:
        self._printer = None
        self.print_action.setEnabled(True)
        if not isinstance(error, PrintError):
            log.error("Printing failed", exc_info=error)
        self.status.setText(f"Nothing was printed: {error}")
        self.print_did_finish.emit(0)

    def _on_recorded(self, done: str, _changes: object) -> None:
        self.status.setText(f"{done}. Report record kept (with the SHA-256 of the report's PDF).")

    def _on_record_failed(self, error: BaseException) -> None:
        message = explain_failure(error) or f"{type(error).__name__}: {error}"
        self.status.setText(f"The report was printed, but its record could not be kept: {message}")

    # --- lifetime ------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Stop a running print job after its current page, then stop the worker thread."""
        self.print_cancel.set()
        self.worker.shutdown()
        self.replies.close()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        """Closing by Escape or a button also stops the worker."""
        self.print_cancel.set()
        self.worker.shutdown()
        self.replies.close()
        super().done(result)


def warm_up_reports(window: QWidget, ctx: AppContext) -> None:
    """Load ReportLab and Qt PDF before the first preview (call once the window is shown and idle).

    Importing this module has loaded Qt PDF. The report libraries are loaded by building a made-up
    report on the database worker, and one preview window is built and thrown away here: the first
    one of a process spends about 0.1 s in PySide6 creating the Python types of the Qt enums it
    uses. After this the first click is as quick as the later ones.
    """
    ctx.tasks.run_query(reportprint.warm_up, success=_warmed, failure=_warm_up_failed, label="")
    ctx.tasks.run_query(warm_up_printing, success=_warmed, failure=_warm_up_failed, label="")
    scratch = ReportPreviewDialog(window, ctx, "", ReportKind.CLINICIAN)
    scratch.worker.shutdown()
    scratch.deleteLater()


def _warmed(_size: int) -> None:
    log.debug("Report libraries loaded")


def _warm_up_failed(error: BaseException) -> None:
    log.warning("Warming up the reports failed; the first preview will be slower", exc_info=error)


def show_report_preview(
    window: QWidget, ctx: AppContext, visit_id: str, kind: ReportKind | str
) -> ReportPreviewDialog:
    """Open the preview of one report of a visit over ``window`` and start building it.

    The dialog is not modal (the clinician can keep the visit open beside it) and is deleted once
    closed and its database replies are in.

    Args:
        window: the main window (parent).
        ctx: the app context (database, task runner, signed-in clinician).
        visit_id: the stored visit.
        kind: ``"patient"``, ``"clinician"`` or ``"referral"``.
    """
    dialog = ReportPreviewDialog(window, ctx, visit_id, kind)
    dialog.show()
    dialog.start()
    return dialog
