"""What differs between this clinic's copy of a visit and a bundle's, in words for the dry run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinic_app.exchange.plan import VisitConflict
from clinic_app.services.clinic import field_label

SHOWN_VALUES = 5
"""Differing values named one by one; the rest are counted (the dry run is read, not scrolled)."""


def visit_conflict(
    mine: Mapping[str, Any], theirs: Mapping[str, Any], patient_name: str = ""
) -> VisitConflict:
    """Describe how the bundle's copy of a visit (``theirs``) differs from this clinic's (``mine``).

    Both are bundle records with local patient ids and births as (date, mode); the differences are
    short phrases for the dry run. Differing values are named by their form label with both values
    (``Single-leg bridge (left): 30 here, 44 in the bundle``), so she can choose without opening
    the visit; at most five are named.
    """
    differences: list[str] = []
    for key in ("patient_id", "visit_date", "clinician_id", "status", "signed_by", "amends"):
        if mine[key] != theirs[key]:
            differences.append(f"{key.replace('_', ' ')} {mine[key]} here, {theirs[key]} in the bundle")
    ours = {r["path"]: r for r in mine["results"]}
    other = {r["path"]: r for r in theirs["results"]}
    changed = sorted(p for p in ours.keys() | other.keys() if ours.get(p) != other.get(p))
    if changed:
        count = (
            f"{len(changed)} value{'' if len(changed) == 1 else 's'} differ{'s' if len(changed) == 1 else ''}"
        )
        shown = "; ".join(
            f"{field_label(path)}: {_shown(ours.get(path))} here, {_shown(other.get(path))} in the bundle"
            for path in changed[:SHOWN_VALUES]
        )
        more = f"; and {len(changed) - SHOWN_VALUES} more" if len(changed) > SHOWN_VALUES else ""
        differences.append(f"{count}: {shown}{more}")
    if mine["decisions"] != theirs["decisions"]:
        differences.append(
            f"decisions: {len(mine['decisions'])} here, {len(theirs['decisions'])} in the bundle"
        )
    if mine["reports"] != theirs["reports"]:
        differences.append(f"reports: {len(mine['reports'])} here, {len(theirs['reports'])} in the bundle")
    if not differences:
        differences.append("version or timestamps differ")
    return VisitConflict(
        str(mine["id"]),
        str(mine["patient_id"]),
        str(mine["visit_date"]),
        str(mine["status"]),
        str(theirs["status"]),
        tuple(differences),
        patient_name,
    )


def _shown(result: Mapping[str, Any] | None) -> str:
    """One recorded value with its unit and method, or "not recorded"."""
    if result is None:
        return "not recorded"
    value = result["value"]
    text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    unit = f" {result['unit']}" if result.get("unit") else ""
    method = f" ({result['method']})" if result.get("method") else ""
    return f"{text}{unit}{method}"
