"""The main window: patients, the patient page or visit editor, and the live proposal.

The patient list is on the left, the patient page or the visit editor in the middle, the live
proposal on the right; menus and shortcuts cover everything a session needs.

The window holds no clinical logic. It wires the parts together: the patient list opens a patient
page, the page opens a visit in the editor, the editor's evaluation feeds the proposal panel, and the
panel's buttons run the decision dialogs. Every database call goes through ``ctx.tasks``.
The menus are :mod:`clinic_app.ui.menus`; the patient list is :mod:`clinic_app.ui.patientlist`.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from clinic_app.services.changes import Changes
from clinic_app.services.clinic import explain_failure
from clinic_app.services.session import SignedIn
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.idle import IdleWatcher
from clinic_app.ui.menus import WindowMenus
from clinic_app.ui.patientlist import PatientList
from clinic_app.ui.patients.dialog import PatientDialog
from clinic_app.ui.patients.page import PatientPage
from clinic_app.ui.signin import LockScreen
from clinic_app.ui.tools import ToolActions
from clinic_app.ui.visit.actions import DecisionActions
from clinic_app.ui.visit.editor import VisitEditor
from clinic_app.ui.visit.proposal import ProposalPanel

WELCOME, PATIENT, VISIT, LOCKED = range(4)


class MainWindow(WindowMenus, PatientList, QMainWindow):
    """The RunReady Clinic window for one signed-in clinician."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("RunReady Clinic[*]")
        self.resize(1280, 800)
        self._before_lock = WELCOME
        self._quitting = False

        self._build_patients_dock()

        # Centre
        self.stack = QStackedWidget(self)
        self.welcome = QLabel(
            "Find a patient in the list on the left (Ctrl+F), or register a new one (Ctrl+N).", self
        )
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setWordWrap(True)
        self.patient_page = PatientPage(ctx, self)
        self.editor = VisitEditor(ctx, parent=self)
        self.lock_screen = LockScreen(ctx.db, ctx.tasks, self)
        for page in (self.welcome, self.patient_page, self.editor, self.lock_screen):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        # Proposal dock
        self.proposal = ProposalPanel(self)
        self.proposal_dock = QDockWidget("Proposal", self)
        self.proposal_dock.setObjectName("proposalDock")
        self.proposal_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.proposal_dock.setWidget(self.proposal)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.proposal_dock)
        self.proposal_dock.hide()
        self.actions_ = DecisionActions(ctx, self.editor, self.proposal, self)

        self.busy_label = QLabel(self)
        self.user_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.user_label)

        self.tools = ToolActions(self, ctx)
        self._build_menus()
        self._connect()
        self._page_changed(self.stack.currentIndex())  # visit actions start off on the welcome page
        self.idle = IdleWatcher(ctx.idle_lock_minutes, self)
        self.idle.idle_did_expire.connect(self.lock)
        self._refresh_user()
        # Child timers, not QTimer.singleShot with a bound method: they die with the window.
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(0)
        self._start_timer.timeout.connect(self._initial_search)
        self._start_timer.timeout.connect(self.editor.batteries.start_background_build)
        self._start_timer.timeout.connect(self.tools.start)
        self._start_timer.start()

    # --- construction ------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.search_box.textChanged.connect(self._search_changed)
        self.archived_box.toggled.connect(self._archived_toggled)
        self.search.results_did_arrive.connect(self._results_arrived)
        self.patient_view.activated.connect(self._patient_activated)
        self.patient_view.selectionModel().currentRowChanged.connect(self._patient_selected)
        self.new_patient_button.clicked.connect(self.new_patient)
        self.patient_page.visit_did_open.connect(self.open_visit)
        self.editor.back_requested.connect(self.show_patient_page)
        self.editor.evaluation_did_change.connect(self.actions_.evaluation_changed)
        self.editor.dirty_did_change.connect(self._dirty_changed)
        self.lock_screen.unlock_did_succeed.connect(self.unlock)
        self.stack.currentChanged.connect(self._page_changed)
        self.ctx.tasks.busy_did_change.connect(self._busy_changed)
        self.ctx.tasks.operation_did_execute.connect(self._on_operation)
        self.ctx.tasks.task_did_fail.connect(self._task_failed)

    # --- patients ------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F); from a visit, back to the patient page first."""
        if self.stack.currentIndex() == VISIT:
            self.show_patient_page()
        self.patients_dock.show()
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def open_patient(self, patient_id: str) -> None:
        """Show a patient's page (after the unsaved-changes guard)."""
        self._guard(lambda: self._open_patient_now(patient_id))

    def _open_patient_now(self, patient_id: str) -> None:
        self.patient_page.load(patient_id)
        self.stack.setCurrentIndex(PATIENT)

    def current_patient(self) -> tuple[str, str] | None:
        """The patient she is working on (id, name): the open visit's, or the patient page's."""
        page = self.stack.currentIndex()
        record = self.editor.record if page == VISIT else None
        if record is not None:
            return str(record.patient.id), record.patient.display_name
        file = self.patient_page.file if page == PATIENT else None
        return (str(file.patient.id), file.patient.display_name) if file is not None else None

    def new_patient(self) -> None:
        """Register a new patient (Ctrl+N)."""
        dialog = PatientDialog(self.ctx, parent=self)
        if ask.run_dialog(dialog) and dialog.created_id:
            self.open_patient(dialog.created_id)

    # --- visits --------------------------------------------------------------------------------------

    @Slot(str, str)
    def open_visit(self, patient_id: str, visit_id: str) -> None:
        """Open a visit in the editor (after the unsaved-changes guard)."""
        self._guard(lambda: self._open_visit_now(visit_id))

    def _open_visit_now(self, visit_id: str, then: object = None) -> None:
        self.editor.open_visit(visit_id, then=then)  # type: ignore[arg-type]
        self.stack.setCurrentIndex(VISIT)

    def show_patient_page(self) -> None:
        """Back from the editor to the patient page (Alt+Left)."""
        if self.stack.currentIndex() != VISIT:
            return
        record = self.editor.record
        self._guard(lambda: self._back_now(str(record.patient.id) if record else None))

    def _back_now(self, patient_id: str | None) -> None:
        if patient_id:
            self.patient_page.load(patient_id)
        self.stack.setCurrentIndex(PATIENT if patient_id else WELCOME)

    def save(self) -> None:
        """Save the open visit (Ctrl+S)."""
        if self.stack.currentIndex() == VISIT:
            self.editor.save()

    def restore_journal(self) -> None:
        """Offer to bring back values typed before a crash, for the signed-in clinician's visits."""
        user = self.ctx.user
        if user is None:
            return
        for entry in self.ctx.journal.pending():
            if entry.clinician_id != user.clinician_id:
                continue
            answer = ask.choose(
                self,
                "Unsaved values found",
                f"{len(entry.values)} values typed into visit {entry.visit_id} on "
                f"{entry.written_at:%d %b %Y %H:%M} (UTC) were not saved. Restore them?",
                ["Restore", "Discard"],
            )
            if answer == 0:
                values = dict(entry.values)
                self.patient_page.load(entry.patient_id)
                self._open_visit_now(
                    entry.visit_id,
                    then=functools.partial(self.editor.restore, values, version=entry.version),
                )
                return
            if answer == 1:
                self.ctx.journal.discard(entry.visit_id)

    def _guard(self, proceed: object) -> None:
        """Run ``proceed`` unless unsaved changes would be lost and she cancels."""
        if not self.editor.dirty:
            proceed()  # type: ignore[operator]
            return
        answer = ask.choose(
            self,
            "Unsaved changes",
            "This visit has changes that are not saved yet.",
            ["Save", "Discard changes"],
        )
        if answer == 0:
            self.editor.save(then=proceed)  # type: ignore[arg-type]
        elif answer == 1:
            self.editor.discard_changes()
            proceed()  # type: ignore[operator]

    # --- lock and sign-in ----------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide patient data until the clinician signs in again (idle time-out or Ctrl+L)."""
        if self.stack.currentIndex() == LOCKED or self.ctx.user is None:
            return
        if self.editor.dirty:
            self.editor.write_journal()
        self._before_lock = self.stack.currentIndex()
        self.lock_screen.prepare(self.ctx.user)
        self.user_label.setText("Locked")
        self.stack.setCurrentIndex(LOCKED)
        self.patients_dock.hide()
        self.proposal_dock.hide()
        for action in (
            *self._visit_actions,
            self.new_patient_action,
            self.search_action,
            self.new_visit_action,
            *self.tools.clinic_actions,
        ):
            action.setEnabled(False)

    @Slot(object)
    def unlock(self, user: SignedIn) -> None:
        """Back to where she was (or, for another clinician, to the start)."""
        previous = self.ctx.user
        self.ctx.user = user
        same = previous is not None and previous.clinician_id == user.clinician_id
        if not same and self.editor.dirty:
            self.editor.discard_changes()
        self.patients_dock.show()
        for action in (
            *self._visit_actions,
            self.new_patient_action,
            self.search_action,
            self.new_visit_action,
            *self.tools.clinic_actions,
        ):
            action.setEnabled(True)
        self.stack.setCurrentIndex(self._before_lock if same else WELCOME)
        self._refresh_user()

    def _refresh_user(self) -> None:
        user = self.ctx.user
        self.user_label.setText(f"Signed in: {user.name}" if user else "Not signed in")
        where = f" — {self.ctx.database_label}" if self.ctx.database_label else ""
        self.setWindowTitle(f"RunReady Clinic{where}[*]")  # [*]: where Qt marks unsaved changes

    # --- page changes, busy, errors --------------------------------------------------------------------

    @Slot(int)
    def _page_changed(self, index: int) -> None:
        # In a visit the battery pages need the width: the patient list steps aside (Ctrl+F or
        # "◀ Patient" bring it back) and the live proposal takes the right-hand side.
        self.proposal_dock.setVisible(index == VISIT)
        self.patients_dock.setVisible(index in (WELCOME, PATIENT))
        in_visit = index == VISIT
        for action in self._visit_actions:
            action.setEnabled(in_visit)

    @Slot(bool)
    def _dirty_changed(self, dirty: bool) -> None:
        self.setWindowModified(dirty)

    @Slot(bool, str)
    def _busy_changed(self, busy: bool, label: str) -> None:
        self.busy_label.setText(f"◔ {label or 'Working…'}" if busy else "")

    @Slot(object, object)
    def _on_operation(self, changes: Changes, _initiator: object) -> None:
        self.statusBar().showMessage(changes.summary, 6000)
        if changes.patient_ids:
            self.search.refresh()

    @Slot(object, str)
    def _task_failed(self, error: object, label: str) -> None:
        """A task with no failure handler of its own failed: say what, in words, with what to do."""
        what = (label or "The last action").rstrip("…. ")
        explained = explain_failure(error) if isinstance(error, BaseException) else None
        ask.show_error(self, "Something went wrong", f"{what} failed. {explained or error}")

    # --- help ----------------------------------------------------------------------------------------

    def restoreState(  # noqa: N802 (Qt override)
        self, state: QByteArray | bytes | bytearray | memoryview, version: int | None = 0
    ) -> bool:
        """Restore the saved dock layout, then show the docks the current page needs.

        The layout is saved on close, perhaps while a visit hid the patient list; without this the
        next start showed the welcome page with no patient list.
        """
        restored = super().restoreState(state, version or 0)
        self._page_changed(self.stack.currentIndex())
        return restored

    def _close_after_save(self) -> None:
        # Not from inside closeEvent (Qt ignores a close while one is being handled): next loop turn.
        QTimer.singleShot(0, self.close)

    # --- closing ---------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Guard unsaved changes, then let pending saves finish before the window goes."""
        if self.editor.dirty and not self._quitting:
            answer = ask.choose(
                self,
                "Unsaved changes",
                "This visit has changes that are not saved yet.",
                ["Save and quit", "Quit without saving"],
            )
            if answer is None:
                event.ignore()
                return
            if answer == 0:
                event.ignore()
                self._quitting = True
                self.editor.save(then=self._close_after_save)
                return
            self.editor.discard_changes()
        self.idle.stop()
        self.idle.uninstall()  # an application-wide filter must not outlive the window
        self.search.stop()
        self.editor.batteries.stop_background_build()
        self.tools.stop()
        super().closeEvent(event)
