"""The visit editor: one page per battery, built from the form files, with live checks and proposal.

Every change goes: page → binder collects plain values → ``services.editing.evaluate`` (validation
and the engine, pure and fast) → messages routed to their fields, live measures to their labels,
the battery states to the navigation list, and the proposal to whoever listens
(``evaluation_did_change``). The evaluation is coalesced with a zero-delay timer, so a burst of
keystrokes is judged once, after the last one is handled. Saving goes through the task runner; the
service validates again and refuses anything invalid, and its refusal is shown as a summary whose
every line jumps to its field. The recovery journal keeps what she typed a moment after each change
(saving, conflicts and the journal are in :mod:`clinic_app.ui.visit.saving`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.errors import FieldError
from clinic_app.domain.model import Results
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.domain.weeks import weeks_text
from clinic_app.services import editing, visits
from clinic_app.services.changes import Changes
from clinic_app.services.clinic import field_label
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.forms.base import FieldWidget
from clinic_app.ui.forms.page import BatteryPage
from clinic_app.ui.forms.registry import WidgetRegistry, default_registry
from clinic_app.ui.visit.batteries import BatteryStack
from clinic_app.ui.visit.binder import VisitBinder
from clinic_app.ui.visit.saving import JOURNAL_DELAY_MS, VisitSaving
from clinic_app.ui.visit.summary import ErrorSummary


class VisitEditor(VisitSaving, QWidget):
    """Edit one visit: battery navigation, the pages, Save, and the live evaluation.

    Saving, conflicts and the recovery journal are :class:`~clinic_app.ui.visit.saving.VisitSaving`.

    Signals:
        evaluation_did_change(LiveEvaluation): new proposal, errors and measures for the panel.
        visit_did_load(VisitRecord): a visit was opened (or reloaded after a change).
        dirty_did_change(bool): unsaved changes appeared / were saved or discarded.
        back_requested(): she wants to go back to the patient page.
    """

    evaluation_did_change = Signal(object)
    visit_did_load = Signal(object)
    dirty_did_change = Signal(bool)
    back_requested = Signal()

    def __init__(
        self, ctx: AppContext, registry: WidgetRegistry | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record: VisitRecord | None = None
        self.evaluation: editing.LiveEvaluation | None = None
        self._dirty = False
        self._loading = False
        self.last_conflict: QWidget | None = None
        self._checked: tuple[Results, tuple[FieldError, ...]] | None = None
        registry = registry or default_registry()

        self.title = QLabel(self)
        self.title.setObjectName("visitTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)  # a long name wraps instead of widening the window
        self.title.setMinimumWidth(1)
        self.state_label = QLabel(self)
        self.back_button = QPushButton("◀ Patient", self)
        self.back_button.setToolTip("Back to the patient page (Alt+Left)")
        self.copy_button = QPushButton("Copy from last visit", self)
        self.copy_button.setToolTip("Fill this battery with the values of the previous visit")
        self.save_button = QPushButton("Save", self)
        self.save_button.setToolTip("Save the visit (Ctrl+S)")

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)
        header.addWidget(self.state_label)
        header.addWidget(self.copy_button)
        header.addWidget(self.save_button)

        self.summary = ErrorSummary(self)
        self.summary.hide()

        self.batteries = BatteryStack(registry, self)
        self.batteries.values_did_change.connect(self._on_values_changed)
        self.navigation = self.batteries.navigation
        self.stack = self.batteries.stack

        self.help_label = QLabel(self)
        self.help_label.setObjectName("fieldHelp")
        self.help_label.setWordWrap(True)
        self.help_label.setTextFormat(Qt.TextFormat.PlainText)
        self.help_label.setAccessibleName("Help for the field")
        self.help_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(self.batteries, 1)
        layout.addWidget(self.help_label)
        help_key = QShortcut(QKeySequence(Qt.Key.Key_F1), self)
        help_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        help_key.activated.connect(self.show_field_help)

        self._evaluate_timer = QTimer(self)
        self._evaluate_timer.setSingleShot(True)
        self._evaluate_timer.setInterval(0)
        self._evaluate_timer.timeout.connect(self.evaluate_now)
        self._journal_timer = QTimer(self)
        self._journal_timer.setSingleShot(True)
        self._journal_timer.setInterval(JOURNAL_DELAY_MS)
        self._journal_timer.timeout.connect(self.write_journal)

        self.back_button.clicked.connect(self.back_requested)
        self.copy_button.clicked.connect(self.copy_from_last_visit)
        self.save_button.clicked.connect(self.save)
        self.summary.path_activated.connect(self.focus_path)
        ctx.tasks.operation_did_execute.connect(self._on_operation)
        self._refresh_header()

    # --- the batteries (built lazily by BatteryStack) ---------------------------------------------

    @property
    def pages(self) -> dict[str, BatteryPage]:
        """Every battery page by form id (built now if the background build has not finished)."""
        return self.batteries.pages

    @property
    def binder(self) -> VisitBinder:
        """The binder over every page."""
        return self.batteries.binder

    # --- state ---------------------------------------------------------------------------------

    @property
    def visit_id(self) -> str | None:
        """The open visit's id."""
        return str(self.record.visit.id) if self.record else None

    @property
    def version(self) -> int:
        """The version the open visit was loaded at (passed back on save)."""
        return self.record.visit.version if self.record else 0

    @property
    def read_only(self) -> bool:
        """True for a signed or amended visit."""
        return self.record is not None and self.record.visit.status is not VisitStatus.DRAFT

    @property
    def dirty(self) -> bool:
        """True when something typed has not been saved."""
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_did_change.emit(dirty)
            self._refresh_header()

    # --- loading -------------------------------------------------------------------------------

    def open_visit(self, visit_id: str, *, then: Callable[[], None] | None = None) -> None:
        """Load a stored visit through the task runner and show it."""
        self.ctx.tasks.run_query(
            functools.partial(visits.load_visit_record, self.ctx.db, visit_id),
            success=functools.partial(self._loaded, then=then),
            failure=self._load_failed,
            label="Opening the visit…",
        )

    def _loaded(self, record: VisitRecord, *, then: Callable[[], None] | None = None) -> None:
        self.show_record(record)
        if then is not None:
            then()

    def show_record(self, record: VisitRecord) -> None:
        """Show a visit record as stored (no unsaved changes)."""
        self._loading = True
        try:
            self.record = record
            self.binder.load({str(k): v for k, v in record.visit.results.items()})
            self.binder.set_placeholders(editing.previous_results(record))
            self.binder.set_read_only(self.read_only)
            self.summary.show_errors([])
        finally:
            self._loading = False
        self._journal_timer.stop()
        self._set_dirty(False)
        self.evaluate_now()
        self._refresh_header()
        self.visit_did_load.emit(record)

    def _load_failed(self, error: BaseException) -> None:
        ask.show_error(self, "The visit could not be opened", str(error))

    # --- live evaluation -------------------------------------------------------------------------

    @Slot(str)
    def _on_values_changed(self, _form_id: str) -> None:
        if self._loading or self.record is None or self.read_only:
            return
        self._set_dirty(True)
        self.check_now()
        self._evaluate_timer.start()
        self._journal_timer.start()

    def check_now(self) -> None:
        """Validate what is typed now and show each message at its field (before the proposal)."""
        if self.record is None:
            return
        results = editing.clean_values(self.binder.collect())
        errors = editing.check(self.record, results)
        self._checked = (results, errors)
        self.binder.route_errors(editing.messages_of(errors))

    @Slot()
    def evaluate_now(self) -> None:
        """Assess what is typed now; route messages, measures and states, announce the proposal.

        Runs on a zero-delay timer after the keystrokes waiting in the queue, so a burst of typing is
        assessed once; the messages themselves were already shown by :meth:`check_now`.
        """
        if self.record is None:
            return
        results = editing.clean_values(self.binder.collect())
        checked = self._checked
        errors = checked[1] if checked is not None and checked[0] == results else None
        evaluation = editing.evaluate(self.record, results, errors=errors)
        self._checked = None
        self.evaluation = evaluation
        self.binder.route_errors(evaluation.messages)
        self.binder.route_measures(evaluation.measures)
        if self.summary.isVisible():
            self.summary.show_errors(evaluation.errors, labels=self._label_of)
        self._refresh_navigation()
        self.evaluation_did_change.emit(evaluation)

    def _refresh_navigation(self) -> None:
        decision = self.evaluation.decision if self.evaluation else None
        missing = frozenset(
            path for gap in (decision.not_assessed if decision else ()) for path in gap.missing
        )
        self.batteries.show_states(missing)

    def _label_of(self, path: str) -> str:
        return field_label(path)

    # --- navigation --------------------------------------------------------------------------------

    def current_form_id(self) -> str:
        """The battery shown now."""
        return self.batteries.current_form_id()

    def show_battery(self, form_id: str) -> None:
        """Switch to a battery."""
        self.batteries.show_battery(form_id)

    def next_battery(self) -> None:
        """Go to the next battery (Ctrl+PgDown)."""
        self.batteries.step(+1)

    def previous_battery(self) -> None:
        """Go to the previous battery (Ctrl+PgUp)."""
        self.batteries.step(-1)

    @Slot()
    def show_field_help(self) -> None:
        """F1: how to measure the field under the cursor, its unit and its source, below the page."""
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, FieldWidget):
            widget = widget.parentWidget()
        if widget is None:
            self.help_label.setText("F1 shows how to measure the field the cursor is in.")
        else:
            spec = widget.spec
            unit = f" ({spec.unit})" if spec.unit else ""
            required = " Required whenever this battery is recorded." if spec.required else ""
            self.help_label.setText(
                f"{spec.label}{unit}: {spec.help or 'no help written for this field.'}{required}"
                f"  Source: {spec.source}"
            )
        self.help_label.show()

    @Slot(str)
    def focus_path(self, path: str) -> None:
        """Show the battery of ``path`` and put the cursor in its input."""
        form_id = self.binder.owner_of(path)
        if form_id is None:
            return
        self.show_battery(form_id)
        self.binder.focus(path)

    def copy_from_last_visit(self) -> None:
        """Fill the shown battery with the previous visit's values, on purpose."""
        if self.record is None or self.read_only:
            return
        form_id = self.current_form_id()
        copied = editing.copy_form(editing.previous_results(self.record), form_id)
        if not copied:
            ask.show_info(self, "Nothing to copy", "The previous visit has no values for this battery.")
            return
        self.binder.apply(copied)
        self._on_values_changed(form_id)

    # --- refresh from changes ------------------------------------------------------------------------

    @Slot(object, object)
    def _on_operation(self, changes: Changes, initiator: object) -> None:
        if initiator is self or self.record is None:
            return
        visit_id = str(self.record.visit.id)
        if changes.touches_visit(visit_id) and not self._dirty:
            self.open_visit(visit_id)

    def _refresh_header(self) -> None:
        record = self.record
        if record is None:
            self.title.setText("No visit open")
            self.state_label.setText("")
            for button in (self.save_button, self.copy_button):
                button.setEnabled(False)
            return
        weeks = (
            self.evaluation.decision.weeks_postpartum
            if self.evaluation and self.evaluation.decision
            else None
        )
        since = f" · {weeks_text(weeks)} since birth" if weeks is not None else ""
        self.title.setText(
            f"{record.patient.display_name} — visit of {record.visit.visit_date:%d %b %Y}{since}"
        )
        status = {
            VisitStatus.DRAFT: "Draft — unsaved changes" if self._dirty else "Draft — saved",
            VisitStatus.SIGNED: "Signed — read-only",
            VisitStatus.AMENDED: "Replaced by an amendment — read-only",
        }[record.visit.status]
        self.state_label.setText(status)
        self.save_button.setEnabled(not self.read_only)
        self.copy_button.setEnabled(not self.read_only and bool(record.previous))
