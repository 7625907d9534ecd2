"""The ``results`` part of a visit file: nested JSON by form and field ↔ flat field paths.

A visit file writes results as ``{form: {field: value | {left, right, missing_reason}}}``; every
other layer works with flat paths (``hop.single_hop.left``). Turning one into the other is where a
dotted key or an unusable value could slip in as a value nobody typed, so it is checked here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from clinic_app.domain.enums import Side
from clinic_app.domain.errors import FieldError
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results, Value
from clinic_app.domain.visitjson import join_path, text_problem
from clinic_app.domain.visitlimits import MAX_LIST_ITEMS, MAX_STRING_CHARS

MISSING_REASON = "missing_reason"
SIDE_KEYS = (Side.LEFT.value, Side.RIGHT.value, MISSING_REASON)

_ID = re.compile(r"[a-z][a-z0-9_]*")


def flatten_results(nested: Mapping[str, Any], prefix: str = "results") -> tuple[Results, list[FieldError]]:
    """Turn nested ``{form: {field: value | {left, right, missing_reason}}}`` into flat results.

    Form and field ids are plain lower-case ids: a dotted key such as ``"single_hop.left"`` would
    otherwise turn into a sided value nobody typed, so it is refused.

    Args:
        nested: the ``results`` object of a visit file.
        prefix: JSON path prefix used in error messages.

    Returns:
        The flat results and any structural errors (wrong JSON types, keys that are not ids).
    """
    flat: dict[FieldPath, Value] = {}
    errors: list[FieldError] = []
    if not isinstance(nested, Mapping):
        return Results(), [FieldError(prefix, "must be an object of forms, each an object of fields")]
    for form_id, fields in nested.items():
        form_path = join_path(prefix, form_id)
        if not _is_id(form_id, "form", form_path, errors):
            continue
        if not isinstance(fields, Mapping):
            errors.append(FieldError(form_path, "must be an object of field values"))
            continue
        for field_id, raw in fields.items():
            field_path = join_path(form_path, field_id)
            if not _is_id(field_id, "field", field_path, errors):
                continue
            path = f"{form_id}.{field_id}"
            if isinstance(raw, Mapping):
                if not raw:
                    errors.append(
                        FieldError(field_path, "a sided value needs 'left', 'right' or 'missing_reason'")
                    )
                for key, side_value in raw.items():
                    if key not in SIDE_KEYS:
                        errors.append(
                            FieldError(
                                join_path(field_path, key), "expected 'left', 'right' or 'missing_reason'"
                            )
                        )
                        continue
                    _store(flat, errors, f"{path}.{key}", side_value, prefix)
            else:
                _store(flat, errors, path, raw, prefix)
    return Results(flat), errors


def _is_id(key: object, what: str, path: str, errors: list[FieldError]) -> bool:
    """True when ``key`` is a form or field id; otherwise record why it is not."""
    if isinstance(key, str) and _ID.fullmatch(key):
        return True
    if isinstance(key, str) and "." in key:
        message = f'a {what} id cannot hold \'.\': write sided values as {{"left": …, "right": …}}'
    else:
        message = f"not a {what} id (lower-case letters, digits and '_', starting with a letter)"
    errors.append(FieldError(path, message))
    return False


def _store(flat: dict[FieldPath, Value], errors: list[FieldError], path: str, raw: Any, prefix: str) -> None:
    """Store one JSON value, converting lists to tuples and rejecting values no field can hold."""
    where = f"{prefix}.{path}"
    if raw is None:
        return
    if isinstance(raw, list):
        if len(raw) > MAX_LIST_ITEMS:
            errors.append(
                FieldError(where, f"a list of {len(raw):,} options; at most {MAX_LIST_ITEMS} are read")
            )
        elif all(isinstance(item, str) for item in raw):
            problems = [p for p in (text_problem(item, MAX_STRING_CHARS) for item in raw) if p]
            if problems:
                errors.append(FieldError(where, f"an option {problems[0]}"))
            else:
                flat[FieldPath(path)] = tuple(raw)
        else:
            errors.append(FieldError(where, "a list may only hold choice ids (strings)"))
        return
    if isinstance(raw, float) and not math.isfinite(raw):
        errors.append(FieldError(where, f"{raw} is not a number a visit file can hold"))
        return
    if isinstance(raw, str):
        problem = text_problem(raw, MAX_STRING_CHARS)
        if problem is not None:
            errors.append(FieldError(where, f"the text {problem}"))
            return
    if isinstance(raw, bool | int | float | str):
        flat[FieldPath(path)] = raw
        return
    errors.append(FieldError(where, f"unsupported value {shown(raw)}"))


def shown(value: object) -> str:
    """A value as a message quotes it: its repr, cut short so a message stays one short line."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:39]}…"


def nest_results(results: Results) -> dict[str, dict[str, Any]]:
    """Turn flat results back into the nested JSON shape (inverse of :func:`flatten_results`)."""
    nested: dict[str, dict[str, Any]] = {}
    for path, value in sorted(results.items()):
        parts = path.split(".")
        form_id, field_id = parts[0], parts[1]
        json_value: Any = list(value) if isinstance(value, tuple) else value
        if len(parts) == 3:
            nested.setdefault(form_id, {}).setdefault(field_id, {})[parts[2]] = json_value
        else:
            nested.setdefault(form_id, {})[field_id] = json_value
    return nested
