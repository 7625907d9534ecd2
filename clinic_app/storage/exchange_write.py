"""The one-transaction writes of an import: records as they were exported, with new local row ids.

Every column is kept as exported (ids, versions, timestamps, sign-off) except the integer row ids
of deliveries, decisions, reports and audit events, which the bundle names by owner instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.engine import Connection
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
    session.execute(insert(PatientRow), _patient_row(record))


def _patient_row(record: Mapping[str, Any]) -> dict[str, Any]:
    return {
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
    }


def insert_delivery(session: Session, record: Mapping[str, Any], patient_id: str) -> int:
    """Add a delivery for ``patient_id`` (the local id); return its new row id."""
    result = session.execute(insert(DeliveryRow).returning(DeliveryRow.id), _delivery_row(record, patient_id))
    return int(result.scalar_one())


def _delivery_row(record: Mapping[str, Any], patient_id: str) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "delivery_date": dt.date.fromisoformat(record["delivery_date"]),
        "mode": record["mode"],
        "perineal_trauma": record["perineal_trauma"],
        "parity": record["parity"],
    }


_INSERT_VISIT = insert(Base.metadata.tables[VisitRow.__tablename__])


def insert_visits(session: Session, visits: Sequence[Mapping[str, Any]], keys: dict[str, str]) -> None:
    """Add visits (already mapped to local patient and visit ids) with values, decisions and reports.

    Four statements per batch whatever its size: the visits, their values (driver-level
    executemany), their decisions and their reports (one multi-row INSERT … RETURNING each, ids
    returned in the order of the rows), so an import costs no statement per record.

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
    values = _value_rows(visits)
    if values:
        sql, order = _insert_values_sql(connection.dialect)
        connection.exec_driver_sql(sql, values if order is None else [order(value) for value in values])
    _insert_owned(connection, _INSERT_DECISION, "decision", visits, keys, "decided_at")
    _insert_owned(connection, _INSERT_REPORT, "report", visits, keys, "created_at")


_INSERT_DECISION = insert(DecisionRow).returning(DecisionRow.id, sort_by_parameter_order=True)
_INSERT_REPORT = insert(ReportRow).returning(ReportRow.id, sort_by_parameter_order=True)


def _insert_owned(
    connection: Connection,
    statement: Any,
    entity: str,
    visits: Sequence[Mapping[str, Any]],
    keys: dict[str, str],
    stamp: str,
) -> None:
    """Insert every visit's decisions (or reports) in one statement; key each new row id by owner."""
    plural = f"{entity}s"
    rows: list[dict[str, Any]] = []
    names: list[str] = []
    for v in visits:
        owner = v.get("bundle_id", v["id"])
        for n, item in enumerate(v[plural], start=1):
            rows.append({**item, "visit_id": v["id"], stamp: _parse_ts(item[stamp])})
            names.append(f"{entity}:{owner}#{n}")
    if not rows:
        return
    new_ids = connection.execute(statement, rows).scalars().all()
    for name, new in zip(names, new_ids, strict=True):
        keys[name] = str(new)


def _value_rows(visits: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """The ``result_values`` rows of ``visits``, in :data:`~clinic_app.storage.visits.VALUE_COLUMNS` order.

    ``form.field[.side]`` is split into the stored field path and side; numbers and yes/no are
    written as the JSON text the encoder would give (``repr``), without calling it, and a number is
    also kept in ``value_number``. Written out in one loop: a call per value for each of those steps
    was a fifth of an import.
    """
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    float_text, int_text, str_text = float.__repr__, int.__repr__, encode_basestring
    for v in visits:
        visit_id = v["id"]
        for item in v["results"]:
            path, value = item["path"], item["value"]
            if path.count(".") == 2:
                field_path, _, side = path.rpartition(".")
            else:
                field_path, side = path, ""
            kind = type(value)
            text: str | None
            if kind is float:
                text, number = float_text(value), value
            elif kind is int:
                text, number = int_text(value), float(value)
            elif kind is bool:
                text, number = ("true" if value else "false"), None
            elif kind is str:
                text, number = str_text(value), None  # what json_text gives a str, without the call chain
            else:
                text, number = json_text(value), None
            append((visit_id, field_path, side, text, number, item["unit"], item["method"]))
    return rows


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


BULK_CACHE_KIB = 64 * 1024
"""SQLite page cache of an import's connection while it writes (64 MiB, a fixed bound)."""


def prepare_bulk_write(session: Session) -> None:
    """Give a SQLite import a page cache large enough to hold its indexes while it writes.

    The default cache (2 MiB) is far smaller than the value table's indexes on a clinic of
    10,000 visits, so one long transaction keeps spilling pages and reading them back. The size is
    a fixed bound (memory does not grow with the bundle) and lasts for this connection only; the
    pool's reset leaves it, which costs nothing. Other databases need nothing here.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")


def insert_patients(session: Session, records: Sequence[Mapping[str, Any]]) -> None:
    """:func:`insert_patient` for many patients in one statement."""
    if records:
        session.connection().execute(insert(PatientRow), [_patient_row(r) for r in records])


_INSERT_DELIVERY = insert(DeliveryRow).returning(DeliveryRow.id, sort_by_parameter_order=True)


def insert_deliveries(session: Session, records: Sequence[tuple[Mapping[str, Any], str]]) -> list[int]:
    """:func:`insert_delivery` for many (record, local patient id) pairs at once; the new ids in order."""
    if not records:
        return []
    rows = [_delivery_row(record, patient_id) for record, patient_id in records]
    return [int(new) for new in session.connection().execute(_INSERT_DELIVERY, rows).scalars()]
