"""Tests for BatteryPage: every bundled form as a page, values, errors, placeholders, measures, state."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QComboBox, QFormLayout, QGridLayout, QLabel, QLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from clinic_app.assessment.spec import FieldSpec, FormCatalogue, FormSpec
from clinic_app.domain.model import Value
from clinic_app.ui.forms.base import FieldWidget
from clinic_app.ui.forms.layouts import LayoutWidget
from clinic_app.ui.forms.page import BatteryPage, PageState
from clinic_app.ui.forms.widgets import NO_UNIT, SidedFieldWidget, SingleFieldWidget

FormOf = Callable[[str], FormSpec]
Sample = Callable[[FieldSpec], dict[str, Value]]
FORM_IDS = [
    "history", "symptoms", "questionnaires", "diastasis", "prolapse", "pelvic_floor", "load_impact",
    "strength", "hop", "jumping",
]  # fmt: skip


def _page(qtbot: QtBot, form: FormSpec) -> BatteryPage:
    page = BatteryPage(form)
    qtbot.addWidget(page)
    return page


def _expected_paths(form: FormSpec) -> list[str]:
    out: list[str] = []
    for spec in form.fields:
        if spec.sided:
            out += [f"{spec.path}.left", f"{spec.path}.right", f"{spec.path}.missing_reason"]
        else:
            out.append(spec.path)
    return out


def _line(page: BatteryPage, path: str) -> QLineEdit:
    widget = page.widget_for(path)
    assert widget is not None
    inp = widget.input_for(path)
    assert isinstance(inp, QLineEdit)
    return inp


def _sub_layout(box: LayoutWidget, index: int) -> QLayout:
    item = box.body.itemAt(index)
    assert item is not None
    layout = item.layout()
    assert layout is not None
    return layout


def _cell(grid: QLayout, row: int, column: int) -> QWidget:
    assert isinstance(grid, QGridLayout)
    item = grid.itemAtPosition(row, column)
    assert item is not None
    widget = item.widget()
    assert widget is not None
    return widget


def _text(widget: QWidget) -> str:
    assert isinstance(widget, QLabel)
    return widget.text()


def test_bundled_forms_are_the_expected_ten(catalogue: FormCatalogue) -> None:
    """The parametrised page tests below cover every bundled form."""
    assert [form.id for form in catalogue] == FORM_IDS


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_page_owns_every_value_path_of_its_form(qtbot: QtBot, form_of: FormOf, form_id: str) -> None:
    """A page built for a form owns exactly its value paths (sided: left, right, missing reason)."""
    form = form_of(form_id)
    page = _page(qtbot, form)
    assert list(page.paths()) == _expected_paths(form)
    assert page.form_id == form_id
    assert set(page.values()) == set(page.paths())
    assert all(value is None for value in page.values().values())


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_values_round_trip_for_every_kind(
    qtbot: QtBot, form_of: FormOf, sample: Sample, form_id: str
) -> None:
    """Every value set on a page comes back unchanged from values(), without a change signal."""
    form = form_of(form_id)
    page = _page(qtbot, form)
    values: dict[str, Value] = {}
    for spec in form.fields:
        values.update(sample(spec))
    with qtbot.assertNotEmitted(page.values_did_change):
        page.set_values(values)
    assert page.values() == values
    assert page.filled_count() == page.field_count() == len(form.fields)
    assert page.state() is PageState.COMPLETE
    page.set_values(dict.fromkeys(values))
    assert all(value is None for value in page.values().values())
    assert page.state() is PageState.NOT_STARTED


def test_set_values_leaves_other_paths_alone(qtbot: QtBot, form_of: FormOf) -> None:
    """Setting some paths (copy from the last visit) keeps what else is on the page."""
    page = _page(qtbot, form_of("history"))
    page.set_values({"history.height_cm": 168, "history.weight_kg": 64.5})
    page.set_values({"history.weight_kg": 66, "elsewhere.thing": 1})
    assert page.values()["history.height_cm"] == 168
    assert page.values()["history.weight_kg"] == 66
    assert page.state() is PageState.IN_PROGRESS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("22", 22), ("2,5", 2.5), ("−3", -3), (" 4.0 ", 4.0), ("", None), ("2,5,1", "2,5,1"), ("abc", "abc")],
)
def test_typed_numbers_parse_or_pass_through_as_text(
    qtbot: QtBot, form_of: FormOf, typed: str, expected: Value | None
) -> None:
    """Numbers parse (comma decimals too); anything else is passed on as text for validation."""
    page = _page(qtbot, form_of("prolapse"))
    _line(page, "prolapse.popq_aa").setText(typed)
    assert page.values()["prolapse.popq_aa"] == expected
    assert type(page.values()["prolapse.popq_aa"]) is type(expected)


def test_editing_emits_values_did_change_with_form_id(qtbot: QtBot, form_of: FormOf) -> None:
    """A value the clinician types announces the form id."""
    page = _page(qtbot, form_of("hop"))
    with qtbot.waitSignal(page.values_did_change) as blocker:
        _line(page, "hop.single_hop.left").setText("120")
    assert blocker.args == ["hop"]


def test_errors_are_shown_at_their_widget_and_cleared(qtbot: QtBot, form_of: FormOf) -> None:
    """A message appears in words under its own field only; other forms' paths are ignored; {} clears."""
    page = _page(qtbot, form_of("diastasis"))
    message = "Inter-recti distance at umbilicus — rest: 31 cm is outside 0–10 cm — did you mean mm?"
    page.set_errors({"diastasis.ird_umbilicus_rest": message, "hop.single_hop.left": "not mine"})
    target = page.widgets["ird_umbilicus_rest"]
    assert not target.error_label.isHidden()
    assert message in target.error_label.text() and target.error_label.text().startswith("⚠")
    inp = target.input_for("diastasis.ird_umbilicus_rest")
    assert inp is not None and "border" in inp.styleSheet()
    assert message in inp.accessibleDescription()
    others = [w for key, w in page.widgets.items() if key != "ird_umbilicus_rest"]
    assert all(w.error_label.isHidden() for w in others)
    assert page.state() is PageState.HAS_ERRORS
    page.set_errors({})
    assert target.error_label.isHidden() and inp.styleSheet() == ""
    assert page.state() is PageState.NOT_STARTED


def test_error_on_a_sided_field_path_frames_both_sides(qtbot: QtBot, form_of: FormOf) -> None:
    """A message for the field's own path of a sided field is shown and frames left and right."""
    page = _page(qtbot, form_of("hop"))
    page.set_errors({"hop.triple_hop": "Triple hop for distance: record both sides or a reason"})
    widget = page.widgets["triple_hop"]
    assert "record both sides" in widget.error_label.text()
    assert all("border" in w.styleSheet() for w in widget.focus_widgets()[:2])


def test_placeholders_show_the_previous_visit(qtbot: QtBot, form_of: FormOf) -> None:
    """Previous values appear as "last: …" in words; paths not given are cleared."""
    page = _page(qtbot, form_of("load_impact"))
    page.set_placeholders(
        {
            "load_impact.l1_dose": 22.0,
            "load_impact.l1_completed": True,
            "load_impact.l1_control": "fair",
            "load_impact.l1_symptoms": ("leakage", "pain"),
            "load_impact.l2_dose.left": 8,
        }
    )
    assert _line(page, "load_impact.l1_dose").placeholderText() == "last: 22"
    assert _line(page, "load_impact.l2_dose.left").placeholderText() == "last: 8"
    completed = page.widgets["l1_completed"].input_for("load_impact.l1_completed")
    assert isinstance(completed, QComboBox) and "last: Yes" in completed.itemText(0)
    control = page.widgets["l1_control"].input_for("load_impact.l1_control")
    assert isinstance(control, QComboBox) and "last: Fair" in control.itemText(0)
    symptoms = page.widgets["l1_symptoms"]
    assert isinstance(symptoms, SingleFieldWidget)
    assert symptoms.editor.last_label.text() == "last: Leakage, Pain"  # type: ignore[union-attr]
    page.set_placeholders({})
    assert _line(page, "load_impact.l1_dose").placeholderText() == ""
    assert completed.itemText(0) == "—"
    assert page.values()["load_impact.l1_dose"] is None


def test_accessible_names_carry_label_and_side(qtbot: QtBot, form_of: FormOf) -> None:
    """Each input is named by its label (plus the side); help is the tooltip; required is described."""
    page = _page(qtbot, form_of("hop"))
    left = _line(page, "hop.single_hop.left")
    right = _line(page, "hop.single_hop.right")
    assert left.accessibleName() == "Single hop for distance — left"
    assert right.accessibleName() == "Single hop for distance — right"
    assert left.toolTip().startswith("One hop forward")
    reason = _line(page, "hop.single_hop.missing_reason")
    assert "reason one side is missing" in reason.accessibleName()
    prolapse = _page(qtbot, form_of("prolapse"))
    state = prolapse.widgets["exam_state"]
    assert state.caption == "Prolapse examination *"
    inp = state.input_for("prolapse.exam_state")
    assert inp is not None and inp.accessibleDescription() == "required"


def test_every_number_shows_its_unit(qtbot: QtBot, form_of: FormOf, catalogue: FormCatalogue) -> None:
    """A fixed-unit number has its unit beside the input."""
    page = _page(qtbot, form_of("history"))
    height = page.widgets["height_cm"]
    assert isinstance(height, SingleFieldWidget) and height.unit_label is not None
    assert height.unit_label.text() == "cm"
    hop = _page(qtbot, form_of("hop"))
    timed = hop.widgets["timed_hop_6m"]
    assert isinstance(timed, SidedFieldWidget)
    assert [label.text() for label in timed.unit_labels] == ["s", "s"]


def test_unit_label_follows_unit_choice(qtbot: QtBot, form_of: FormOf) -> None:
    """The IRD unit labels show the unit field's current choice, and update when it changes."""
    page = _page(qtbot, form_of("diastasis"))
    cell = page.widgets["ird_below_curl"]
    assert isinstance(cell, SingleFieldWidget) and cell.unit_label is not None
    assert cell.unit_label.text() == NO_UNIT
    unit = page.widgets["unit"].input_for("diastasis.unit")
    assert isinstance(unit, QComboBox)
    unit.setCurrentIndex(unit.findData("mm"))
    assert cell.unit_label.text() == "mm"
    page.set_values({"diastasis.unit": "finger_widths"})
    assert cell.unit_label.text() == "finger-widths"


def test_popq_grid_holds_the_nine_points_in_order(qtbot: QtBot, form_of: FormOf) -> None:
    """The POP-Q grid shows Aa Ba C / gh pb tvl / Ap Bp D with the point names as headers."""
    page = _page(qtbot, form_of("prolapse"))
    (grid,) = page.layout_widgets
    layout = _sub_layout(grid, 0)
    names, cells = [], []
    for row in range(3):
        for column in range(3):
            names.append(_text(_cell(layout, row * 2, column)))
            cell = _cell(layout, row * 2 + 1, column)
            assert isinstance(cell, FieldWidget)
            cells.append(cell.spec.id)
    assert names == ["Aa", "Ba", "C", "gh", "pb", "tvl", "Ap", "Bp", "D"]
    assert cells == [f"popq_{name.lower()}" for name in names]


def test_popq_stage_measure_is_shown_under_the_grid(qtbot: QtBot, form_of: FormOf) -> None:
    """set_measures puts the live POP-Q stage under the grid; other forms' keys are ignored."""
    page = _page(qtbot, form_of("prolapse"))
    (grid,) = page.layout_widgets
    assert grid.derived_label is not None
    page.set_measures({"prolapse.popq_stage": "Stage II", "hop.single_hop": "LSI 80 %"})
    assert grid.derived_label.text() == "POP-Q stage: Stage II"


def test_sided_measure_shows_lsi(qtbot: QtBot, form_of: FormOf) -> None:
    """A sided field path as measure key fills that field's LSI label."""
    page = _page(qtbot, form_of("hop"))
    page.set_measures({"hop.single_hop": "LSI 85 % — left weaker"})
    widget = page.widgets["single_hop"]
    assert isinstance(widget, SidedFieldWidget)
    assert widget.measure_label.text() == "LSI 85 % — left weaker"


def test_ird_table_cells(qtbot: QtBot, form_of: FormOf) -> None:
    """The IRD table has Rest / Head-lift headings and one distance per site and condition."""
    page = _page(qtbot, form_of("diastasis"))
    (table,) = page.layout_widgets
    assert isinstance(table, LayoutWidget) and table.title() == "Inter-recti distance"
    grid = _sub_layout(table, 1)
    assert [_text(_cell(grid, 0, c)) for c in (1, 2)] == ["Rest", "Head-lift"]
    rows: dict[str, list[str]] = {}
    for row in (1, 2, 3):
        cells = [_cell(grid, row, c) for c in (1, 2)]
        rows[_text(_cell(grid, row, 0))] = [cell.spec.id for cell in cells if isinstance(cell, FieldWidget)]
    assert rows == {
        "Above umbilicus": ["ird_above_rest", "ird_above_curl"],
        "At umbilicus": ["ird_umbilicus_rest", "ird_umbilicus_curl"],
        "Below umbilicus": ["ird_below_rest", "ird_below_curl"],
    }
    above = _sub_layout(table, 0)
    assert isinstance(above, QFormLayout) and above.rowCount() == 3


def test_tab_order_goes_down_the_battery_left_before_right(qtbot: QtBot, form_of: FormOf) -> None:
    """Tab visits the POP-Q grid row by row and each sided field left, then right."""
    page = _page(qtbot, form_of("prolapse"))
    sequence = page.tab_sequence()
    following: list[QWidget] = []
    widget: QWidget | None = sequence[0]
    for _ in range(len(sequence) - 1):
        assert widget is not None
        widget = widget.nextInFocusChain()
        while widget is not None and widget not in sequence:
            widget = widget.nextInFocusChain()
        assert widget is not None
        following.append(widget)
    assert following == sequence[1:]
    grid_names = [w.accessibleName() for w in sequence if w.accessibleName().startswith("POP-Q")]
    assert [name.split()[-1] for name in grid_names] == [
        "Aa", "Ba", "C", "(gh)", "(pb)", "(tvl)", "Ap", "Bp", "D",
    ]  # fmt: skip
    hop_page = _page(qtbot, form_of("hop"))
    hop = hop_page.tab_sequence()
    assert [w.accessibleName() for w in hop[:2]] == [
        "Single hop for distance — left",
        "Single hop for distance — right",
    ]


def test_focus_path_focuses_the_input(qtbot: QtBot, form_of: FormOf) -> None:
    """focus_path scrolls to and focuses the input of a path; unknown paths are refused."""
    page = _page(qtbot, form_of("load_impact"))
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    assert page.focus_path("load_impact.l7_dose.right")
    target = _line(page, "load_impact.l7_dose.right")
    qtbot.waitUntil(target.hasFocus)
    assert page.scroll_area.verticalScrollBar().value() > 0
    assert not page.focus_path("hop.single_hop.left")


def test_read_only_locks_every_input(qtbot: QtBot, form_of: FormOf) -> None:
    """A signed visit's page cannot be edited; unlocking restores it."""
    page = _page(qtbot, form_of("load_impact"))
    page.set_read_only(True)
    assert _line(page, "load_impact.l1_dose").isReadOnly()
    assert not page.widgets["l1_control"].focus_widgets()[0].isEnabled()
    assert not page.widgets["l1_symptoms"].focus_widgets()[0].isEnabled()
    page.set_read_only(False)
    assert not _line(page, "load_impact.l1_dose").isReadOnly()
    assert page.widgets["l1_symptoms"].focus_widgets()[0].isEnabled()


def test_every_page_fits_beside_the_navigation_at_1280(qtbot: QtBot, form_of: FormOf) -> None:
    """Each page fits in 960 px, so a 1280×800 window with the battery list never scrolls sideways."""
    for form_id in FORM_IDS:
        page = _page(qtbot, form_of(form_id))
        content = page.scroll_area.widget()
        assert content is not None
        assert content.minimumSizeHint().width() <= 960, form_id
