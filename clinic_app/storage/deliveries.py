"""Delivery repository: record a patient's births and find the birth a visit follows.

Functions take the caller's session (one per user action). Recording a birth is audited and moves
later draft visits onto it; the reads build plain :class:`Delivery` records from a few columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Date, bindparam, select
from sqlalchemy.orm import Session

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.model import Delivery
from clinic_app.storage import audit
from clinic_app.storage.base import read_rows, utcnow
from clinic_app.storage.models import DeliveryRow, VisitRow
from clinic_app.storage.patient_details import get_row


def delivery_image(delivery: Delivery) -> dict[str, Any]:
    """Return the JSON-ready audit image of a delivery."""
    return {
        "date": delivery.delivery_date.isoformat(),
        "mode": delivery.mode.value,
        "perineal_trauma": delivery.perineal_trauma.value,
        "parity": delivery.parity,
    }


def delivery_to_domain(row: DeliveryRow) -> Delivery:
    """Convert a delivery row to the domain record."""
    return Delivery(
        row.delivery_date, DeliveryMode(row.mode), PerinealTrauma(row.perineal_trauma), row.parity
    )


def add_delivery(
    session: Session, patient_id: str, delivery: Delivery, *, actor_id: str, action: str = "create"
) -> Delivery:
    """Record a birth for a patient.

    Raises:
        NotFoundError: no such patient.
    """
    get_row(session, patient_id)
    row = DeliveryRow(
        patient_id=patient_id,
        delivery_date=delivery.delivery_date,
        mode=delivery.mode.value,
        perineal_trauma=delivery.perineal_trauma.value,
        parity=delivery.parity,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action=action,
        entity="delivery",
        entity_id=str(row.id),
        after={"patient_id": patient_id, **delivery_image(delivery)},
    )
    _link_drafts(session, patient_id, row, actor_id=actor_id)
    return delivery


def _link_drafts(session: Session, patient_id: str, birth: DeliveryRow, *, actor_id: str) -> None:
    """Move draft visits dated on or after a newly recorded birth onto it, audited.

    A visit opened before the birth was recorded was linked to the earlier birth (or to none); a
    draft dated after this birth follows it. Signed and amended visits keep the birth they were
    signed against: their record is never changed behind the signer's back.
    """
    earlier = {
        row_id: day
        for row_id, day in session.execute(
            select(DeliveryRow.id, DeliveryRow.delivery_date).where(DeliveryRow.patient_id == patient_id)
        )
    }
    drafts = session.scalars(
        select(VisitRow).where(
            VisitRow.patient_id == patient_id,
            VisitRow.status == "draft",
            VisitRow.visit_date >= birth.delivery_date,
        )
    ).all()
    for visit in drafts:
        linked = earlier.get(visit.delivery_id) if visit.delivery_id is not None else None
        if visit.delivery_id == birth.id or (linked is not None and linked > birth.delivery_date):
            continue
        before = visit.delivery_id
        visit.delivery_id = birth.id
        visit.updated_at, visit.updated_by = utcnow(), actor_id
        session.flush()
        audit.record(
            session,
            actor_id=actor_id,
            action="update",
            entity="visit",
            entity_id=visit.id,
            before={"delivery_id": before},
            after={"delivery_id": birth.id, "delivery_date": birth.delivery_date.isoformat()},
        )


def deliveries_with_ids(session: Session, patient_id: str) -> list[tuple[int, Delivery]]:
    """Return every delivery of a patient with its row id, oldest first (ties in recording order)."""
    rows = read_rows(session, _DELIVERIES_WITH_IDS, {"patient_id": patient_id}).all()
    return [
        (row_id, Delivery(day, DeliveryMode(mode), PerinealTrauma(trauma), n))
        for row_id, day, mode, trauma, n in rows
    ]


_DELIVERIES_WITH_IDS = (
    select(
        DeliveryRow.id,
        DeliveryRow.delivery_date,
        DeliveryRow.mode,
        DeliveryRow.perineal_trauma,
        DeliveryRow.parity,
    )
    .where(DeliveryRow.patient_id == bindparam("patient_id"))
    .order_by(DeliveryRow.delivery_date, DeliveryRow.id)
)


def delivery_for(births: Sequence[tuple[int, Delivery]], visit_date: dt.date) -> tuple[int, Delivery] | None:
    """Return the birth a visit on ``visit_date`` follows by default: the latest on or before it.

    Args:
        births: the patient's deliveries with ids, oldest first (:func:`deliveries_with_ids`).
        visit_date: the visit's date.
    """
    found = None
    for birth in births:
        if birth[1].delivery_date <= visit_date:
            found = birth
    return found


def list_deliveries(session: Session, patient_id: str) -> list[Delivery]:
    """Return every delivery of a patient, oldest first."""
    rows = read_rows(session, _DELIVERIES, {"patient_id": patient_id}).all()
    return [Delivery(day, DeliveryMode(mode), PerinealTrauma(trauma), n) for day, mode, trauma, n in rows]


_DELIVERIES = (
    select(DeliveryRow.delivery_date, DeliveryRow.mode, DeliveryRow.perineal_trauma, DeliveryRow.parity)
    .where(DeliveryRow.patient_id == bindparam("patient_id"))
    .order_by(DeliveryRow.delivery_date)
)


def latest_delivery(
    session: Session, patient_id: str, *, on_or_before: dt.date | None = None
) -> Delivery | None:
    """Return the patient's most recent delivery (optionally the latest on or before a visit date)."""
    if on_or_before is None:
        found = read_rows(session, _LATEST_DELIVERY, {"patient_id": patient_id}).first()
    else:
        params = {"patient_id": patient_id, "on_or_before": on_or_before}
        found = read_rows(session, _LATEST_DELIVERY_BY, params).first()
    if found is None:
        return None
    day, mode, trauma, parity = found
    return Delivery(day, DeliveryMode(mode), PerinealTrauma(trauma), parity)


_LATEST_DELIVERY = (
    select(DeliveryRow.delivery_date, DeliveryRow.mode, DeliveryRow.perineal_trauma, DeliveryRow.parity)
    .where(DeliveryRow.patient_id == bindparam("patient_id"))
    .order_by(DeliveryRow.delivery_date.desc(), DeliveryRow.id.desc())
    .limit(1)
)
_LATEST_DELIVERY_BY = _LATEST_DELIVERY.where(
    DeliveryRow.delivery_date <= bindparam("on_or_before", type_=Date())
)
