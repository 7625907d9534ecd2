"""What the clinician sees when a save or decision was refused because the visit changed elsewhere.

The dialog explains what happened, lists the fields where her typed value differs from the stored
one, and keeps her typed values as copyable text, also after she reloads the stored visit (the
dialog then stays open beside the editor as a reference until she closes it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

NOT_RECORDED = "(not recorded)"


class ConflictChoice(Enum):
    """What the clinician chose in the conflict dialog."""

    RELOAD = "reload"
    KEEP_EDITING = "keep_editing"


def _shown(value: object) -> str:
    return NOT_RECORDED if value is None or value == "" else str(value)


def differing_paths(typed: Mapping[str, object], stored: Mapping[str, object]) -> list[str]:
    """Paths whose typed value differs from the stored one, in her typing order then the stored order."""
    paths = list(dict.fromkeys([*typed, *stored]))
    return [p for p in paths if _shown(typed.get(p)) != _shown(stored.get(p))]


class ConflictDialog(QDialog):
    """Another workstation changed this visit: show the differences and offer reload or keep editing.

    ``exec()`` returns Accepted for reload and Rejected for keep editing (Escape keeps editing);
    :attr:`choice` says which. After a reload the dialog stays open, non-modal, listing her values.

    Signals:
        reload_requested(): she chose to reload the stored visit.
    """

    reload_requested = Signal()

    def __init__(
        self,
        parent: QWidget,
        typed: Mapping[str, object],
        stored: Mapping[str, object],
        label: Callable[[str], str],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("This visit was changed on another workstation")
        self.setMinimumSize(640, 420)
        self.choice: ConflictChoice | None = None
        self.paths = differing_paths(typed, stored)

        self._intro = QLabel(
            "Another workstation saved this visit after you opened it, so your change was not saved. "
            f"{len(self.paths)} field{'s' if len(self.paths) != 1 else ''} differ from what is stored now:",
            self,
        )
        self._intro.setWordWrap(True)

        self.table = QTableWidget(len(self.paths), 3, self)
        self.table.setAccessibleName("Fields that differ")
        self.table.setHorizontalHeaderLabels(["Field", "You typed", "Stored now"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        lines = []
        for row, path in enumerate(self.paths):
            for column, text in enumerate((label(path), _shown(typed.get(path)), _shown(stored.get(path)))):
                self.table.setItem(row, column, QTableWidgetItem(text))
            lines.append(f"{label(path)}: {_shown(typed.get(path))}")

        self.typed_text = QPlainTextEdit("\n".join(lines), self)
        self.typed_text.setReadOnly(True)
        self.typed_text.setAccessibleName("Your typed values")
        self.typed_text.setFixedHeight(90)
        typed_label = QLabel("Your typed values (select and copy, or use Copy):", self)

        self.reload_button = QPushButton("Reload the stored visit (your typed values stay listed here)", self)
        self.keep_button = QPushButton("Keep editing", self)
        self.copy_button = QPushButton("Copy your values", self)
        self.close_button = QPushButton("Close", self)
        self.close_button.hide()
        self.reload_button.setDefault(True)
        self.reload_button.clicked.connect(self.reload)
        self.keep_button.clicked.connect(self.keep_editing)
        self.copy_button.clicked.connect(self.copy_values)
        self.close_button.clicked.connect(self.close)

        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(typed_label)
        layout.addWidget(self.typed_text)
        layout.addLayout(buttons)

    def copy_values(self) -> None:
        """Put her typed values on the clipboard."""
        QGuiApplication.clipboard().setText(self.typed_text.toPlainText())

    def keep_editing(self) -> None:
        """Close and return to the editor with her typed values untouched."""
        self.choice = ConflictChoice.KEEP_EDITING
        self.reject()

    def reject(self) -> None:
        """Escape / close: keep editing, unless she already reloaded (then it only closes)."""
        if self.choice is None:
            self.choice = ConflictChoice.KEEP_EDITING
        super().reject()

    def reload(self) -> None:
        """Ask the editor to reload; the dialog stays open, non-modal, as a list of her values."""
        self.choice = ConflictChoice.RELOAD
        self._intro.setText(
            "The stored visit was reloaded. Your typed values are listed here so you can enter them "
            "again where they still apply."
        )
        self.table.setHorizontalHeaderLabels(["Field", "You typed", "Stored (reloaded)"])
        self.reload_button.hide()
        self.keep_button.hide()
        self.close_button.show()
        was_visible = self.isVisible()
        self.setResult(QDialog.DialogCode.Accepted)
        if was_visible:
            self.hide()  # ends a running exec() with Accepted
            self.setWindowModality(Qt.WindowModality.NonModal)
            self.setModal(False)
            self.show()
        self.reload_requested.emit()
