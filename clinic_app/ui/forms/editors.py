"""The single inputs field widgets are made of: a number, yes/no, options, ticks, text, a date.

Each editor turns what the clinician typed or picked into a raw value and back. None of them
judges a value: a number that does not parse is handed on as its text, an option id the form no
longer knows is kept and shown, so that validation reports it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFrame, QGridLayout, QLabel, QLineEdit, QWidget

from clinic_app.assessment.spec import FieldKind, FieldSpec
from clinic_app.domain.model import Value
from clinic_app.ui.forms.base import ERROR_COLOUR, format_number

EMPTY = "—"
"""Text of the "not recorded" item of a drop-down."""

_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_WHOLE = re.compile(r"^[+-]?\d+$")
_LINE_CHARS = 32
"""Characters of tick labels on one line of a row of ticks."""


def parse_number(text: str, kind: FieldKind) -> Value | None:
    """Return typed text as a number, or the text itself when it is not one.

    Accepts a comma decimal ("2,5") and the minus sign "−". Empty text means not recorded.

    Args:
        text: what the clinician typed.
        kind: ``integer`` or ``number`` (an integer field still passes "22.5" on as 22.5, for
            validation to report).
    """
    stripped = text.strip()
    if not stripped:
        return None
    normal = stripped.replace("−", "-").replace(" ", "")
    if normal.count(",") == 1 and "." not in normal:
        normal = normal.replace(",", ".")
    if _WHOLE.match(normal):
        return int(normal)
    if _DECIMAL.match(normal):
        return float(normal)
    return stripped


def _chars(widget: QWidget, count: int) -> int:
    """Width of ``count`` digits in the widget's font (follows the screen scale)."""
    return widget.fontMetrics().horizontalAdvance("0") * count + 16


class NumberEdit(QLineEdit):
    """A number as text: empty means not recorded (a spin box cannot say that)."""

    changed = Signal()

    def __init__(self, kind: FieldKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setMaximumWidth(_chars(self, 9))
        self.setMinimumWidth(_chars(self, 6))  # a crowded row scrolls; a number box never shrinks to a sliver
        self.textChanged.connect(self.changed)  # typed or pasted; set_values blocks signals

    def value(self) -> Value | None:
        """Return the typed number, or the text when it is not one."""
        return parse_number(self.text(), self.kind)

    def set_value(self, value: Value | None) -> None:
        """Show a stored number (or stored text) for editing."""
        if value is None:
            self.clear()
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.setText(format_number(value))
        else:
            self.setText(str(value))

    def set_placeholder(self, text: str) -> None:
        """Show the previous value as grey text."""
        self.setPlaceholderText(text)

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock the input."""
        self.setReadOnly(read_only)


class TextEdit(QLineEdit):
    """Free text (and dates, typed as YYYY-MM-DD); blank means not recorded."""

    changed = Signal()

    def __init__(self, date: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date = date
        self._hint = "YYYY-MM-DD" if date else ""
        self.setPlaceholderText(self._hint)
        if date:
            self.setMaximumWidth(_chars(self, 13))
        else:
            self.setMinimumWidth(_chars(self, 24))
            self.setMaximumWidth(_chars(self, 60))
        self.textChanged.connect(self.changed)  # typed or pasted; set_values blocks signals

    def value(self) -> Value | None:
        """Return the text (a date's text as typed, trimmed), None when blank."""
        text = self.text()
        if not text.strip():
            return None
        return text.strip() if self.date else text

    def set_value(self, value: Value | None) -> None:
        """Show stored text."""
        self.setText("" if value is None else str(value))

    def set_placeholder(self, text: str) -> None:
        """Show the previous value; a date keeps its format hint when there is none."""
        if self.date and text:
            self.setPlaceholderText(f"{text} (YYYY-MM-DD)")
        else:
            self.setPlaceholderText(text or self._hint)

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock the input."""
        self.setReadOnly(read_only)


class OptionCombo(QComboBox):
    """Yes/no or one option: the first item "—" means not recorded, which differs from "No".

    The values behind the items are kept in a Python list, not as Qt item data: PySide6 6.12 was seen
    to lose a reference when ``None`` or ``True``/``False`` went through item data, which crashed the
    interpreter at exit ("deallocating None"). Choice ids are still set as item data (text is safe)
    so ``findData("mm")`` keeps working.
    """

    changed = Signal()

    def __init__(self, items: list[tuple[str, Value]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Value | None] = [None]
        self.addItem(EMPTY)
        for text, data in items:
            self._add(text, data)
        self._fixed = self.count()
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentIndexChanged.connect(self._on_index_changed)
        self._loading = False

    def _add(self, text: str, value: Value) -> None:
        self._values.append(value)
        if isinstance(value, str):
            self.addItem(text, value)
        else:
            self.addItem(text)

    def index_of(self, value: Value | None) -> int:
        """Return the item index showing ``value`` (same type too: 1 is not True), or -1."""
        for index, held in enumerate(self._values):
            if held == value and type(held) is type(value):
                return index
        return -1

    def value(self) -> Value | None:
        """Return the chosen value, None for "—"."""
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def set_value(self, value: Value | None) -> None:
        """Select the item of ``value``; a value the form does not offer is kept as its own item."""
        self._loading = True
        try:
            while self.count() > self._fixed:
                self.removeItem(self.count() - 1)
                self._values.pop()
            if value is None:
                self.setCurrentIndex(0)
                return
            index = self.index_of(value)
            if index >= 0:
                self.setCurrentIndex(index)
                return
            self._add(f"{value} (not an option)", value)
            self.setCurrentIndex(self.count() - 1)
        finally:
            self._loading = False

    def set_placeholder(self, text: str) -> None:
        """Show the previous value in the "not recorded" item ("—  last: Yes")."""
        self.setItemText(0, f"{EMPTY}   {text}" if text else EMPTY)

    def set_read_only(self, read_only: bool) -> None:
        """A drop-down cannot be read-only: it is disabled instead."""
        self.setEnabled(not read_only)

    def _on_index_changed(self, _index: int) -> None:
        if not self._loading:
            self.changed.emit()


def ticks_per_line(labels: list[str], budget: int = _LINE_CHARS) -> int:
    """The most ticks per line (same count on every line) whose labels fit ``budget`` characters.

    A grid of long labels needs more width than the page has at 150 % and would scroll sideways.
    """
    for per_line in range(len(labels), 1, -1):
        lines = [labels[start : start + per_line] for start in range(0, len(labels), per_line)]
        if max(sum(len(label) for label in line) for line in lines) <= budget:
            return per_line
    return 1


class ChecksBox(QFrame):
    """A row of ticks for a multichoice field; ticking an exclusive option ("None") unticks the rest."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checksBox")
        self.spec = spec
        self.boxes: dict[str, QCheckBox] = {}
        self._extra: tuple[str, ...] = ()
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        per_line = ticks_per_line([choice.label for choice in spec.choices])
        for index, choice in enumerate(spec.choices):
            box = QCheckBox(choice.label, self)
            box.setAccessibleName(f"{spec.label}: {choice.label}")
            box.setToolTip(spec.help)
            box.toggled.connect(self._on_toggled)
            self.boxes[choice.id] = box
            grid.addWidget(box, *divmod(index, per_line))
        lines = (len(spec.choices) + per_line - 1) // per_line
        self.extra_label = QLabel(self)
        self.extra_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.extra_label.hide()
        grid.addWidget(self.extra_label, lines, 0, 1, per_line)
        self.last_label = QLabel(self)
        self.last_label.setEnabled(False)
        self.last_label.hide()
        grid.addWidget(self.last_label, lines + 1, 0, 1, per_line)
        grid.setColumnStretch(per_line, 1)
        self._loading = False

    def value(self) -> Value | None:
        """Return the ticked option ids in form order (plus kept unknown ids), None when none."""
        ticked = tuple(choice_id for choice_id, box in self.boxes.items() if box.isChecked())
        combined = ticked + self._extra
        return combined or None

    def set_value(self, value: Value | None) -> None:
        """Tick the stored ids; ids the form does not offer are kept and listed."""
        items = value if isinstance(value, tuple) else (() if value is None else (str(value),))
        self._loading = True
        try:
            for choice_id, box in self.boxes.items():
                box.setChecked(choice_id in items)
        finally:
            self._loading = False
        self._extra = tuple(str(item) for item in items if item not in self.boxes)
        self.extra_label.setText(f"also recorded: {', '.join(self._extra)}")
        self.extra_label.setVisible(bool(self._extra))

    def set_placeholder(self, text: str) -> None:
        """Show the previous visit's ticks as grey text after the boxes."""
        self.last_label.setText(text)
        self.last_label.setVisible(bool(text))

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock every tick."""
        for box in self.boxes.values():
            box.setEnabled(not read_only)

    def _on_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        sender = self.sender()
        if checked and isinstance(sender, QCheckBox):
            exclusive = {choice.id for choice in self.spec.choices if choice.exclusive}
            ticked_id = next(choice_id for choice_id, box in self.boxes.items() if box is sender)
            self._loading = True
            try:
                for choice_id, box in self.boxes.items():
                    if box is not sender and (ticked_id in exclusive or choice_id in exclusive):
                        box.setChecked(False)
            finally:
                self._loading = False
        self.changed.emit()
