"""The main window's patient list: the search box, the list of patients and its count, New patient.

:class:`PatientList` builds the Patients dock of :class:`~clinic_app.ui.mainwindow.MainWindow` and
answers its searches (:class:`~clinic_app.ui.patients.model.PatientSearch` runs them on the worker).
Opening the patient she chose is the window's (it guards unsaved changes first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.context import AppContext
from clinic_app.ui.patients.model import PatientListModel, PatientSearch

if TYPE_CHECKING:
    _WindowBase = QMainWindow  # the type checker sees the window this mixin is part of
else:
    _WindowBase = object


class PatientList(_WindowBase):
    """The Patients dock of the main window (a mixin of it)."""

    ctx: AppContext

    if TYPE_CHECKING:  # the window's own

        def open_patient(self, patient_id: str) -> None: ...  # noqa: D102

    def _build_patients_dock(self) -> None:
        """Create the dock with the search box, the list and New patient (left of the window)."""
        ctx = self.ctx
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText("Search: name, date of birth, record no. or id")
        self.search_box.setAccessibleName("Search patients")
        self.search_box.setClearButtonEnabled(True)
        self.archived_box = QCheckBox("Include archived", self)
        self.patient_model = PatientListModel(self)
        self.patient_view = QTableView(self)
        self.patient_view.setModel(self.patient_model)
        self.patient_view.setAccessibleName("Patients")
        self.patient_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.patient_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.patient_view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.patient_view.verticalHeader().hide()
        # Fixed starting widths, not ResizeToContents: sizing to contents asked the model for every
        # cell of 200 rows on each search (75–145 ms on the GUI thread, bench_window.py).
        header = self.patient_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        digit = self.patient_view.fontMetrics().horizontalAdvance("0")
        for column, chars in enumerate((22, 12, 10)):
            self.patient_view.setColumnWidth(column, digit * chars)
        self.result_label = QLabel(self)
        self.new_patient_button = QPushButton("New patient…", self)
        self.search = PatientSearch(ctx, self.patient_model, self)
        dock_body = QWidget(self)
        dock_body.setMinimumWidth(320)
        dock_layout = QVBoxLayout(dock_body)
        dock_layout.addWidget(self.search_box)
        dock_layout.addWidget(self.archived_box)
        dock_layout.addWidget(self.patient_view, 1)
        dock_layout.addWidget(self.result_label)
        dock_layout.addWidget(self.new_patient_button)
        self.patients_dock = QDockWidget("Patients", self)
        self.patients_dock.setObjectName("patientsDock")
        self.patients_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.patients_dock.setWidget(dock_body)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.patients_dock)

    # --- searching ---------------------------------------------------------------------------------

    @Slot()
    def _initial_search(self) -> None:
        """List the patients at once when the window opens (no typing pause to wait for)."""
        self.search.text = self.search_box.text()
        self.search.include_archived = self.archived_box.isChecked()
        self.search.refresh()

    @Slot(str)
    def _search_changed(self, text: str) -> None:
        self.search.search(text, include_archived=self.archived_box.isChecked())

    @Slot(bool)
    def _archived_toggled(self, checked: bool) -> None:
        self.search.search(self.search_box.text(), include_archived=checked)

    @Slot(int)
    def _results_arrived(self, count: int) -> None:
        more = " (the first ones — type more to narrow)" if count >= self.search.limit else ""
        self.result_label.setText(f"{count} patient{'s' if count != 1 else ''}{more}")

    @Slot(object, object)
    def _patient_selected(self, current: object, _previous: object) -> None:
        """Keyboard browsing of the list does not open anyone; Enter or a double-click does."""

    @Slot(object)
    def _patient_activated(self, index: object) -> None:
        patient = self.patient_model.patient_at(index.row())  # type: ignore[attr-defined]
        if patient is not None:
            self.open_patient(str(patient.id))
