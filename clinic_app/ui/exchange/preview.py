"""The import's dry-run preview: what the bundle would change, and a choice for each visit that differs.

The head says in a few lines what would be added and what is already here; each visit that differs
between this clinic and the bundle gets its own row naming the patient, the visit date and the values
that differ, with a choice. Import stays off until every such visit has a choice, so the import never
has to refuse for a missing one. The full plan (every matched patient, the checksum) is one click away.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_app.exchange.plan import ImportPlan, Resolution, VisitConflict

NOTHING_WRITTEN = "Nothing has been written yet. Check what this bundle would change, then choose Import."
CHOOSE_EACH = "Choose what to do with each visit that differs before importing."


class ImportPreviewDialog(QDialog):
    """The dry run: what would be added, matched, left alone, and a choice per conflicting visit."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import: dry run")
        self.plan = plan
        layout = QVBoxLayout(self)
        lead = QLabel(f"<b>{NOTHING_WRITTEN}</b>", self)
        lead.setWordWrap(True)
        layout.addWidget(lead)
        self.summary = QLabel("\n".join(plan.summary_lines()), self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.choices: dict[str, QComboBox] = {}
        if plan.conflicts:
            layout.addWidget(self._conflict_area(plan.conflicts), 1)
        self.details_button = QPushButton("Show every patient and the checksum", self)
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._show_details)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText("\n".join(plan.lines()))
        self.text.setAccessibleName("The whole dry run")
        self.text.hide()
        layout.addWidget(self.details_button)
        layout.addWidget(self.text, 1)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_import()
        self._fit_screen()

    def _fit_screen(self) -> None:
        """Open wide and tall enough to read a conflict without scrolling, within the screen (150 % too)."""
        metrics = self.fontMetrics()
        room = self.screen().availableGeometry()
        self.resize(
            min(metrics.horizontalAdvance("0") * 96, int(room.width() * 0.9)),
            min(metrics.height() * (30 if self.plan.conflicts else 18), int(room.height() * 0.9)),
        )

    def _conflict_area(self, conflicts: tuple[VisitConflict, ...]) -> QWidget:
        """One group per differing visit (heading, what differs, the choice), scrolling when many."""
        box = QGroupBox(f"Visits that differ here and in the bundle ({len(conflicts)})", self)
        rows = QVBoxLayout(box)
        meaning = "\n".join(f"{choice.label}: {choice.explanation}." for choice in Resolution)
        explained = QLabel(meaning, box)
        explained.setWordWrap(True)
        rows.addWidget(explained)
        for conflict in conflicts:
            heading = QLabel(f"<b>{conflict.heading()}</b>", box)
            heading.setWordWrap(True)
            differs = QLabel("\n".join(f"• {text}" for text in conflict.differences), box)
            differs.setWordWrap(True)
            choice = QComboBox(box)
            choice.addItem("Choose…", None)
            for resolution in Resolution:
                choice.addItem(resolution.label, resolution)
            choice.setAccessibleName(f"What to do with {conflict.heading()}")
            heading.setBuddy(choice)
            choice.currentIndexChanged.connect(self._update_import)
            self.choices[conflict.visit_id] = choice
            rows.addWidget(heading)
            rows.addWidget(differs)
            rows.addWidget(choice)
        rows.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(box)
        return scroll

    def _show_details(self, shown: bool) -> None:
        self.text.setVisible(shown)
        self.details_button.setText("Hide the details" if shown else "Show every patient and the checksum")

    def _update_import(self) -> None:
        """Import is on when the bundle changes something and every differing visit has a choice."""
        waiting = self.plan.unresolved(self.resolutions())
        self.import_button.setEnabled(self.plan.changes_anything and not waiting)
        self.status.setText(CHOOSE_EACH if waiting else "")

    def resolutions(self) -> dict[str, Resolution]:
        """The choices made (conflicts left on "Choose…" are missing)."""
        return {vid: box.currentData() for vid, box in self.choices.items() if box.currentData() is not None}
