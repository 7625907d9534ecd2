"""The two passes of an import: analyse a bundle against the clinic, then write what the plan says.

Both passes stream the bundle entry by entry (references point backwards: clinicians, patients,
births, visits, then the audit trail), so memory holds ids and counts, never the visits themselves.
:func:`analyse` checks every record (:mod:`clinic_app.exchange.records`), every reference and, by
reading each entry to its end, every checksum (report PDFs:
:mod:`~clinic_app.services.exchange_reports`); :func:`~clinic_app.services.exchange_write.write_import`
then runs inside the caller's transaction and trusts the records only because their checksums still
match.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clinic_app.exchange.archive import BundleReader
from clinic_app.exchange.errors import BundleError
from clinic_app.exchange.plan import ImportPlan, PatientMatch, VisitConflict
from clinic_app.exchange.records import CHECKS
from clinic_app.services.exchange_compare import visit_conflict
from clinic_app.services.exchange_reports import carried, check_report_files
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Session

Tick = Callable[[int], None]


@dataclass(slots=True)
class Analysis:
    """The plan and what the writing pass needs to carry it out."""

    plan: ImportPlan
    patient_map: dict[str, str] = field(default_factory=dict)
    """Bundle patient id → this clinic's id."""
    new_patients: set[str] = field(default_factory=set)
    new_clinicians: set[str] = field(default_factory=set)
    new_deliveries: set[str] = field(default_factory=set)
    visit_action: dict[str, str] = field(default_factory=dict)
    """Bundle visit id → ``add``, ``same`` or ``conflict``."""
    touched_patients: set[str] = field(default_factory=set)
    births: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Bundle delivery key → (date, mode), how a birth is recognised in either clinic."""
    report_files: dict[str, set[str]] = field(default_factory=dict)
    """SHA-256 → the bundle visits whose report records name that file."""
    filled_here: set[str] = field(default_factory=set)
    """Visits already here (and the same) whose report records would get their PDF."""


def _records(reader: BundleReader, name: str, tick: Tick) -> Any:
    check = CHECKS[name]
    for line, record in reader.records(name):
        check(name, line, record)
        tick(1)
        yield line, record


def _refuse(name: str, line: int, text: str) -> BundleError:
    return BundleError(f"{name} line {line}: {text}. Nothing was imported.", problem="reference")


def analyse(session: Session, reader: BundleReader, tick: Tick, *, read_files: bool = True) -> Analysis:
    """Check the whole bundle against the clinic and return the plan (writes nothing).

    Args:
        session: the clinic as it is (the import's own transaction, or a read for the dry run).
        reader: the opened bundle.
        tick: counts records done.
        read_files: read and check the report PDFs' bytes (the dry run). The import passes False:
            its writing pass, in the same transaction, reads and checks each file once instead.

    Raises:
        BundleError: a malformed record, a broken reference, a duplicate id or a checksum mismatch.
    """
    a = Analysis(ImportPlan("", "", 0, "", ""))
    clinicians: set[str] = set()
    people: dict[str, str] = {}  # clinicians and matched patients by id, to name them in a conflict
    for line, record in _records(reader, "clinicians.jsonl", tick):
        if record["id"] in clinicians:
            raise _refuse("clinicians.jsonl", line, f"clinician {record['id']} appears twice")
        clinicians.add(record["id"])
        people[record["id"]] = record["name"]
    here = store.existing(session, "clinician", clinicians)
    a.new_clinicians = clinicians - here
    known_clinicians = set(clinicians)

    def clinician_known(name: str, line: int, clinician_id: str | None) -> None:
        if clinician_id is None or clinician_id in known_clinicians:
            return
        if store.existing(session, "clinician", [clinician_id]):
            known_clinicians.add(clinician_id)
            return
        raise _refuse(name, line, f"clinician {clinician_id} is neither in the bundle nor in this clinic")

    matches: list[PatientMatch] = []
    pending: list[dict[str, Any]] = []

    def settle_patients() -> None:
        # Matched a chunk at a time: three statements per chunk instead of three per patient.
        for record, found in zip(pending, store.match_patients(session, pending), strict=True):
            if found is None:
                a.patient_map[record["id"]] = record["id"]
                a.new_patients.add(record["id"])
                continue
            local, how = found
            a.patient_map[record["id"]] = local["id"]
            differences = tuple(
                f"{key.replace('_', ' ')} {local[key]!r} here, {record[key]!r} in the bundle"
                for key in ("family_name", "given_names", "date_of_birth", "record_number", "archived")
                if local[key] != record[key]
            )
            name = f"{record['given_names']} {record['family_name']}".strip()
            matches.append(PatientMatch(record["id"], local["id"], how, name, differences))
        pending.clear()

    seen_patients: set[str] = set()
    for line, record in _records(reader, "patients.jsonl", tick):
        if record["id"] in seen_patients:
            raise _refuse("patients.jsonl", line, f"patient {record['id']} appears twice")
        seen_patients.add(record["id"])
        pending.append(record)
        if len(pending) >= store.CHUNK:
            settle_patients()
    settle_patients()

    deliveries_kept = 0
    local_births: dict[str, set[tuple[str, str]]] = {}
    seen_keys: set[str] = set()
    for line, record in _records(reader, "deliveries.jsonl", tick):
        owner = record["patient_id"]
        if owner not in a.patient_map:
            raise _refuse("deliveries.jsonl", line, f"patient {owner} is not in the bundle")
        if record["key"] in seen_keys:
            raise _refuse("deliveries.jsonl", line, f"{record['key']} appears twice")
        seen_keys.add(record["key"])
        a.births[record["key"]] = (record["delivery_date"], record["mode"])
        if owner in a.new_patients:
            a.new_deliveries.add(record["key"])
            continue
        local_id = a.patient_map[owner]
        births = local_births.setdefault(local_id, store.delivery_signatures(session, local_id))
        if (record["delivery_date"], record["mode"]) in births:
            deliveries_kept += 1
        else:
            a.new_deliveries.add(record["key"])
            a.touched_patients.add(local_id)

    owned_counts: dict[str, tuple[int, int]] = {}
    conflicts: list[VisitConflict] = []
    added: list[str] = []
    unchanged = 0
    files = carried(reader)
    kept = {"add": 0, "same": 0, "conflict": 0}  # report records that would keep a PDF, by visit action
    batch: list[tuple[int, dict[str, Any]]] = []
    seen_visits: set[str] = set()

    names = {match.local_id: match.name for match in matches}  # a conflict's patient is always matched
    people = {**store.clinician_names(session), **people, **names}  # one small read per analysis

    def conflict(mine: dict[str, Any], theirs: dict[str, Any]) -> VisitConflict:
        return visit_conflict(mine, theirs, names.get(mine["patient_id"], ""), people)

    def settle() -> None:
        nonlocal unchanged
        ids = [record["id"] for _, record in batch]
        present = store.existing(session, "visit", ids)
        local = {r["id"]: r for r in store.visit_records(session, [i for i in ids if i in present])}
        for _, record in batch:
            mapped = {
                **record,
                "patient_id": a.patient_map[record["patient_id"]],
                "delivery": a.births.get(record["delivery"] or ""),
            }
            mine = local.get(record["id"])
            if mine is not None:
                found = store.delivery_by_key(session, mine["delivery"]) if mine["delivery"] else None
                mine = {**mine, "delivery": found[1] if found else None}
            if mine is None:
                a.visit_action[record["id"]] = "add"
                added.append(record["id"])
                a.touched_patients.add(mapped["patient_id"])
            elif mine == mapped:
                a.visit_action[record["id"]] = "same"
                unchanged += 1
            else:
                a.visit_action[record["id"]] = "conflict"
                conflicts.append(conflict(mine, mapped))
                a.touched_patients.add(mine["patient_id"])
            if a.visit_action[record["id"]] != "same":
                kept[a.visit_action[record["id"]]] += sum(r["sha256"] in files for r in record["reports"])
        same = [record["id"] for _, record in batch if a.visit_action[record["id"]] == "same"]
        for visit, sha in store.missing_report_files(session, same) if files and same else ():
            if sha in files and visit in a.report_files.get(sha, ()):
                kept["same"] += 1
                a.filled_here.add(visit)
        batch.clear()

    for line, record in _records(reader, "visits.jsonl", tick):
        if record["id"] in seen_visits:
            raise _refuse("visits.jsonl", line, f"visit {record['id']} appears twice")
        seen_visits.add(record["id"])
        if record["patient_id"] not in a.patient_map:
            raise _refuse("visits.jsonl", line, f"patient {record['patient_id']} is not in the bundle")
        if record["delivery"] is not None and record["delivery"] not in seen_keys:
            raise _refuse("visits.jsonl", line, f"birth {record['delivery']} is not in the bundle")
        for who in (record["clinician_id"], record["signed_by"]):
            clinician_known("visits.jsonl", line, who)
        for decision in record["decisions"]:
            clinician_known("visits.jsonl", line, decision["decided_by"])
        for report in record["reports"]:
            clinician_known("visits.jsonl", line, report["created_by"])
            a.report_files.setdefault(report["sha256"], set()).add(record["id"])
        target = record["amends"]
        if (
            target is not None
            and target not in seen_visits
            and not store.existing(session, "visit", [target])
        ):
            raise _refuse("visits.jsonl", line, f"visit {record['id']} amends {target}, which is nowhere")
        owned_counts[record["id"]] = (len(record["decisions"]), len(record["reports"]))
        batch.append((line, record))
        if len(batch) >= store.CHUNK:
            settle()
    settle()
    carried_count = check_report_files(reader, a.report_files, read=read_files)

    events = 0
    for line, record in _records(reader, "audit.jsonl", tick):
        entity, entity_id = record["entity"], record["entity_id"]
        if not _refers(entity, entity_id, clinicians, a, seen_keys, owned_counts):
            raise _refuse(
                "audit.jsonl", line, f"the event is about {entity} {entity_id}, which is not in the bundle"
            )
        if copied_under(entity, entity_id, a, {}) is not None:
            events += 1

    manifest = reader.manifest
    app = manifest.get("app")
    a.plan = ImportPlan(
        reader.path.name,
        reader.checksum,
        reader.schema_version,
        str(manifest["created_at"]),
        f"RunReady Clinic {app.get('version', '?')}" if isinstance(app, dict) else "an unknown app",
        clinicians_added=tuple(sorted(a.new_clinicians)),
        clinicians_unchanged=len(clinicians) - len(a.new_clinicians),
        patients_added=tuple(sorted(a.new_patients)),
        matches=tuple(matches),
        deliveries_added=len(a.new_deliveries),
        deliveries_unchanged=deliveries_kept,
        visits_added=tuple(added),
        visits_unchanged=unchanged,
        conflicts=tuple(conflicts),
        audit_events=events,
        report_files=carried_count,
        reports_with_new_visits=kept["add"],
        reports_for_visits_here=kept["same"],
        reports_in_conflicts=kept["conflict"],
    )
    return a


def _refers(
    entity: str,
    entity_id: str,
    clinicians: set[str],
    a: Analysis,
    deliveries: set[str],
    owned: Mapping[str, tuple[int, int]],
) -> bool:
    if entity == "clinician":
        return entity_id in clinicians
    if entity == "patient":
        return entity_id in a.patient_map
    if entity == "visit":
        return entity_id in a.visit_action
    if entity == "delivery":
        return entity_id in deliveries
    owner, _, number = entity_id.rpartition("#")
    counts = owned.get(owner)
    if counts is None or not number.isdigit():
        return False
    return 1 <= int(number) <= counts[0 if entity == "decision" else 1]


def copied_under(entity: str, entity_id: str, a: Analysis, renamed: Mapping[str, str]) -> str | None:
    """Return the local entity id an event is copied under, or None when this clinic keeps its own history."""
    if entity == "clinician":
        return entity_id if entity_id in a.new_clinicians else None
    if entity == "patient":
        return entity_id if entity_id in a.new_patients else None
    if entity == "delivery":
        return entity_id if entity_id in a.new_deliveries else None
    owner = entity_id if entity == "visit" else entity_id.rpartition("#")[0]
    action = a.visit_action.get(owner)
    if action == "add" or owner in renamed:
        return renamed.get(owner, entity_id) if entity == "visit" else entity_id
    return None
