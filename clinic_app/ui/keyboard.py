"""Every keyboard shortcut of the window, declared once and listed in Help → Keyboard.

The menus take their text and keys from :data:`SHORTCUTS`, so the dialog can never disagree with
what the keys really do.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

SHORTCUTS: dict[str, tuple[str, str]] = {
    "new_patient": ("&New patient…", "Ctrl+N"),
    "search": ("&Find a patient", "Ctrl+F"),
    "lock": ("&Lock the window", "Ctrl+L"),
    "quit": ("&Quit", "Ctrl+Q"),
    "new_visit": ("New &visit…", "Ctrl+Shift+N"),
    "save": ("&Save the visit", "Ctrl+S"),
    "next_battery": ("Next battery", "Ctrl+PgDown"),
    "previous_battery": ("Previous battery", "Ctrl+PgUp"),
    "copy_last": ("&Copy this battery from the last visit", "Ctrl+Shift+C"),
    "back": ("Back to the &patient", "Alt+Left"),
    "confirm": ("Con&firm the proposal…", "Ctrl+Shift+F"),
    "override": ("&Override…", "Ctrl+Shift+O"),
    "sign": ("Si&gn the visit…", "Ctrl+Shift+S"),
    "amend": ("&Amend (addendum)…", "Ctrl+Shift+A"),
    "export": ("&Export…", "Ctrl+E"),
    "import": ("&Import…", "Ctrl+I"),
    "preferences": ("&Preferences…", "Ctrl+,"),
    "runner": ("&Test runner (timer, reps, metronome)…", "Ctrl+T"),
    "comparison": ("Compare with &earlier visits…", "Ctrl+Shift+H"),
    "preview_patient": ("Preview the &patient report…", "Ctrl+P"),
    "preview_clinician": ("Preview the &clinician summary…", "Ctrl+Shift+P"),
    "preview_referral": ("Preview the &referral letter…", "Ctrl+Shift+R"),
    "report_batch": ("Print reports for a &date range…", ""),
    "keyboard": ("&Keyboard shortcuts", "Ctrl+/"),
    "about": ("&About RunReady Clinic", ""),
}
"""Action name → (menu text with mnemonic, key sequence in portable text)."""

FIELD_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "Next / previous input, down a battery, left before right"),
    ("F1", "Help for the field under the cursor (how to measure)"),
    ("Enter", "Open the selected patient or visit; jump to a field from the save summary"),
    ("Space", "Tick or untick a symptom box"),
)


class KeyboardDialog(QDialog):
    """A table of every shortcut, from the same declarations the menus use."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = [
            (QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText), text.replace("&", ""))
            for text, keys in SHORTCUTS.values()
            if keys
        ]
        rows.extend(FIELD_KEYS)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.setAccessibleName("Keyboard shortcuts")
        for row, (keys, text) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def rows(self) -> list[tuple[str, str]]:
        """The (keys, meaning) lines shown."""
        out: list[tuple[str, str]] = []
        for row in range(self.table.rowCount()):
            keys, text = self.table.item(row, 0), self.table.item(row, 1)
            out.append((keys.text() if keys else "", text.text() if text else ""))
        return out
