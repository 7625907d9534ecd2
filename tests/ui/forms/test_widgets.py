"""Tests for the field widgets: what each kind records, the sided variant and exclusive ticks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from clinic_app.assessment.spec import FieldKind, FieldSpec, FormSpec
from clinic_app.ui.forms.editors import ChecksBox, parse_number
from clinic_app.ui.forms.widgets import (
    SidedFieldWidget,
    SingleFieldWidget,
    boolean_widget,
    choice_widget,
    date_widget,
    multichoice_widget,
    sided_number_widget,
)

FormOf = Callable[[str], FormSpec]


def _spec(form_of: FormOf, form_id: str, field_id: str) -> FieldSpec:
    spec = form_of(form_id).field(field_id)
    assert spec is not None
    return spec


def test_parse_number_never_judges() -> None:
    """Parsing turns numbers into int/float and hands everything else on as typed."""
    assert parse_number("7", FieldKind.INTEGER) == 7
    assert parse_number("7.5", FieldKind.INTEGER) == 7.5
    assert parse_number("0,75", FieldKind.NUMBER) == 0.75
    assert parse_number("nan", FieldKind.NUMBER) == "nan"
    assert parse_number("1e3", FieldKind.NUMBER) == "1e3"
    assert parse_number("   ", FieldKind.NUMBER) is None


def test_boolean_distinguishes_unrecorded_from_no(qtbot: QtBot, form_of: FormOf) -> None:
    """Yes/no is a drop-down "—", "Yes", "No": not recorded is None, No is False."""
    widget = boolean_widget(_spec(form_of, "prolapse", "hysterectomy"))
    qtbot.addWidget(widget)
    combo = widget.focus_widgets()[0]
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["—", "Yes", "No"]
    assert widget.values() == {"prolapse.hysterectomy": None}
    combo.setCurrentIndex(2)
    assert widget.values() == {"prolapse.hysterectomy": False}


def test_choice_keeps_an_unknown_id_for_validation(qtbot: QtBot, form_of: FormOf) -> None:
    """A stored id the form does not offer is shown and passed back, for validate to report."""
    widget = choice_widget(_spec(form_of, "prolapse", "system"))
    qtbot.addWidget(widget)
    widget.set_values({"prolapse.system": "popq_simplified"})
    assert widget.values() == {"prolapse.system": "popq_simplified"}
    widget.set_values({"prolapse.system": "popq"})
    combo = widget.focus_widgets()[0]
    assert isinstance(combo, QComboBox) and combo.count() == 3


def test_choice_change_emits_value_did_change(qtbot: QtBot, form_of: FormOf) -> None:
    """Picking an option announces the field path; set_values does not."""
    widget = choice_widget(_spec(form_of, "prolapse", "system"))
    qtbot.addWidget(widget)
    with qtbot.assertNotEmitted(widget.value_did_change):
        widget.set_values({"prolapse.system": "popq"})
    combo = widget.focus_widgets()[0]
    assert isinstance(combo, QComboBox)
    with qtbot.waitSignal(widget.value_did_change) as blocker:
        combo.setCurrentIndex(2)
    assert blocker.args == ["prolapse.system"]


def test_exclusive_option_unticks_the_others(qtbot: QtBot, form_of: FormOf) -> None:
    """Ticking "None" clears the symptoms, and ticking a symptom clears "None"."""
    widget = multichoice_widget(_spec(form_of, "load_impact", "l1_symptoms"))
    qtbot.addWidget(widget)
    assert isinstance(widget, SingleFieldWidget) and isinstance(widget.editor, ChecksBox)
    boxes = widget.editor.boxes
    boxes["leakage"].setChecked(True)
    boxes["pain"].setChecked(True)
    assert widget.values() == {"load_impact.l1_symptoms": ("leakage", "pain")}
    boxes["none"].setChecked(True)
    assert widget.values() == {"load_impact.l1_symptoms": ("none",)}
    boxes["doming"].setChecked(True)
    assert widget.values() == {"load_impact.l1_symptoms": ("doming",)}


def test_multichoice_set_values_keeps_combinations_as_stored(qtbot: QtBot, form_of: FormOf) -> None:
    """Loading "none" with another option shows both (validation, not the widget, objects)."""
    widget = multichoice_widget(_spec(form_of, "load_impact", "l1_symptoms"))
    qtbot.addWidget(widget)
    widget.set_values({"load_impact.l1_symptoms": ("none", "pain", "cramp")})
    assert widget.values() == {"load_impact.l1_symptoms": ("none", "pain", "cramp")}


def test_date_text_is_passed_on_as_typed(qtbot: QtBot, form_of: FormOf) -> None:
    """A date field shows the YYYY-MM-DD hint and passes any text on for validation."""
    widget = date_widget(_spec(form_of, "questionnaires", "iciq_date"))
    qtbot.addWidget(widget)
    edit = widget.focus_widgets()[0]
    assert edit.placeholderText() == "YYYY-MM-DD"  # type: ignore[attr-defined]
    edit.setText("31/02/2024")  # type: ignore[attr-defined]
    assert widget.values() == {"questionnaires.iciq_date": "31/02/2024"}


def test_sided_reason_appears_when_one_side_is_filled(qtbot: QtBot, form_of: FormOf) -> None:
    """The missing-side reason shows only while exactly one side is filled (or a reason exists)."""
    widget = sided_number_widget(_spec(form_of, "hop", "single_hop"))
    qtbot.addWidget(widget)
    assert isinstance(widget, SidedFieldWidget)
    assert widget.row_reason.isHidden()
    widget.sides["left"].setText("130")
    widget.sides["left"].textEdited.emit("130")
    assert not widget.row_reason.isHidden()
    widget.sides["right"].setText("120")
    widget.sides["right"].textEdited.emit("120")
    assert widget.row_reason.isHidden()
    widget.set_values({"hop.single_hop.right": None})
    assert not widget.row_reason.isHidden()
    widget.set_values({"hop.single_hop.missing_reason": "right knee sore"})
    assert widget.values() == {
        "hop.single_hop.left": 130,
        "hop.single_hop.right": None,
        "hop.single_hop.missing_reason": "right knee sore",
    }


def test_sided_focus_widgets_put_left_first(qtbot: QtBot, form_of: FormOf) -> None:
    """Left comes before right, then the reason, in tab order."""
    widget = sided_number_widget(_spec(form_of, "strength", "calf_raise"))
    qtbot.addWidget(widget)
    names = [w.accessibleName() for w in widget.focus_widgets()]
    assert names == [
        "S1 Single-leg calf raise — left",
        "S1 Single-leg calf raise — right",
        "S1 Single-leg calf raise — reason one side is missing",
    ]
