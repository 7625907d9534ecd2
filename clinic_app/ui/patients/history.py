"""A patient's visit history as a table model, and the dialog that opens a new visit.

The history lists each visit newest first with what the services computed for it (weeks postpartum,
the proposal, the clinician's final outcome); nothing here judges a value.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.weeks import weeks_text
from clinic_app.services import preferences, visits
from clinic_app.services.changes import Changes
from clinic_app.services.dto import VisitSummary
from clinic_app.services.errors import ValidationFailed
from clinic_app.ui.context import AppContext
from clinic_app.ui.outcome import outcome_text
from clinic_app.ui.patients.dialog import ErrorLabel
from clinic_app.ui.patients.words import day_text, status_words
from clinic_app.ui.tablemodel import AnyIndex, RecordTableModel

VISIT_COLUMNS = ("Date", "Clinician", "Since birth", "Sign-off", "Proposed", "Final outcome")
"""Headings of the visit history; "Since birth" is the time since the birth the visit follows up, in
weeks and days as the printed reports write it."""
SUMMARY_ROLE = Qt.ItemDataRole.UserRole
"""The row's :class:`VisitSummary`."""


class VisitHistoryModel(RecordTableModel[VisitSummary]):
    """Her visits, newest first: date, clinician, weeks postpartum, sign-off, proposed and final."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(VISIT_COLUMNS, _visit_id, parent)

    def set_summaries(self, summaries: tuple[VisitSummary, ...] | list[VisitSummary]) -> None:
        """Show a patient file's visit lines (given oldest first, shown newest first).

        On the same day an amendment comes above the original it replaced (the service lists it later).
        """
        self.set_rows(reversed(sorted(summaries, key=lambda s: s.visit_date)))

    def summary_at(self, row: int) -> VisitSummary | None:
        """Return the visit on a row, or None outside the list."""
        return self.row_at(row)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; replaced (amended) visits are greyed and say so in words."""
        summary = self.record_for(index)
        if summary is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(summary, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            cell = _cell(summary, index.column())
            return f"{cell}\nVisit {summary.id}: {summary.value_count} values recorded"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and summary.status is VisitStatus.AMENDED:
            return QBrush(QColor("#6b6b6b"))
        if role == SUMMARY_ROLE:
            return summary
        return None


def _visit_id(summary: VisitSummary) -> str:
    return summary.id


def _cell(summary: VisitSummary, column: int) -> str:
    if column == 0:
        return day_text(summary.visit_date)
    if column == 1:
        return summary.clinician_name
    if column == 2:
        weeks = summary.weeks_postpartum
        return weeks_text(weeks) if weeks is not None else "—"
    if column == 3:
        return status_words(summary.status, amends=summary.amends)
    if column == 4:
        return outcome_text(summary.proposed_status, empty="— not decided yet")
    return outcome_text(summary.final_status, empty="— not decided yet")


class NewVisitDialog(QDialog):
    """Choose the date of a new visit (today by default) and open it as a draft."""

    def __init__(
        self, ctx: AppContext, patient_id: str, today: dt.date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.created_id: str | None = None
        self.setWindowTitle("New visit")
        day = today or dt.date.today()
        self.date = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd MMM yyyy")
        self.date.setAccessibleName("Visit date")
        self.error = ErrorLabel(self)
        clinician = ctx.user.name if ctx.user else ""
        form = QFormLayout()
        form.addRow("Visit &date:", self.date)
        form.addRow("", self.error)
        form.addRow("Clinician:", QLabel(clinician, self))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open visit")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def visit_date(self) -> dt.date:
        """The date chosen."""
        chosen = self.date.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    @Slot()
    def save(self) -> None:
        """Open the draft visit through the task runner; a refused date shows under the field."""
        op = functools.partial(
            visits.create_visit,
            self.ctx.db,
            self.patient_id,
            self.visit_date(),
            user=self.ctx.signed_in,
            results=preferences.new_visit_values(preferences.load()),
        )
        self.ctx.tasks.run_op(
            op, success=self._saved, failure=self._failed, initiator=self, label="Opening a visit…"
        )

    def _saved(self, changes: Changes) -> None:
        self.created_id = changes.created_id
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationFailed):
            self.error.show_message(" ".join(e.message for e in error.errors))
        else:
            self.error.show_message(f"No visit was opened: {error}")
