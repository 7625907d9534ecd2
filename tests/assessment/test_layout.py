"""Tests for ``[[layout]]`` tables: the bundled layouts and every refusal of a malformed one."""

from __future__ import annotations

from typing import Any

import pytest

from clinic_app.assessment.layout import DERIVED_MEASURES, LayoutSpec
from clinic_app.assessment.spec import FormCatalogue, FormSpecError, parse_form


def _field(field_id: str) -> dict[str, Any]:
    return {
        "id": field_id,
        "label": field_id.upper(),
        "kind": "number",
        "unit": "cm",
        "source": "CLINICAL.md §1",
    }


def _form(*layouts: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "demo",
        "title": "Demo",
        "order": 1,
        "description": "A form for layout tests.",
        "source": "CLINICAL.md §1",
        "fields": [_field(name) for name in ("a", "b", "c", "d", "unit")],
        "layout": list(layouts),
    }


GRID = {"kind": "grid", "title": "Grid", "rows": [["a", "b"], ["c", "d"]]}
TABLE = {
    "kind": "table",
    "title": "Table",
    "above": ["unit"],
    "columns": ["Rest", "Lift"],
    "row_labels": ["Top", "Bottom"],
    "rows": [["a", "b"], ["c", "d"]],
}


def _refusal(*layouts: dict[str, Any]) -> str:
    with pytest.raises(FormSpecError) as caught:
        parse_form(_form(*layouts), "demo.toml")
    return str(caught.value)


def test_grid_and_table_parse_to_layout_specs() -> None:
    """A grid and a table become frozen LayoutSpecs with their rows, headings and fields above."""
    form = parse_form(_form(TABLE), "demo.toml")
    assert form.layouts == (
        LayoutSpec(
            kind="table",
            title="Table",
            rows=(("a", "b"), ("c", "d")),
            row_labels=("Top", "Bottom"),
            columns=("Rest", "Lift"),
            above=("unit",),
        ),
    )
    assert form.layouts[0].field_ids == ("unit", "a", "b", "c", "d")
    assert form.layout_of("c") is form.layouts[0]
    assert parse_form(_form(GRID), "demo.toml").layout_of("unit") is None


def test_form_without_layouts_has_none() -> None:
    """A form with no [[layout]] table has an empty tuple of layouts."""
    data = _form()
    del data["layout"]
    assert parse_form(data, "demo.toml").layouts == ()


def test_unknown_kind_is_refused() -> None:
    """A layout kind outside grid/table/task names the file, the layout and the key."""
    message = _refusal({**GRID, "kind": "carousel"})
    assert message.startswith("demo.toml, layout 'Grid': key 'kind' is 'carousel'")


def test_unknown_field_id_is_refused() -> None:
    """A layout naming a field the form does not have is refused with the id."""
    message = _refusal({**GRID, "rows": [["a", "zz"]]})
    assert message == "demo.toml, layout 'Grid': names unknown field 'zz'"


def test_field_in_two_layouts_is_refused() -> None:
    """A field may be placed by one layout only."""
    task = {"kind": "task", "title": "Task", "fields": ["d"]}
    assert _refusal(GRID, task) == "demo.toml, layout 'Task': field 'd' is already placed by layout 'Grid'"


def test_field_twice_in_one_layout_is_refused() -> None:
    """Placing the same field twice in one layout is refused too."""
    assert "field 'a' is already placed" in _refusal({**GRID, "rows": [["a", "a"]]})


def test_unknown_key_is_refused() -> None:
    """A typo in a layout key cannot pass silently."""
    assert _refusal({**GRID, "colums": ["x"]}) == "demo.toml, layout 'Grid': unknown key 'colums'"


def test_key_of_another_kind_is_refused() -> None:
    """Table headings on a grid are refused, naming the key and the kind."""
    message = _refusal({**GRID, "columns": ["x", "y"]})
    assert message == "demo.toml, layout 'Grid': key 'columns' does not apply to a grid layout"


def test_table_row_labels_must_match_rows() -> None:
    """A table needs one row label per row."""
    message = _refusal({**TABLE, "row_labels": ["Top"]})
    assert message == "demo.toml, layout 'Table': key 'row_labels' has 1 labels for 2 rows"


def test_table_rows_must_fill_every_column() -> None:
    """Every row of a table has one field per column."""
    message = _refusal({**TABLE, "rows": [["a", "b"], ["c"]]})
    assert message == "demo.toml, layout 'Table': key 'rows' row 2 has 1 fields for 2 columns"


def test_table_needs_columns() -> None:
    """A table without column headings is refused."""
    message = _refusal({**TABLE, "columns": []})
    assert "key 'columns' must name the column headings" in message


def test_unknown_derived_measure_is_refused() -> None:
    """Only known live measures can be shown under a layout."""
    message = _refusal({**GRID, "derived": "bmi"})
    assert message.startswith("demo.toml, layout 'Grid': key 'derived' is 'bmi', expected one of popq_stage")


def test_missing_title_is_refused_by_number() -> None:
    """A layout without a title is named by its position."""
    untitled = {key: value for key, value in GRID.items() if key != "title"}
    assert _refusal(untitled) == "demo.toml, layout #1: key 'title' is required"


@pytest.mark.parametrize(
    ("layout", "key"),
    [
        ({**GRID, "rows": []}, "rows"),
        ({**GRID, "rows": [["a"], []]}, "rows"),
        ({**GRID, "rows": "a"}, "rows"),
        ({"kind": "task", "title": "Task"}, "fields"),
        ({"kind": "task", "title": "Task", "fields": [1]}, "fields"),
        ({**TABLE, "above": "unit"}, "above"),
    ],
)
def test_wrong_shapes_are_refused(layout: dict[str, Any], key: str) -> None:
    """Rows, task fields and lists of names must have the documented shape."""
    assert f"key '{key}'" in _refusal(layout)


def test_layout_must_be_a_list_of_tables() -> None:
    """``layout = ...`` instead of ``[[layout]]`` is refused."""
    data = _form()
    data["layout"] = {"kind": "grid"}
    with pytest.raises(FormSpecError, match="key 'layout' must be a list"):
        parse_form(data, "demo.toml")


def test_bundled_layouts_reference_real_fields(forms: FormCatalogue) -> None:
    """Every field a bundled layout places exists in its form, and derived names are known."""
    for form in forms:
        for layout in form.layouts:
            for field_id in layout.field_ids:
                assert form.field(field_id) is not None, (form.id, layout.title, field_id)
            assert not layout.derived or layout.derived in DERIVED_MEASURES


def test_every_popq_point_is_in_the_grid(forms: FormCatalogue) -> None:
    """The POP-Q grid holds all nine points in Bump's order and shows the computed stage."""
    prolapse = forms.form("prolapse")
    assert prolapse is not None
    (grid,) = prolapse.layouts
    assert grid.kind == "grid" and grid.derived == "popq_stage"
    assert grid.rows == (
        ("popq_aa", "popq_ba", "popq_c"),
        ("popq_gh", "popq_pb", "popq_tvl"),
        ("popq_ap", "popq_bp", "popq_d"),
    )
    points = {spec.id for spec in prolapse.fields if spec.id.startswith("popq_")}
    assert set(grid.field_ids) == points


def test_diastasis_table_is_site_by_condition(forms: FormCatalogue) -> None:
    """The IRD table has three sites by rest/head-lift, with method, unit and sites above."""
    diastasis = forms.form("diastasis")
    assert diastasis is not None
    (table,) = diastasis.layouts
    assert table.above == ("method", "unit", "site_protocol")
    assert table.columns == ("Rest", "Head-lift")
    assert [row[0] for row in table.rows] == ["ird_above_rest", "ird_umbilicus_rest", "ird_below_rest"]
    ird = {spec.id for spec in diastasis.fields if spec.id.startswith("ird_")}
    assert {field_id for row in table.rows for field_id in row} == ird


def test_load_impact_has_one_task_per_l_test(forms: FormCatalogue) -> None:
    """Each of L1–L7 is one task layout with its six fields in order."""
    load = forms.form("load_impact")
    assert load is not None
    assert [layout.kind for layout in load.layouts] == ["task"] * 7
    for number, layout in enumerate(load.layouts, start=1):
        assert layout.title.startswith(f"L{number} ")
        suffixes = ("completed", "dose", "control", "symptoms", "pain_site", "pain_rating")
        assert layout.fields == tuple(f"l{number}_{suffix}" for suffix in suffixes)
    assert sum(len(layout.fields) for layout in load.layouts) == len(load.fields)
