"""The patient list: a table model over ``search_patients`` and the search controller that fills it.

:class:`PatientSearch` waits until typing pauses (``DEBOUNCE_MS``), runs the search on the database
worker and drops every result but the newest request's, so a slow early search can never overwrite
the answer to what she typed last.
"""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import (
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)

from clinic_app.domain.model import Patient
from clinic_app.services import patients
from clinic_app.ui.context import AppContext
from clinic_app.ui.patients.words import day_text
from clinic_app.ui.tablemodel import AnyIndex, RecordTableModel

DEBOUNCE_MS = 120
"""Typing pauses this long before a search runs."""

SEARCH_LIMIT = 200
"""At most this many patients are listed; she types more to narrow."""

COLUMNS = ("Name", "Date of birth", "Record no.", "Id")

PATIENT_ROLE = Qt.ItemDataRole.UserRole
"""The row's :class:`Patient`."""


def _patient_id(patient: Patient) -> str:
    return str(patient.id)


class PatientListModel(RecordTableModel[Patient]):
    """Patients found by a search: name (family first), date of birth, record number and id."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, _patient_id, parent)

    def set_patients(self, found: list[Patient]) -> None:
        """Replace the list (a whole reset: a new search is a new list)."""
        self.set_rows(found)

    def patient_at(self, row: int) -> Patient | None:
        """Return the patient on a row, or None outside the list."""
        return self.row_at(row)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; the tooltip spells the row out; ``PATIENT_ROLE`` gives the patient."""
        patient = self.record_for(index)
        if patient is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(patient, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            archived = " — archived" if patient.archived else ""
            return (
                f"{patient.display_name}, born {patient.date_of_birth.isoformat()}, "
                f"record {patient.record_number or 'none'}, id {patient.id}{archived}"
            )
        if role == PATIENT_ROLE:
            return patient
        return None

    @staticmethod
    def _cell(patient: Patient, column: int) -> str:
        if column == 0:
            name = f"{patient.family_name}, {patient.given_names}"
            return f"{name} (archived)" if patient.archived else name
        if column == 1:
            return day_text(patient.date_of_birth)
        if column == 2:
            return patient.record_number or "—"
        return str(patient.id)


class PatientSearch(QObject):
    """Debounced search that fills a :class:`PatientListModel` from the database worker.

    Signals:
        results_did_arrive(count): the newest search's patients are in the model.
    """

    results_did_arrive = Signal(int)

    def __init__(self, ctx: AppContext, model: PatientListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = model
        self.limit = SEARCH_LIMIT
        self.text = ""
        self.include_archived = False
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)

    @property
    def pending(self) -> bool:
        """True while a search waits for typing to pause."""
        return self._timer.isActive()

    def search(self, text: str, *, include_archived: bool | None = None) -> None:
        """Search for ``text`` once typing pauses (each call restarts the wait).

        Args:
            text: name, date of birth (YYYY-MM-DD), record number or id prefix; empty lists everyone.
            include_archived: list archived patients too; None keeps the current choice.
        """
        self.text = text
        if include_archived is not None:
            self.include_archived = include_archived
        self._timer.start()

    def set_include_archived(self, include: bool) -> None:
        """Include or leave out archived patients, and search again."""
        self.search(self.text, include_archived=include)

    def refresh(self) -> None:
        """Run the current search again at once (after a change to a patient)."""
        self._timer.stop()
        self._run()

    def stop(self) -> None:
        """Drop a search still waiting for the pause, and ignore results still on their way (on close)."""
        self._timer.stop()
        self._generation += 1

    def flush(self) -> None:
        """Run a search still waiting for the pause now (Enter in the search box)."""
        if self._timer.isActive():
            self.refresh()

    @Slot()
    def _run(self) -> None:
        self._generation += 1
        self.ctx.tasks.run_query(
            functools.partial(
                patients.search_patients,
                self.ctx.db,
                self.text,
                include_archived=self.include_archived,
                limit=self.limit,
            ),
            success=functools.partial(self._arrived, self._generation),
            label="Searching patients…",
        )

    def _arrived(self, generation: int, found: list[Patient]) -> None:
        """Show a search's patients unless a newer search was started after it (stale)."""
        if generation != self._generation:
            return
        self.model.set_patients(found)
        self.results_did_arrive.emit(len(found))
