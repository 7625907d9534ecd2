"""The import's questions to the clinic: which records exist, who a bundle patient is here.

Reads only; the writes are in :mod:`clinic_app.storage.exchange_write`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_app.storage.base import search_key
from clinic_app.storage.exchange_export import CHUNK, patient_record
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


def match_patients(
    session: Session, records: Sequence[Mapping[str, Any]]
) -> list[tuple[dict[str, Any], str] | None]:
    """:func:`match_patient` for many bundle patients at once: three statements, not three each.

    Returns:
        For each record in order, the local patient's record and how she was matched, or None.
    """
    if not records:
        return []
    by_id = {
        row.id: row
        for row in session.scalars(select(PatientRow).where(PatientRow.id.in_([r["id"] for r in records])))
    }
    numbers = sorted(
        {r["record_number"] for r in records if r["id"] not in by_id and r["record_number"].strip()}
    )
    by_number: dict[str, list[PatientRow]] = {}
    if numbers:
        query = select(PatientRow).where(PatientRow.record_number.in_(numbers)).order_by(PatientRow.id)
        for row in session.scalars(query):
            by_number.setdefault(row.record_number, []).append(row)
    families = sorted({search_key(r["family_name"]) for r in records if r["id"] not in by_id})
    by_name: dict[tuple[str, str, dt.date], PatientRow] = {}
    if families:
        query = select(PatientRow).where(PatientRow.family_key.in_(families)).order_by(PatientRow.id)
        for row in session.scalars(query):
            by_name.setdefault((row.family_key, row.given_key, row.date_of_birth), row)
    out: list[tuple[dict[str, Any], str] | None] = []
    for record in records:
        same = by_id.get(record["id"])
        if same is not None:
            out.append((patient_record(same), "id"))
            continue
        birth = dt.date.fromisoformat(record["date_of_birth"])
        if record["record_number"].strip():
            first = by_number.get(record["record_number"], [None])[0]
            if first is not None and first.date_of_birth == birth:
                out.append((patient_record(first), "record number"))
                continue
        found = by_name.get((search_key(record["family_name"]), search_key(record["given_names"]), birth))
        out.append(None if found is None else (patient_record(found), "name and date of birth"))
    return out
