"""The Preferences dialog: the declared preferences on three pages, plus the clinician profiles.

The dialog only shows and routes: :func:`clinic_app.services.preferences.check` judges what was
typed and returns one message per refused field, which appears at that field (the page with the
first one comes to the front and the cursor goes there); nothing is written until every value is
accepted. Save writes the per-user letterhead (what the next report prints) and the preferences
file. The text size is also handed to the window's own settings store, which the start-up reads.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services import preferences
from clinic_app.services.connection import ConnectionCheck, check_connection
from clinic_app.services.errors import ValidationFailed
from clinic_app.services.preferences import PreferenceError
from clinic_app.ui.context import AppContext
from clinic_app.ui.preferences.clinicians import CliniciansPage
from clinic_app.ui.preferences.fields import FieldSet, combo
from clinic_app.ui.reports import dialogs
from clinic_app.ui.reports.worker import ReplyGuard, ReportWorker
from clinic_app.ui.settings import WindowSettings

SCALES = ("75 %", "100 %", "125 %", "150 %", "175 %", "200 %")
PAGES = {
    "clinic_name": 0,
    "clinic_address": 0,
    "clinic_phone": 0,
    "clinic_email": 0,
    "clinic_logo": 0,
    "paper_size": 1,
    "ird_method": 1,
    "ird_unit": 1,
    "ui_scale": 1,
    "database_url": 2,
}
"""The page (tab) each preference is on."""


def _page(tabs: QTabWidget, title: str, intro: str) -> QFormLayout:
    page = QWidget(tabs)
    outer = QVBoxLayout(page)
    lead = QLabel(intro, page)
    lead.setWordWrap(True)
    outer.addWidget(lead)
    form_holder = QWidget(page)
    form = QFormLayout(form_holder)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    outer.addWidget(form_holder)
    outer.addStretch(1)
    tabs.addTab(page, title)
    return form


class PreferencesDialog(QDialog):
    """Clinic and letterhead, reports and visits, database, clinicians.

    Signals:
        preferences_did_save(files): Save wrote the preferences (the list of files written).
        connection_did_check(ok, message): Test connection finished.
    """

    preferences_did_save = Signal(object)
    connection_did_check = Signal(bool, str)

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        *,
        folder: Path | None = None,
        window_settings: WindowSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.folder = folder
        self.window_settings = window_settings
        self.worker = ReportWorker(self)
        self.replies = ReplyGuard(self)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.fields = FieldSet()
        self.tabs = QTabWidget(self)
        declared = preferences.BY_NAME

        clinic = _page(
            self.tabs, "Clinic && letterhead", "Printed at the top of every report, from the next report on."
        )
        address = QPlainTextEdit(self)
        address.setTabChangesFocus(True)
        address.setFixedHeight(address.fontMetrics().lineSpacing() * 4 + 12)
        for name in ("clinic_name", "clinic_address", "clinic_phone", "clinic_email"):
            editor = address if name == "clinic_address" else QLineEdit(self)
            self.fields.add(clinic, name, declared[name].label, editor, declared[name].help)
        logo_row = QWidget(self)
        self.logo_path = QLineEdit(logo_row)
        self.logo_preview = QLabel(logo_row)
        self.logo_preview.setFixedSize(56, 56)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setAccessibleName("Logo preview")
        choose = QPushButton("Choose…", logo_row)
        choose.clicked.connect(self.choose_logo)
        clear = QPushButton("No logo", logo_row)
        clear.clicked.connect(self.clear_logo)
        row = QHBoxLayout(logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.logo_preview)
        row.addWidget(self.logo_path, 1)
        row.addWidget(choose)
        row.addWidget(clear)
        self.logo_path.textChanged.connect(self._show_logo)
        logo = self.fields.add(
            clinic, "clinic_logo", declared["clinic_logo"].label, logo_row, declared["clinic_logo"].help
        )
        logo.editor = self.logo_path  # its text is what the check reads
        self.logo_path.setAccessibleName(declared["clinic_logo"].label)

        reports = _page(
            self.tabs, "Reports && visits", "How reports are laid out and what a new visit starts with."
        )
        self.fields.add(
            reports,
            "paper_size",
            declared["paper_size"].label,
            combo(self, preferences.choices_of("paper_size")),
            declared["paper_size"].help,
        )
        for name in ("ird_method", "ird_unit"):
            self.fields.add(
                reports,
                name,
                declared[name].label,
                combo(self, preferences.choices_of(name)),
                declared[name].help,
            )
        scale = combo(self, [(text, text) for text in SCALES], editable=True)
        self.fields.add(reports, "ui_scale", declared["ui_scale"].label, scale, declared["ui_scale"].help)

        database = _page(
            self.tabs,
            "Database",
            "Where the clinic's records are kept. Changing it takes effect at the next start.",
        )
        self.database = QLineEdit(self)
        self.database.setPlaceholderText("(this computer's clinic file)")
        self.fields.add(
            database,
            "database_url",
            declared["database_url"].label,
            self.database,
            declared["database_url"].help,
        )
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.clicked.connect(self.test_connection)
        self.connection_result = QLabel(self)
        self.connection_result.setWordWrap(True)
        self.connection_result.setAccessibleName("Connection result")
        database.addRow("", self.test_button)
        database.addRow("", self.connection_result)
        current = QLabel(f"In use now: {ctx.database_label or 'this computer’s clinic file'}", self)
        current.setWordWrap(True)
        database.addRow("", current)

        self.clinicians = CliniciansPage(ctx, self.replies, self.tabs)
        self.tabs.addTab(self.clinicians, "Clinicians")

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Preferences messages")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(720, 620)
        self.load()

    # --- load and save -------------------------------------------------------------------------------

    def load(self) -> None:
        """Show the preferences in force (saved ones, else the defaults) and the clinician list."""
        loaded = preferences.as_text(preferences.load(self.folder))
        loaded["ui_scale"] = f"{round(float(loaded['ui_scale']) * 100)} %"
        for name, text in loaded.items():
            self.fields.set_text(name, text)
        self.fields.show_errors([])
        self.clinicians.refresh()

    def save(self) -> bool:
        """Check every field; show each refusal at its field, or write the files and close."""
        prefs, errors = preferences.check(self.fields.texts(), self.folder)
        shown = self.fields.show_errors(errors)
        if shown:
            self.tabs.setCurrentIndex(PAGES.get(shown[0], 0))
            self.fields.rows[shown[0]].editor.setFocus()
            where = ", ".join(f"{preferences.BY_NAME[name].label} ({self._tab_of(name)})" for name in shown)
            self.status.setText(f"⚠ Not saved — see the message at: {where}.")
            return False
        try:
            written = preferences.save(prefs, self.folder)
        except ValidationFailed as refused:  # the same checks: only a file changing under us
            self.fields.show_errors(refused.errors)
            return False
        except OSError as error:
            self.status.setText(f"✖ The preferences could not be written ({error.strerror or error}).")
            return False
        settings = self.window_settings or WindowSettings()
        settings.ui_scale = prefs.ui_scale
        settings.sync()
        self.status.setText(
            "✔ Saved. The next report uses this letterhead; text size and database apply at the next start."
        )
        self.preferences_did_save.emit(written)
        self.accept()
        return True

    def _tab_of(self, name: str) -> str:
        return self.tabs.tabText(PAGES.get(name, 0)).replace("&&", "&")

    # --- logo ----------------------------------------------------------------------------------------

    def choose_logo(self) -> None:
        """Pick a PNG or JPEG for the letterhead."""
        start = Path(self.logo_path.text()).parent if self.logo_path.text() else Path.home()
        chosen = dialogs.ask_open_picture(self, "Choose the letterhead logo", start)
        if chosen is not None:
            self.logo_path.setText(str(chosen))
            try:
                preferences.parse_logo(str(chosen))
            except PreferenceError as error:
                self.fields.rows["clinic_logo"].set_message(str(error))
            else:
                self.fields.rows["clinic_logo"].set_message("")

    def clear_logo(self) -> None:
        """Print the letterhead without a logo."""
        self.logo_path.setText("")

    def _show_logo(self, text: str) -> None:
        picture = QPixmap(text) if text else QPixmap()
        if picture.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("no logo" if not text else "?")
            return
        self.logo_preview.setText("")
        self.logo_preview.setPixmap(
            picture.scaled(
                56, 56, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )

    # --- database ------------------------------------------------------------------------------------

    def test_connection(self) -> None:
        """Check the typed database off the GUI thread (a server may take seconds to answer)."""
        try:
            url = preferences.connection_url(self.database.text())
        except PreferenceError as error:
            self.fields.rows["database_url"].set_message(str(error))
            self.connection_did_check.emit(False, str(error))
            return
        if self.worker.busy:
            return
        self.fields.rows["database_url"].set_message("")
        self.test_button.setEnabled(False)
        self.connection_result.setText("Testing the connection…")
        self.worker.run(
            functools.partial(check_connection, url), success=self._on_checked, failure=self._on_check_failed
        )

    def _on_checked(self, found: ConnectionCheck) -> None:
        self.test_button.setEnabled(True)
        self.connection_result.setText(("✔ " if found.ok else "✖ ") + found.message)
        self.connection_did_check.emit(found.ok, found.message)

    def _on_check_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        text = f"The check itself failed ({type(error).__name__}: {error})."
        self.connection_result.setText(f"✖ {text}")
        self.connection_did_check.emit(False, text)

    def done(self, result: int) -> None:
        """Closing waits for a connection test still running (it gives up within seconds)."""
        self.worker.shutdown()
        self.replies.close()
        super().done(result)


def show_preferences(window: QWidget, ctx: AppContext) -> PreferencesDialog:
    """Open Preferences over ``window`` (window-modal; returns at once) and return the dialog."""
    dialog = PreferencesDialog(window, ctx)
    dialog.open()  # deleted once closed and its database replies are in
    return dialog
