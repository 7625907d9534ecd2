"""Every modal question the window asks, in one place that tests replace (STYLE.md habit 10).

Each function takes the parent widget (so the dialog opens over the window, never behind it) and
returns the answer, or None / False when the clinician cancels. Tests monkeypatch these functions
instead of driving modal dialogs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


def ask_password(parent: QWidget | None, title: str, prompt: str) -> str | None:
    """Ask for the signed-in clinician's password again (sign-off, override); None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Password)
    return text if ok else None


def ask_text(parent: QWidget | None, title: str, prompt: str, text: str = "") -> str | None:
    """Ask for one line of text (a reason); None when cancelled."""
    answer, ok = QInputDialog.getText(parent, title, prompt, QLineEdit.EchoMode.Normal, text)
    return answer if ok else None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question; No is the default."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def choose(parent: QWidget | None, title: str, text: str, buttons: list[str]) -> int | None:
    """Offer several named answers; return the index chosen, or None when the dialog was closed."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    made = [box.addButton(label, QMessageBox.ButtonRole.AcceptRole) for label in buttons]
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(made[0] if made else cancel)
    box.exec()
    clicked = box.clickedButton()
    return made.index(clicked) if clicked in made else None


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the clinician something failed and what to do."""
    QMessageBox.warning(parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the clinician something she should know."""
    QMessageBox.information(parent, title, text)


def run_dialog(dialog: QDialog) -> bool:
    """Run a modal dialog the window built (override, sign, conflict); True when accepted.

    Tests replace this to fill the dialog in and accept it without a nested event loop.
    """
    return dialog.exec() == QDialog.DialogCode.Accepted
