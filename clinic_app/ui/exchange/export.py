"""File → Export…: the command line's export options in one dialog, run on the worker with progress.

The same choices as ``python -m clinic_app export``: the format, the whole clinic or the patient she
has open, only visits since a date, shifted dates for research files, encryption with a password
typed twice, and replacing a file that exists only after she says so. The services write the file
(safely, never over the clinic's database); this dialog gathers the choices and shows the outcome.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services import exchange, exchange_formats
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext


class ExportFormat(NamedTuple):
    """One choice of the format box."""

    key: str
    label: str
    suffix: str
    """Ending of the suggested name ("" for the research folder)."""


FORMATS = (
    ExportFormat("bundle", "RunReady bundle (lossless)", ".rrbundle"),
    ExportFormat("fhir", "FHIR R4B Bundle (JSON)", ".fhir.json"),
    ExportFormat("csv", "Research CSV (pseudonymous folder)", ""),
)
UNENCRYPTED = " It holds names and health data unencrypted: hand it over securely."


class OpenPatient(NamedTuple):
    """The patient open in the window, offered as the export's scope."""

    patient_id: str
    name: str


def choose_export_path(parent: QWidget | None, suggested: str) -> str:
    """Ask where to save (tests replace this)."""
    chosen, _ = QFileDialog.getSaveFileName(parent, "Export to", suggested)
    return chosen


class _Relay(QObject):
    """Carries progress from the worker thread to the dialog (a queued signal)."""

    progress_did_change = Signal(int, int)


class ExportDialog(QDialog):
    """Format, scope, file, optional password; Export runs on the worker with a progress bar and Cancel."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        patient: OpenPatient | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._ctx = ctx
        self._today = today or dt.date.today()
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        self._relay.progress_did_change.connect(self._show_progress)
        self.running = False
        self.format_box = QComboBox(self)
        for choice in FORMATS:
            self.format_box.addItem(choice.label, choice.key)
        self.scope_box = QComboBox(self)
        self.scope_box.addItem("The whole clinic", None)
        if patient is not None:
            self.scope_box.addItem(f"Only {patient.name} ({patient.patient_id})", patient.patient_id)
            self.scope_box.setCurrentIndex(1)  # she opened Export from this patient's file
        self.since_box = QCheckBox("Only visits on or after", self)
        self.since_edit = QDateEdit(QDate(self._today.year, 1, 1), self)
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("d MMM yyyy")
        self.since_edit.setMaximumDate(QDate(self._today.year, self._today.month, self._today.day))
        self.since_edit.setAccessibleName("Visits on or after")
        self.shift_box = QCheckBox("Shift each patient's dates by a random offset", self)
        self.path_edit = QLineEdit(self)
        self.path_edit.setAccessibleName("File to write")
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
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self._lay_out(browse)
        self._suggested = ""
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.scope_box.currentIndexChanged.connect(self._suggest_path)
        self.since_box.toggled.connect(self._update_enabled)
        self.encrypt_box.toggled.connect(self._update_enabled)
        self._format_changed()

    def _lay_out(self, browse: QPushButton) -> None:
        form = QFormLayout()
        form.addRow("Format", self.format_box)
        form.addRow("Patients", self.scope_box)
        since = QHBoxLayout()
        since.addWidget(self.since_box)
        since.addWidget(self.since_edit, 1)
        form.addRow("Visits", since)
        form.addRow("", self.shift_box)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        form.addRow("File", file_row)
        form.addRow("", self.encrypt_box)
        form.addRow("Password", self.password_edit)
        form.addRow("Repeat", self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().horizontalAdvance("0") * 72, self.sizeHint().height())

    # --- choices -------------------------------------------------------------------------------------

    @property
    def format_key(self) -> str:
        """``bundle``, ``fhir`` or ``csv``."""
        return str(self.format_box.currentData())

    def _format_changed(self) -> None:
        research = self.format_key == "csv"
        self.encrypt_box.setEnabled(not research)  # research files are pseudonymous, never encrypted
        if research:
            self.encrypt_box.setChecked(False)
        self.shift_box.setEnabled(research)
        if not research:
            self.shift_box.setChecked(False)
        self._suggest_path()
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.since_edit.setEnabled(self.since_box.isChecked() and not self.running)
        encrypting = self.encrypt_box.isChecked()
        self.password_edit.setEnabled(encrypting)
        self.repeat_edit.setEnabled(encrypting)

    def _suggest_path(self) -> None:
        """Suggest a name in the home folder, unless she has typed or chosen her own."""
        if self.path_edit.text() and self.path_edit.text() != self._suggested:
            return
        scope = self.scope_box.currentData() or "clinic"
        kind = next(f for f in FORMATS if f.key == self.format_key)
        name = f"runready-{scope}-{self._today.isoformat()}{kind.suffix}"
        if kind.key == "csv":
            name = f"runready-research-{self._today.isoformat()}"
        self._suggested = str(Path.home() / name)
        self.path_edit.setText(self._suggested)

    def _browse(self) -> None:
        chosen = choose_export_path(self, self.path_edit.text())
        if chosen:
            self.path_edit.setText(chosen)

    def _since(self) -> dt.date | None:
        if not self.since_box.isChecked():
            return None
        chosen = self.since_edit.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    # --- running -------------------------------------------------------------------------------------

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)

    def _report(self, done: int, total: int) -> None:
        self._relay.progress_did_change.emit(done, total)

    def start(self) -> None:
        """Check the choices, ask before replacing a file, and run the export on the worker."""
        text = self.path_edit.text().strip()
        if not text:
            self.status.setText("Choose a file to export to.")
            return
        path = Path(text).expanduser()
        password = None
        if self.encrypt_box.isChecked():
            password = self.password_edit.text()
            if not password or password != self.repeat_edit.text():
                self.status.setText("The passwords are empty or differ.")
                return
        overwrite = False
        if path.exists():
            answer = ask.choose(
                self, "Export", f"{path} already exists. Replace it with this export?", ["Replace it"]
            )
            if answer is None:
                self.status.setText("Nothing was written. Choose another name, or replace the file.")
                return
            overwrite = True
        self._cancel.clear()
        scope = self.scope_box.currentData()
        common: dict[str, Any] = {
            "patient_ids": [scope] if scope else None,
            "since": self._since(),
            "overwrite": overwrite,
            "progress": self._report,
            "cancelled": self._cancel.is_set,
        }
        op: Callable[[], object]
        if self.format_key == "csv":
            shift = self.shift_box.isChecked()
            op = functools.partial(
                exchange_formats.export_research, self._ctx.db, path, shift_dates=shift, **common
            )
        else:
            write = exchange.export_bundle if self.format_key == "bundle" else exchange_formats.export_fhir
            op = functools.partial(write, self._ctx.db, path, password=password, **common)
        self._set_running(True)
        self.status.setText("Exporting…")
        self._ctx.tasks.run_query(op, success=self._done, failure=self._failed, label="Exporting…")

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.export_button.setEnabled(not running)
        for widget in (self.format_box, self.scope_box, self.since_box, self.shift_box, self.path_edit):
            widget.setEnabled(not running)
        if not running:
            self._format_changed()
        self._update_enabled()

    def cancel(self) -> None:
        """Stop a running export (nothing is written), or close the dialog."""
        if self.running:
            self._cancel.set()
            self.status.setText("Cancelling…")
        else:
            self.reject()

    def _done(self, _result: object) -> None:
        self._set_running(False)
        self.cancel_button.setText("Close")  # the file is written: nothing is left to cancel
        plain = self.format_key != "csv" and not self.encrypt_box.isChecked()
        self.status.setText(f"Written to {self.path_edit.text()}.{UNENCRYPTED if plain else ''}")

    def _failed(self, error: BaseException) -> None:
        self._set_running(False)
        self.status.setText(str(error))
