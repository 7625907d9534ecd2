"""The contract every widget built from a form field honours (``docs/design/window.md``).

A :class:`FieldWidget` owns the value paths of one field, hands its values on raw (it never judges
them: :func:`clinic_app.assessment.validate` does) and shows what it is told: values, error
messages, the previous visit's values as placeholders, a unit, read-only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from clinic_app.assessment.spec import FieldKind, FieldSpec
from clinic_app.domain.model import Value

ERROR_COLOUR = "#b3261e"
"""Red of error frames and messages (always with words and a ⚠ sign, never colour alone)."""

_FRAME_STYLE = f"border: 2px solid {ERROR_COLOUR}; border-radius: 3px;"


@contextmanager
def signals_blocked(*objects: QObject) -> Iterator[None]:
    """Block the signals of ``objects`` for the duration of a programmatic update.

    Args:
        objects: the widgets whose signals must stay silent.
    """
    previous = [obj.blockSignals(True) for obj in objects]
    try:
        yield
    finally:
        for obj, was_blocked in zip(objects, previous, strict=True):
            obj.blockSignals(was_blocked)


def format_plain(spec: FieldSpec, value: Value | None) -> str:
    """Return a recorded value as short text for a placeholder ("22", "Yes", "Leakage, Pain").

    Args:
        spec: the field the value belongs to (for option labels).
        value: the value as stored.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, tuple):
        return ", ".join(spec.choice_label(item) for item in value)
    if spec.kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE):
        return spec.choice_label(value)
    return value


def format_number(value: float) -> str:
    """Return a number as typed text: ``22``, ``2.5``, never ``22.0`` or an exponent for normal sizes."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Draw (or remove) the red error frame around one input (not around its children)."""
    name = widget.objectName()
    style = f"#{name} {{ {_FRAME_STYLE} }}" if name else _FRAME_STYLE
    widget.setStyleSheet(style if invalid else "")


class FieldWidget(QWidget):
    """Base of every widget the registry builds: one field, one or more value paths.

    Subclasses register their inputs with :meth:`_add_input` and implement :meth:`values`,
    :meth:`_set_value`, :meth:`_set_placeholder` and :meth:`set_read_only`.

    Signals:
        value_did_change(str): the path whose value the clinician changed (never emitted by
            :meth:`set_values`).
    """

    value_did_change = Signal(str)

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        """Create the frame: a row for the inputs and an error message under it.

        Args:
            spec: the field shown.
            parent: the owning widget.
        """
        super().__init__(parent)
        self.spec = spec
        self._inputs: dict[str, QWidget] = {}
        self._descriptions: dict[str, str] = {}
        self._errors: dict[str, str] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.row)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error_label.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum
        )  # wraps, never widens
        self.error_label.hide()
        outer.addWidget(self.error_label)

    # -- what subclasses provide -------------------------------------------------------------

    def values(self) -> dict[str, Value | None]:
        """Return every owned path with its raw value (None when nothing is recorded)."""
        raise NotImplementedError

    def _set_value(self, path: str, value: Value | None) -> None:
        """Show ``value`` at ``path`` (signals of this widget are blocked by the caller)."""
        raise NotImplementedError

    def _set_placeholder(self, path: str, text: str) -> None:
        """Show ``text`` (already formatted, "" to clear) as the previous value at ``path``."""
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock every input (a signed visit)."""
        raise NotImplementedError

    def set_unit(self, unit: str) -> None:
        """Show ``unit`` beside the number(s); only numeric widgets have a unit."""

    def set_measure(self, text: str) -> None:
        """Show a live derived value (the limb symmetry index of a sided field)."""

    def focus_widgets(self) -> list[QWidget]:
        """Return the inputs in tab order (left before right)."""
        return list(self._inputs.values())

    # -- shared behaviour --------------------------------------------------------------------

    @property
    def caption(self) -> str:
        """The label as shown beside the field: required fields end with " *"."""
        return f"{self.spec.label} *" if self.spec.required else self.spec.label

    def paths(self) -> tuple[str, ...]:
        """Return the value paths this widget owns."""
        return tuple(self._inputs)

    def input_for(self, path: str) -> QWidget | None:
        """Return the input that shows ``path`` (the first input for the field's own path)."""
        if path == self.spec.path and path not in self._inputs:
            return next(iter(self._inputs.values()), None)
        return self._inputs.get(path)

    def set_values(self, values: Mapping[str, Value | None]) -> None:
        """Show the values of the owned paths in ``values``; other paths stay as they are.

        No change signal is emitted.

        Args:
            values: path → value (None empties the input).
        """
        with signals_blocked(self):
            for path in self._inputs:
                if path in values:
                    self._set_value(path, values[path])
            self._after_load()

    def set_placeholders(self, values: Mapping[str, Value | None]) -> None:
        """Show the previous visit's values as "last: …"; owned paths not in ``values`` are cleared.

        Args:
            values: path → value as stored at the earlier visit.
        """
        for path in self._inputs:
            value = values.get(path)
            shown = value if path.endswith(".missing_reason") else format_plain(self.spec, value)
            text = "" if value is None else f"last: {shown}"
            self._set_placeholder(path, text)

    def set_errors(self, errors: Mapping[str, str]) -> None:
        """Show each message at its input (words under the field plus a red frame); {} clears.

        Args:
            errors: path → message; messages for the field's own path frame every input, and
                paths this widget does not own are ignored.
        """
        own = {path: message for path, message in errors.items() if self._owns(path)}
        self._errors = own
        whole = self.spec.path in own
        for path, widget in self._inputs.items():
            invalid = whole or path in own
            mark_invalid(widget, invalid)
            self._describe(path, own.get(path) or own.get(self.spec.path) or "")
        if own:
            self.error_label.setText("\n".join(f"⚠ {message}" for message in own.values()))
            self.error_label.show()
        else:
            self.error_label.clear()
            self.error_label.hide()

    def errors(self) -> dict[str, str]:
        """Return the messages currently shown, by path."""
        return dict(self._errors)

    def focus_path(self, path: str) -> bool:
        """Put the keyboard focus on the input of ``path``; return False when it is not owned."""
        widget = self.input_for(path)
        if widget is None:
            return False
        widget.setFocus()
        return True

    def _owns(self, path: str) -> bool:
        return path in self._inputs or path == self.spec.path

    def _add_input(self, path: str, widget: QWidget, accessible_name: str) -> None:
        """Register an input: accessible name, the field's help as tooltip, "required" described."""
        self._inputs[path] = widget
        widget.setAccessibleName(accessible_name)
        widget.setToolTip(self.spec.help)
        self._descriptions[path] = "required" if self.spec.required else ""
        self._describe(path, "")

    def _describe(self, path: str, error: str) -> None:
        """Set the accessible description: "required" and the current error message, in words."""
        parts = [part for part in (self._descriptions.get(path, ""), error) if part]
        widget = self._inputs[path]
        widget.setAccessibleDescription("; ".join(parts))

    def _emit_changed(self, path: str) -> None:
        """Announce a change the clinician made at ``path``."""
        self.value_did_change.emit(path)

    def _after_load(self) -> None:
        """Hook run after :meth:`set_values` (the sided widget shows or hides its reason)."""
