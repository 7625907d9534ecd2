"""Pieces the decision dialogs share: the password field, the message line, error wording."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from clinic_app.services.errors import ConflictError, ValidationFailed

WRONG_PASSWORD = "That password is not right, so nothing was recorded. Enter your own password again."
CONFLICT = (
    "Another workstation changed this visit since you opened it, so nothing was recorded. "
    "Close this dialog and reload the visit."
)


def error_text(error: BaseException) -> str:
    """The service's refusal in the clinician's words."""
    if isinstance(error, ValidationFailed):
        return "\n".join(e.message for e in error.errors) or str(error)
    if isinstance(error, ConflictError):
        return CONFLICT
    return str(error)


def password_field(parent: QWidget) -> QLineEdit:
    """A masked password input with an accessible name."""
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName("Your password")
    field.setPlaceholderText("Your password")
    return field


def message_label(parent: QWidget) -> QLabel:
    """The red message line of a dialog, hidden while empty."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setObjectName("dialogMessage")
    label.setStyleSheet("color: #a61b1b;")
    label.setAccessibleName("Message")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show(label: QLabel, text: str) -> None:
    """Show ``⚠ text`` on the message line (empty text hides it)."""
    label.setText(f"⚠ {text}" if text else "")
    label.setVisible(bool(text))
