"""One battery (one form file) as a scrollable page, built entirely from the form and the registry.

The description comes first; fields that no layout claims sit under their group in a
:class:`QGroupBox` with a :class:`QFormLayout`; a declared layout takes the place of its first
field. The page offers the field-widget calls for the whole battery (``docs/design/window.md``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from enum import StrEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_app.assessment.layout import LayoutSpec
from clinic_app.assessment.spec import MISSING_REASON, FieldSpec, FormSpec
from clinic_app.domain.model import Value
from clinic_app.ui.forms.base import FieldWidget
from clinic_app.ui.forms.layouts import LayoutWidget
from clinic_app.ui.forms.registry import WidgetRegistry, default_registry


class PageState(StrEnum):
    """How far a battery is, for the navigation list."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"
    HAS_ERRORS = "has errors"


def _recorded(value: Value | None) -> bool:
    return value is not None and value != "" and value != ()


class BatteryPage(QWidget):
    """The page of one battery: every path of the form, one widget per field.

    Signals:
        values_did_change(str): the form id, whenever the clinician changes a value.
    """

    values_did_change = Signal(str)

    def __init__(
        self, form: FormSpec, registry: WidgetRegistry | None = None, parent: QWidget | None = None
    ) -> None:
        """Build the page.

        Args:
            form: the battery.
            registry: where the widgets come from (default: :func:`default_registry`).
            parent: the owning widget.

        Raises:
            UnknownWidgetError: when a field's (kind, variant) or a layout kind has no widget.
        """
        super().__init__(parent)
        self.form = form
        registry = registry or default_registry()
        self.widgets: dict[str, FieldWidget] = {spec.id: registry.field_widget(spec) for spec in form.fields}
        self.layout_widgets: list[LayoutWidget] = []
        self._owner: dict[str, FieldWidget] = {}
        for widget in self.widgets.values():
            for path in widget.paths():
                self._owner[path] = widget
            widget.value_did_change.connect(self._on_value_changed)
        self._has_errors = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(self.scroll_area)
        content = QWidget(self.scroll_area)
        self.body = QVBoxLayout(content)
        self.description = QLabel(form.description, content)
        self.description.setWordWrap(True)
        self.body.addWidget(self.description)
        self._build_sections(registry, content)
        self.body.addStretch(1)
        self.scroll_area.setWidget(content)
        self._chain_tab_order()
        self._refresh_units()

    # -- building ------------------------------------------------------------------------------

    def _build_sections(self, registry: WidgetRegistry, content: QWidget) -> None:
        """Groups and layouts in field order; a layout sits where its first field would have been."""
        placed: set[int] = set()
        box: QGroupBox | None = None
        rows: QFormLayout | None = None
        group = None
        self._order: list[str] = []
        self._captions: list[QLabel] = []
        for spec in self.form.fields:
            layout = self.form.layout_of(spec.id)
            if layout is not None:
                if id(layout) not in placed:
                    placed.add(id(layout))
                    self._place_layout(registry, layout, content)
                    box = rows = group = None
                continue
            if box is None or rows is None or spec.group != group:
                group = spec.group
                box = QGroupBox(spec.group or self.form.title, content)
                rows = QFormLayout(box)
                rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
                # A field too wide for the space beside its caption goes under it (150 %, narrow window).
                rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
                self.body.addWidget(box)
            rows.addRow(self._caption(spec, box), self.widgets[spec.id])
            self._order.append(spec.id)
        self._align_captions()

    def _align_captions(self) -> None:
        """One caption width for the whole page (capped, long labels wrap), so inputs line up."""
        if not self._captions:
            return
        digit = self._captions[0].fontMetrics().horizontalAdvance("0")
        width = min(max(label.sizeHint().width() for label in self._captions), digit * 30)
        for label in self._captions:
            label.setWordWrap(label.sizeHint().width() > width)
            label.setFixedWidth(width)

    def _place_layout(self, registry: WidgetRegistry, layout: LayoutSpec, content: QWidget) -> None:
        widget = registry.layout_widget(layout, self.form, self.widgets, content)
        self.layout_widgets.append(widget)
        self.body.addWidget(widget)
        self._order.extend(layout.field_ids)

    def _caption(self, spec: FieldSpec, parent: QWidget) -> QLabel:
        widget = self.widgets[spec.id]
        label = QLabel(widget.caption, parent)
        self._captions.append(label)
        inputs = widget.focus_widgets()
        if inputs:
            label.setBuddy(inputs[0])
        return label

    def _chain_tab_order(self) -> None:
        """Tab goes down the battery as it is shown, left before right."""
        chain = self.tab_sequence()
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def tab_sequence(self) -> list[QWidget]:
        """Return every input in the order Tab visits them."""
        return [inp for field_id in self._order for inp in self.widgets[field_id].focus_widgets()]

    # -- the battery-wide calls ------------------------------------------------------------------

    @property
    def form_id(self) -> str:
        """The id of the battery shown."""
        return self.form.id

    def paths(self) -> tuple[str, ...]:
        """Return every value path of the form in field order (sided: left, right, reason)."""
        return tuple(path for widget in self.widgets.values() for path in widget.paths())

    def values(self) -> dict[str, Value | None]:
        """Return every path with its raw value (None when not recorded)."""
        out: dict[str, Value | None] = {}
        for widget in self.widgets.values():
            out.update(widget.values())
        return out

    def set_values(self, values: Mapping[str, Value | None]) -> None:
        """Show the values of the paths given (other paths stay); no change signal.

        Args:
            values: path → value; paths of other forms are ignored.
        """
        for widget in self.widgets.values():
            widget.set_values(values)
        self._refresh_units()

    def set_errors(self, errors: Mapping[str, str]) -> None:
        """Show each message at the widget owning its path; {} clears. Other paths are ignored."""
        shown = False
        for widget in self.widgets.values():
            widget.set_errors(errors)
            shown = shown or bool(widget.errors())
        self._has_errors = shown

    def set_placeholders(self, values: Mapping[str, Value | None]) -> None:
        """Show the previous visit's values as "last: …" placeholders (paths missing are cleared)."""
        for widget in self.widgets.values():
            widget.set_placeholders(values)

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock every input of the battery."""
        for widget in self.widgets.values():
            widget.set_read_only(read_only)

    def set_measures(self, measures: Mapping[str, str]) -> None:
        """Show live derived values: a sided field path → LSI text, ``form.derived`` → e.g. POP-Q stage."""
        for key, text in measures.items():
            form_id, _, name = key.partition(".")
            if form_id != self.form.id:
                continue
            if name in self.widgets:
                self.widgets[name].set_measure(text)
            for layout in self.layout_widgets:
                if layout.spec.derived and layout.spec.derived == name:
                    layout.set_derived(text)

    def focus_path(self, path: str) -> bool:
        """Scroll to the input of ``path`` and focus it; return False when the page does not own it."""
        widget = self.widget_for(path)
        if widget is None:
            return False
        widget.focus_path(path)
        target = widget.input_for(path) or widget
        self.scroll_area.ensureWidgetVisible(target, 50, 50)
        return True

    def widget_for(self, path: str) -> FieldWidget | None:
        """Return the field widget owning ``path`` (also the field's own path of a sided field)."""
        if path in self._owner:
            return self._owner[path]
        form_id, _, field_id = path.partition(".")
        return self.widgets.get(field_id) if form_id == self.form.id else None

    def field_count(self) -> int:
        """The number of fields of the battery."""
        return len(self.form.fields)

    def filled_count(self) -> int:
        """The number of fields with a recorded value (either side counts; a reason alone does not)."""
        count = 0
        for widget in self.widgets.values():
            values = widget.values()
            if any(_recorded(v) for p, v in values.items() if not p.endswith(f".{MISSING_REASON}")):
                count += 1
        return count

    def has_errors(self) -> bool:
        """True when the last :meth:`set_errors` showed any message on this page."""
        return self._has_errors

    def state(self) -> PageState:
        """The battery's state for the navigation: errors first, then how much is recorded."""
        if self._has_errors:
            return PageState.HAS_ERRORS
        filled = self.filled_count()
        if filled == 0:
            return PageState.NOT_STARTED
        return PageState.COMPLETE if filled >= self.field_count() else PageState.IN_PROGRESS

    # -- reactions -------------------------------------------------------------------------------

    def _on_value_changed(self, path: str) -> None:
        field_id = path.split(".")[1] if "." in path else path
        if any(spec.unit_field == field_id for spec in self.form.fields):
            self._refresh_units()
        self.values_did_change.emit(self.form.id)

    def _refresh_units(self) -> None:
        """Unit labels of ``unit_field`` measurements follow the unit field's current choice."""
        for spec in self.form.fields:
            if not spec.unit_field:
                continue
            unit_spec = self.form.field(spec.unit_field)
            chosen = self.widgets[spec.unit_field].values().get(f"{self.form.id}.{spec.unit_field}")
            unit = unit_spec.choice_label(chosen) if unit_spec and isinstance(chosen, str) else ""
            self.widgets[spec.id].set_unit(unit)
