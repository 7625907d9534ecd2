"""Field widgets, one factory per (kind, variant): the registry's building blocks.

A plain field is one editor (plus its unit for numbers); a sided field is left and right side by
side, the reason one side is missing (shown when exactly one side is filled) and the live limb
symmetry index. Nothing here judges a value.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clinic_app.assessment.spec import MISSING_REASON, FieldKind, FieldSpec
from clinic_app.domain.enums import Side
from clinic_app.domain.model import Value
from clinic_app.ui.forms.base import FieldWidget
from clinic_app.ui.forms.editors import ChecksBox, NumberEdit, OptionCombo, TextEdit

NO_UNIT = "unit?"
"""Shown beside a measurement whose unit field has no choice yet."""

Editor = NumberEdit | TextEdit | OptionCombo | ChecksBox


def _unit_label(spec: FieldSpec, parent: QWidget) -> QLabel:
    label = QLabel(spec.unit if not spec.unit_field else NO_UNIT, parent)
    label.setAccessibleName(f"{spec.label} unit")
    return label


class SingleFieldWidget(FieldWidget):
    """One field with one input: a number (and its unit), yes/no, options, ticks, text or a date."""

    def __init__(self, spec: FieldSpec, editor: Editor, parent: QWidget | None = None) -> None:
        """Place ``editor`` (and the unit label of a number) in the widget.

        Args:
            spec: the field.
            editor: the input that records it.
            parent: the owning widget.
        """
        super().__init__(spec, parent)
        self.editor = editor
        editor.setParent(self)
        grows = isinstance(editor, TextEdit) and not editor.date
        self.row.addWidget(editor, 1 if grows else 0)
        self.unit_label: QLabel | None = None
        if spec.kind.numeric:
            self.unit_label = _unit_label(spec, self)
            self.row.addWidget(self.unit_label)
        if not isinstance(editor, ChecksBox):
            self.row.addStretch(0 if grows else 1)
        self._add_input(spec.path, editor, spec.label)
        editor.changed.connect(self._on_changed)

    def values(self) -> dict[str, Value | None]:
        """Return ``{form.field: raw value}``."""
        return {self.spec.path: self.editor.value()}

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock the input."""
        self.editor.set_read_only(read_only)

    def set_unit(self, unit: str) -> None:
        """Show the unit the unit field currently names."""
        if self.unit_label is not None:
            self.unit_label.setText(unit or NO_UNIT)

    def focus_widgets(self) -> list[QWidget]:
        """The input, or each tick of a multichoice, in order."""
        if isinstance(self.editor, ChecksBox):
            return list(self.editor.boxes.values())
        return [self.editor]

    def focus_path(self, path: str) -> bool:
        """Focus the input (the first tick of a multichoice)."""
        if path != self.spec.path:
            return False
        self.focus_widgets()[0].setFocus()
        return True

    def _set_value(self, path: str, value: Value | None) -> None:
        self.editor.set_value(value)

    def _set_placeholder(self, path: str, text: str) -> None:
        self.editor.set_placeholder(text)

    def _on_changed(self) -> None:
        self._emit_changed(self.spec.path)


class SidedFieldWidget(FieldWidget):
    """Left and right side by side, the reason a side is missing, and the live LSI."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        """Build both sides (left first, so it comes first in tab order), reason and LSI label.

        Args:
            spec: a sided numeric field.
            parent: the owning widget.
        """
        super().__init__(spec, parent)
        self.sides: dict[str, NumberEdit] = {}
        self.unit_labels: list[QLabel] = []
        for side in (Side.LEFT, Side.RIGHT):
            word = side.value.capitalize()
            caption = QLabel(word, self)
            edit = NumberEdit(spec.kind, self)
            caption.setBuddy(edit)
            unit = _unit_label(spec, self)
            unit.setMinimumWidth(unit.fontMetrics().horizontalAdvance("reps") + 4)  # sides line up
            self.row.addWidget(caption)
            self.row.addWidget(edit)
            self.row.addWidget(unit)
            self.row.addSpacing(12)
            self.sides[side.value] = edit
            self.unit_labels.append(unit)
            self._add_input(f"{spec.path}.{side.value}", edit, f"{spec.label} — {side.value}")
            edit.changed.connect(self._on_side_changed)
        self.measure_label = QLabel(self)
        self.measure_label.setAccessibleName(f"{spec.label} — limb symmetry")
        self.row.addWidget(self.measure_label)
        self.row.addStretch(1)
        self.reason_caption = QLabel("Reason one side is missing", self)
        self.reason = TextEdit(parent=self)
        self.reason_caption.setBuddy(self.reason)
        self.row_reason = QWidget(self)
        reason_row = QHBoxLayout(self.row_reason)
        reason_row.setContentsMargins(0, 0, 0, 0)
        self.reason_caption.setParent(self.row_reason)
        self.reason.setParent(self.row_reason)
        reason_row.addWidget(self.reason_caption)
        reason_row.addWidget(self.reason, 1)
        reason_row.addStretch(0)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.row_reason)  # under the sides, above the error message
        self._add_input(
            f"{spec.path}.{MISSING_REASON}", self.reason, f"{spec.label} — reason one side is missing"
        )
        self.reason.changed.connect(self._on_reason_changed)
        self._update_reason()

    def values(self) -> dict[str, Value | None]:
        """Return ``.left``, ``.right`` and ``.missing_reason``, raw."""
        out: dict[str, Value | None] = {
            f"{self.spec.path}.{side}": edit.value() for side, edit in self.sides.items()
        }
        out[f"{self.spec.path}.{MISSING_REASON}"] = self.reason.value()
        return out

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock both sides and the reason."""
        for edit in self.sides.values():
            edit.set_read_only(read_only)
        self.reason.set_read_only(read_only)

    def set_unit(self, unit: str) -> None:
        """Show ``unit`` beside both sides."""
        for label in self.unit_labels:
            label.setText(unit or NO_UNIT)

    def set_measure(self, text: str) -> None:
        """Show the live limb symmetry index and weaker side ("" hides it)."""
        self.measure_label.setText(text)

    def focus_widgets(self) -> list[QWidget]:
        """Left, right, then the reason."""
        return [self.sides[Side.LEFT.value], self.sides[Side.RIGHT.value], self.reason]

    def focus_path(self, path: str) -> bool:
        """Focus the side (or reason) of ``path``; the field's own path focuses the left side."""
        widget = self.input_for(path)
        if widget is None:
            return False
        if widget is self.reason:
            self.row_reason.show()
        widget.setFocus()
        return True

    def _set_value(self, path: str, value: Value | None) -> None:
        if path.endswith(f".{MISSING_REASON}"):
            self.reason.set_value(value)
        else:
            self.sides[path.rsplit(".", 1)[1]].set_value(value)

    def _set_placeholder(self, path: str, text: str) -> None:
        if path.endswith(f".{MISSING_REASON}"):
            self.reason.set_placeholder(text)
        else:
            self.sides[path.rsplit(".", 1)[1]].set_placeholder(text)

    def _after_load(self) -> None:
        self._update_reason()

    def _update_reason(self) -> None:
        """Show the reason when exactly one side is filled, or when a reason is recorded."""
        filled = [bool(edit.text().strip()) for edit in self.sides.values()]
        wanted = filled.count(True) == 1 or bool(self.reason.text().strip())
        self.row_reason.setVisible(wanted)

    def _on_side_changed(self) -> None:
        self._update_reason()
        sender = self.sender()
        for side, edit in self.sides.items():
            if edit is sender:
                self._emit_changed(f"{self.spec.path}.{side}")

    def _on_reason_changed(self) -> None:
        self._emit_changed(f"{self.spec.path}.{MISSING_REASON}")


def number_widget(spec: FieldSpec) -> FieldWidget:
    """An integer or number: text input (empty = not recorded) with its unit beside it."""
    return SingleFieldWidget(spec, NumberEdit(spec.kind))


def boolean_widget(spec: FieldSpec) -> FieldWidget:
    """Yes/no as a drop-down "—", "Yes", "No", so not recorded differs from No."""
    return SingleFieldWidget(spec, OptionCombo([("Yes", True), ("No", False)]))


def choice_widget(spec: FieldSpec) -> FieldWidget:
    """One option from a drop-down whose first item is "—" (not recorded)."""
    return SingleFieldWidget(spec, OptionCombo([(choice.label, choice.id) for choice in spec.choices]))


def multichoice_widget(spec: FieldSpec) -> FieldWidget:
    """A row of ticks; an exclusive option unticks the others."""
    return SingleFieldWidget(spec, ChecksBox(spec))


def text_widget(spec: FieldSpec) -> FieldWidget:
    """Free text on one line."""
    return SingleFieldWidget(spec, TextEdit())


def date_widget(spec: FieldSpec) -> FieldWidget:
    """A date typed as YYYY-MM-DD; the text is passed on as typed, for validation to check."""
    return SingleFieldWidget(spec, TextEdit(date=True))


def sided_number_widget(spec: FieldSpec) -> FieldWidget:
    """A sided integer or number: left and right, reason and live limb symmetry."""
    return SidedFieldWidget(spec)


FACTORIES = {
    (FieldKind.INTEGER.value, "default"): number_widget,
    (FieldKind.NUMBER.value, "default"): number_widget,
    (FieldKind.BOOLEAN.value, "default"): boolean_widget,
    (FieldKind.CHOICE.value, "default"): choice_widget,
    (FieldKind.MULTICHOICE.value, "default"): multichoice_widget,
    (FieldKind.TEXT.value, "default"): text_widget,
    (FieldKind.DATE.value, "default"): date_widget,
    (FieldKind.INTEGER.value, "sided"): sided_number_widget,
    (FieldKind.NUMBER.value, "sided"): sided_number_widget,
}
"""The default widget for each (kind, variant)."""
