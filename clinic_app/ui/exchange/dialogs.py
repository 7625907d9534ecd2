"""The export dialog and the two entry functions for the main window (the preview is in ``preview``).

The services do the work on the database worker (``ctx.tasks``); they report progress from that
thread through a signal (queued onto the GUI thread) and poll a thread-safe flag for cancellation.
Choosing files and asking questions go through module functions and :mod:`clinic_app.ui.ask`, which
tests replace.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.exchange import crypto
from clinic_app.exchange.plan import ImportPlan
from clinic_app.services import exchange, exchange_formats
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.exchange.dryrun import DryRunDialog
from clinic_app.ui.exchange.preview import ImportPreviewDialog


def choose_export_path(parent: QWidget | None, suggested: str) -> str:
    """Ask where to save (tests replace this)."""
    chosen, _ = QFileDialog.getSaveFileName(parent, "Export to", suggested)
    return chosen


def choose_import_path(parent: QWidget | None) -> str:
    """Ask which bundle to import (tests replace this)."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Import a bundle", "", "RunReady bundles (*.rrbundle *.zip *.enc);;All files (*)"
    )
    return chosen


class _Relay(QObject):
    """Carries progress from the worker thread to the GUI thread (a queued signal)."""

    progress_did_change = Signal(int, int)


class ExportDialog(QDialog):
    """Format, file, optional password; Export runs on the worker with a progress bar and Cancel."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._ctx = ctx
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        self._relay.progress_did_change.connect(self._show_progress)
        self.format_box = QComboBox(self)
        self.format_box.addItem("RunReady bundle (lossless)", "bundle")
        self.format_box.addItem("FHIR R4B Bundle (JSON)", "fhir")
        self.format_box.addItem("Research CSV (pseudonymous folder)", "csv")
        self.path_edit = QLineEdit(self)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        self.encrypt_box = QCheckBox("Encrypt with a password", self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.progress = QProgressBar(self)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Format", self.format_box)
        form.addRow("File", self.path_edit)
        form.addRow("", browse)
        form.addRow("", self.encrypt_box)
        form.addRow("Password", self.password_edit)
        form.addRow("Repeat", self.repeat_edit)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.running = False

    def _browse(self) -> None:
        chosen = choose_export_path(self, self.path_edit.text())
        if chosen:
            self.path_edit.setText(chosen)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _report(self, done: int, total: int) -> None:
        self._relay.progress_did_change.emit(done, total)

    def start(self) -> None:
        """Check the choices and run the export on the worker."""
        text = self.path_edit.text().strip()
        if not text:
            self.status.setText("Choose a file to export to.")
            return
        password = None
        kind = self.format_box.currentData()
        if self.encrypt_box.isChecked():
            password = self.password_edit.text()
            if not password or password != self.repeat_edit.text():
                self.status.setText("The passwords are empty or differ.")
                return
            if kind == "csv":
                self.status.setText("Research CSV files are pseudonymous and not encrypted.")
                return
        common: dict[str, Any] = {"progress": self._report, "cancelled": self._cancel.is_set}
        op: Callable[[], object]
        if kind == "csv":
            op = functools.partial(exchange_formats.export_research, self._ctx.db, Path(text), **common)
        else:
            write = exchange.export_bundle if kind == "bundle" else exchange_formats.export_fhir
            op = functools.partial(write, self._ctx.db, Path(text), password=password, **common)
        self.running = True
        self.export_button.setEnabled(False)
        self.status.setText("Exporting…")
        self._ctx.tasks.run_query(op, success=self._done, failure=self._failed, label="Exporting…")

    def cancel(self) -> None:
        """Stop a running export (nothing is written), or close the dialog."""
        if self.running:
            self._cancel.set()
            self.status.setText("Cancelling…")
        else:
            self.reject()

    def _done(self, result: object) -> None:
        self.running = False
        plain = self.format_box.currentData() != "csv" and not self.encrypt_box.isChecked()
        warning = " It holds names and health data unencrypted: hand it over securely." if plain else ""
        self.status.setText(f"Written to {self.path_edit.text()}.{warning}")
        self.export_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.export_button.setEnabled(True)
        self.status.setText(str(error))


def export_from_window(window: QWidget | None, ctx: AppContext) -> ExportDialog:
    """File → Export…: show the export dialog (returns it for tests)."""
    dialog = ExportDialog(ctx, window)
    ask.run_dialog(dialog)
    return dialog


def import_into_window(window: QWidget | None, ctx: AppContext) -> DryRunDialog | None:
    """File → Import…: choose a bundle, run the dry run (progress, Cancel), import what the user confirms.

    Returns:
        The dry run's window (tests drive it), or None when no bundle was chosen.
    """
    chosen = choose_import_path(window)
    if not chosen or ctx.user is None:
        return None
    path = Path(chosen)
    password = None
    if path.is_file() and crypto.is_encrypted(path):
        password = ask.ask_password(window, "Import", f"Password of {path.name}:")
        if password is None:
            return None
    user = ctx.user

    def show_plan(plan: ImportPlan) -> None:
        preview = ImportPreviewDialog(plan, window)
        if not ask.run_dialog(preview):
            return
        outcomes: list[exchange.ImportOutcome] = []
        resolutions = preview.resolutions()

        def run_import() -> object:
            # Returns the Changes, so the window refreshes what the import touched.
            outcome = exchange.import_bundle(
                ctx.db,
                path,
                user,
                resolutions=resolutions,
                password=password,
                expected_checksum=plan.checksum,
            )
            outcomes.append(outcome)
            return outcome.changes

        def imported(_changes: object) -> None:
            outcome = outcomes[-1]
            ask.show_info(
                window,
                "Import",
                f"Imported {path.name}: {len(outcome.plan.visits_added)} visits added, "
                f"{len(outcome.amended)} amendments, {outcome.report_files} report PDF"
                f"{'' if outcome.report_files == 1 else 's'} kept.",
            )

        ctx.tasks.run_op(run_import, success=imported, failure=failed, label="Importing…")

    def failed(error: BaseException) -> None:
        ask.show_error(window, "Import", str(error))

    dry_run = DryRunDialog(ctx, path, password, window)
    dry_run.plan_did_finish.connect(show_plan)
    dry_run.dry_run_did_fail.connect(lambda message: ask.show_error(window, "Import", message))
    dry_run.open()
    dry_run.start()
    return dry_run
