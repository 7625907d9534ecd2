"""Signing in, and the lock screen that hides patient data when the window is left alone.

Both show the same form (:class:`SignInForm`): a clinician profile picker, a password field and a
button. The password check (:func:`clinic_app.services.session.sign_in`, an Argon2 hash) runs on the
task runner, off the GUI thread. A wrong password is said inside the form — no modal box — the
password is cleared and the form stays open for another try.

The widgets take the database and a task runner, not the whole :class:`~clinic_app.ui.context.AppContext`:
at sign-in there is no signed-in context yet.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.model import Clinician
from clinic_app.services import patients
from clinic_app.services.clinic import Database, explain_failure
from clinic_app.services.errors import AuthenticationError, LockedOutError, NotFoundError
from clinic_app.services.session import SignedIn, sign_in
from clinic_app.ui.tasks import TaskRunner

NO_CLINICIANS = (
    "This clinic has no clinician profiles yet. Add one on the command line: "
    "python -m clinic_app clinicians add"
)


class SignInForm(QWidget):
    """Profile picker, password and a button; emits ``sign_in_did_succeed`` when the password is right.

    Signals:
        sign_in_did_succeed(SignedIn): the picked clinician typed her password.
    """

    sign_in_did_succeed = Signal(object)

    def __init__(
        self,
        db: Database,
        tasks: TaskRunner,
        *,
        preferred_id: str = "",
        button_text: str = "Sign in",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._tasks = tasks
        self._preferred_id = preferred_id
        self._busy = False

        self.clinician_picker = QComboBox(self)
        self.clinician_picker.setAccessibleName("Clinician profile")
        self.clinician_picker.setMinimumContentsLength(24)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("Password")
        self.password_edit.returnPressed.connect(self.submit)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Sign-in message")
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setStyleSheet("color: #a4262c; font-weight: bold;")
        self.message_label.hide()
        self.sign_in_button = QPushButton(button_text, self)
        self.sign_in_button.setAutoDefault(False)
        self.sign_in_button.clicked.connect(self.submit)

        fields = QFormLayout()
        picker_label = QLabel("&Clinician", self)
        picker_label.setBuddy(self.clinician_picker)
        password_label = QLabel("&Password", self)
        password_label.setBuddy(self.password_edit)
        fields.addRow(picker_label, self.clinician_picker)
        fields.addRow(password_label, self.password_edit)
        self.button_row = QHBoxLayout()
        self.button_row.addStretch(1)
        self.button_row.addWidget(self.sign_in_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(fields)
        layout.addWidget(self.message_label)
        layout.addLayout(self.button_row)
        self.setFocusProxy(self.password_edit)

    # --- clinicians ------------------------------------------------------------------------------

    def load_clinicians(self) -> None:
        """Read the active clinician profiles (on the worker) and fill the picker."""
        self._tasks.run_query(
            functools.partial(patients.list_clinicians, self._db),
            success=self._clinicians_did_load,
            failure=self._sign_in_did_fail,
            label="Reading the clinician profiles…",
        )

    def set_clinicians(self, clinicians: Sequence[Clinician]) -> None:
        """Show ``clinicians`` in the picker and pick the preferred one (else the first)."""
        self.clinician_picker.blockSignals(True)
        try:
            self.clinician_picker.clear()
            for clinician in clinicians:
                self.clinician_picker.addItem(clinician.name, str(clinician.id))
        finally:
            self.clinician_picker.blockSignals(False)
        if not clinicians:
            self.show_message(NO_CLINICIANS)
        self.select_clinician(self._preferred_id)
        self._update_enabled()

    def select_clinician(self, clinician_id: str) -> None:
        """Pick ``clinician_id`` when it is in the list (remembered for a later :meth:`set_clinicians`)."""
        self._preferred_id = clinician_id
        index = self.clinician_picker.findData(clinician_id)
        if index >= 0:
            self.clinician_picker.setCurrentIndex(index)

    def selected_clinician_id(self) -> str:
        """The picked profile's id ("" when the list is empty)."""
        data = self.clinician_picker.currentData()
        return str(data) if data is not None else ""

    # --- signing in ------------------------------------------------------------------------------

    def submit(self) -> None:
        """Check the typed password for the picked clinician (on the worker)."""
        if self._busy:
            return
        clinician_id = self.selected_clinician_id()
        if not clinician_id:
            self.show_message(NO_CLINICIANS)
            return
        password = self.password_edit.text()
        if not password:
            self.show_message("Type your password, then press Enter.")
            self.password_edit.setFocus()
            return
        self._busy = True
        self._update_enabled()
        self._tasks.run_query(
            functools.partial(sign_in, self._db, clinician_id, password),
            success=self._sign_in_did_succeed,
            failure=self._sign_in_did_fail,
            label="Checking the password…",
        )

    def show_message(self, text: str) -> None:
        """Show ``text`` under the fields (empty hides it)."""
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def message(self) -> str:
        """The message shown under the fields ("" when none)."""
        return self.message_label.text() if not self.message_label.isHidden() else ""

    def reset(self) -> None:
        """Clear the password and any message (before the form is shown again)."""
        self.password_edit.clear()
        self.show_message("")

    def _clinicians_did_load(self, clinicians: list[Clinician]) -> None:
        self.set_clinicians(clinicians)

    def _sign_in_did_succeed(self, user: SignedIn) -> None:
        self._busy = False
        self.password_edit.clear()
        self.show_message("")
        self._preferred_id = user.clinician_id
        self._update_enabled()
        self.sign_in_did_succeed.emit(user)

    def _sign_in_did_fail(self, error: BaseException) -> None:
        self._busy = False
        self.password_edit.clear()
        self._update_enabled()
        locked = isinstance(error, LockedOutError)  # says how long to wait: shown as it is
        if isinstance(error, AuthenticationError) and not locked and "inactive" not in str(error):
            # The service's wording is written for sign-off ("nothing was signed"); say it for sign-in.
            name = self.clinician_picker.currentText()
            self.show_message(f"That is not the password for {name}. Type it again (capital letters count).")
        elif isinstance(error, AuthenticationError | NotFoundError):
            self.show_message(str(error))
        else:
            message = explain_failure(error)
            if message is None:
                raise error
            self.show_message(message)
        self.password_edit.setFocus()

    def _update_enabled(self) -> None:
        has_people = self.clinician_picker.count() > 0
        self.clinician_picker.setEnabled(not self._busy and has_people)
        self.password_edit.setEnabled(not self._busy and has_people)
        self.sign_in_button.setEnabled(not self._busy and has_people)


def _heading(text: str, parent: QWidget, scale: float) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class SignInDialog(QDialog):
    """The first thing the window shows: who is working, proved by her password.

    After ``exec()`` returns ``Accepted``, :attr:`signed_in` holds the clinician.

    Signals:
        sign_in_did_succeed(SignedIn): emitted just before the dialog closes as accepted.
    """

    sign_in_did_succeed = Signal(object)

    def __init__(
        self,
        db: Database,
        tasks: TaskRunner,
        *,
        preferred_id: str = "",
        database_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("RunReady Clinic — sign in")
        self.signed_in: SignedIn | None = None
        self.form = SignInForm(db, tasks, preferred_id=preferred_id, parent=self)
        self.form.sign_in_did_succeed.connect(self._form_did_sign_in)
        self.quit_button = QPushButton("Quit", self)
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.reject)
        self.form.button_row.insertWidget(1, self.quit_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(_heading("RunReady Clinic", self, 1.5))
        intro = QLabel("Pick your profile and type your password.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint_label.hide()
        layout.addWidget(self.hint_label)
        layout.addWidget(self.form)
        if database_label:
            where = QLabel(f"Clinic database: {database_label}", self)
            where.setWordWrap(True)
            where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            where.setStyleSheet("color: palette(placeholder-text);")
            layout.addWidget(where)
        self.setMinimumWidth(420)
        self.form.load_clinicians()
        self.form.setFocus()

    def set_hint(self, text: str) -> None:
        """Show a note above the form (the demo clinic's password); empty hides it."""
        self.hint_label.setText(text)
        self.hint_label.setVisible(bool(text))

    def _form_did_sign_in(self, user: SignedIn) -> None:
        self.signed_in = user
        self.sign_in_did_succeed.emit(user)
        self.accept()


class LockScreen(QWidget):
    """A page that covers the whole window while it is locked: no patient data, only the unlock form.

    Signals:
        unlock_did_succeed(SignedIn): the locked clinician (or someone else) typed her password.
    """

    unlock_did_succeed = Signal(object)

    def __init__(
        self,
        db: Database,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        locked_user: SignedIn | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Window locked")
        self.locked_user: SignedIn | None = None
        self.heading = _heading("RunReady Clinic", self, 1.6)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.form = SignInForm(db, tasks, button_text="Unlock", parent=self)
        self.form.sign_in_did_succeed.connect(self._form_did_sign_in)

        card = QFrame(self)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMaximumWidth(520)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(14)
        inner.addWidget(self.heading)
        inner.addWidget(self.explanation)
        inner.addWidget(self.form)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        outer.addLayout(row)
        outer.addStretch(3)
        self.prepare(locked_user)
        self.form.load_clinicians()

    def prepare(self, user: SignedIn | None) -> None:
        """Say who was signed in, pick her profile and clear the form (call when locking)."""
        self.locked_user = user
        if user is None:
            text = "Locked. Sign in to continue."
        else:
            text = (
                f"Locked — {user.name} was signed in. Enter the password to continue, "
                "or sign in as someone else."
            )
            self.form.select_clinician(user.clinician_id)
        self.explanation.setText(text)
        self.form.reset()
        self.form.setFocus()

    def refresh_clinicians(self) -> None:
        """Read the clinician profiles again (one may have been added since the window opened)."""
        self.form.load_clinicians()

    def _form_did_sign_in(self, user: SignedIn) -> None:
        self.unlock_did_succeed.emit(user)
