"""Typed readers for the keys of a form file, each failing with a message that locates the key.

Kept apart from :mod:`clinic_app.assessment.spec` so the spec module stays about the form model;
every reader raises :class:`FormSpecError` naming ``where`` and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class FormSpecError(ValueError):
    """A form file that cannot be used: the message names the file, the field and the key."""


def no_unknown_keys(data: Mapping[str, Any], known: frozenset[str], where: str) -> None:
    """Refuse keys outside ``known``, so a typo cannot silently disable a check."""
    unknown = sorted(set(data) - known)
    if unknown:
        raise FormSpecError(f"{where}: unknown key '{unknown[0]}'")


def text(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    """Return the stripped text at ``key`` ("" when absent and not required)."""
    value = data.get(key, "")
    if not isinstance(value, str):
        raise FormSpecError(f"{where}: key '{key}' must be text")
    if required and not value.strip():
        raise FormSpecError(f"{where}: key '{key}' is required")
    return value.strip()


def flag(data: Mapping[str, Any], key: str, where: str) -> bool:
    """Return the true/false value at ``key`` (false when absent)."""
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise FormSpecError(f"{where}: key '{key}' must be true or false")
    return value


def number(data: Mapping[str, Any], key: str, where: str) -> float | None:
    """Return the number at ``key`` (None when absent); booleans are not numbers."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormSpecError(f"{where}: key '{key}' must be a number")
    return value


def unit_ranges(data: Mapping[str, Any], where: str) -> tuple[tuple[str, float, float], ...]:
    """Return ``unit_ranges`` as (unit, minimum, maximum) triples, each checked as a range."""
    raw = data.get("unit_ranges", {})
    if not isinstance(raw, Mapping):
        raise FormSpecError(f"{where}: key 'unit_ranges' must be a table of unit = [minimum, maximum]")
    out: list[tuple[str, float, float]] = []
    for unit, bounds in raw.items():
        if (
            not isinstance(bounds, list)
            or len(bounds) != 2
            or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
            or bounds[0] > bounds[1]
        ):
            raise FormSpecError(f"{where}: key 'unit_ranges' entry '{unit}' must be [minimum, maximum]")
        out.append((str(unit), float(bounds[0]), float(bounds[1])))
    return tuple(out)
