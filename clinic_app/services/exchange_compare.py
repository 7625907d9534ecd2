"""What differs between this clinic's copy of a visit and a bundle's, in words for the dry run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinic_app.domain.dates import day_text
from clinic_app.exchange.plan import VisitConflict
from clinic_app.services.clinic import field_label

SHOWN_VALUES = 5
"""Differing values named one by one; the rest are counted (the dry run is read, not scrolled)."""


def visit_conflict(
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    patient_name: str = "",
    names: Mapping[str, str] | None = None,
) -> VisitConflict:
    """Describe how the bundle's copy of a visit (``theirs``) differs from this clinic's (``mine``).

    Both are bundle records with local patient ids and births as (date, mode); the differences are
    short phrases for the dry run. Differing values are named by their form label with both values
    (``Single-leg bridge (left): 30 here, 44 in the bundle``), so she can choose without opening
    the visit; at most five are named. People are named too, never by a profile or record id.

    Args:
        mine: this clinic's copy.
        theirs: the bundle's copy.
        patient_name: whose visit it is.
        names: the name of each clinician and matched patient by id; an id missing here reads as
            "another clinician" / "another patient".
    """
    differences = _visit_differences(mine, theirs, names or {})
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


def _visit_differences(
    mine: Mapping[str, Any], theirs: Mapping[str, Any], names: Mapping[str, str]
) -> list[str]:
    """The differences of the visit itself (whose, when, by whom, its state), in words."""

    def person(person_id: str | None, other: str) -> str:
        return names.get(person_id or "", other)

    def signed(signer: str | None) -> str:
        return f"signed by {person(signer, 'another clinician')}" if signer else "not signed"

    found: list[str] = []
    if mine["patient_id"] != theirs["patient_id"]:
        found.append(
            f"patient: {person(mine['patient_id'], 'another patient')} here, "
            f"{person(theirs['patient_id'], 'another patient')} in the bundle"
        )
    if mine["visit_date"] != theirs["visit_date"]:
        found.append(
            f"visit date: {day_text(str(mine['visit_date']))} here, "
            f"{day_text(str(theirs['visit_date']))} in the bundle"
        )
    if mine["clinician_id"] != theirs["clinician_id"]:
        found.append(
            f"recorded by {person(mine['clinician_id'], 'another clinician')} here, "
            f"by {person(theirs['clinician_id'], 'another clinician')} in the bundle"
        )
    if mine["status"] != theirs["status"]:
        found.append(f"status: {mine['status']} here, {theirs['status']} in the bundle")
    if mine["signed_by"] != theirs["signed_by"]:
        found.append(f"{signed(mine['signed_by'])} here, {signed(theirs['signed_by'])} in the bundle")
    if mine["amends"] != theirs["amends"]:
        if mine["amends"] and theirs["amends"]:
            found.append("amends a different earlier visit here than in the bundle")
        else:
            here, there = (
                ("an amendment", "not one") if mine["amends"] else ("not an amendment", "an amendment")
            )
            found.append(f"{here} here, {there} in the bundle")
    return found


def _shown(result: Mapping[str, Any] | None) -> str:
    """One recorded value with its unit and method, or "not recorded"."""
    if result is None:
        return "not recorded"
    value = result["value"]
    text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    unit = f" {result['unit']}" if result.get("unit") else ""
    method = f" ({result['method']})" if result.get("method") else ""
    return f"{text}{unit}{method}"
