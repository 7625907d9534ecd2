"""The summary shown when a save is refused: one line per problem, each jumping to its field."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from clinic_app.domain.errors import FieldError


class ErrorSummary(QFrame):
    """A non-modal list of field errors above the battery pages.

    Signals:
        path_activated(str): she chose a line (click, double-click or Enter); jump to that field.
    """

    path_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorSummary")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#errorSummary { border: 2px solid #a3221b; border-radius: 4px; }")
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Problems that stopped the save")
        self.list.setMaximumHeight(130)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)

    def show_errors(
        self, errors: Iterable[FieldError], *, labels: Callable[[str], str] | None = None
    ) -> None:
        """List the errors (an empty list clears the summary)."""
        chosen = list(errors)
        self.list.clear()
        for error in chosen:
            # Field messages start with the field's label already; others get it in front.
            where = labels(error.path) if labels else error.path
            text = (
                error.message
                if error.message.startswith(where.split(" (")[0])
                else f"{where}: {error.message}"
            )
            item = QListWidgetItem(f"✖ {text}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, error.path)
            item.setToolTip("Press Enter or click to go to this field")
        count = len(chosen)
        row = self.list.sizeHintForRow(0) if count else 0
        self.list.setFixedHeight(min(max(count, 1), 5) * max(row, 1) + 2 * self.list.frameWidth() + 4)
        if count:
            noun = "value needs" if count == 1 else "values need"
            self.heading.setText(f"<b>Not saved.</b> {count} {noun} attention — nothing was written:")
        else:
            self.heading.setText("")
            self.hide()

    def paths(self) -> list[str]:
        """The field paths listed, in order."""
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.list.count())]

    @Slot(QListWidgetItem)
    def _activated(self, item: QListWidgetItem) -> None:
        self.path_activated.emit(item.data(Qt.ItemDataRole.UserRole))
