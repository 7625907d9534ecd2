"""Layouts declared in a form file: what a flat list of fields cannot say about arrangement.

A ``[[layout]]`` table groups fields of the same form into a ``grid`` (rows of fields, the POP-Q
3×3), a ``table`` (row labels × column headings, with fields shown above it: the inter-recti
distances) or a ``task`` (the fields of one load-and-impact task in one row). Layouts are
presentation only: they never change a field, a path or a check. Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from clinic_app.assessment.tomlkeys import FormSpecError, no_unknown_keys, text

LayoutKind = Literal["grid", "table", "task"]
"""How the fields of a layout are arranged."""

LAYOUT_KINDS: tuple[LayoutKind, ...] = ("grid", "table", "task")

DERIVED_MEASURES = frozenset({"popq_stage"})
"""Named live measures a layout may show under its fields (computed by the services, never typed)."""

_KEYS_BY_KIND: Mapping[str, frozenset[str]] = {
    "grid": frozenset({"kind", "title", "rows", "derived"}),
    "table": frozenset({"kind", "title", "rows", "row_labels", "columns", "above", "derived"}),
    "task": frozenset({"kind", "title", "fields", "derived"}),
}
_ALL_KEYS = frozenset().union(*_KEYS_BY_KIND.values())


@dataclass(frozen=True, slots=True)
class LayoutSpec:
    """One declared arrangement of some fields of a form.

    Attributes:
        kind: ``grid``, ``table`` or ``task``.
        title: heading shown above the layout.
        rows: field ids row by row (grid and table).
        row_labels: the heading of each row (table).
        columns: the heading of each column (table).
        above: fields shown above a table, such as its method and unit.
        fields: the fields of one task row, in order (task).
        derived: a named live measure shown under the layout (``popq_stage``), or "".
    """

    kind: LayoutKind
    title: str
    rows: tuple[tuple[str, ...], ...] = ()
    row_labels: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    above: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    derived: str = ""

    @property
    def field_ids(self) -> tuple[str, ...]:
        """Every field the layout places, in reading order (above, then row by row, then task)."""
        return (*self.above, *(field_id for row in self.rows for field_id in row), *self.fields)


def parse_layouts(raw: Any, field_ids: Sequence[str], file_name: str) -> tuple[LayoutSpec, ...]:
    """Build the layouts of one form and check them against its fields.

    Args:
        raw: the decoded ``layout`` array (absent: no layouts).
        field_ids: the ids of the form's fields.
        file_name: used in error messages.

    Returns:
        The layouts in file order.

    Raises:
        FormSpecError: naming the file, the layout and the key of the first problem: an unknown
            kind or key, an unknown field id, a field placed twice, a table whose shape does not
            match its headings, or an unknown derived measure.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise FormSpecError(f"{file_name}: key 'layout' must be a list of [[layout]] tables")
    known = set(field_ids)
    placed: dict[str, str] = {}
    layouts: list[LayoutSpec] = []
    for index, item in enumerate(raw):
        where = f"{file_name}, layout #{index + 1}"
        if not isinstance(item, Mapping):
            raise FormSpecError(f"{where}: must be a table")
        title = item.get("title")
        if isinstance(title, str) and title.strip():
            where = f"{file_name}, layout '{title.strip()}'"
        layout = _parse_layout(item, where)
        for field_id in layout.field_ids:
            if field_id not in known:
                raise FormSpecError(f"{where}: names unknown field '{field_id}'")
            if field_id in placed:
                raise FormSpecError(f"{where}: field '{field_id}' is already placed by {placed[field_id]}")
            placed[field_id] = where.split(", ", 1)[1]
        layouts.append(layout)
    return tuple(layouts)


def _parse_layout(item: Mapping[str, Any], where: str) -> LayoutSpec:
    """Build one layout, checking its keys against its kind and the shape of a table."""
    no_unknown_keys(item, _ALL_KEYS, where)
    kind = text(item, "kind", where, required=True)
    if kind not in LAYOUT_KINDS:
        raise FormSpecError(f"{where}: key 'kind' is '{kind}', expected one of {', '.join(LAYOUT_KINDS)}")
    misplaced = sorted(set(item) - _KEYS_BY_KIND[kind])
    if misplaced:
        raise FormSpecError(f"{where}: key '{misplaced[0]}' does not apply to a {kind} layout")
    derived = text(item, "derived", where)
    if derived and derived not in DERIVED_MEASURES:
        known = ", ".join(sorted(DERIVED_MEASURES))
        raise FormSpecError(f"{where}: key 'derived' is '{derived}', expected one of {known}")
    layout = LayoutSpec(
        kind=kind,
        title=text(item, "title", where, required=True),
        rows=_rows(item, where) if kind in ("grid", "table") else (),
        row_labels=_names(item, "row_labels", where),
        columns=_names(item, "columns", where),
        above=_names(item, "above", where),
        fields=_names(item, "fields", where),
        derived=derived,
    )
    if kind == "task" and not layout.fields:
        raise FormSpecError(f"{where}: key 'fields' must list the fields of the task")
    if kind == "table":
        _check_table_shape(layout, where)
    return layout


def _rows(item: Mapping[str, Any], where: str) -> tuple[tuple[str, ...], ...]:
    """Return ``rows`` as a tuple of non-empty rows of field ids."""
    raw = item.get("rows")
    if not isinstance(raw, list) or not raw:
        raise FormSpecError(f"{where}: key 'rows' must be a list of rows of field ids")
    rows: list[tuple[str, ...]] = []
    for row in raw:
        if not isinstance(row, list) or not row or not all(isinstance(v, str) and v for v in row):
            raise FormSpecError(f"{where}: key 'rows' must be a list of rows of field ids")
        rows.append(tuple(row))
    return tuple(rows)


def _names(item: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    """Return a list of non-empty strings at ``key`` (empty when absent)."""
    raw = item.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
        raise FormSpecError(f"{where}: key '{key}' must be a list of text")
    return tuple(v.strip() for v in raw)


def _check_table_shape(layout: LayoutSpec, where: str) -> None:
    """A table has one label per row and one heading per column, and every row fills every column."""
    if not layout.columns:
        raise FormSpecError(f"{where}: key 'columns' must name the column headings")
    if len(layout.row_labels) != len(layout.rows):
        raise FormSpecError(
            f"{where}: key 'row_labels' has {len(layout.row_labels)} labels for {len(layout.rows)} rows"
        )
    for number, row in enumerate(layout.rows, start=1):
        if len(row) != len(layout.columns):
            raise FormSpecError(
                f"{where}: key 'rows' row {number} has {len(row)} fields for {len(layout.columns)} columns"
            )
