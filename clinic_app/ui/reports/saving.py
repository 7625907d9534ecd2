"""Save the previewed report as a PDF file: the same bytes, through the safe writer, recorded if signed.

:class:`ReportSaving` is the Save-as half of
:class:`~clinic_app.ui.reports.preview.ReportPreviewDialog`; :func:`save_and_record` runs on the
database worker and never writes over the clinic database.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel

from clinic_app.services import reportprint
from clinic_app.services.changes import Changes
from clinic_app.services.clinic import Database, explain_failure
from clinic_app.services.files import OutputFileError, save_output_file
from clinic_app.services.reportprint import WindowReport
from clinic_app.services.session import SignedIn
from clinic_app.ui.context import AppContext
from clinic_app.ui.reports import dialogs
from clinic_app.ui.reports.worker import ReplyGuard

log = logging.getLogger("clinic_app.ui.reports.preview")  # the preview's log, as before the split


def save_and_record(
    db: Database, report: WindowReport, path: Path, user: SignedIn
) -> tuple[Path, Changes | None]:
    """Write the PDF safely (never over the clinic database) and record a signed visit's report."""
    written = save_output_file(path, report.pdf, overwrite=True, protected=_database_files(db))
    return written, reportprint.record_issued(db, report, file_name=written.name, user=user)


def _database_files(db: Database) -> tuple[Path, ...]:
    path = db.sqlite_path
    return (path,) if path is not None else ()


if TYPE_CHECKING:
    _DialogBase = QDialog  # the type checker sees the dialog this mixin is part of
else:
    _DialogBase = object


class ReportSaving(_DialogBase):
    """Save as PDF for the report preview (a mixin of the dialog)."""

    ctx: AppContext
    report: WindowReport | None
    replies: ReplyGuard
    status: QLabel
    report_did_save: Signal

    if TYPE_CHECKING:  # the dialog's own

        def _user(self) -> SignedIn: ...

    def save_report_as(self) -> None:
        """Ask where, then write the same PDF through the safe writer; a signed report is recorded."""
        if self.report is None:
            return
        folder = Path.home() / "Documents"
        suggested = (folder if folder.is_dir() else Path.home()) / self.report.file_name
        path = dialogs.ask_save_path(self, "Save the report as PDF", suggested)
        if path is None:
            return
        self.status.setText(f"Saving {path.name}…")
        self.ctx.tasks.run_op(
            functools.partial(save_and_record, self.ctx.db, self.report, path, self._user()),
            **self.replies.handlers(self._on_saved, self._on_save_failed),
            label="Saving the report…",
        )

    def _on_saved(self, outcome: tuple[Path, Changes | None]) -> None:
        path, recorded = outcome
        note = " Report record kept." if recorded is not None else " (Draft: no report record.)"
        self.status.setText(f"Saved {path}.{note}")
        self.report_did_save.emit(path)

    def _on_save_failed(self, error: BaseException) -> None:
        if isinstance(error, OutputFileError):
            self.status.setText(str(error))
            return
        message = explain_failure(error)
        if message is None:
            log.error("Saving the report failed", exc_info=error)
            message = f"The report was not saved ({type(error).__name__}: {error})."
        self.status.setText(message)
