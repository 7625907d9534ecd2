"""The proposal panel's buttons: confirm, override, sign and amend, each through the services.

A decision is recorded on the *stored* visit (the service re-assesses what is stored, so what she
confirms is exactly what was saved): unsaved values are saved first. The panel always shows the
latest proposal for what is typed, and the decision recorded last, read back after every change.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.services import decisions, patients, visits
from clinic_app.services.changes import Changes
from clinic_app.services.editing import LiveEvaluation
from clinic_app.services.errors import ConflictError, ValidationFailed
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.visit.decisions import OverrideDialog, confirm_decision
from clinic_app.ui.visit.editor import VisitEditor
from clinic_app.ui.visit.proposal import ClinicianDecisionView, ProposalPanel
from clinic_app.ui.visit.sign import SignDialog


class DecisionActions(QObject):
    """Connects the proposal panel to the editor and the decision dialogs."""

    def __init__(self, ctx: AppContext, editor: VisitEditor, panel: ProposalPanel, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editor = editor
        self.panel = panel
        self.window = parent
        self.final: ClinicianDecisionView | None = None
        self.last_dialog: QWidget | None = None
        panel.confirm_requested.connect(self.confirm)
        panel.override_requested.connect(self.override)
        panel.sign_requested.connect(self.sign)
        panel.amend_requested.connect(self.amend)
        editor.visit_did_load.connect(self._visit_loaded)

    # --- panel state ---------------------------------------------------------------------------

    @Slot(object)
    def evaluation_changed(self, evaluation: LiveEvaluation) -> None:
        """Show the proposal for what is typed now, with the recorded decision beside it."""
        self.panel.show_decision(evaluation.decision, final=self.final)

    @Slot(object)
    def _visit_loaded(self, record: VisitRecord) -> None:
        self.final = None
        self._apply_state(record)
        self.ctx.tasks.run_query(
            functools.partial(_recorded_decision, self.ctx, str(record.visit.id)),
            success=functools.partial(self._decision_loaded, str(record.visit.id)),
        )

    def _decision_loaded(self, visit_id: str, view: ClinicianDecisionView | None) -> None:
        record = self.editor.record
        if record is None or str(record.visit.id) != visit_id:
            return  # another visit was opened meanwhile
        self.final = view
        self._apply_state(record)
        evaluation = self.editor.evaluation
        self.panel.show_decision(evaluation.decision if evaluation else None, final=view)

    def _apply_state(self, record: VisitRecord) -> None:
        self.panel.set_visit_state(
            record.visit.status.value,
            has_decision=self.final is not None,
            final_status=self.final.final_status if self.final else None,
        )

    # --- actions -------------------------------------------------------------------------------

    def _draft(self) -> VisitRecord | None:
        record = self.editor.record
        if record is None or record.visit.status is not VisitStatus.DRAFT:
            return None
        return record

    @Slot()
    def confirm(self) -> None:
        """Record the proposal as her decision (after saving what is typed)."""
        if self._draft() is not None:
            self.editor.save_if_dirty(self._confirm_saved)

    def _confirm_saved(self) -> None:
        record, evaluation = self.editor.record, self.editor.evaluation
        if record is None:
            return
        confirm_decision(
            self.editor,
            self.ctx,
            str(record.visit.id),
            record.visit.version,
            self._decided,
            proposed=evaluation.decision.status if evaluation and evaluation.decision else None,
            on_failure=self._failed,
        )

    @Slot()
    def override(self) -> None:
        """Set rules aside with reasons and her password (after saving what is typed)."""
        if self._draft() is not None:
            self.editor.save_if_dirty(self._override_saved)

    def _override_saved(self) -> None:
        record, evaluation = self.editor.record, self.editor.evaluation
        if record is None or evaluation is None or evaluation.decision is None:
            return
        dialog = OverrideDialog(
            self.editor, self.ctx, str(record.visit.id), record.visit.version, evaluation.decision
        )
        dialog.decision_did_conflict.connect(self.editor.conflict)
        self.last_dialog = dialog
        if ask.run_dialog(dialog) and dialog.changes is not None:
            self._decided(dialog.changes)

    @Slot()
    def sign(self) -> None:
        """Sign the visit with her password; it is read-only afterwards."""
        if self._draft() is not None:
            self.editor.save_if_dirty(self._sign_saved)

    def _sign_saved(self) -> None:
        record = self.editor.record
        if record is None:
            return
        dialog = SignDialog(
            self.editor,
            self.ctx,
            str(record.visit.id),
            record.visit.version,
            patient_name=record.patient.display_name,
            visit_date=record.visit.visit_date,
            final_status=self.final.final_status if self.final else None,
        )
        dialog.sign_did_conflict.connect(self.editor.conflict)
        self.last_dialog = dialog
        if ask.run_dialog(dialog) and dialog.changes is not None:
            self._decided(dialog.changes)

    @Slot()
    def amend(self) -> None:
        """Open an addendum of a signed visit, with the reason she gives."""
        record = self.editor.record
        if record is None or record.visit.status is not VisitStatus.SIGNED:
            return
        reason = ask.ask_text(
            self.editor,
            "Amend the signed visit",
            "Why is the signed visit being amended? (kept in the audit trail)",
        )
        if reason is None:
            return
        self.ctx.tasks.run_op(
            functools.partial(
                visits.amend_visit,
                self.ctx.db,
                str(record.visit.id),
                record.visit.version,
                user=self.ctx.signed_in,
                reason=reason,
            ),
            success=self._amended,
            failure=self._failed,
            initiator=self,
            label="Opening an amendment…",
        )

    def _amended(self, changes: Changes) -> None:
        if changes.created_id:
            self.editor.open_visit(changes.created_id)

    def _decided(self, changes: Changes) -> None:
        record = self.editor.record
        if record is not None and changes.touches_visit(str(record.visit.id)):
            self.editor.open_visit(str(record.visit.id))

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ConflictError):
            self.editor.conflict(error)
            return
        if isinstance(error, ValidationFailed):
            ask.show_error(self.editor, "Not recorded", "\n".join(e.message for e in error.errors))
            return
        ask.show_error(self.editor, "Not recorded", str(error))


def _recorded_decision(ctx: AppContext, visit_id: str) -> ClinicianDecisionView | None:
    """Runs on the worker: the visit's latest recorded decision with the clinician's name."""
    entries = decisions.list_decisions(ctx.db, visit_id)
    if not entries:
        return None
    names = {str(c.id): c.name for c in patients.list_clinicians(ctx.db)}
    return ClinicianDecisionView.from_entry(entries[-1], names)
