"""Visit reads: one visit with its results, a patient's visits, and the birth each visit follows.

Opening a patient is the app's heaviest read, so :func:`list_visits` reads plain tuples from two
prebuilt Core statements instead of ORM objects.
"""

from __future__ import annotations

from sqlalchemy import Text, bindparam, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
from clinic_app.domain.model import Delivery, Results, Visit
from clinic_app.storage.base import read_rows
from clinic_app.storage.deliveries import deliveries_with_ids, delivery_for
from clinic_app.storage.errors import NotFoundError
from clinic_app.storage.models import ResultRow, VisitRow
from clinic_app.storage.results import results_by_visit, results_of


def to_domain(row: VisitRow) -> Visit:
    """Convert a visit row (with its results) to the domain record."""
    return Visit(
        VisitId(row.id),
        PatientId(row.patient_id),
        row.visit_date,
        ClinicianId(row.clinician_id),
        VisitStatus(row.status),
        results_of(row),
        row.version,
        VisitId(row.amends_id) if row.amends_id else None,
    )


def get_row(session: Session, visit_id: str) -> VisitRow:
    """Return the visit row with its results loaded.

    Raises:
        NotFoundError: no such visit.
    """
    row = session.scalars(
        select(VisitRow).options(selectinload(VisitRow.results)).where(VisitRow.id == visit_id)
    ).first()
    if row is None:
        raise NotFoundError("visit", visit_id)
    return row


def get_visit(session: Session, visit_id: str) -> Visit:
    """Return one visit with its results.

    Raises:
        NotFoundError: no such visit.
    """
    return to_domain(get_row(session, visit_id))


def list_visits(session: Session, patient_id: str) -> list[Visit]:
    """Return every visit of a patient with results, oldest first (amended originals included).

    Opening a patient loads every value of every visit, so the values are read as plain tuples in one
    query rather than as ORM objects (several times faster for a patient with many visits). Both
    statements are built once and run on the session's connection as Core queries, and the JSON text
    of the values is decoded directly, without a per-value type wrapper.
    """
    params = {"patient_id": patient_id}
    found = read_rows(session, _VISITS_OF_PATIENT, params).all()
    by_visit = results_by_visit(read_rows(session, _VALUES_OF_PATIENT, params).all(), decode=True)
    return [
        Visit(
            VisitId(visit_id),
            PatientId(patient_id),
            visit_date,
            ClinicianId(clinician_id),
            VisitStatus(status),
            by_visit.get(visit_id, _NO_RESULTS),
            version,
            VisitId(amends_id) if amends_id else None,
        )
        for visit_id, visit_date, clinician_id, status, version, amends_id in found
    ]


def visit_deliveries(session: Session, patient_id: str) -> dict[str, tuple[int, Delivery] | None]:
    """Return the birth each visit of a patient follows, with the delivery's id, by visit id.

    A visit's stored link decides; a visit without one (recorded before any birth was) follows the
    latest birth on or before its date, as it would be linked when that birth is recorded. None
    means no birth is recorded on or before the visit.
    """
    births = deliveries_with_ids(session, patient_id)
    by_id = dict(births)
    out: dict[str, tuple[int, Delivery] | None] = {}
    links = read_rows(session, _LINKS_OF_PATIENT, {"patient_id": patient_id})
    for visit_id, visit_date, delivery_id in links:
        if delivery_id is not None and delivery_id in by_id:
            out[visit_id] = (delivery_id, by_id[delivery_id])
        else:
            out[visit_id] = delivery_for(births, visit_date)
    return out


_LINKS_OF_PATIENT = select(VisitRow.id, VisitRow.visit_date, VisitRow.delivery_id).where(
    VisitRow.patient_id == bindparam("patient_id")
)
_NO_RESULTS = Results()
_VISITS_OF_PATIENT = (
    select(
        VisitRow.id,
        VisitRow.visit_date,
        VisitRow.clinician_id,
        VisitRow.status,
        VisitRow.version,
        VisitRow.amends_id,
    )
    .where(VisitRow.patient_id == bindparam("patient_id"))
    .order_by(VisitRow.visit_date, VisitRow.created_at, VisitRow.id)
)
_VALUES_OF_PATIENT = (
    select(
        ResultRow.visit_id,
        ResultRow.field_path,
        ResultRow.side,
        type_coerce(ResultRow.value, Text()),  # the JSON text as stored
    )
    .join(VisitRow, VisitRow.id == ResultRow.visit_id)
    .where(VisitRow.patient_id == bindparam("patient_id"))
    .order_by(ResultRow.id)
)
