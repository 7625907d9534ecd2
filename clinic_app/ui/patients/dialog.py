"""Register or correct a patient, and record a birth: :class:`PatientDialog` and :class:`DeliveryDialog`.

The dialogs only collect plain values. The services check them; a refusal comes back as field errors,
each shown in red under its own input, and the dialog stays open with everything she typed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.errors import FieldError
from clinic_app.domain.ids import PatientId
from clinic_app.domain.model import Delivery, Patient
from clinic_app.services import patients
from clinic_app.services.changes import Changes
from clinic_app.services.errors import ConflictError, ValidationFailed
from clinic_app.ui.context import AppContext
from clinic_app.ui.patients.words import day_text, mode_words, trauma_words

DATE_HINT = "e.g. 1991-04-02 or 02/04/1991"
DELIVERY_HINT = "e.g. 2026-06-01 or 01/06/2026"
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def parse_date(text: str) -> dt.date | None:
    """Read a date typed as YYYY-MM-DD or day first (DD/MM/YYYY, DD.MM.YYYY); None when unreadable."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    found = _DAY_FIRST.fullmatch(text)
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class ErrorLabel(QLabel):
    """The red sentence under an input that the services refused; hidden while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #a4262c;")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, message: str) -> None:
        """Show ``⚠ message`` (an empty message hides the label)."""
        self.setText(f"⚠ {message}" if message else "")
        self.setVisible(bool(message))

    @property
    def message(self) -> str:
        """The message shown, without the symbol."""
        return self.text().removeprefix("⚠ ")


def _with_error(field: QWidget, error: ErrorLabel, parent: QWidget) -> QWidget:
    """The input with its error label directly under it, as one form row."""
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(error)
    return box


def _choice_box(parent: QWidget, items: Iterable[tuple[str, str]], name: str) -> QComboBox:
    """A drop-down with no choice made yet (she must choose; nothing clinical is defaulted)."""
    box = QComboBox(parent)
    for value, words in items:
        box.addItem(words, value)
    box.setPlaceholderText("Choose…")
    box.setCurrentIndex(-1)
    box.setAccessibleName(name)
    return box


class _SavingDialog(QDialog):
    """Shared by both dialogs: inputs keyed by value path, errors routed to them, one save at a time."""

    def __init__(self, ctx: AppContext, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changes: Changes | None = None
        self.general_error = ErrorLabel(self)
        self._errors: dict[str, ErrorLabel] = {}
        self._inputs: dict[str, QWidget] = {}
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def add_row(self, form: QFormLayout, label: str, path: str, field: QWidget) -> None:
        error = ErrorLabel(self)
        self._errors[path] = error
        self._inputs[path] = field
        field.setAccessibleName(label.rstrip(":").replace("&", ""))
        form.addRow(label, _with_error(field, error, self))

    def error_at(self, path: str) -> str:
        """The message shown under the input of ``path`` ("" when none)."""
        label = self._errors.get(path)
        return label.message if label is not None and label.isVisibleTo(self) else ""

    def shown_errors(self) -> dict[str, str]:
        """Every message shown, by value path (``""`` for the one above the form)."""
        shown = {path: self.error_at(path) for path in self._errors if self.error_at(path)}
        if self.general_error.isVisibleTo(self):
            shown[""] = self.general_error.message
        return shown

    def show_errors(self, errors: Iterable[FieldError]) -> None:
        """Put each message under its input (one not tied to an input goes above the form)."""
        by_path: dict[str, list[str]] = {}
        for error in errors:
            key = error.path if error.path in self._errors else ""
            by_path.setdefault(key, []).append(error.message)
        for path, label in self._errors.items():
            label.show_message(" ".join(by_path.get(path, [])))
        self.general_error.show_message(" ".join(by_path.get("", [])))
        window = self.window()
        if window is not None:
            # Wrapped messages need their full height: nested form layouts keep the one-line height, so
            # lay out once, give each message the height its width needs, and size the dialog again.
            window.adjustSize()
            for label in (*self._errors.values(), self.general_error):
                label.setMinimumHeight(label.heightForWidth(label.width()) if label.text() else 0)
            window.adjustSize()
        first = next((p for p in self._inputs if p in by_path), None)
        if first is not None:
            self._inputs[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def _run(self, op: Callable[[], Changes], label: str) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)
        self.ctx.tasks.run_op(op, success=self._saved, failure=self._failed, initiator=self, label=label)

    def _saved(self, changes: Changes) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        self.changes = changes
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        if isinstance(error, ValidationFailed):
            self.show_errors(error.errors)
        elif isinstance(error, ConflictError):
            self.show_errors([FieldError("", f"{error} Cancel and open her again to see the other change.")])
        else:
            self.show_errors([FieldError("", f"Nothing was saved: {error}")])

    @Slot()
    def save(self) -> None:
        """Check what can be read here, then hand the values to the service."""
        raise NotImplementedError


class DeliveryFields:
    """Date, mode, perineal trauma and parity of one birth, each with its error label.

    Not a widget itself: its inputs are rows of the dialog's form, parented to the dialog.
    """

    PATHS = ("delivery.date", "delivery.mode", "delivery.perineal_trauma", "delivery.parity")

    def __init__(self, dialog: _SavingDialog, form: QFormLayout, *, parity: int = 1) -> None:
        self.date = QLineEdit(dialog)
        self.date.setPlaceholderText(DELIVERY_HINT)
        self.mode = _choice_box(dialog, [(m.value, mode_words(m)) for m in DeliveryMode], "Delivery mode")
        self.trauma = _choice_box(
            dialog, [(t.value, trauma_words(t)) for t in PerinealTrauma], "Perineal trauma"
        )
        self.parity = QSpinBox(dialog)
        self.parity.setRange(1, 20)
        self.parity.setValue(parity)
        self.parity.setToolTip("Births including this one.")
        self.parity.setMaximumWidth(90)
        dialog.add_row(form, "Delivery date:", "delivery.date", self.date)
        dialog.add_row(form, "Mode of delivery:", "delivery.mode", self.mode)
        dialog.add_row(form, "Perineal trauma:", "delivery.perineal_trauma", self.trauma)
        dialog.add_row(form, "Parity (births incl. this one):", "delivery.parity", self.parity)

    def read(self) -> tuple[Delivery | None, list[FieldError]]:
        """The birth as typed, or the inputs that cannot be read yet."""
        errors: list[FieldError] = []
        day = parse_date(self.date.text())
        if day is None:
            message = "Enter the delivery date" if not self.date.text().strip() else "Not a date"
            errors.append(FieldError("delivery.date", f"{message} ({DELIVERY_HINT})."))
        if self.mode.currentIndex() < 0:
            errors.append(FieldError("delivery.mode", "Choose how the baby was delivered."))
        if self.trauma.currentIndex() < 0:
            errors.append(FieldError("delivery.perineal_trauma", "Choose the perineal trauma."))
        if errors or day is None:
            return None, errors
        delivery = Delivery(
            day,
            DeliveryMode(self.mode.currentData()),
            PerinealTrauma(self.trauma.currentData()),
            self.parity.value(),
        )
        return delivery, []


class PatientDialog(_SavingDialog):
    """Register a new patient with her most recent birth, or correct an existing patient's details.

    Attributes:
        created_id: the new patient's id once saved (None when editing or cancelled).
    """

    def __init__(
        self, ctx: AppContext, patient: Patient | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent)
        self.patient = patient
        self.created_id: str | None = None
        self.setWindowTitle("Correct patient details" if patient else "New patient")
        self.family_name = QLineEdit(self)
        self.given_names = QLineEdit(self)
        self.date_of_birth = QLineEdit(self)
        self.date_of_birth.setPlaceholderText(DATE_HINT)
        self.record_number = QLineEdit(self)
        self.record_number.setPlaceholderText("optional — the clinic's chart number")
        identity = QGroupBox("Patient", self)
        form = QFormLayout(identity)
        self.add_row(form, "&Family name:", "patient.family_name", self.family_name)
        self.add_row(form, "&Given names:", "patient.given_names", self.given_names)
        self.add_row(form, "&Date of birth:", "patient.date_of_birth", self.date_of_birth)
        self.add_row(form, "&Record no.:", "patient.record_number", self.record_number)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addWidget(identity)
        self.delivery: DeliveryFields | None = None
        if patient is None:
            birth = QGroupBox("Her most recent birth", self)
            birth_form = QFormLayout(birth)
            self.delivery = DeliveryFields(self, birth_form)
            layout.addWidget(birth)
        else:
            self.family_name.setText(patient.family_name)
            self.given_names.setText(patient.given_names)
            self.date_of_birth.setText(patient.date_of_birth.isoformat())
            self.record_number.setText(patient.record_number)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(max(520, self.fontMetrics().horizontalAdvance("0") * 66))  # fits at 150 %

    @Slot()
    def save(self) -> None:
        """Create or update the patient through the task runner; refusals show at their fields."""
        errors: list[FieldError] = []
        born = parse_date(self.date_of_birth.text())
        if born is None:
            typed = self.date_of_birth.text().strip()
            message = "Not a date" if typed else "Enter her date of birth"
            errors.append(FieldError("patient.date_of_birth", f"{message} ({DATE_HINT})."))
        delivery = None
        if self.delivery is not None:
            delivery, problems = self.delivery.read()
            errors.extend(problems)
        if errors or born is None:
            # The service never sees this attempt, so ask it about the names too: every problem at once.
            names = patients.check_names(self.family_name.text(), self.given_names.text())
            self.show_errors([*names, *errors])
            return
        self.show_errors([])
        if self.patient is None:
            op = functools.partial(
                patients.create_patient,
                self.ctx.db,
                family_name=self.family_name.text(),
                given_names=self.given_names.text(),
                date_of_birth=born,
                record_number=self.record_number.text(),
                delivery=delivery,
                user=self.ctx.signed_in,
            )
            self._run(op, "Registering the patient…")
            return
        corrected = Patient(
            PatientId(self.patient.id),
            self.family_name.text().strip(),
            self.given_names.text().strip(),
            born,
            self.record_number.text().strip(),
            self.patient.archived,
        )
        op = functools.partial(
            patients.update_patient,
            self.ctx.db,
            corrected,
            expected=self.patient,
            user=self.ctx.signed_in,
        )
        self._run(op, "Saving the patient's details…")

    def _saved(self, changes: Changes) -> None:
        self.created_id = changes.created_id if self.patient is None else None
        super()._saved(changes)


class DeliveryDialog(_SavingDialog):
    """Record a later birth for a patient (the newest birth anchors the time gate)."""

    def __init__(
        self,
        ctx: AppContext,
        patient: Patient,
        previous: Delivery | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.patient = patient
        self.setWindowTitle(f"Add a birth — {patient.display_name}")
        box = QGroupBox("New birth", self)
        form = QFormLayout(box)
        self.delivery = DeliveryFields(self, form, parity=previous.parity + 1 if previous else 1)
        layout = QVBoxLayout(self)
        if previous is not None:
            layout.addWidget(QLabel(f"Previous birth: {day_text(previous.delivery_date)}", self))
        layout.addWidget(self.general_error)
        layout.addWidget(box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    @Slot()
    def save(self) -> None:
        """Add the birth through the task runner; refusals show at their fields."""
        delivery, errors = self.delivery.read()
        if delivery is None:
            self.show_errors(errors)
            return
        self.show_errors([])
        op = functools.partial(
            patients.add_delivery, self.ctx.db, self.patient.id, delivery, user=self.ctx.signed_in
        )
        self._run(op, "Recording the birth…")
