"""The Clinicians page of Preferences: who can sign, add a colleague, change your own password.

Each action is one service call on the database worker (``services.profiles``); the messages of a
refusal come back with field paths and are shown beside their boxes. Nothing here is saved by the
dialog's Save button: a profile or a password change takes effect when its own button is pressed.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.model import Clinician
from clinic_app.services import patients, profiles
from clinic_app.services.clinic import explain_failure
from clinic_app.services.errors import AuthenticationError, StorageError, ValidationFailed
from clinic_app.ui.context import AppContext
from clinic_app.ui.preferences.fields import FieldSet
from clinic_app.ui.reports.worker import ReplyGuard


def _password_box(parent: QWidget) -> QLineEdit:
    box = QLineEdit(parent)
    box.setEchoMode(QLineEdit.EchoMode.Password)
    return box


class CliniciansPage(QWidget):
    """List of active profiles, "Add a clinician" and "Change my sign-off password".

    Signals:
        profile_did_change(summary): a profile was added or a password changed.
    """

    profile_did_change = Signal(str)

    def __init__(self, ctx: AppContext, replies: ReplyGuard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.replies = replies
        self.listing = QListWidget(self)
        self.listing.setAccessibleName("Clinicians who can sign")
        self.listing.setMaximumHeight(110)

        adding = QGroupBox("Add a clinician", self)
        add_form = QFormLayout(adding)
        self.add_fields = FieldSet()
        self.add_fields.add(add_form, "name", "&Name", QLineEdit(adding))
        self.add_fields.add(
            add_form, "profession", "Profession", QLineEdit("Pelvic-health physiotherapist", adding)
        )
        self.add_fields.add(add_form, "registration", "Registration no.", QLineEdit(adding), "Optional.")
        self.add_fields.add(
            add_form, "password", "Sign-off password", _password_box(adding), "At least 8 characters."
        )
        self.add_fields.add(add_form, "repeat", "Password again", _password_box(adding))
        self.add_button = QPushButton("&Add clinician", adding)
        self.add_button.clicked.connect(self.add_clinician)
        add_form.addRow("", self.add_button)

        changing = QGroupBox("Change my sign-off password", self)
        change_form = QFormLayout(changing)
        self.password_fields = FieldSet()
        self.password_fields.add(change_form, "current", "Current password", _password_box(changing))
        self.password_fields.add(change_form, "password", "New password", _password_box(changing))
        self.password_fields.add(change_form, "repeat", "New password again", _password_box(changing))
        self.change_button = QPushButton("&Change password", changing)
        self.change_button.clicked.connect(self.change_password)
        change_form.addRow("", self.change_button)
        who = ctx.user.name if ctx.user is not None else "nobody"
        changing.setTitle(f"Change my sign-off password ({who})")

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Clinician messages")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Adding a clinician or changing a password happens at once, with its own button "
            "(Save is not needed). Clinicians who can sign in and sign visits:",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.listing)
        layout.addWidget(adding)
        layout.addWidget(changing)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def refresh(self) -> None:
        """Reload the list of active profiles."""
        self.ctx.tasks.run_query(
            functools.partial(patients.list_clinicians, self.ctx.db),
            **self.replies.handlers(self._show_clinicians, self._on_failed),
        )

    def _show_clinicians(self, clinicians: list[Clinician]) -> None:
        self.listing.clear()
        for clinician in clinicians:
            registration = f" · {clinician.registration}" if clinician.registration else ""
            self.listing.addItem(f"{clinician.name} — {clinician.profession}{registration}")

    def names(self) -> list[str]:
        """The lines of the list shown."""
        return [self.listing.item(row).text() for row in range(self.listing.count())]

    def add_clinician(self) -> None:
        """Add the profile typed in (the service checks it)."""
        if self.ctx.user is None:
            return
        typed = self.add_fields.texts()
        self.ctx.tasks.run_op(
            functools.partial(
                profiles.add_profile,
                self.ctx.db,
                self.ctx.user,
                name=typed["name"],
                password=typed["password"],
                repeat=typed["repeat"],
                profession=typed["profession"],
                registration=typed["registration"],
            ),
            **self.replies.handlers(self._on_added, self._on_add_failed),
            label="Adding the clinician…",
        )

    def _on_added(self, changes: object) -> None:
        name = self.add_fields.text("name").strip()
        for field in ("name", "registration", "password", "repeat"):
            self.add_fields.set_text(field, "")
        self.add_fields.show_errors([])
        self.status.setText(f"✔ {name} can now sign in and sign visits with the password you set.")
        self.refresh()
        self.profile_did_change.emit(f"Added {name}")

    def _on_add_failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationFailed):
            shown = self.add_fields.show_errors(error.errors, prefix="clinician.")
            if shown:
                self.add_fields.rows[shown[0]].editor.setFocus()
            self.status.setText("Nothing was added: see the messages above.")
            return
        self._on_failed(error)

    def change_password(self) -> None:
        """Change the signed-in clinician's password (her current one is checked first)."""
        if self.ctx.user is None:
            return
        typed = self.password_fields.texts()
        self.ctx.tasks.run_op(
            functools.partial(
                profiles.change_password,
                self.ctx.db,
                self.ctx.user,
                current=typed["current"],
                new=typed["password"],
                repeat=typed["repeat"],
            ),
            **self.replies.handlers(self._on_changed, self._on_change_failed),
            label="Changing the password…",
        )

    def _on_changed(self, changes: object) -> None:
        for field in ("current", "password", "repeat"):
            self.password_fields.set_text(field, "")
        self.password_fields.show_errors([])
        self.status.setText("✔ Your sign-off password was changed; use the new one from now on.")
        self.profile_did_change.emit("Changed the password")

    def _on_change_failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationFailed):
            shown = self.password_fields.show_errors(error.errors, prefix="password.")
            if shown:
                self.password_fields.rows[shown[0]].editor.setFocus()
            self.status.setText("The password was not changed: see the messages above.")
            return
        if isinstance(error, AuthenticationError):  # locked out after wrong passwords
            self.status.setText(f"✖ {error}")
            return
        self._on_failed(error)

    def _on_failed(self, error: BaseException) -> None:
        message = explain_failure(error) or (str(error) if isinstance(error, StorageError) else None)
        if message is None:
            raise error
        self.status.setText(f"✖ {message}")
