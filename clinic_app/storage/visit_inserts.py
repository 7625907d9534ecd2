"""Store a new visit with its results in one Core INSERT and one driver-level executemany.

A complete visit has over a hundred values; writing them without ORM objects keeps the save of a
new or amended visit (and an import, which shares :func:`insert_values_sql`) fast.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.model import Visit
from clinic_app.storage import audit
from clinic_app.storage.base import Base, read_rows, utcnow
from clinic_app.storage.deliveries import deliveries_with_ids, delivery_for
from clinic_app.storage.errors import StorageError
from clinic_app.storage.models import ResultRow, VisitRow
from clinic_app.storage.patient_details import get_row as get_patient_row
from clinic_app.storage.results import VALUE_COLUMNS, Annotations, new_result_values, results_of_values


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
        sql, order = insert_values_sql(connection.dialect)
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
"""A Core INSERT of result values, compiled once per dialect by :func:`insert_values_sql` (the ORM's
bulk INSERT groups rows by which columns are None, which splits a visit's values into dozens of
statements)."""
_VISIT_EXISTS = select(VisitRow.id).where(VisitRow.id == bindparam("visit_id"))
_ValueOrder = Callable[[tuple[Any, ...]], Any] | None


def insert_values_sql(dialect: Dialect) -> tuple[str, _ValueOrder]:
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
