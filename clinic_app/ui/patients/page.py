"""The patient page: who she is, her births, her visits, and what can be done with them.

Every read and write goes through ``ctx.tasks``; the page redraws when an operation announces that it
changed this patient. Weeks postpartum, proposals and final outcomes come ready from the services.
"""

from __future__ import annotations

import datetime as dt
import functools

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.enums import VisitStatus
from clinic_app.services import patients, visits
from clinic_app.services.changes import Changes
from clinic_app.services.dto import PatientFile, VisitSummary
from clinic_app.services.errors import ValidationFailed
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.patients.dialog import DeliveryDialog, ErrorLabel, PatientDialog
from clinic_app.ui.patients.history import NewVisitDialog, VisitHistoryModel
from clinic_app.ui.patients.words import age_on, day_text, delivery_text


class PatientPage(QWidget):
    """One patient: details, births and visit history, with the actions on them.

    Signals:
        visit_did_open(patient_id, visit_id): she opened, created or amended a visit; the editor shows it.
    """

    visit_did_open = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.file: PatientFile | None = None
        self._patient_id: str | None = None
        self._generation = 0

        self.name_label = QLabel(self)
        self.name_label.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = QLabel(self)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = ErrorLabel(self)
        self.deliveries = QListWidget(self)
        self.deliveries.setAccessibleName("Births")
        self.deliveries.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.model = VisitHistoryModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Visit history")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # The words columns share what is left and wrap onto a second line rather than hide a
        # clinician's name or an outcome behind "…" (at 150 % text they did not fit on one line);
        # a row grows only when its text needs it. Anything still too long is elided, in full on hover.
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in range(1, self.model.columnCount()):
            if column != 2:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)

        self.new_visit_button = QPushButton("&New visit…", self)
        self.open_button = QPushButton("&Open visit", self)
        self.amend_button = QPushButton("A&mend…", self)
        self.edit_button = QPushButton("&Edit patient…", self)
        self.delivery_button = QPushButton("Add &birth…", self)
        self.archive_button = QPushButton("Archive…", self)
        self.open_button.setDefault(False)

        visit_buttons = QHBoxLayout()
        for button in (self.new_visit_button, self.open_button, self.amend_button):
            visit_buttons.addWidget(button)
        visit_buttons.addStretch(1)
        patient_buttons = QHBoxLayout()
        patient_buttons.addStretch(1)
        for button in (self.edit_button, self.delivery_button, self.archive_button):
            patient_buttons.addWidget(button)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.name_label)
        names.addWidget(self.details_label)
        top.addLayout(names, 1)
        top.addLayout(patient_buttons)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(QLabel("<b>Births</b> (the newest anchors the time since delivery)", self))
        layout.addWidget(self.deliveries)
        layout.addWidget(QLabel("<b>Visits</b> (newest first; Enter or double-click opens)", self))
        layout.addWidget(self.table, 1)
        layout.addLayout(visit_buttons)

        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.new_visit_button.clicked.connect(self.new_visit)
        self.open_button.clicked.connect(self.open_selected)
        self.amend_button.clicked.connect(self.amend_selected)
        self.edit_button.clicked.connect(self.edit_patient)
        self.delivery_button.clicked.connect(self.add_delivery)
        self.archive_button.clicked.connect(self.toggle_archived)
        ctx.tasks.operation_did_execute.connect(self._on_operation)
        self._update_buttons()

    # --- loading -------------------------------------------------------------------------------------

    @property
    def patient_id(self) -> str | None:
        """The patient shown (or being loaded)."""
        return self._patient_id

    def load(self, patient_id: str) -> None:
        """Read the patient's file on the worker and show it (only the newest load is shown)."""
        self._patient_id = patient_id
        self._generation += 1
        self.ctx.tasks.run_query(
            functools.partial(patients.open_patient, self.ctx.db, patient_id),
            success=functools.partial(self._loaded, self._generation),
            failure=functools.partial(self._load_failed, self._generation),
            label="Opening the patient…",
        )

    def reload(self) -> None:
        """Read the shown patient again."""
        if self._patient_id is not None:
            self.load(self._patient_id)

    def _loaded(self, generation: int, file: PatientFile) -> None:
        if generation != self._generation:
            return
        selected = self.selected_summary()
        self.file = file
        patient = file.patient
        archived = " (archived)" if patient.archived else ""
        self.name_label.setText(f"{patient.display_name}{archived}")
        record = patient.record_number or "none"
        self.details_label.setText(
            f"Born {day_text(patient.date_of_birth)} · age {age_on(patient.date_of_birth, dt.date.today())}"
            f" · record no. {record} · id {patient.id}"
        )
        self.status_label.show_message(
            "No birth is recorded yet: add her birth before opening a visit." if not file.deliveries else ""
        )
        self.deliveries.clear()
        for delivery in reversed(file.deliveries):
            self.deliveries.addItem(delivery_text(delivery))
        rows = min(max(self.deliveries.count(), 1), 4)
        self.deliveries.setFixedHeight(rows * self.deliveries.sizeHintForRow(0) + 8)
        self.model.set_summaries(file.summaries)
        self.archive_button.setText("Restore…" if patient.archived else "Archive…")
        row = self.model.row_of(selected.id) if selected else -1
        if row < 0:
            row = self._first_current_row()
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def _first_current_row(self) -> int:
        """The newest visit not replaced by an amendment (-1 when there are none)."""
        for row in range(self.model.rowCount()):
            summary = self.model.summary_at(row)
            if summary is not None and summary.status is not VisitStatus.AMENDED:
                return row
        return 0 if self.model.rowCount() else -1

    def _load_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self.file = None
        self.model.set_summaries([])
        self.name_label.setText("")
        self.details_label.setText("")
        self.deliveries.clear()
        self.status_label.show_message(f"This patient could not be opened: {error}")
        self._update_buttons()

    @Slot(object, object)
    def _on_operation(self, changes: Changes, _initiator: object) -> None:
        if self._patient_id is not None and changes.touches_patient(self._patient_id):
            self.reload()

    # --- selection and buttons -----------------------------------------------------------------------

    def selected_summary(self) -> VisitSummary | None:
        """The visit selected in the history, if any."""
        index = self.table.currentIndex()
        selected = self.table.selectionModel().hasSelection()
        return self.model.summary_at(index.row()) if index.isValid() and selected else None

    def select_visit(self, visit_id: str) -> None:
        """Select a visit in the history by id."""
        row = self.model.row_of(visit_id)
        if row >= 0:
            self.table.selectRow(row)

    @Slot(object, object)
    def _selection_changed(self, _current: object, _previous: object) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        file = self.file
        summary = self.selected_summary()
        signed_in = self.ctx.user is not None
        active = file is not None and not file.patient.archived and signed_in
        has_birth = file is not None and bool(file.deliveries)
        self.new_visit_button.setEnabled(active and has_birth)
        self.new_visit_button.setToolTip(
            "" if has_birth else "Record her birth first: the visit is timed from it."
        )
        self.open_button.setEnabled(summary is not None)
        self.amend_button.setEnabled(active and summary is not None and summary.status is VisitStatus.SIGNED)
        self.amend_button.setToolTip(
            "Correct a signed visit: the original is kept, marked amended."
            if self.amend_button.isEnabled()
            else "Only a signed visit can be amended (a draft is edited directly)."
        )
        self.edit_button.setEnabled(file is not None and signed_in)
        self.delivery_button.setEnabled(active)
        self.archive_button.setEnabled(file is not None and signed_in)

    # --- actions -------------------------------------------------------------------------------------

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        summary = self.model.summary_at(index.row())
        if summary is not None and self._patient_id is not None:
            self.visit_did_open.emit(self._patient_id, summary.id)

    @Slot()
    def open_selected(self) -> None:
        """Open the selected visit in the editor."""
        summary = self.selected_summary()
        if summary is not None and self._patient_id is not None:
            self.visit_did_open.emit(self._patient_id, summary.id)

    @Slot()
    def new_visit(self) -> None:
        """Ask the visit date and open a new draft visit (dated today unless she changes it)."""
        if self._patient_id is None or not self.new_visit_button.isEnabled():
            return
        dialog = NewVisitDialog(self.ctx, self._patient_id, parent=self)
        if ask.run_dialog(dialog) and dialog.created_id:
            self.visit_did_open.emit(self._patient_id, dialog.created_id)

    @Slot()
    def amend_selected(self) -> None:
        """Ask why, then open an amendment of the selected signed visit."""
        summary = self.selected_summary()
        patient_id = self._patient_id
        if summary is None or patient_id is None or summary.status is not VisitStatus.SIGNED:
            return
        reason = ask.ask_text(
            self,
            "Amend a signed visit",
            f"Why is the visit of {day_text(summary.visit_date)} amended? "
            "The reason is kept in the audit trail.",
        )
        if reason is None:
            return
        op = functools.partial(
            visits.amend_visit,
            self.ctx.db,
            summary.id,
            summary.version,
            user=self.ctx.signed_in,
            reason=reason,
        )
        self.ctx.tasks.run_op(
            op,
            success=functools.partial(self._amended, patient_id),
            failure=self._action_failed,
            initiator=self,
            label="Opening the amendment…",
        )

    def _amended(self, patient_id: str, changes: Changes) -> None:
        if changes.created_id:
            self.visit_did_open.emit(patient_id, changes.created_id)

    @Slot()
    def edit_patient(self) -> None:
        """Correct her details."""
        if self.file is not None:
            ask.run_dialog(PatientDialog(self.ctx, self.file.patient, parent=self))

    @Slot()
    def add_delivery(self) -> None:
        """Record a later birth."""
        if self.file is not None:
            dialog = DeliveryDialog(self.ctx, self.file.patient, self.file.latest_delivery, parent=self)
            ask.run_dialog(dialog)

    @Slot()
    def toggle_archived(self) -> None:
        """Archive her after a confirmation (nothing is deleted), or restore an archived patient."""
        if self.file is None:
            return
        patient = self.file.patient
        archive = not patient.archived
        question = (
            f"Archive {patient.display_name}? She disappears from the patient list; every record is "
            "kept and she can be restored (tick “Include archived” to find her)."
            if archive
            else f"Restore {patient.display_name} to the patient list?"
        )
        if not ask.confirm(self, "Archive patient" if archive else "Restore patient", question):
            return
        op = functools.partial(
            patients.archive_patient, self.ctx.db, patient.id, user=self.ctx.signed_in, archived=archive
        )
        self.ctx.tasks.run_op(op, failure=self._action_failed, initiator=self, label="Archiving…")

    def _action_failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationFailed):
            text = " ".join(e.message for e in error.errors)
        else:
            text = str(error)
        ask.show_error(self, "Nothing was changed", text)
