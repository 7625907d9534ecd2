"""The pieces every Preferences page is made of: a field with its help and its message, addressed by name.

A :class:`FieldRow` holds one input, the declaration's help under it and, when the check refuses
what was typed, the message in its place (with a ⚠, never colour alone). :class:`FieldSet` keeps the
rows of a page by name, so the dialog can route each :class:`~clinic_app.domain.errors.FieldError`
to its field and put the cursor on the first one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.errors import FieldError
from clinic_app.ui.forms.base import ERROR_COLOUR

HELP_COLOUR = "#4a5568"


class FieldRow(QWidget):
    """One input with its help line and its message line (hidden while there is none)."""

    def __init__(self, editor: QWidget, help_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        editor.setParent(self)
        self.help = QLabel(help_text, self)
        self.help.setWordWrap(True)
        self.help.setStyleSheet(f"color: {HELP_COLOUR};")
        self.help.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.message = QLabel(self)
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.message)
        layout.addWidget(self.help)
        if not help_text:
            self.help.hide()

    def set_message(self, text: str) -> None:
        """Show the field's message (empty: none)."""
        self.message.setText(f"⚠ {text}" if text else "")
        self.message.setVisible(bool(text))
        self.editor.setAccessibleDescription(text)


class FieldSet:
    """The rows of a page by name: text in and out, messages routed by name."""

    def __init__(self) -> None:
        self.rows: dict[str, FieldRow] = {}

    def add(self, form: QFormLayout, name: str, label: str, editor: QWidget, help_text: str = "") -> FieldRow:
        """Add a labelled row to ``form`` and remember it as ``name``."""
        parent = form.parentWidget()
        row = FieldRow(editor, help_text, parent)
        editor.setAccessibleName(label.replace("&", ""))
        caption = QLabel(label, parent)
        caption.setBuddy(editor)
        form.addRow(caption, row)
        self.rows[name] = row
        return row

    def text(self, name: str) -> str:
        """What is in the field now."""
        editor = self.rows[name].editor
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, QComboBox):
            data = editor.currentData()
            return str(data) if data is not None and not editor.isEditable() else editor.currentText()
        if isinstance(editor, QLineEdit):
            return editor.text()
        raise TypeError(f"no text for {type(editor).__name__}")

    def set_text(self, name: str, value: str) -> None:
        """Put ``value`` in the field (a drop-down selects the option with that id)."""
        editor = self.rows[name].editor
        if isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value)
        elif isinstance(editor, QComboBox):
            index = editor.findData(value)
            if index >= 0 and not editor.isEditable():
                editor.setCurrentIndex(index)
            else:
                editor.setCurrentText(value)
        elif isinstance(editor, QLineEdit):
            editor.setText(value)

    def texts(self) -> dict[str, str]:
        """Every field's text by name."""
        return {name: self.text(name) for name in self.rows}

    def show_errors(self, errors: Iterable[FieldError], *, prefix: str = "") -> list[str]:
        """Show each message at its field and clear the others; return the names that got one."""
        by_name: Mapping[str, str] = {
            error.path.removeprefix(prefix): error.message
            for error in errors
            if error.path.startswith(prefix)
        }
        for name, row in self.rows.items():
            row.set_message(by_name.get(name, ""))
        return [name for name in self.rows if name in by_name]

    def message(self, name: str) -> str:
        """The message shown at a field (empty: none)."""
        return self.rows[name].message.text().removeprefix("⚠ ")


def combo(parent: QWidget, options: Iterable[tuple[str, str]], *, editable: bool = False) -> QComboBox:
    """A drop-down of (id, label) options."""
    box = QComboBox(parent)
    for value, label in options:
        box.addItem(label, value)
    box.setEditable(editable)
    return box
