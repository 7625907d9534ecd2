"""Patient services: create, edit, search, archive, open with visits; clinician profiles.

Every change to a patient or her births is made by the signed-in clinician (a
:class:`~clinic_app.services.session.SignedIn`), never in a bare id's name. A clinician profile is
not clinical data: it is added by ``actor_id`` (``"system"`` while the clinic is set up).

Identity input is checked here (names present, dates plausible) and refused with field errors before
anything is written.
"""

from __future__ import annotations

import datetime as dt

from clinic_app.domain.errors import FieldError
from clinic_app.domain.ids import ClinicianId, PatientId
from clinic_app.domain.model import Clinician, Delivery, Patient
from clinic_app.services.changes import Changes
from clinic_app.services.clinic import new_id
from clinic_app.services.dto import PatientFile, visit_summaries
from clinic_app.services.errors import ValidationFailed
from clinic_app.services.session import SignedIn, acting_clinician
from clinic_app.storage import clinicians, patients, records, visits
from clinic_app.storage.database import Database, Session


def check_names(family_name: str, given_names: str) -> list[FieldError]:
    """Return the problems with a patient's names (both are required).

    Public so that a form which cannot yet build a whole patient (her date of birth does not read as
    a date) still lists every problem at once; creating or updating a patient checks them again.
    """
    errors: list[FieldError] = []
    if not family_name.strip():
        errors.append(FieldError("patient.family_name", "Family name is required."))
    if not given_names.strip():
        errors.append(FieldError("patient.given_names", "Given names are required."))
    return errors


def _check_identity(patient: Patient, delivery: Delivery | None, today: dt.date) -> None:
    errors = check_names(patient.family_name, patient.given_names)
    if patient.date_of_birth > today:
        errors.append(FieldError("patient.date_of_birth", f"{patient.date_of_birth} is in the future."))
    elif (today - patient.date_of_birth).days < 10 * 365:
        errors.append(
            FieldError("patient.date_of_birth", f"{patient.date_of_birth} gives an age under 10 years.")
        )
    if delivery is not None:
        errors.extend(_check_delivery(patient, delivery, today))
    if errors:
        raise ValidationFailed(errors)


def _check_delivery(patient: Patient, delivery: Delivery, today: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    if delivery.delivery_date > today:
        errors.append(FieldError("delivery.date", f"{delivery.delivery_date} is in the future."))
    if delivery.delivery_date <= patient.date_of_birth:
        errors.append(FieldError("delivery.date", "The delivery date is before the date of birth."))
    if not 1 <= delivery.parity <= 20:
        errors.append(FieldError("delivery.parity", "Parity counts births including this one: 1 to 20."))
    return errors


def create_patient(
    db: Database,
    *,
    family_name: str,
    given_names: str,
    date_of_birth: dt.date,
    user: SignedIn,
    record_number: str = "",
    delivery: Delivery | None = None,
    patient_id: str | None = None,
    today: dt.date | None = None,
    action: str = "create",
) -> Changes:
    """Register a patient (and optionally her most recent delivery), by the signed-in clinician.

    ``action="import"`` marks the audit events of a patient brought in from an exchange bundle.

    Returns:
        Changes with ``created_id`` = the new patient id.

    Raises:
        ValidationFailed: missing names or implausible dates; nothing is written.
        AuthenticationError: her profile was made inactive since she signed in.
    """
    patient = Patient(
        PatientId(patient_id or new_id("P")),
        family_name.strip(),
        given_names.strip(),
        date_of_birth,
        record_number.strip(),
    )
    _check_identity(patient, delivery, today or dt.date.today())
    with db.sessions.begin() as session:
        actor = acting_clinician(session, user).id
        patients.add_patient(session, patient, actor_id=actor, action=action)
        if delivery is not None:
            patients.add_delivery(session, patient.id, delivery, actor_id=actor, action=action)
    return Changes(
        f"Added patient {patient.display_name}", patient_ids=frozenset({patient.id}), created_id=patient.id
    )


def update_patient(
    db: Database, patient: Patient, *, expected: Patient, user: SignedIn, today: dt.date | None = None
) -> Changes:
    """Correct a patient's names, date of birth or record number (audited before/after).

    Args:
        db: the clinic database.
        patient: the corrected details.
        expected: the details as loaded before editing; a mismatch means another workstation changed
            them, and the edit is refused rather than silently overwriting theirs.
        user: the signed-in clinician who corrects them.
        today: date treated as today for date checks.

    Raises:
        ValidationFailed: missing names or implausible dates.
        NotFoundError: no such patient.
        ConflictError: someone else changed the patient since ``expected`` was loaded.
    """
    _check_identity(patient, None, today or dt.date.today())
    with db.sessions.begin() as session:
        actor = acting_clinician(session, user).id
        patients.update_patient(session, patient, actor_id=actor, expected=expected)
    return Changes(f"Updated {patient.display_name}", patient_ids=frozenset({patient.id}))


def add_delivery(
    db: Database, patient_id: str, delivery: Delivery, *, user: SignedIn, today: dt.date | None = None
) -> Changes:
    """Record a (new) birth for a patient.

    Raises:
        ValidationFailed: implausible delivery details.
    """
    with db.sessions.begin() as session:
        actor = acting_clinician(session, user).id
        patient = patients.get_patient(session, patient_id)
        errors = _check_delivery(patient, delivery, today or dt.date.today())
        if errors:
            raise ValidationFailed(errors)
        patients.add_delivery(session, patient_id, delivery, actor_id=actor)
    return Changes(f"Recorded a delivery for {patient.display_name}", patient_ids=frozenset({patient_id}))


def archive_patient(db: Database, patient_id: str, *, user: SignedIn, archived: bool = True) -> Changes:
    """Archive a patient (she disappears from lists; every record is kept), or restore her."""
    with db.sessions.begin() as session:
        actor = acting_clinician(session, user).id
        patient = patients.set_archived(session, patient_id, archived, actor_id=actor)
    verb = "Archived" if archived else "Restored"
    return Changes(f"{verb} {patient.display_name}", patient_ids=frozenset({patient_id}))


def search_patients(
    db: Database, text: str = "", *, include_archived: bool = False, limit: int = 50
) -> list[Patient]:
    """Find patients by name, date of birth (YYYY-MM-DD), record number or id prefix.

    One Core query, so it runs on a read-only connection without a Session (whose fixed cost was
    several times the query's).
    """
    with db.read_connection() as connection:
        return patients.search_patients(connection, text, include_archived=include_archived, limit=limit)


def open_patient(db: Database, patient_id: str) -> PatientFile:
    """Load a patient with her deliveries and every visit (with results), oldest first.

    Raises:
        NotFoundError: no such patient.
    """
    with db.reads.begin() as session:
        return patient_file(session, patient_id)


def patient_file(session: Session, patient_id: str) -> PatientFile:
    """Assemble an open patient's file inside a session (see :func:`open_patient`).

    Every part is read as plain columns (no ORM rows): the patient, her deliveries, her visits and
    all their values in one query, the clinicians' names (inactive ones too: a visit by a clinician
    who has left still names her) and the visits' proposed and final statuses (one query). Weeks
    postpartum of each visit are computed here, never in the window.

    Raises:
        NotFoundError: no such patient.
    """
    patient = patients.get_patient_columns(session, patient_id)
    deliveries = tuple(patients.list_deliveries(session, patient_id))
    visit_list = tuple(visits.list_visits(session, patient_id))
    names = clinicians.all_names(session)
    decided = records.decision_statuses(session, [v.id for v in visit_list])
    summaries = visit_summaries(
        visit_list,
        names,
        {vid: final for vid, (_, final) in decided.items()},
        proposed_statuses={vid: proposed for vid, (proposed, _) in decided.items()},
        deliveries=deliveries,
    )
    return PatientFile(patient, deliveries, visit_list, summaries)


def add_clinician(
    db: Database,
    *,
    name: str,
    password: str,
    actor_id: str,
    profession: str = "Pelvic-health physiotherapist",
    registration: str = "",
    clinician_id: str | None = None,
) -> Changes:
    """Create a clinician profile with a sign-off password.

    Raises:
        ValidationFailed: missing name or a password that is too short.
        StorageError: the id is taken.
    """
    problems = []
    if not name.strip():
        problems.append(FieldError("clinician.name", "The clinician's name is required."))
    if len(password) < clinicians.MIN_PASSWORD_LENGTH:
        problems.append(
            FieldError(
                "clinician.password",
                f"A sign-off password needs at least {clinicians.MIN_PASSWORD_LENGTH} characters.",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    clinician = Clinician(
        ClinicianId(clinician_id or new_id("C")), name.strip(), profession.strip(), registration.strip()
    )
    with db.sessions.begin() as session:
        clinicians.add_clinician(session, clinician, password, actor_id=actor_id)
    return Changes(
        f"Added clinician {clinician.name}", clinician_ids=frozenset({clinician.id}), created_id=clinician.id
    )


def list_clinicians(db: Database) -> list[Clinician]:
    """Return the active clinician profiles, by name."""
    with db.reads.begin() as session:
        return clinicians.list_clinicians(session)
