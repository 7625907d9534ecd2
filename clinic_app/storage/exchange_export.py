"""Streamed reads behind an export: the scope of an export and each entry's records.

Visits are read in chunks of :data:`CHUNK` with their values, decisions and report records, and the
audit trail row by row, so memory does not grow with the clinic. Deliveries, decisions and reports
are named by owner (``V-1#2``, the visit's second decision), never by this database's row ids.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, bindparam, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

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

CHUNK = 500
"""Visits read or written per statement batch."""
AUDITED = ("clinician", "patient", "delivery", "visit", "decision", "report")
"""The records whose audit history travels with them."""


def _ts(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


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
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
_VISITS = select(*_VISIT_COLUMNS).where(VisitRow.id.in_(_IDS))
_VALUES = (
    select(
        ResultRow.visit_id,
        ResultRow.field_path,
        ResultRow.side,
        type_coerce(ResultRow.value, Text()),
        ResultRow.unit,
        ResultRow.method,
    )
    .where(ResultRow.visit_id.in_(_IDS))
    .order_by(ResultRow.id)
)
_DECISIONS = (
    select(
        DecisionRow.id,
        DecisionRow.visit_id,
        DecisionRow.protocol_id,
        DecisionRow.protocol_version,
        DecisionRow.proposed_status,
        DecisionRow.decision,
        DecisionRow.action,
        DecisionRow.overrides,
        DecisionRow.final_status,
        DecisionRow.comment,
        DecisionRow.decided_by,
        DecisionRow.decided_at,
    )
    .where(DecisionRow.visit_id.in_(_IDS))
    .order_by(DecisionRow.decided_at, DecisionRow.id)
)
_REPORTS = (
    select(
        ReportRow.id,
        ReportRow.visit_id,
        ReportRow.kind,
        ReportRow.sha256,
        ReportRow.file_name,
        ReportRow.created_by,
        ReportRow.created_at,
    )
    .where(ReportRow.visit_id.in_(_IDS))
    .order_by(ReportRow.created_at, ReportRow.id)
)


def visit_records(
    session: Session, visit_ids: Sequence[str], keys: dict[tuple[str, int], str] | None = None
) -> Iterator[dict[str, Any]]:
    """Yield the bundle record of each visit in ``visit_ids`` (in that order), read in chunks.

    Every statement is a prepared Core select run on the session's connection, one per chunk and
    table: ORM entities (an object per decision, a row-processing pass per value) cost more than the
    reads themselves on a clinic of 10,000 visits.

    Args:
        session: a read session.
        visit_ids: the visits, in the order wanted; unknown ids are skipped.
        keys: filled with the owned keys of the decisions and reports read.
    """
    connection = session.connection()
    decode = json.loads
    for start in range(0, len(visit_ids), CHUNK):
        chunk = list(visit_ids[start : start + CHUNK])
        params = {"ids": chunk}
        base = {row[0]: row for row in connection.execute(_VISITS, params)}
        births = _delivery_keys(session, {row[12] for row in base.values() if row[12] is not None})
        results: dict[str, list[dict[str, Any]]] = {}
        stored = connection.execute(_VALUES, params).all()
        # One JSON document for the whole chunk's values: a call per value cost a third of the export.
        decoded = decode("[" + ",".join([row[3] for row in stored]) + "]")
        current: list[dict[str, Any]] = []
        owner = None
        for (visit_id, field_path, side, _, unit, method), value in zip(stored, decoded, strict=True):
            if visit_id != owner:
                owner = visit_id
                current = results.setdefault(visit_id, [])
            current.append(
                {
                    "path": f"{field_path}.{side}" if side else field_path,
                    "value": value,
                    "unit": unit,
                    "method": method,
                }
            )
        decisions: dict[str, list[dict[str, Any]]] = {}
        for row in connection.execute(_DECISIONS, params):
            owned = decisions.setdefault(row[1], [])
            owned.append(
                {
                    "protocol_id": row[2],
                    "protocol_version": row[3],
                    "proposed_status": row[4],
                    "decision": row[5],
                    "action": row[6],
                    "overrides": list(row[7] or []),
                    "final_status": row[8],
                    "comment": row[9],
                    "decided_by": row[10],
                    "decided_at": _ts(row[11]),
                }
            )
            if keys is not None:
                keys["decision", row[0]] = f"{row[1]}#{len(owned)}"
        reports: dict[str, list[dict[str, Any]]] = {}
        for row in connection.execute(_REPORTS, params):
            owned = reports.setdefault(row[1], [])
            owned.append(
                {
                    "kind": row[2],
                    "sha256": row[3],
                    "file_name": row[4],
                    "created_by": row[5],
                    "created_at": _ts(row[6]),
                }
            )
            if keys is not None:
                keys["report", row[0]] = f"{row[1]}#{len(owned)}"
        for visit_id in chunk:
            found = base.get(visit_id)
            if found is None:
                continue
            row = found
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
    """Return the owned key (``<patient id>#<n>``, n-th by date) of each delivery row id.

    One statement for the chunk's mothers (their every birth, so the numbering is the one
    :func:`delivery_records` gives), not one per patient.
    """
    if not delivery_ids:
        return {}
    connection = session.connection()
    patients = sorted(
        set(
            connection.scalars(select(DeliveryRow.patient_id).where(DeliveryRow.id.in_(sorted(delivery_ids))))
        )
    )
    out: dict[int, str] = {}
    counts: dict[str, int] = {}
    for start in range(0, len(patients), CHUNK):
        rows = connection.execute(
            select(DeliveryRow.id, DeliveryRow.patient_id)
            .where(DeliveryRow.patient_id.in_(patients[start : start + CHUNK]))
            .order_by(DeliveryRow.patient_id, DeliveryRow.delivery_date, DeliveryRow.id)
        )
        for row_id, patient_id in rows:
            counts[patient_id] = counts.get(patient_id, 0) + 1
            out[row_id] = f"{patient_id}#{counts[patient_id]}"
    return out


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
