"""Visit repository: create visits, save results with conflict detection, sign and amend.

A draft visit can be edited; a signed visit is read-only; amending marks the signed visit
``amended`` and opens a new draft linked to it, so the original stays exactly as it was signed.
Saves carry the version the user started from: if the stored version moved on, a
:class:`~clinic_app.storage.errors.ConflictError` is raised instead of overwriting.

This module changes existing visits; the reads live in :mod:`~clinic_app.storage.visit_reads` and
the INSERT of a new visit in :mod:`~clinic_app.storage.visit_inserts`, both re-exported here (the
``visits.X`` names the services call).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
from clinic_app.domain.model import Results, Visit
from clinic_app.storage import audit
from clinic_app.storage.base import utcnow
from clinic_app.storage.errors import ConflictError, ReadOnlyError
from clinic_app.storage.models import ClinicianRow, VisitRow
from clinic_app.storage.results import VALUE_COLUMNS, Annotations, apply_results, results_of
from clinic_app.storage.visit_inserts import add_visit, insert_values_sql
from clinic_app.storage.visit_reads import get_row, get_visit, list_visits, to_domain, visit_deliveries

_insert_values_sql = insert_values_sql  # the name storage.exchange_write imports

__all__ = [
    "VALUE_COLUMNS",
    "add_visit",
    "amend_visit",
    "check_version",
    "flush_or_conflict",
    "get_row",
    "get_visit",
    "insert_values_sql",
    "list_visits",
    "save_results",
    "sign_visit",
    "to_domain",
    "visit_deliveries",
]


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
