"""A batch of reports: every signed visit of a period, built in the background with progress and Cancel.

The visits and their recorded decisions are gathered on the database worker; the PDFs are then built
by :func:`clinic_app.services.reports.build_batch` on a :class:`ReportWorker` thread (worker
processes for a large batch, so the window never competes with ReportLab for the interpreter), and
each file written gets its report record (SHA-256) on the database worker at the end. Cancel stops
scheduling further reports; files already written stay and are recorded.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.reporting import ReportKind
from clinic_app.services import preferences, reportprint
from clinic_app.services.clinic import Database, explain_failure
from clinic_app.services.reportprint import KIND_TITLES, StoredBatch
from clinic_app.services.reports import BatchResult, build_batch
from clinic_app.services.session import SignedIn
from clinic_app.ui.context import AppContext
from clinic_app.ui.reports import dialogs
from clinic_app.ui.reports.worker import ReplyGuard, ReportWorker

log = logging.getLogger(__name__)

PROCESSES_FROM = 12
"""From this many reports the batch uses worker processes (starting them costs about a second)."""


def gather(db: Database, start: dt.date, end: dt.date, kind: ReportKind) -> StoredBatch:
    """The batch's reports with the clinic's letterhead and paper size (runs on the database worker)."""
    return reportprint.stored_batch(db, start, end, kind, settings=preferences.report_settings())


class ReportBatchDialog(QDialog):
    """Choose a period, a document and a folder; build every signed visit's report there.

    Signals:
        batch_did_finish(result): the batch ended (done or cancelled); ``result`` is a BatchResult.
    """

    batch_did_finish = Signal(object)

    def __init__(self, parent: QWidget | None, ctx: AppContext, *, processes: bool | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.processes = processes
        self.worker = ReportWorker(self)
        self.replies = ReplyGuard(self)
        self.worker.job_did_progress.connect(self._on_progress)
        self.cancel_event = threading.Event()
        self.batch: StoredBatch | None = None
        self.outcome: BatchResult | None = None
        self._kind = ReportKind.PATIENT
        self.setWindowTitle("Print a batch of reports")
        self.setAccessibleName("Batch of reports")

        today = QDate.currentDate()
        self.start_date = QDateEdit(today.addDays(1 - today.day()), self)
        self.end_date = QDateEdit(today, self)
        for edit, name in ((self.start_date, "From"), (self.end_date, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
        self.kind_box = QComboBox(self)
        self.kind_box.setAccessibleName("Document")
        self._kinds = list(KIND_TITLES)
        self.kind_box.addItems([KIND_TITLES[kind] for kind in self._kinds])
        self.folder = QLineEdit(str(_default_folder()), self)
        self.folder.setAccessibleName("Folder")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        form = QFormLayout()
        form.addRow("Signed visits from", self.start_date)
        form.addRow("to", self.end_date)
        form.addRow("Document", self.kind_box)
        form.addRow("Into the folder", folder_row)

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Progress")
        self.progress.setFormat("Not started")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel(
            "Only signed visits are printed; a draft's report is never issued in a batch.", self
        )
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.start_button = self.buttons.addButton("&Start", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(
            "Cancel the batch", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.cancel_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(620, 320)

    @property
    def running(self) -> bool:
        """True from Start until the batch and its records are done."""
        return not self.start_button.isEnabled()

    def set_period(self, start: dt.date, end: dt.date) -> None:
        """Set the dates (tests and the menu's "this month" use it)."""
        self.start_date.setDate(QDate(start.year, start.month, start.day))
        self.end_date.setDate(QDate(end.year, end.month, end.day))

    def set_kind(self, kind: ReportKind | str) -> None:
        """Choose the document printed for every visit."""
        self.kind_box.setCurrentIndex(self._kinds.index(ReportKind(kind)))

    def choose_folder(self) -> None:
        """Ask for the folder the PDFs go into."""
        chosen = dialogs.ask_folder(self, "Folder for the reports", Path(self.folder.text() or Path.home()))
        if chosen is not None:
            self.folder.setText(str(chosen))

    def _user(self) -> SignedIn:
        """The signed-in clinician, who issues what is in a batch."""
        if self.ctx.user is None:
            raise RuntimeError("No clinician is signed in.")
        return self.ctx.user

    # --- running -------------------------------------------------------------------------------------

    def start(self) -> None:
        """Gather the signed visits of the period, then build their reports in the background."""
        start, end = _day(self.start_date.date()), _day(self.end_date.date())
        if end < start:
            self.status.setText("The period ends before it starts: swap the two dates.")
            return
        if not self.folder.text().strip():
            self.status.setText("Choose the folder the reports go into.")
            return
        self._kind = self._kinds[self.kind_box.currentIndex()]
        self.cancel_event.clear()
        self.outcome = None
        self._set_running(True)
        self.status.setText("Finding the signed visits…")
        self.ctx.tasks.run_query(
            functools.partial(gather, self.ctx.db, start, end, self._kind),
            **self.replies.handlers(self._on_gathered, self._on_failed),
            label="Finding the signed visits…",
        )

    def _on_gathered(self, batch: StoredBatch) -> None:
        self.batch = batch
        total = len(batch.items)
        if self.cancel_event.is_set() or total == 0:
            self._set_running(False)
            self.status.setText(
                "No signed visit in that period." if total == 0 else "Cancelled; nothing built."
            )
            self.batch_did_finish.emit(BatchResult(cancelled=self.cancel_event.is_set()))
            return
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.setFormat("%v of %m reports")
        self.status.setText(f"Building {total} report(s)…")
        processes = self.processes if self.processes is not None else total >= PROCESSES_FROM
        db_path = self.ctx.db.sqlite_path
        job = functools.partial(
            build_batch,
            batch.items,
            Path(self.folder.text().strip()).expanduser(),
            self.worker.progress,
            self.cancel_event,
            settings=preferences.report_settings(),
            processes=processes,
            workers=None if processes else 1,
            overwrite=True,  # a visit's earlier PDF of the same document is replaced
            protected=(db_path,) if db_path is not None else (),
        )
        self.worker.run(job, success=self._on_built, failure=self._on_failed)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def cancel(self) -> None:
        """Stop scheduling further reports (the ones being built finish; files written stay)."""
        self.cancel_event.set()
        self.cancel_button.setEnabled(False)
        self.status.setText("Cancelling… the reports already being built finish first.")

    def _on_built(self, result: BatchResult) -> None:
        self.outcome = result
        batch = self.batch
        if not result.written or batch is None:
            self._finish(result, 0)
            return
        self.status.setText(f"Keeping the report records of {len(result.written)} file(s)…")
        self.ctx.tasks.run_op(
            functools.partial(
                reportprint.record_batch,
                self.ctx.db,
                list(result.written),
                batch.visit_of_file,
                kind=self._kind,
                user=self._user(),
            ),
            **self.replies.handlers(
                functools.partial(self._on_recorded, result),
                functools.partial(self._on_record_failed, result),
            ),
            label="Keeping the report records…",
        )

    def _on_recorded(self, result: BatchResult, _changes: object) -> None:
        self._finish(result, len(result.written))

    def _on_record_failed(self, result: BatchResult, error: BaseException) -> None:
        message = explain_failure(error) or f"{type(error).__name__}: {error}"
        self._finish(result, 0, f" The files were written but their records could not be kept: {message}")

    def _finish(self, result: BatchResult, recorded: int, extra: str = "") -> None:
        self._set_running(False)
        parts = [f"{len(result.written)} report(s) written to {self.folder.text()}"]
        if recorded:
            parts.append(f"{recorded} report record(s) kept")
        if result.cancelled:
            parts.append("cancelled before the end")
        text = "; ".join(parts) + "."
        if result.failed:
            shown = "; ".join(f"{name}: {reason}" for name, reason in result.failed[:3])
            more = f" (and {len(result.failed) - 3} more)" if len(result.failed) > 3 else ""
            text += f" Not built: {shown}{more}."
        self.status.setText(text + extra)
        self.batch_did_finish.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self._set_running(False)
        message = explain_failure(error)
        if message is None:
            log.error("The batch of reports failed", exc_info=error)
            message = f"{type(error).__name__}: {error}"
        self.status.setText(f"The batch stopped: {message}")
        self.batch_did_finish.emit(BatchResult(cancelled=True))

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for widget in (self.start_date, self.end_date, self.kind_box, self.folder):
            widget.setEnabled(not running)

    # --- lifetime ------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Closing cancels the batch and waits for the reports being built (no stray thread)."""
        self.cancel_event.set()
        self.worker.shutdown()
        self.replies.close()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        """Escape also cancels and waits."""
        self.cancel_event.set()
        self.worker.shutdown()
        self.replies.close()
        super().done(result)


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


def _default_folder() -> Path:
    documents = Path.home() / "Documents"
    return (documents if documents.is_dir() else Path.home()) / "RunReady reports"


def run_report_batch(window: QWidget, ctx: AppContext) -> ReportBatchDialog:
    """Open the batch dialog over ``window`` (not modal; deleted once closed and its replies are in)."""
    dialog = ReportBatchDialog(window, ctx)
    dialog.show()
    return dialog
