"""Sign a draft visit: what is being signed, and the clinician's password (read-only afterwards)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from clinic_app.readiness.decision import Status
from clinic_app.services import visits
from clinic_app.services.changes import Changes
from clinic_app.services.errors import AuthenticationError, ConflictError, LockedOutError
from clinic_app.ui.context import AppContext
from clinic_app.ui.outcome import outcome_text
from clinic_app.ui.visit.dialogparts import (
    WRONG_PASSWORD,
    error_text,
    message_label,
    password_field,
    show,
)


class SignDialog(QDialog):
    """Sign a draft visit: what is signed, then the clinician's password.

    Signals:
        sign_did_conflict(error): the visit changed on another workstation.

    Attributes:
        changes: the service's Changes once the visit was signed.
    """

    sign_did_conflict = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        ctx: AppContext,
        visit_id: str,
        version: int,
        *,
        patient_name: str,
        visit_date: dt.date,
        final_status: Status | str | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign the visit")
        self.setMinimumWidth(440)
        self._ctx = ctx
        self._visit_id = visit_id
        self._version = version
        self.changes: Changes | None = None

        summary = QLabel(self)
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status = outcome_text(final_status, empty="no decision recorded")
        summary.setText(
            f"You are signing the visit of <b>{escape(patient_name)}</b> "
            f"on <b>{visit_date.strftime('%d %b %Y')}</b>, "
            f"with your final status <b>{escape(status)}</b>.<br><br>"
            "Once signed the visit is read-only; a correction is made as an amendment."
        )
        self.summary = summary
        self.password = password_field(self)
        self.message = message_label(self)
        form = QFormLayout()
        form.addRow("Password:", self.password)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Sign the visit")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.password.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.password.text()))
        self.ok_button.setToolTip("" if self.password.text() else "Enter your password.")

    def submit(self) -> None:
        """Sign through the service (runs on the database worker)."""
        if not self.password.text():
            return
        show(self.message, "")
        self.ok_button.setEnabled(False)
        self._ctx.tasks.run_op(
            partial(
                visits.sign_visit,
                self._ctx.db,
                self._visit_id,
                self._version,
                user=self._ctx.signed_in,
                password=self.password.text(),
            ),
            success=self._did_sign,
            failure=self._did_fail,
            initiator=self.parent(),
            label="Signing the visit…",
        )

    def _did_sign(self, changes: Changes) -> None:
        self.changes = changes
        self.accept()

    def _did_fail(self, error: BaseException) -> None:
        if isinstance(error, LockedOutError):
            self.password.clear()
            show(self.message, str(error))
        elif isinstance(error, AuthenticationError):
            self.password.clear()
            self.password.setFocus()
            show(self.message, WRONG_PASSWORD.replace("recorded", "signed"))
        else:
            if isinstance(error, ConflictError):
                self.sign_did_conflict.emit(error)
            show(self.message, error_text(error).replace("recorded", "signed"))
        self._update()
