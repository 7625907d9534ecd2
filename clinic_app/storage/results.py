"""Stored result values: field paths to rows and back, with the JSON types kept exact.

A value path ``form.field[.side]`` is stored as ``field_path`` = ``form.field`` plus a ``side``
suffix (``''``, ``left``, ``right`` or ``missing_reason``). Values are kept as JSON text, so a
boolean, a whole number and a decimal never turn into one another.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results, Value
from clinic_app.storage.base import json_text
from clinic_app.storage.errors import StorageError
from clinic_app.storage.models import ResultRow, VisitRow

Annotations = Mapping[str, tuple[str, str]]
"""Unit and method per field path (``form.field`` → ``(unit, method)``), stored beside each value."""

_SUFFIXES = frozenset({"left", "right", "missing_reason"})


def split_path(path: str) -> tuple[str, str]:
    """Split ``form.field[.side]`` into the stored ``(field_path, side)`` pair.

    Raises:
        StorageError: the path does not have the ``form.field`` or ``form.field.side`` shape.
    """
    parts = path.split(".")
    if len(parts) == 2 and all(parts):
        return path, ""
    if len(parts) == 3 and all(parts) and parts[2] in _SUFFIXES:
        return f"{parts[0]}.{parts[1]}", parts[2]
    raise StorageError(f"'{path}' is not a field path of the form form.field or form.field.left/right.")


def _json_value(value: Value) -> Any:
    return list(value) if isinstance(value, tuple) else value


_SCALARS = frozenset({bool, int, float, str})


def _domain_value(raw: Any) -> Value:
    if type(raw) in _SCALARS:  # the common case, checked first: a patient file holds thousands
        return raw  # type: ignore[no-any-return]
    if isinstance(raw, list):
        return tuple(str(item) for item in raw)
    if isinstance(raw, bool | int | float | str):
        return raw
    raise StorageError(f"Stored value {raw!r} has an unsupported type.")


def _number(value: Value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def results_of(row: VisitRow) -> Results:
    """Return the results of a visit row as the flat domain mapping."""
    data: dict[FieldPath, Value] = {}
    for result in row.results:
        path = f"{result.field_path}.{result.side}" if result.side else result.field_path
        data[FieldPath(path)] = _domain_value(result.value)
    return Results(data)


def results_of_values(stored: Mapping[str, Any]) -> Results:
    """Return the domain results of stored JSON values by path (as :func:`results_of` reads them)."""
    return Results({FieldPath(path): _domain_value(value) for path, value in stored.items()})


def results_by_visit(rows: Iterable[Sequence[Any]], *, decode: bool = False) -> dict[str, Results]:
    """Group ``(visit_id, field_path, side, value)`` rows into each visit's results.

    Args:
        rows: the stored values, in the order they were written.
        decode: the values are the stored JSON text (read without the column type), not yet parsed.

    Returns:
        Each visit's results by visit id.
    """
    grouped: dict[str, dict[FieldPath, Value]] = {}
    for visit_id, field_path, side, value in rows:
        path = f"{field_path}.{side}" if side else field_path
        stored = json.loads(value) if decode else value
        grouped.setdefault(visit_id, {})[FieldPath(path)] = _domain_value(stored)
    return {visit_id: Results(data) for visit_id, data in grouped.items()}


VALUE_COLUMNS = ("visit_id", "field_path", "side", "value", "value_number", "unit", "method")
"""The ``result_values`` columns a new value is written to, in the order of :func:`new_result_values` rows."""


def new_result_values(
    visit_id: str, results: Results, annotations: Annotations
) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    """Return the ``result_values`` rows of a new visit's ``results`` and the audit image of them.

    For a visit that has no stored values yet: the rows can then be written with one executemany
    instead of one ORM object each. Each row holds the :data:`VALUE_COLUMNS` in order, the value
    already as the JSON text :class:`~clinic_app.storage.base.JSONText` would store.

    Args:
        visit_id: the new visit.
        results: its values.
        annotations: unit and method per field path.

    Returns:
        The rows and the ``after`` image (path → stored JSON value).

    Raises:
        StorageError: a path is not a field path.
    """
    rows: list[tuple[Any, ...]] = []
    after: dict[str, Any] = {}
    for path, value in results.items():
        field_path, side = split_path(path)
        unit, method = annotations.get(field_path, _NO_ANNOTATION)
        stored = _json_value(value)
        rows.append((visit_id, field_path, side, json_text(stored), _number(value), unit, method))
        after[path] = stored
    return rows, after


_NO_ANNOTATION = ("", "")


def apply_results(
    row: VisitRow, results: Results, annotations: Annotations
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Make the row's results equal ``results``; return the before/after images of changed paths."""
    existing = {(r.field_path, r.side): r for r in row.results}
    wanted: dict[tuple[str, str], Value] = {split_path(path): value for path, value in results.items()}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, result in existing.items():
        if key not in wanted:
            before[_joined(key)] = result.value
            after[_joined(key)] = None
            row.results.remove(result)
    for key, value in wanted.items():
        unit, method = annotations.get(key[0], ("", ""))
        stored = _json_value(value)
        found = existing.get(key)
        if found is None:
            row.results.append(
                ResultRow(
                    field_path=key[0],
                    side=key[1],
                    value=stored,
                    value_number=_number(value),
                    unit=unit,
                    method=method,
                )
            )
            before[_joined(key)] = None
            after[_joined(key)] = stored
        elif _differs(found, stored, unit, method):
            before[_joined(key)] = found.value
            after[_joined(key)] = stored
            found.value = stored
            found.value_number = _number(value)
            found.unit = unit
            found.method = method
    return before, after


def _differs(row: ResultRow, stored: Any, unit: str, method: str) -> bool:
    # True == 1 and 1 == 1.0 in Python, so the JSON type must match as well as the value.
    same_value = row.value == stored and type(row.value) is type(stored)
    return not same_value or (row.unit, row.method) != (unit, method)


def _joined(key: tuple[str, str]) -> str:
    return f"{key[0]}.{key[1]}" if key[1] else key[0]
