"""The writing pass of an import: carry out what the analysis planned, inside the caller's transaction.

It streams the bundle a second time (:mod:`~clinic_app.services.exchange_import` made the plan from
the first), trusting each record only because its entry's SHA-256 still matches, and writes in
batches. The report PDFs are read here for the first time in an import, and checked as they are
read (:func:`~clinic_app.services.exchange_reports.write_report_files`): any refusal rolls the whole
transaction back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic_app.exchange.archive import BundleReader
from clinic_app.exchange.plan import Resolution
from clinic_app.services.clinic import new_id
from clinic_app.services.exchange_import import Analysis, Tick, copied_under
from clinic_app.services.exchange_reports import write_report_files
from clinic_app.storage import audit
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Session


@dataclass(frozen=True, slots=True)
class Written:
    """What the writing pass did beyond the plan's counts."""

    amended: list[str]
    """This clinic's visits now amended by the bundle's copy."""
    report_files: int
    """Report records that now keep their PDF."""


def write_import(
    session: Session,
    reader: BundleReader,
    a: Analysis,
    resolutions: Mapping[str, Resolution],
    actor_id: str,
    tick: Tick,
) -> Written:
    """Write what the analysis planned, in the caller's transaction.

    Raises:
        BundleError: an entry no longer matches its checksum, or a report file is refused (the
            caller's transaction rolls back).
    """
    for _, record in reader.records("clinicians.jsonl", checked=True):
        tick(1)
        if record["id"] in a.new_clinicians:
            store.insert_clinician(session, record)
    patients: list[dict[str, Any]] = []
    for _, record in reader.records("patients.jsonl", checked=True):
        tick(1)
        if record["id"] in a.new_patients:
            patients.append(record)
        if len(patients) >= store.CHUNK:
            store.insert_patients(session, patients)
            patients.clear()
    store.insert_patients(session, patients)
    keys: dict[str, str] = {}
    birth_ids: dict[str, int | None] = {}
    births: list[tuple[dict[str, Any], str]] = []

    def insert_births() -> None:
        for (record, _), new in zip(births, store.insert_deliveries(session, births), strict=True):
            keys[f"delivery:{record['key']}"] = str(new)
            birth_ids[record["key"]] = new
        births.clear()

    for _, record in reader.records("deliveries.jsonl", checked=True):
        tick(1)
        owner = a.patient_map[record["patient_id"]]
        if record["key"] in a.new_deliveries:
            births.append((record, owner))
            if len(births) >= store.CHUNK:
                insert_births()
        else:
            birth_ids[record["key"]] = store.delivery_id(session, owner, a.births[record["key"]])
    insert_births()
    renamed: dict[str, str] = {}
    amended: list[str] = []
    batch: list[dict[str, Any]] = []
    for _, record in reader.records("visits.jsonl", checked=True):
        tick(1)
        action = a.visit_action[record["id"]]
        local = {
            **record,
            "patient_id": a.patient_map[record["patient_id"]],
            "delivery_id": birth_ids.get(record["delivery"]) if record["delivery"] else None,
        }
        if record["amends"] in renamed:
            local["amends"] = renamed[record["amends"]]
        if action == "add":
            batch.append(local)
        elif action == "conflict" and resolutions[record["id"]] is Resolution.THEIRS:
            store.insert_visits(session, batch, keys)
            batch.clear()
            fresh = new_id("V")
            renamed[record["id"]] = fresh
            store.insert_visits(
                session, [{**local, "id": fresh, "amends": record["id"], "bundle_id": record["id"]}], keys
            )
            store.mark_amended(
                session,
                record["id"],
                fresh,
                actor_id=actor_id,
                reason=f"took the copy in bundle {reader.checksum}",
            )
            amended.append(record["id"])
        if len(batch) >= store.CHUNK:
            store.insert_visits(session, batch, keys)
            batch.clear()
    store.insert_visits(session, batch, keys)
    holders = {v: renamed.get(v, v) for v, act in a.visit_action.items() if act != "conflict" or v in renamed}
    filled = write_report_files(session, reader, a.report_files, holders)
    events: list[dict[str, Any]] = []
    for _, record in reader.records("audit.jsonl", checked=True):
        tick(1)
        target = copied_under(record["entity"], record["entity_id"], a, renamed)
        if target is None:
            continue
        if record["entity"] in ("delivery", "decision", "report"):
            target = keys[f"{record['entity']}:{target}"]
        events.append({**record, "entity_id": target})
        if len(events) >= 1000:
            store.insert_audit(session, events)
            events.clear()
    store.insert_audit(session, events)
    plan = a.plan
    audit.record_now(
        session,
        actor_id=actor_id,
        action="import",
        entity="bundle",
        entity_id=reader.checksum,
        after={
            "file": plan.file_name,
            "sha256": reader.checksum,
            "schema_version": plan.schema_version,
            "created_at": plan.created_at,
            "clinicians_added": len(plan.clinicians_added),
            "patients_added": len(plan.patients_added),
            "deliveries_added": plan.deliveries_added,
            "visits_added": len(plan.visits_added),
            "visits_unchanged": plan.visits_unchanged,
            "conflicts": {c.visit_id: str(resolutions[c.visit_id]) for c in plan.conflicts},
            "amendments": renamed,
            "report_files_kept": filled,
        },
    )
    return Written(amended, filled)
