"""Patient repository: create, edit, archive and look up a patient's identity details.

Functions take the caller's session (one per user action) and return domain objects. Every change
writes an audit event in the same session. Patients are archived, never deleted. Her births live in
:mod:`clinic_app.storage.deliveries`, the search in :mod:`clinic_app.storage.patient_search`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from clinic_app.domain.ids import PatientId
from clinic_app.domain.model import Patient
from clinic_app.storage import audit
from clinic_app.storage.base import utcnow
from clinic_app.storage.errors import ConflictError, NotFoundError, StorageError
from clinic_app.storage.models import ClinicianRow, PatientRow


def patient_image(patient: Patient) -> dict[str, Any]:
    """Return the JSON-ready audit image of a patient."""
    return {
        "family_name": patient.family_name,
        "given_names": patient.given_names,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "record_number": patient.record_number,
        "archived": patient.archived,
    }


def to_domain(row: PatientRow) -> Patient:
    """Convert a patient row to the domain record."""
    return Patient(
        PatientId(row.id),
        row.family_name,
        row.given_names,
        row.date_of_birth,
        row.record_number,
        row.archived,
    )


def add_patient(session: Session, patient: Patient, *, actor_id: str, action: str = "create") -> Patient:
    """Store a new patient.

    Args:
        session: the unit of work.
        patient: the patient (her id must be new).
        actor_id: the clinician creating the record.
        action: ``"create"`` or ``"import"`` (as written to the audit trail).

    Returns:
        The stored patient.

    Raises:
        StorageError: the id is already used.
    """
    if session.get(PatientRow, patient.id) is not None:
        raise StorageError(f"A patient with id '{patient.id}' already exists.")
    row = PatientRow(
        id=patient.id,
        family_name=patient.family_name,
        given_names=patient.given_names,
        date_of_birth=patient.date_of_birth,
        record_number=patient.record_number,
        archived=patient.archived,
    )
    row.refresh_keys()
    session.add(row)
    audit.record(
        session,
        actor_id=actor_id,
        action=action,
        entity="patient",
        entity_id=patient.id,
        after=patient_image(patient),
    )
    return patient


def get_row(session: Session, patient_id: str) -> PatientRow:
    """Return the patient row (inside a unit of work only).

    Raises:
        NotFoundError: no such patient.
    """
    row = session.get(PatientRow, patient_id)
    if row is None:
        raise NotFoundError("patient", patient_id)
    return row


def get_patient(session: Session, patient_id: str) -> Patient:
    """Return one patient (archived or not).

    Raises:
        NotFoundError: no such patient.
    """
    return to_domain(get_row(session, patient_id))


def update_patient(
    session: Session, patient: Patient, *, actor_id: str, expected: Patient | None = None
) -> Patient:
    """Change a patient's identity details (names, date of birth, record number).

    Args:
        session: the unit of work.
        patient: the corrected details.
        actor_id: who corrects them.
        expected: the details as the user loaded them; when the stored ones differ, someone else
            changed the patient meanwhile and the edit is refused instead of overwriting theirs.

    Returns:
        The patient as stored.

    Raises:
        NotFoundError: no such patient.
        ConflictError: the stored details no longer match ``expected``.
    """
    row = get_row(session, patient.id)
    before = to_domain(row)
    if expected is not None and before != expected:
        last = audit.list_events(session, entity="patient", entity_id=patient.id, limit=1)
        who = last[0].actor_id if last else "another clinician"
        clinician = session.get(ClinicianRow, who)
        raise ConflictError(
            "patient record", patient.id, clinician.name if clinician else who, row.updated_at, 0, 0
        )
    row.family_name = patient.family_name
    row.given_names = patient.given_names
    row.date_of_birth = patient.date_of_birth
    row.record_number = patient.record_number
    row.updated_at = utcnow()
    row.refresh_keys()
    after = to_domain(row)
    if after != before:
        audit.record(
            session,
            actor_id=actor_id,
            action="update",
            entity="patient",
            entity_id=patient.id,
            before=patient_image(before),
            after=patient_image(after),
        )
    return after


def set_archived(session: Session, patient_id: str, archived: bool, *, actor_id: str) -> Patient:
    """Archive (remove from lists) or restore a patient; her records are kept.

    Raises:
        NotFoundError: no such patient.
    """
    row = get_row(session, patient_id)
    if row.archived != archived:
        before = patient_image(to_domain(row))
        row.archived = archived
        row.updated_at = utcnow()
        audit.record(
            session,
            actor_id=actor_id,
            action="archive" if archived else "update",
            entity="patient",
            entity_id=patient_id,
            before=before,
            after=patient_image(to_domain(row)),
        )
    return to_domain(row)
