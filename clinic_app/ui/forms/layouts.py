"""Renderers for the layouts declared in the form files: grid, table and task.

Each renderer receives field widgets already built by the registry and only places them: the
POP-Q points as a 3×3 grid with the live stage under it, the inter-recti distances as a
site × condition table with method and unit above it, a load-and-impact task as one compact row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from clinic_app.assessment.layout import LayoutSpec
from clinic_app.assessment.spec import FormSpec
from clinic_app.ui.forms.base import FieldWidget
from clinic_app.ui.forms.flow import FlowLayout

DERIVED_CAPTIONS = {"popq_stage": "POP-Q stage"}
"""How a derived measure is introduced under its layout."""

NOT_YET = "— (not all points recorded)"
"""Shown for a derived measure before the services have computed it."""

_BRACKETED = re.compile(r"\(([^()]+)\)\s*$")


def short_name(label: str) -> str:
    """Return the short name heading a grid cell: the bracketed abbreviation, else the last word.

    "POP-Q genital hiatus (gh)" → "gh"; "POP-Q point Aa" → "Aa".
    """
    match = _BRACKETED.search(label)
    if match:
        return match.group(1).strip()
    return label.split()[-1] if label.split() else label


def task_caption(label: str, title: str) -> str:
    """Return a field label without the words it shares with its task's title.

    "L1 walking time reached" under "L1 Walking 30 min" → "Walking time reached";
    "L1 Walking 30 min — completed" → "Completed".
    """
    words, heading = label.split(), title.split()
    shared = 0
    while shared < min(len(words), len(heading)) and words[shared] == heading[shared]:
        shared += 1
    rest = " ".join(words[shared:]).lstrip("—–- ").strip()
    return (rest[:1].upper() + rest[1:]) if rest else label


def _caption(text: str, widget: FieldWidget, parent: QWidget, *, small: bool = False) -> QLabel:
    """A heading label whose buddy is the widget's first input (Alt-key and screen readers)."""
    label = QLabel(text, parent)
    label.setWordWrap(len(text) > 40)
    if small:
        label.setStyleSheet("font-weight: bold;")
    inputs = widget.focus_widgets()
    if inputs:
        label.setBuddy(inputs[0])
    return label


class LayoutWidget(QGroupBox):
    """A titled box holding the field widgets of one declared layout."""

    def __init__(self, layout: LayoutSpec, parent: QWidget | None = None) -> None:
        """Create the box; renderers fill :attr:`body` and call :meth:`_add_derived`.

        Args:
            layout: the declared layout.
            parent: the owning widget.
        """
        super().__init__(layout.title, parent)
        self.spec = layout
        self.body = QVBoxLayout(self)
        self.derived_label: QLabel | None = None

    @property
    def field_ids(self) -> tuple[str, ...]:
        """The fields placed, in reading (and tab) order."""
        return self.spec.field_ids

    def set_derived(self, text: str) -> None:
        """Show the live derived measure ("" for not computable yet)."""
        if self.derived_label is not None:
            caption = DERIVED_CAPTIONS.get(self.spec.derived, self.spec.derived)
            self.derived_label.setText(f"{caption}: {text or NOT_YET}")

    def _add_derived(self) -> None:
        if self.spec.derived:
            self.derived_label = QLabel(self)
            self.derived_label.setObjectName("derivedMeasure")
            self.derived_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.body.addWidget(self.derived_label)
            self.set_derived("")


def render_grid(
    layout: LayoutSpec, form: FormSpec, widgets: Mapping[str, FieldWidget], parent: QWidget | None = None
) -> LayoutWidget:
    """Rows of fields, each cell headed by the field's short name (POP-Q: Aa Ba C / gh pb tvl / Ap Bp D)."""
    box = LayoutWidget(layout, parent)
    grid = QGridLayout()
    grid.setHorizontalSpacing(24)
    for row_index, row in enumerate(layout.rows):
        for column, field_id in enumerate(row):
            widget = widgets[field_id]
            grid.addWidget(
                _caption(short_name(widget.caption), widget, box, small=True), row_index * 2, column
            )
            grid.addWidget(widget, row_index * 2 + 1, column, Qt.AlignmentFlag.AlignTop)
    columns = len(max(layout.rows, key=len))
    digit = box.fontMetrics().horizontalAdvance("0")
    for column in range(columns):
        grid.setColumnMinimumWidth(column, digit * 15)  # equal cells; a message wraps inside its cell
    grid.setColumnStretch(columns, 1)
    box.body.addLayout(grid)
    box._add_derived()
    return box


def render_table(
    layout: LayoutSpec, form: FormSpec, widgets: Mapping[str, FieldWidget], parent: QWidget | None = None
) -> LayoutWidget:
    """The fields above (with labels), then row labels × column headings with one field per cell."""
    box = LayoutWidget(layout, parent)
    if layout.above:
        above = QFormLayout()
        above.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a long choice goes under its label
        for field_id in layout.above:
            widget = widgets[field_id]
            above.addRow(_caption(widget.caption, widget, box), widget)
        box.body.addLayout(above)
    grid = QGridLayout()
    grid.setHorizontalSpacing(24)
    for column, heading in enumerate(layout.columns, start=1):
        header = QLabel(heading, box)
        header.setStyleSheet("font-weight: bold;")
        grid.addWidget(header, 0, column)
    for row_index, (row_label, row) in enumerate(zip(layout.row_labels, layout.rows, strict=True), start=1):
        first = widgets[row[0]]
        label = _caption(row_label, first, box)
        label.setContentsMargins(0, 4, 12, 0)  # level with the text of the inputs beside it
        grid.addWidget(label, row_index, 0, Qt.AlignmentFlag.AlignTop)
        for column, field_id in enumerate(row, start=1):
            grid.addWidget(widgets[field_id], row_index, column, Qt.AlignmentFlag.AlignTop)
    grid.setColumnStretch(len(layout.columns) + 1, 1)
    box.body.addLayout(grid)
    box._add_derived()
    return box


def render_task(
    layout: LayoutSpec, form: FormSpec, widgets: Mapping[str, FieldWidget], parent: QWidget | None = None
) -> LayoutWidget:
    """One task compactly: each field under a short caption, left to right, wrapping as needed.

    The fields flow (:class:`~clinic_app.ui.forms.flow.FlowLayout`): three or four to a line at
    100 %, fewer at 150 % or in a narrow window, never scrolling sideways.
    """
    box = LayoutWidget(layout, parent)
    box.body.setSpacing(6)
    flow = FlowLayout(spacing=24, line_spacing=8)
    box.body.addLayout(flow)
    for field_id in layout.fields:
        widget = widgets[field_id]
        cell = QWidget(box)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(_caption(task_caption(widget.caption, layout.title), widget, cell, small=True))
        column.addWidget(widget)
        column.addStretch(1)
        flow.addWidget(cell)
    box._add_derived()
    return box


RENDERERS = {"grid": render_grid, "table": render_table, "task": render_task}
"""The default renderer of each layout kind."""
