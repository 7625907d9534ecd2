"""The one-transaction writes of an import: records as they were exported, with new local row ids.

Every column is kept as exported (ids, versions, timestamps, sign-off) except the integer row ids
of deliveries, decisions, reports and audit events, which the bundle names by owner instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert, update
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
    VisitRow,
)
from clinic_app.storage.visits import _insert_values_sql  # the shared driver-level INSERT of values

IMPORTED_PASSWORD = "!imported: no password set on this clinic"
"""Password hash of a profile that came in a bundle: never verifies until the clinic sets one."""


def _parse_ts(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


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
