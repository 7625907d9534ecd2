"""Enter values through the real input widgets, as the keyboard would (setText / setCurrentIndex)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from clinic_app.domain.model import Value
from clinic_app.ui.forms.editors import OptionCombo
from clinic_app.ui.forms.page import BatteryPage


def typed_text(value: Value) -> str:
    """The text a physio would type for a number or a text value."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def enter(page: BatteryPage, path: str, value: Value | None) -> None:
    """Put ``value`` into the input that shows ``path`` on ``page``.

    Raises:
        AssertionError: no input shows the path, or it offers no such option.
    """
    widget = page.widget_for(path)
    assert widget is not None, f"no widget shows {path}"
    target: QWidget | None = widget.input_for(path)
    assert target is not None, f"no input for {path}"
    if isinstance(target, QLineEdit):
        target.setText("" if value is None else typed_text(value))
        return
    if isinstance(target, OptionCombo):
        index = target.index_of(value)
        assert index >= 0, f"{path}: no option {value!r}"
        target.setCurrentIndex(index)
        return
    boxes: dict[str, QCheckBox] | None = getattr(target, "boxes", None)
    if boxes is not None:
        chosen = value if isinstance(value, tuple) else ()
        for choice_id, box in boxes.items():
            box.setChecked(choice_id in chosen)
        return
    raise AssertionError(f"{path}: cannot enter into {type(target).__name__}")
