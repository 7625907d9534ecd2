"""Bulk reads and the one-transaction writes behind export and import of the native bundle.

Records come and go as JSON-ready dictionaries in the bundle's own shapes (``docs/formats/``), so
storage never imports the exchange package and the services only pass them through. Exports stream:
visits are read in chunks of :data:`CHUNK` with their values, decisions and report records, and the
audit trail row by row, so memory does not grow with the clinic. Imports keep every column as it
was exported (ids, versions, timestamps, sign-off) except the integer row ids of deliveries,
decisions, reports and audit events, which the bundle names by owner instead (``V-1#2``, the
visit's second decision) so a bundle never depends on one database's counters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, bindparam, func, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from clinic_app.storage import audit
from clinic_app.storage.base import Base, json_text, search_key, utcnow
from clinic_app.storage.errors import NotFoundError
from clinic_app.storage.models import (
    AuditRow,
    ClinicianRow,
    DecisionRow,
    DeliveryRow,
    PatientRow,
    ReportRow,
    ResultRow,
    VisitRow,
)
from clinic_app.storage.visits import _insert_values_sql  # the shared driver-level INSERT of values

CHUNK = 500
"""Visits read or written per statement batch."""
AUDITED = ("clinician", "patient", "delivery", "visit", "decision", "report")
"""The records whose audit history travels with them."""
IMPORTED_PASSWORD = "!imported: no password set on this clinic"
"""Password hash of a profile that came in a bundle: never verifies until the clinic sets one."""


def _ts(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def _parse_ts(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


@dataclass(slots=True)
class ExportScope:
    """What one export holds, and the integer-id → bundle-key maps its audit trail needs."""

    everything: bool
    patient_ids: list[str]
    visit_ids: list[str]
    clinician_ids: list[str]
    keys: dict[tuple[str, int], str] = field(default_factory=dict)
    """(entity, row id) → owned key, filled while deliveries and visits are streamed."""


def export_scope(session: Session, patient_ids: Sequence[str] | None, since: dt.date | None) -> ExportScope:
    """Choose the patients, visits and clinicians of an export.

    Args:
        session: a read session.
        patient_ids: only these patients (None: every patient).
        since: only visits on or after this date, and the patients who have one (amended originals of
            chosen visits come along, so every amendment link resolves).

    Raises:
        NotFoundError: a named patient does not exist.
    """
    query = select(VisitRow.id, VisitRow.patient_id, VisitRow.amends_id, VisitRow.visit_date)
    if patient_ids is not None:
        for patient_id in patient_ids:
            if session.get(PatientRow, patient_id) is None:
                raise NotFoundError("patient", patient_id)
        query = query.where(VisitRow.patient_id.in_(list(patient_ids)))
    rows = session.execute(query).all()
    chosen = {vid for vid, _, _, day in rows if since is None or day >= since}
    if since is not None:
        amends = {vid: target for vid, _, target, _ in rows}
        pending = list(chosen)
        while pending:
            target = amends.get(pending.pop())
            if target and target not in chosen:
                chosen.add(target)
                pending.append(target)
    everything = patient_ids is None and since is None
    if everything:
        patients = list(session.scalars(select(PatientRow.id).order_by(PatientRow.id)))
    elif since is None and patient_ids is not None:
        patients = sorted(set(patient_ids))
    else:
        patients = sorted({pid for vid, pid, _, _ in rows if vid in chosen})
    ordered = [
        vid
        for (vid,) in session.execute(
            select(VisitRow.id).order_by(
                VisitRow.patient_id, VisitRow.visit_date, VisitRow.created_at, VisitRow.id
            )
        )
        if everything or vid in chosen
    ]
    if everything:
        clinicians = list(session.scalars(select(ClinicianRow.id).order_by(ClinicianRow.id)))
    else:
        clinicians = sorted(_referenced_clinicians(session, ordered))
    return ExportScope(everything, patients, ordered, clinicians)


def _referenced_clinicians(session: Session, visit_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(visit_ids), CHUNK):
        chunk = visit_ids[start : start + CHUNK]
        for row in session.execute(
            select(VisitRow.clinician_id, VisitRow.signed_by).where(VisitRow.id.in_(chunk))
        ):
            found.update(v for v in row if v)
        found.update(session.scalars(select(DecisionRow.decided_by).where(DecisionRow.visit_id.in_(chunk))))
        found.update(session.scalars(select(ReportRow.created_by).where(ReportRow.visit_id.in_(chunk))))
    return {c for c in found if session.get(ClinicianRow, c) is not None}


def clinician_records(session: Session, scope: ExportScope) -> Iterator[dict[str, Any]]:
    """Yield the clinicians of the export (never a password hash)."""
    wanted = set(scope.clinician_ids)
    for row in session.scalars(select(ClinicianRow).order_by(ClinicianRow.id)):
        if row.id in wanted:
            yield {
                "id": row.id,
                "name": row.name,
                "profession": row.profession,
                "registration": row.registration,
                "active": row.active,
                "created_at": _ts(row.created_at),
            }


def patient_records(session: Session, scope: ExportScope) -> Iterator[dict[str, Any]]:
    """Yield the patients of the export, by id."""
    for start in range(0, len(scope.patient_ids), CHUNK):
        chunk = scope.patient_ids[start : start + CHUNK]
        for row in session.scalars(
            select(PatientRow).where(PatientRow.id.in_(chunk)).order_by(PatientRow.id)
        ):
            yield patient_record(row)


def patient_record(row: PatientRow) -> dict[str, Any]:
    """Return the bundle record of one patient row."""
    return {
        "id": row.id,
        "family_name": row.family_name,
        "given_names": row.given_names,
        "date_of_birth": row.date_of_birth.isoformat(),
        "record_number": row.record_number,
        "archived": row.archived,
        "created_at": _ts(row.created_at),
        "updated_at": _ts(row.updated_at),
    }


def delivery_records(session: Session, scope: ExportScope) -> Iterator[dict[str, Any]]:
    """Yield the deliveries of the exported patients, keyed ``<patient id>#<n>`` by date."""
    for start in range(0, len(scope.patient_ids), CHUNK):
        chunk = scope.patient_ids[start : start + CHUNK]
        query = (
            select(DeliveryRow)
            .where(DeliveryRow.patient_id.in_(chunk))
            .order_by(DeliveryRow.patient_id, DeliveryRow.delivery_date, DeliveryRow.id)
        )
        counts: dict[str, int] = {}
        for row in session.scalars(query):
            counts[row.patient_id] = counts.get(row.patient_id, 0) + 1
            key = f"{row.patient_id}#{counts[row.patient_id]}"
            scope.keys["delivery", row.id] = key
            yield {
                "key": key,
                "patient_id": row.patient_id,
                "delivery_date": row.delivery_date.isoformat(),
                "mode": row.mode,
                "perineal_trauma": row.perineal_trauma,
                "parity": row.parity,
            }


_VISIT_COLUMNS = (
    VisitRow.id,
    VisitRow.patient_id,
    VisitRow.visit_date,
    VisitRow.clinician_id,
    VisitRow.status,
    VisitRow.version,
    VisitRow.amends_id,
    VisitRow.created_at,
    VisitRow.updated_at,
    VisitRow.updated_by,
    VisitRow.signed_at,
    VisitRow.signed_by,
    VisitRow.delivery_id,
)
_VALUES = (
    select(
        ResultRow.visit_id,
        ResultRow.field_path,
        ResultRow.side,
        type_coerce(ResultRow.value, Text()),
        ResultRow.unit,
        ResultRow.method,
    )
    .where(ResultRow.visit_id.in_(bindparam("ids", expanding=True)))
    .order_by(ResultRow.id)
)


def visit_records(
    session: Session, visit_ids: Sequence[str], keys: dict[tuple[str, int], str] | None = None
) -> Iterator[dict[str, Any]]:
    """Yield the bundle record of each visit in ``visit_ids`` (in that order), read in chunks.

    Args:
        session: a read session.
        visit_ids: the visits, in the order wanted; unknown ids are skipped.
        keys: filled with the owned keys of the decisions and reports read.
    """
    decode = json.loads
    for start in range(0, len(visit_ids), CHUNK):
        chunk = list(visit_ids[start : start + CHUNK])
        params = {"ids": chunk}
        base = {row[0]: row for row in session.execute(select(*_VISIT_COLUMNS).where(VisitRow.id.in_(chunk)))}
        births = _delivery_keys(session, {row[12] for row in base.values() if row[12] is not None})
        results: dict[str, list[dict[str, Any]]] = {}
        stored = session.execute(_VALUES, params).all()
        # One JSON document for the whole chunk's values: a call per value cost a third of the export.
        decoded = decode("[" + ",".join(row[3] for row in stored) + "]")
        for (visit_id, field_path, side, _, unit, method), value in zip(stored, decoded, strict=True):
            path = f"{field_path}.{side}" if side else field_path
            results.setdefault(visit_id, []).append(
                {"path": path, "value": value, "unit": unit, "method": method}
            )
        decisions: dict[str, list[dict[str, Any]]] = {}
        for d in session.scalars(
            select(DecisionRow)
            .where(DecisionRow.visit_id.in_(chunk))
            .order_by(DecisionRow.decided_at, DecisionRow.id)
        ):
            owned = decisions.setdefault(d.visit_id, [])
            owned.append(
                {
                    "protocol_id": d.protocol_id,
                    "protocol_version": d.protocol_version,
                    "proposed_status": d.proposed_status,
                    "decision": d.decision,
                    "action": d.action,
                    "overrides": list(d.overrides or []),
                    "final_status": d.final_status,
                    "comment": d.comment,
                    "decided_by": d.decided_by,
                    "decided_at": _ts(d.decided_at),
                }
            )
            if keys is not None:
                keys["decision", d.id] = f"{d.visit_id}#{len(owned)}"
        reports: dict[str, list[dict[str, Any]]] = {}
        for r in session.scalars(
            select(ReportRow)
            .where(ReportRow.visit_id.in_(chunk))
            .order_by(ReportRow.created_at, ReportRow.id)
        ):
            owned = reports.setdefault(r.visit_id, [])
            owned.append(
                {
                    "kind": r.kind,
                    "sha256": r.sha256,
                    "file_name": r.file_name,
                    "created_by": r.created_by,
                    "created_at": _ts(r.created_at),
                }
            )
            if keys is not None:
                keys["report", r.id] = f"{r.visit_id}#{len(owned)}"
        for visit_id in chunk:
            row = base.get(visit_id)
            if row is None:
                continue
            yield {
                "id": row[0],
                "patient_id": row[1],
                "visit_date": row[2].isoformat(),
                "clinician_id": row[3],
                "status": row[4],
                "version": row[5],
                "amends": row[6],
                "created_at": _ts(row[7]),
                "updated_at": _ts(row[8]),
                "updated_by": row[9],
                "signed_at": _ts(row[10]),
                "signed_by": row[11],
                "delivery": births.get(row[12]) if row[12] is not None else None,
                "results": results.get(visit_id, []),
                "decisions": decisions.get(visit_id, []),
                "reports": reports.get(visit_id, []),
            }


def _delivery_keys(session: Session, delivery_ids: set[int]) -> dict[int, str]:
    """Return the owned key (``<patient id>#<n>``, n-th by date) of each delivery row id."""
    if not delivery_ids:
        return {}
    patients = set(
        session.scalars(select(DeliveryRow.patient_id).where(DeliveryRow.id.in_(sorted(delivery_ids))))
    )
    out: dict[int, str] = {}
    for patient_id in patients:
        rows = session.execute(
            select(DeliveryRow.id)
            .where(DeliveryRow.patient_id == patient_id)
            .order_by(DeliveryRow.delivery_date, DeliveryRow.id)
        )
        for n, (row_id,) in enumerate(rows, start=1):
            out[row_id] = f"{patient_id}#{n}"
    return out


def delivery_by_key(session: Session, key: str) -> tuple[int, tuple[str, str]] | None:
    """Return the row id and (date, mode) of the delivery a local key names, or None."""
    patient_id, _, number = key.rpartition("#")
    if not number.isdigit():
        return None
    rows = session.execute(
        select(DeliveryRow.id, DeliveryRow.delivery_date, DeliveryRow.mode)
        .where(DeliveryRow.patient_id == patient_id)
        .order_by(DeliveryRow.delivery_date, DeliveryRow.id)
    ).all()
    index = int(number) - 1
    if not 0 <= index < len(rows):
        return None
    row_id, day, mode = rows[index]
    return row_id, (day.isoformat(), mode)


def delivery_id(session: Session, patient_id: str, signature: tuple[str, str]) -> int | None:
    """Return the id of a patient's delivery on that date by that mode, or None."""
    found = session.scalars(
        select(DeliveryRow.id)
        .where(
            DeliveryRow.patient_id == patient_id,
            DeliveryRow.delivery_date == dt.date.fromisoformat(signature[0]),
            DeliveryRow.mode == signature[1],
        )
        .order_by(DeliveryRow.id)
    ).first()
    return found


def audit_records(session: Session, scope: ExportScope) -> Iterator[dict[str, Any]]:
    """Yield the audit events of everything exported, oldest first (call after the visits were read)."""
    owned = {
        "clinician": set(scope.clinician_ids),
        "patient": set(scope.patient_ids),
        "visit": set(scope.visit_ids),
    }
    query = (
        select(AuditRow)
        .where(AuditRow.entity.in_(AUDITED))
        .order_by(AuditRow.occurred_at, AuditRow.id)
        .execution_options(yield_per=1000)
    )
    for row in session.scalars(query):
        entity_id = row.entity_id
        if row.entity in owned:
            if entity_id not in owned[row.entity]:
                continue
        else:
            try:
                key = scope.keys.get((row.entity, int(entity_id)))
            except ValueError:
                key = None
            if key is None:
                continue
            entity_id = key
        yield {
            "occurred_at": _ts(row.occurred_at),
            "actor_id": row.actor_id,
            "action": row.action,
            "entity": row.entity,
            "entity_id": entity_id,
            "before": row.before,
            "after": row.after,
        }


# --- import ------------------------------------------------------------------------------------


def existing(session: Session, entity: str, ids: Iterable[str]) -> set[str]:
    """Return which of ``ids`` exist as ``clinician``, ``patient`` or ``visit`` records here."""
    column = {"clinician": ClinicianRow.id, "patient": PatientRow.id, "visit": VisitRow.id}[entity]
    wanted = list(ids)
    found: set[str] = set()
    for start in range(0, len(wanted), CHUNK):
        found.update(session.scalars(select(column).where(column.in_(wanted[start : start + CHUNK]))))
    return found


def match_patient(session: Session, record: Mapping[str, Any]) -> tuple[dict[str, Any], str] | None:
    """Find the local patient a bundle patient is: by id, record number, or name and date of birth.

    Returns:
        The local patient's record and how she was matched (``id``, ``record number``, ``name and
        date of birth``), or None when she is new here.
    """
    row = session.get(PatientRow, record["id"])
    if row is not None:
        return patient_record(row), "id"
    birth = dt.date.fromisoformat(record["date_of_birth"])
    if record["record_number"].strip():
        found = session.scalars(
            select(PatientRow)
            .where(PatientRow.record_number == record["record_number"])
            .order_by(PatientRow.id)
        ).first()
        if found is not None and found.date_of_birth == birth:
            return patient_record(found), "record number"
    found = session.scalars(
        select(PatientRow)
        .where(
            PatientRow.family_key == search_key(record["family_name"]),
            PatientRow.given_key == search_key(record["given_names"]),
            PatientRow.date_of_birth == birth,
        )
        .order_by(PatientRow.id)
    ).first()
    return None if found is None else (patient_record(found), "name and date of birth")


def delivery_signatures(session: Session, patient_id: str) -> set[tuple[str, str]]:
    """Return (date, mode) of each delivery recorded for a patient here."""
    rows = session.execute(
        select(DeliveryRow.delivery_date, DeliveryRow.mode).where(DeliveryRow.patient_id == patient_id)
    )
    return {(day.isoformat(), mode) for day, mode in rows}


def insert_clinician(session: Session, record: Mapping[str, Any]) -> None:
    """Add a clinician profile from a bundle; it has no password here until one is set."""
    session.execute(
        insert(ClinicianRow),
        {
            "id": record["id"],
            "name": record["name"],
            "profession": record["profession"],
            "registration": record["registration"],
            "password_hash": IMPORTED_PASSWORD,
            "active": record["active"],
            "created_at": _parse_ts(record["created_at"]),
        },
    )


def insert_patient(session: Session, record: Mapping[str, Any]) -> None:
    """Add a patient from a bundle with her timestamps as exported."""
    session.execute(
        insert(PatientRow),
        {
            "id": record["id"],
            "family_name": record["family_name"],
            "given_names": record["given_names"],
            "date_of_birth": dt.date.fromisoformat(record["date_of_birth"]),
            "record_number": record["record_number"],
            "archived": record["archived"],
            "family_key": search_key(record["family_name"]),
            "given_key": search_key(record["given_names"]),
            "record_key": search_key(record["record_number"]),
            "created_at": _parse_ts(record["created_at"]),
            "updated_at": _parse_ts(record["updated_at"]),
        },
    )


def insert_delivery(session: Session, record: Mapping[str, Any], patient_id: str) -> int:
    """Add a delivery for ``patient_id`` (the local id); return its new row id."""
    result = session.execute(
        insert(DeliveryRow).returning(DeliveryRow.id),
        {
            "patient_id": patient_id,
            "delivery_date": dt.date.fromisoformat(record["delivery_date"]),
            "mode": record["mode"],
            "perineal_trauma": record["perineal_trauma"],
            "parity": record["parity"],
        },
    )
    return int(result.scalar_one())


_INSERT_VISIT = insert(Base.metadata.tables[VisitRow.__tablename__])


def insert_visits(session: Session, visits: Sequence[Mapping[str, Any]], keys: dict[str, str]) -> None:
    """Add visits (already mapped to local patient and visit ids) with values, decisions and reports.

    Args:
        session: the import's unit of work.
        visits: bundle records whose ``id``, ``patient_id`` and ``amends`` are the local ones; an
            optional ``bundle_id`` names the visit in the bundle when it differs (an amendment).
        keys: filled with bundle key (``V-1#2``) → new decision or report row id, for the audit trail.
    """
    if not visits:
        return
    connection = session.connection()
    connection.execute(
        _INSERT_VISIT,
        [
            {
                "id": v["id"],
                "patient_id": v["patient_id"],
                "visit_date": dt.date.fromisoformat(v["visit_date"]),
                "clinician_id": v["clinician_id"],
                "status": v["status"],
                "version": v["version"],
                "amends_id": v["amends"],
                "created_at": _parse_ts(v["created_at"]),
                "updated_at": _parse_ts(v["updated_at"]),
                "updated_by": v["updated_by"],
                "signed_at": _parse_ts(v["signed_at"]),
                "signed_by": v["signed_by"],
                "delivery_id": v.get("delivery_id"),
            }
            for v in visits
        ],
    )
    # Driver-level executemany with the JSON text encoded beforehand, as storage.visits.add_visit
    # does: SQLAlchemy's per-row parameter processing cost more than the INSERT itself.
    values = [
        (
            v["id"],
            field_path,
            side,
            _json(item["value"]),
            _number(item["value"]),
            item["unit"],
            item["method"],
        )
        for v in visits
        for item in v["results"]
        for field_path, side in (_split(item["path"]),)
    ]
    if values:
        sql, order = _insert_values_sql(connection.dialect)
        connection.exec_driver_sql(sql, values if order is None else [order(value) for value in values])
    for v in visits:
        owner = v.get("bundle_id", v["id"])
        for n, d in enumerate(v["decisions"], start=1):
            new = connection.execute(
                insert(DecisionRow).returning(DecisionRow.id),
                {**d, "visit_id": v["id"], "decided_at": _parse_ts(d["decided_at"])},
            ).scalar_one()
            keys[f"decision:{owner}#{n}"] = str(new)
        for n, r in enumerate(v["reports"], start=1):
            new = connection.execute(
                insert(ReportRow).returning(ReportRow.id),
                {**r, "visit_id": v["id"], "created_at": _parse_ts(r["created_at"])},
            ).scalar_one()
            keys[f"report:{owner}#{n}"] = str(new)


def _split(path: str) -> tuple[str, str]:
    """``form.field[.side]`` → the stored ``(field_path, side)``."""
    if path.count(".") == 2:
        head, _, side = path.rpartition(".")
        return head, side
    return path, ""


def _json(value: Any) -> str | None:
    """The JSON text of a value, numbers and yes/no without the encoder (what it writes for them)."""
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return float.__repr__(value)
    return json_text(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def mark_amended(session: Session, visit_id: str, new_visit_id: str, *, actor_id: str, reason: str) -> None:
    """Mark a local visit amended by an imported one (the user took the bundle's copy)."""
    row = session.get(VisitRow, visit_id)
    if row is None:
        raise NotFoundError("visit", visit_id)
    before = row.status
    session.execute(
        update(VisitRow)
        .where(VisitRow.id == visit_id)
        .values(status="amended", version=VisitRow.version + 1, updated_at=utcnow(), updated_by=actor_id)
    )
    audit.record_now(
        session,
        actor_id=actor_id,
        action="amend",
        entity="visit",
        entity_id=visit_id,
        before={"status": before},
        after={"status": "amended", "amended_by_visit": new_visit_id, "reason": reason},
    )


def insert_audit(session: Session, events: Sequence[Mapping[str, Any]]) -> None:
    """Copy audit events from a bundle as they were (entity ids already local)."""
    if not events:
        return
    session.connection().execute(
        insert(AuditRow),
        [{**event, "occurred_at": _parse_ts(event["occurred_at"])} for event in events],
    )


def count_rows(session: Session) -> dict[str, int]:
    """Return the number of rows of each clinical table (what tests compare before and after)."""
    return {
        model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (
            ClinicianRow,
            PatientRow,
            DeliveryRow,
            VisitRow,
            ResultRow,
            DecisionRow,
            ReportRow,
            AuditRow,
        )
    }
