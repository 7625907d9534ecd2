"""Visit repository: create visits, save results with conflict detection, sign and amend.

A draft visit can be edited; a signed visit is read-only; amending marks the signed visit
``amended`` and opens a new draft linked to it, so the original stays exactly as it was signed.
Saves carry the version the user started from: if the stored version moved on, a
:class:`~clinic_app.storage.errors.ConflictError` is raised instead of overwriting.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, Text, bindparam, insert, select, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
from clinic_app.domain.model import Delivery, Results, Visit
from clinic_app.storage import audit
from clinic_app.storage.base import Base, read_rows, utcnow
from clinic_app.storage.errors import ConflictError, NotFoundError, ReadOnlyError, StorageError
from clinic_app.storage.models import ClinicianRow, ResultRow, VisitRow
from clinic_app.storage.patients import deliveries_with_ids, delivery_for
from clinic_app.storage.patients import get_row as get_patient_row
from clinic_app.storage.results import (
    VALUE_COLUMNS,
    Annotations,
    apply_results,
    new_result_values,
    results_by_visit,
    results_of,
    results_of_values,
)


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


def add_visit(
    session: Session,
    visit: Visit,
    *,
    actor_id: str,
    annotations: Annotations | None = None,
    action: str = "create",
    delivery_id: int | None = None,
) -> Visit:
    """Store a new visit with its results (status as given: imports may bring signed visits).

    Args:
        session: the unit of work.
        visit: the visit (its id must be new; ``version`` is ignored and starts at 1).
        actor_id: who records it.
        annotations: unit and method per field path.
        action: ``"create"`` or ``"import"``.
        delivery_id: the birth the visit follows up; by default the patient's latest delivery on or
            before the visit date (none while no such birth is recorded).

    Returns:
        The stored visit.

    Raises:
        NotFoundError: the patient does not exist.
        StorageError: the visit id is already used.
    """
    get_patient_row(session, visit.patient_id)
    if delivery_id is None:
        birth = delivery_for(deliveries_with_ids(session, visit.patient_id), visit.visit_date)
        delivery_id = birth[0] if birth is not None else None
    if read_rows(session, _VISIT_EXISTS, {"visit_id": visit.id}).first() is not None:
        raise StorageError(f"A visit with id '{visit.id}' already exists.")
    now = utcnow()
    signed = visit.status is VisitStatus.SIGNED
    values, after = new_result_values(visit.id, visit.results, annotations or {})
    # A Core INSERT rather than an ORM object and a flush (the unit of work cost more than the row);
    # nothing is pending here (the check above flushed), and the row stays out of the session, so a
    # later read in this session loads what was written.
    connection = session.connection()
    connection.execute(
        _INSERT_VISIT,
        {
            "id": visit.id,
            "patient_id": visit.patient_id,
            "visit_date": visit.visit_date,
            "clinician_id": visit.clinician_id,
            "status": visit.status.value,
            "version": _FIRST_VERSION,
            "amends_id": visit.amends,
            "delivery_id": delivery_id,
            "created_at": now,
            "updated_at": now,
            "updated_by": actor_id,
            "signed_at": now if signed else None,
            "signed_by": visit.clinician_id if signed else None,
        },
    )
    if values:
        # One executemany for every value (a complete visit has over a hundred) instead of one ORM
        # object per value, with the JSON text encoded beforehand: SQLAlchemy's per-row parameter
        # processing cost more than the INSERT itself.
        sql, order = _insert_values_sql(connection.dialect)
        connection.exec_driver_sql(sql, values if order is None else [order(value) for value in values])
    audit.record_now(
        session,
        actor_id=actor_id,
        action=action,
        entity="visit",
        entity_id=visit.id,
        after={
            "patient_id": visit.patient_id,
            "date": visit.visit_date.isoformat(),
            "clinician_id": visit.clinician_id,
            "status": visit.status.value,
            "amends": visit.amends,
            "delivery_id": delivery_id,
            "results": after,
        },
    )
    return Visit(
        visit.id,
        visit.patient_id,
        visit.visit_date,
        visit.clinician_id,
        visit.status,
        results_of_values(after),
        _FIRST_VERSION,
        visit.amends,
    )


_FIRST_VERSION = 1
"""The version of a new visit (what the ORM's version counter starts at)."""
_INSERT_VISIT = insert(Base.metadata.tables[VisitRow.__tablename__])
_INSERT_VALUES = insert(Base.metadata.tables[ResultRow.__tablename__])
"""A Core INSERT of result values, compiled once per dialect by :func:`_insert_values_sql` (the ORM's
bulk INSERT groups rows by which columns are None, which splits a visit's values into dozens of
statements)."""
_VISIT_EXISTS = select(VisitRow.id).where(VisitRow.id == bindparam("visit_id"))
_ValueOrder = Callable[[tuple[Any, ...]], Any] | None


def _insert_values_sql(dialect: Dialect) -> tuple[str, _ValueOrder]:
    """The driver-level INSERT of :data:`VALUE_COLUMNS` for ``dialect``, and how to shape a row for it.

    Written in the dialect's own parameter style (SQLite ``?``, psycopg ``%(name)s``), so the rows of
    :func:`new_result_values` go straight to the driver's executemany. The shaping function is None
    when a row tuple already fits (positional parameters in :data:`VALUE_COLUMNS` order).
    """
    key = (dialect.name, dialect.driver, dialect.paramstyle)
    found = _VALUES_SQL.get(key)
    if found is None:
        compiled = _INSERT_VALUES.inline().compile(dialect=dialect, column_keys=list(VALUE_COLUMNS))
        order: _ValueOrder
        if not dialect.positional:
            order = functools.partial(_as_mapping, tuple(compiled.params))
        elif tuple(compiled.positiontup or ()) == VALUE_COLUMNS:
            order = None
        else:
            getter = operator.itemgetter(*(VALUE_COLUMNS.index(c) for c in compiled.positiontup or ()))
            order = getter
        found = _VALUES_SQL[key] = (compiled.string, order)
    return found


def _as_mapping(names: tuple[str, ...], row: tuple[Any, ...]) -> dict[str, Any]:
    values = dict(zip(VALUE_COLUMNS, row, strict=True))
    return {name: values[name] for name in names}


_VALUES_SQL: dict[tuple[str, str, str], tuple[str, _ValueOrder]] = {}


def check_version(session: Session, row: VisitRow, expected_version: int) -> None:
    """Raise :class:`ConflictError` when the stored visit moved past ``expected_version``."""
    if row.version != expected_version:
        changed_by = session.get(ClinicianRow, row.updated_by)
        raise ConflictError(
            "visit",
            row.id,
            changed_by.name if changed_by else row.updated_by,
            row.updated_at,
            expected_version,
            row.version,
        )


def flush_or_conflict(session: Session, row: VisitRow, expected_version: int) -> None:
    """Flush pending changes, turning a concurrent-update miss into a :class:`ConflictError`.

    The version check and the write are separate statements; when another workstation commits in
    between, the UPDATE (guarded by the version column) matches no row. The session is then rolled
    back, so who changed the visit is read on a separate connection for the message.
    """
    visit_id = row.id
    try:
        session.flush()
    except StaleDataError:
        changed_by, changed_at, current = _last_change(session, visit_id)
        raise ConflictError("visit", visit_id, changed_by, changed_at, expected_version, current) from None


def _last_change(session: Session, visit_id: str) -> tuple[str, dt.datetime | None, int]:
    """Read who last changed a visit, outside the failed transaction."""
    query = (
        select(VisitRow.updated_at, VisitRow.version, ClinicianRow.name)
        .join(ClinicianRow, ClinicianRow.id == VisitRow.updated_by, isouter=True)
        .where(VisitRow.id == visit_id)
    )
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.connect() as connection:
        found = connection.execute(query).first()
    if found is None:
        return "another clinician", None, -1
    return found.name or "another clinician", found.updated_at, found.version


def _editable(session: Session, visit_id: str, expected_version: int) -> VisitRow:
    row = get_row(session, visit_id)
    check_version(session, row, expected_version)
    if row.status != VisitStatus.DRAFT.value:
        raise ReadOnlyError(f"Visit {visit_id} is {row.status} and read-only; amend it to record changes.")
    return row


def save_results(
    session: Session,
    visit_id: str,
    expected_version: int,
    results: Results,
    *,
    actor_id: str,
    annotations: Annotations | None = None,
) -> Visit:
    """Replace a draft visit's results with ``results``.

    Args:
        session: the unit of work.
        visit_id: the visit.
        expected_version: the version the user's copy was loaded at.
        results: the complete set of values (paths missing from it are removed).
        actor_id: who saves.
        annotations: unit and method per field path.

    Returns:
        The visit as stored (with its new version when anything changed).

    Raises:
        ConflictError: someone else saved the visit since ``expected_version``.
        ReadOnlyError: the visit is signed or amended.
    """
    row = _editable(session, visit_id, expected_version)
    before, after = apply_results(row, results, annotations or {})
    if after:
        row.updated_at = utcnow()
        row.updated_by = actor_id
        flush_or_conflict(session, row, expected_version)
        audit.record(
            session,
            actor_id=actor_id,
            action="update",
            entity="visit",
            entity_id=visit_id,
            before={"results": before},
            after={"results": after},
        )
    return to_domain(row)


def sign_visit(session: Session, visit_id: str, expected_version: int, *, clinician_id: str) -> Visit:
    """Mark a draft visit signed by ``clinician_id`` (whose password the caller has checked).

    Raises:
        ConflictError: the visit changed since ``expected_version``.
        ReadOnlyError: the visit is already signed or amended.
    """
    row = _editable(session, visit_id, expected_version)
    now = utcnow()
    row.status, row.signed_at, row.signed_by = VisitStatus.SIGNED.value, now, clinician_id
    row.updated_at, row.updated_by = now, clinician_id
    flush_or_conflict(session, row, expected_version)
    audit.record(
        session,
        actor_id=clinician_id,
        action="sign",
        entity="visit",
        entity_id=visit_id,
        before={"status": VisitStatus.DRAFT.value, "version": expected_version},
        after={
            "status": VisitStatus.SIGNED.value,
            "signed_by": clinician_id,
            "signed_at": now.isoformat(),
            "version": row.version,
        },
    )
    return to_domain(row)


def amend_visit(
    session: Session,
    visit_id: str,
    expected_version: int,
    new_visit_id: str,
    *,
    actor_id: str,
    reason: str = "",
) -> Visit:
    """Open an amendment of a signed visit: a new draft with a copy of its results.

    The signed original is kept unchanged except for its status, which becomes ``amended``. The
    clinician's reason for amending is kept in the audit event (the services require one).

    Returns:
        The new draft visit (``amends`` = the original's id).

    Raises:
        ConflictError: the original changed since ``expected_version``.
        ReadOnlyError: the visit is not signed (drafts are edited directly; amended ones were replaced).
    """
    original = get_row(session, visit_id)
    check_version(session, original, expected_version)
    if original.status != VisitStatus.SIGNED.value:
        raise ReadOnlyError(f"Only a signed visit can be amended; visit {visit_id} is {original.status}.")
    now = utcnow()
    original.status, original.updated_at, original.updated_by = VisitStatus.AMENDED.value, now, actor_id
    flush_or_conflict(session, original, expected_version)
    annotations = {r.field_path: (r.unit, r.method) for r in original.results}
    draft = Visit(
        VisitId(new_visit_id),
        PatientId(original.patient_id),
        original.visit_date,
        ClinicianId(actor_id),
        VisitStatus.DRAFT,
        results_of(original),
        amends=VisitId(visit_id),
    )
    created = add_visit(
        session, draft, actor_id=actor_id, annotations=annotations, delivery_id=original.delivery_id
    )
    audit.record(
        session,
        actor_id=actor_id,
        action="amend",
        entity="visit",
        entity_id=visit_id,
        before={"status": VisitStatus.SIGNED.value},
        after={"status": VisitStatus.AMENDED.value, "amended_by_visit": new_visit_id, "reason": reason},
    )
    return created
