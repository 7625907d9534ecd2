"""What differs between this clinic's copy of a visit and a bundle's, in words for the dry run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinic_app.exchange.plan import VisitConflict


def visit_conflict(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> VisitConflict:
    """Describe how the bundle's copy of a visit (``theirs``) differs from this clinic's (``mine``).

    Both are bundle records with local patient ids and births as (date, mode); the differences are
    short phrases for the dry run, at most five value paths named.
    """
    differences: list[str] = []
    for key in ("patient_id", "visit_date", "clinician_id", "status", "signed_by", "amends"):
        if mine[key] != theirs[key]:
            differences.append(f"{key.replace('_', ' ')} {mine[key]} here, {theirs[key]} in the bundle")
    ours = {r["path"]: r for r in mine["results"]}
    other = {r["path"]: r for r in theirs["results"]}
    changed = sorted(p for p in ours.keys() | other.keys() if ours.get(p) != other.get(p))
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        differences.append(f"{len(changed)} value(s) differ: {shown}")
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
    )
