"""The decision dialogs of the visit editor: confirm, override and sign.

The dialogs only collect what the clinician types and hand it to the services through the task
runner; the services decide what is allowed (CLINICAL.md §13) and their messages are shown where
they belong. Nothing here judges a value or a status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_app.readiness.clinician import overridable_holds
from clinic_app.readiness.decision import ClinicianAction, Decision, RuleOverride, Status
from clinic_app.readiness.rulespec import NEVER_OVERRIDABLE
from clinic_app.services import decisions
from clinic_app.services.changes import Changes
from clinic_app.services.errors import (
    AuthenticationError,
    ConflictError,
    LockedOutError,
    ValidationFailed,
)
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.outcome import outcome_text
from clinic_app.ui.visit.dialogparts import (
    CONFLICT,
    WRONG_PASSWORD,
    error_text,
    message_label,
    password_field,
    show,
)
from clinic_app.ui.visit.proposal import missing_labels


def not_overridable_reason(rule_id: str, decision: Decision) -> str:
    """Why a hold cannot be overridden, in the clinician's words (the rule comes from §13)."""
    held = {f.rule_id for f in decision.holds}
    if rule_id == "T3" or (rule_id == "T1" and "T3" in held):
        return "cannot be overridden (§13): below 3 weeks postpartum the time gate stands"
    if rule_id in NEVER_OVERRIDABLE:
        return "cannot be overridden (§13): symptoms are never overridden into ready"
    return f"cannot be overridden under protocol {decision.protocol_version}"


def confirm_decision(
    parent: QWidget,
    ctx: AppContext,
    visit_id: str,
    version: int,
    on_done: Callable[[Changes], None],
    *,
    proposed: Status | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
) -> bool:
    """Ask, then record the proposal as the clinician's decision (CONFIRMED).

    Args:
        parent: the editor (the question opens over it).
        ctx: the window context.
        visit_id: the visit decided on.
        version: the visit version she reviewed.
        on_done: called with the Changes when recorded.
        proposed: the proposed status, named in the question.
        on_failure: called with the error; by default the error is shown in a message box.

    Returns:
        False when she declined the question (nothing was run).
    """
    what = f"“{outcome_text(proposed)}” " if proposed is not None else ""
    if not ask.confirm(parent, "Confirm the proposal", f"Confirm the proposal {what}as your decision?"):
        return False

    def failed(error: BaseException) -> None:
        if on_failure is not None:
            on_failure(error)
        else:
            ask.show_error(parent, "The decision was not recorded", error_text(error))

    ctx.tasks.run_op(
        partial(
            decisions.record_decision,
            ctx.db,
            visit_id,
            user=ctx.signed_in,
            action=ClinicianAction.CONFIRMED,
            expected_version=version,
        ),
        success=on_done,
        failure=failed,
        initiator=parent,
        label="Recording your decision…",
    )
    return True


@dataclass(slots=True)
class _OverrideRow:
    rule_id: str
    check: QCheckBox
    reason: QLineEdit
    message: QLabel


class OverrideDialog(QDialog):
    """Override the proposal: rules set aside with reasons, final status, comment and password.

    Signals:
        decision_did_conflict(error): the visit changed on another workstation; the editor reloads.

    Attributes:
        changes: the service's Changes once the override was recorded.
    """

    decision_did_conflict = Signal(object)

    def __init__(
        self, parent: QWidget, ctx: AppContext, visit_id: str, version: int, decision: Decision
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Override the proposal")
        self.setMinimumWidth(640)
        self._ctx = ctx
        self._visit_id = visit_id
        self._version = version
        self._decision = decision
        self.changes: Changes | None = None
        self._rows: list[_OverrideRow] = []
        self.blocked_rules: tuple[str, ...] = ()
        """Rule ids listed greyed as not overridable."""

        intro = QLabel(
            f"The proposal is <b>{escape(outcome_text(decision.status))}</b>. Tick each rule you set "
            "aside and write why: the reason is printed on the report and kept in the audit trail.",
            self,
        )
        intro.setWordWrap(True)

        rules = QWidget(self)
        grid = QGridLayout(rules)
        grid.setColumnStretch(1, 1)
        self._fill_rules(grid, rules)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(rules)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.final_status = QComboBox(self)
        self.final_status.setAccessibleName("Final status")
        self.final_status.addItem("What remains once the ticked rules are set aside (default)", "")
        for status in Status:
            self.final_status.addItem(outcome_text(status), status.value)
        self.comment = QPlainTextEdit(self)
        self.comment.setAccessibleName("Comment")
        self.comment.setPlaceholderText(
            "Comment (needed when you change the status without setting a rule aside)"
        )
        self.comment.setFixedHeight(64)
        self.password = password_field(self)
        self.message = message_label(self)

        form = QFormLayout()
        form.addRow("Final status:", self.final_status)
        form.addRow("Comment:", self.comment)
        form.addRow("Password:", self.password)

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Record the override")
        self._buttons.accepted.connect(self.submit)
        self._buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self._buttons)

        self.final_status.currentIndexChanged.connect(self._update)
        self.comment.textChanged.connect(self._update)
        self.password.textChanged.connect(self._update)
        self._update()

    def _fill_rules(self, grid: QGridLayout, parent: QWidget) -> None:
        allowed = overridable_holds(self._decision)
        items = [
            (f.rule_id, f.title, f.explanation, allowed.get(f.rule_id, False)) for f in self._decision.holds
        ]
        items += [
            (
                g.rule_id,
                g.title,
                "Not assessed; missing: " + "; ".join(missing_labels(g.missing)),
                g.overridable and g.rule_id not in NEVER_OVERRIDABLE,
            )
            for g in self._decision.not_assessed
            if g.gate
        ]
        held = {f.rule_id for f in self._decision.holds}
        gaps = {g.rule_id for g in self._decision.not_assessed if g.gate} - held
        line = 0
        for rule_id, title, explanation, overridable in items:
            if overridable:
                self._add_row(grid, parent, line, rule_id, title, explanation)
                line += 3
        if not self._rows:
            line = self._add_text(
                grid,
                parent,
                line,
                "No rule of this proposal can be overridden; you may still change the status with a comment.",
            )
        blocked: dict[str, list[str]] = {}
        for rule_id, title, _explanation, overridable in items:
            if not overridable:
                why = (
                    f"not assessed, and under protocol {self._decision.protocol_version} it cannot be set "
                    "aside: record it"
                    if rule_id in gaps and rule_id not in NEVER_OVERRIDABLE
                    else not_overridable_reason(rule_id, self._decision)
                )
                blocked.setdefault(why, []).append(f"{rule_id} · {title}")
        for why, names in blocked.items():
            line = self._add_text(
                grid,
                parent,
                line,
                f"<b>{escape(why[:1].upper() + why[1:])}:</b><br>" + "<br>".join(escape(n) for n in names),
                grey=True,
            )
        self.blocked_rules = tuple(
            rule_id for rule_id, _title, _explanation, overridable in items if not overridable
        )

    @staticmethod
    def _add_text(grid: QGridLayout, parent: QWidget, line: int, html: str, *, grey: bool = False) -> int:
        label = QLabel(html, parent)
        label.setWordWrap(True)
        if grey:
            label.setStyleSheet("color: #5f5f5f; margin-top: 6px;")
        grid.addWidget(label, line, 0, 1, 2)
        return line + 1

    def _add_row(
        self, grid: QGridLayout, parent: QWidget, line: int, rule_id: str, title: str, explanation: str
    ) -> None:
        check = QCheckBox(f"{rule_id} · {title}", parent)
        check.setToolTip(explanation)
        reason = QLineEdit(parent)
        reason.setAccessibleName(f"Reason for overriding {rule_id}")
        reason.setPlaceholderText("Reason (required when ticked)")
        reason.setEnabled(False)
        message = message_label(parent)
        detail = QLabel(explanation, parent)
        detail.setWordWrap(True)
        detail.setStyleSheet("color: #4a4a4a; margin-left: 22px;")
        grid.addWidget(check, line, 0)
        grid.addWidget(reason, line, 1)
        grid.addWidget(detail, line + 1, 0, 1, 2)
        grid.addWidget(message, line + 2, 0, 1, 2)
        check.toggled.connect(self._update)
        reason.textChanged.connect(self._update)
        self._rows.append(_OverrideRow(rule_id, check, reason, message))

    # --- input state -----------------------------------------------------------------------------

    def row(self, rule_id: str) -> _OverrideRow | None:
        """The checkbox row of an overridable rule (tests, focus)."""
        return next((r for r in self._rows if r.rule_id == rule_id), None)

    def overridable_rules(self) -> tuple[str, ...]:
        """Rule ids offered with a checkbox."""
        return tuple(r.rule_id for r in self._rows)

    def set_override(self, rule_id: str, reason: str) -> None:
        """Tick a rule and type its reason (what the clinician does by hand)."""
        row = self.row(rule_id)
        if row is None:
            raise KeyError(rule_id)
        row.check.setChecked(True)
        row.reason.setText(reason)

    def _chosen_status(self) -> Status | None:
        data: Any = self.final_status.currentData()
        return Status(data) if data else None

    def _update(self) -> None:
        ticked = [r for r in self._rows if r.check.isChecked()]
        for row in self._rows:
            row.reason.setEnabled(row.check.isChecked())
            missing = row.check.isChecked() and not row.reason.text().strip()
            show(row.message, f"Write why you override {row.rule_id}." if missing else "")
        reasons_ok = all(r.reason.text().strip() for r in ticked)
        status_change = self._chosen_status() is not None and bool(self.comment.toPlainText().strip())
        ready = bool(self.password.text()) and reasons_ok and (bool(ticked) or status_change)
        self.ok_button.setEnabled(ready)
        if not ready:
            why = (
                "Tick a rule and write the reason, or choose a final status and write a comment."
                if not ticked and not status_change
                else "Write a reason for every ticked rule."
                if not reasons_ok
                else "Enter your password."
            )
            self.ok_button.setToolTip(why)
        else:
            self.ok_button.setToolTip("")

    # --- submitting ------------------------------------------------------------------------------

    def submit(self) -> None:
        """Record the override through the service (runs on the database worker)."""
        if not self.ok_button.isEnabled():
            return
        overrides = tuple(
            RuleOverride(r.rule_id, r.reason.text().strip()) for r in self._rows if r.check.isChecked()
        )
        show(self.message, "")
        self.ok_button.setEnabled(False)
        self._ctx.tasks.run_op(
            partial(
                decisions.record_decision,
                self._ctx.db,
                self._visit_id,
                user=self._ctx.signed_in,
                action=ClinicianAction.OVERRIDDEN,
                overrides=overrides,
                final_status=self._chosen_status(),
                comment=self.comment.toPlainText().strip(),
                password=self.password.text(),
                expected_version=self._version,
            ),
            success=self._did_record,
            failure=self._did_fail,
            initiator=self.parent(),
            label="Recording the override…",
        )

    def _did_record(self, changes: Changes) -> None:
        self.changes = changes
        self.accept()

    def _did_fail(self, error: BaseException) -> None:
        self._update()
        if isinstance(error, AuthenticationError):
            self.password.clear()
            self.password.setFocus()
            show(self.message, str(error) if isinstance(error, LockedOutError) else WRONG_PASSWORD)
            return
        if isinstance(error, ConflictError):
            show(self.message, CONFLICT)
            self.decision_did_conflict.emit(error)
            return
        if isinstance(error, ValidationFailed):
            general = []
            for item in error.errors:
                row = self._row_for_path(item.path)
                if row is not None:
                    show(row.message, item.message)
                else:
                    general.append(item.message)
            show(self.message, "\n".join(general))
            return
        show(self.message, error_text(error))

    def _row_for_path(self, path: str) -> _OverrideRow | None:
        """The rule row a refusal belongs to: ``decision.overrides.<rule>`` or ``….<rule>.reason``."""
        parts = path.split(".")
        rule_id = parts[2] if len(parts) >= 3 and parts[:2] == ["decision", "overrides"] else path
        return next((row for row in self._rows if row.rule_id == rule_id), None)
