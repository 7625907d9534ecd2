"""Visit services: record, save, sign and amend visits; assemble a visit record for reports.

Results are validated against the forms before the database is touched, so bad input never reaches
it. Every save carries the version the clinician loaded, so a stale save from another workstation is
refused with a conflict instead of overwriting. Every write is made by the signed-in clinician (a
:class:`~clinic_app.services.session.SignedIn`, proved by her password), never in a bare id's name.
"""

from __future__ import annotations

import datetime as dt

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.errors import FieldError
from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
from clinic_app.domain.model import Delivery, Results, Visit
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.services.changes import Changes
from clinic_app.services.clinic import annotations_for, check_results, new_id
from clinic_app.services.errors import StorageError, ValidationFailed
from clinic_app.services.session import SignedIn, acting_clinician, check_password
from clinic_app.storage import clinicians, patients, visits
from clinic_app.storage.database import Database, Session


def _changes(summary: str, visit: Visit, *more: Visit, created: str | None = None) -> Changes:
    touched = (visit, *more)
    return Changes(
        summary,
        patient_ids=frozenset({visit.patient_id}),
        visit_ids=frozenset(v.id for v in touched),
        created_id=created,
        visit_versions=tuple((v.id, v.version) for v in touched),
    )


def create_visit(
    db: Database,
    patient_id: str,
    visit_date: dt.date,
    *,
    user: SignedIn,
    results: Results | None = None,
    visit_id: str | None = None,
    today: dt.date | None = None,
    action: str = "create",
    delivery_date: dt.date | None = None,
) -> Changes:
    """Open a draft visit for a patient, optionally with first values, in the signed-in clinician's name.

    A visit follows up one birth: by default the patient's latest delivery on or before the visit
    date; ``delivery_date`` names another of her recorded births (on or before the visit).
    ``action="import"`` marks the audit event of a visit brought in from an exchange bundle.

    Returns:
        Changes with ``created_id`` = the visit id and its version.

    Raises:
        ValidationFailed: values or dates the forms refuse, or a ``delivery_date`` that is not one of
            her births on or before the visit (``visit.delivery``); nothing is written.
        NotFoundError: unknown patient.
        AuthenticationError: her profile was made inactive since she signed in.
    """
    values = results or Results()
    visit = Visit(
        VisitId(visit_id or new_id("V")),
        PatientId(patient_id),
        visit_date,
        ClinicianId(user.clinician_id),
        VisitStatus.DRAFT,
        values,
    )
    with db.sessions.begin() as session:
        actor = acting_clinician(session, user)
        patients.get_patient(session, patient_id)
        birth = _chosen_birth(session, patient_id, visit_date, delivery_date)
        check_results(
            values,
            visit_date=visit_date,
            delivery_date=birth[1].delivery_date if birth else None,
            today=today,
        )
        stored = visits.add_visit(
            session,
            visit,
            actor_id=actor.id,
            annotations=annotations_for(values),
            action=action,
            delivery_id=birth[0] if birth else None,
        )
    return _changes(f"Opened visit of {visit_date.isoformat()}", stored, created=stored.id)


def _chosen_birth(
    session: Session, patient_id: str, visit_date: dt.date, delivery_date: dt.date | None
) -> tuple[int, Delivery] | None:
    """The birth a new visit follows: the one named by date, else the latest on or before the visit.

    Raises:
        ValidationFailed: the named birth is not recorded or is after the visit date.
    """
    births = patients.deliveries_with_ids(session, patient_id)
    if delivery_date is None:
        return patients.delivery_for(births, visit_date)
    named = [b for b in births if b[1].delivery_date == delivery_date]
    if not named:
        problem = f"No birth on {delivery_date.isoformat()} is recorded for this patient."
    elif delivery_date > visit_date:
        problem = f"The birth of {delivery_date.isoformat()} is after the visit of {visit_date.isoformat()}."
    else:
        return named[-1]
    raise ValidationFailed([FieldError("visit.delivery", problem)])


def get_visit(db: Database, visit_id: str) -> Visit:
    """Return one visit with its results and current version."""
    with db.reads.begin() as session:
        return visits.get_visit(session, visit_id)


def save_results(
    db: Database,
    visit_id: str,
    expected_version: int,
    results: Results,
    *,
    user: SignedIn,
    today: dt.date | None = None,
) -> Changes:
    """Replace a draft visit's values after validating them.

    Args:
        db: the clinic database.
        visit_id: the visit.
        expected_version: the version the clinician's copy was loaded at.
        results: the complete set of values (paths not in it are cleared).
        user: the signed-in clinician who saves.
        today: date treated as today for date checks.

    Returns:
        Changes carrying the visit's new version.

    Raises:
        ValidationFailed: values the forms refuse; nothing is written.
        ConflictError: another workstation saved the visit since ``expected_version``.
        ReadOnlyError: the visit is signed or amended.
        AuthenticationError: her profile was made inactive since she signed in.
    """
    with db.sessions.begin() as session:
        actor = acting_clinician(session, user)
        current = visits.get_visit(session, visit_id)
        birth = visits.visit_deliveries(session, current.patient_id).get(visit_id)
        check_results(
            results,
            visit_date=current.visit_date,
            delivery_date=birth[1].delivery_date if birth else None,
            today=today,
        )
        stored = visits.save_results(
            session,
            visit_id,
            expected_version,
            results,
            actor_id=actor.id,
            annotations=annotations_for(results),
        )
    return _changes(f"Saved visit {visit_id}", stored)


def sign_visit(
    db: Database, visit_id: str, expected_version: int, *, user: SignedIn, password: str | None
) -> Changes:
    """Sign a draft visit as the signed-in clinician, after checking her password again.

    The password check is audited in its own transaction (a wrong one is kept in the audit trail
    and counts towards the lock-out); the visit is signed only when it was right.

    Raises:
        AuthenticationError: wrong or missing password (``LockedOutError`` after too many); nothing
            is signed.
        ConflictError: the visit changed since ``expected_version``.
        ReadOnlyError: already signed or amended.
    """
    check_password(db, user, password, purpose="sign-off")
    with db.sessions.begin() as session:
        clinician = acting_clinician(session, user)
        stored = visits.sign_visit(session, visit_id, expected_version, clinician_id=clinician.id)
    return _changes(f"{clinician.name} signed visit {visit_id}", stored)


def amend_visit(
    db: Database,
    visit_id: str,
    expected_version: int,
    *,
    user: SignedIn,
    reason: str = "",
    new_visit_id: str | None = None,
) -> Changes:
    """Open an amendment of a signed visit (the original is kept, marked amended).

    Args:
        db: the clinic database.
        visit_id: the signed visit to amend.
        expected_version: the version the clinician's copy was loaded at.
        user: the signed-in clinician who amends (the amendment's clinician).
        reason: why the signed visit is amended; kept in the audit event. Required in practice: an
            empty reason is refused (the default only keeps the keyword optional for the signature).
        new_visit_id: id for the new draft (generated when omitted).

    Returns:
        Changes with ``created_id`` = the new draft's id.

    Raises:
        ValidationFailed: no reason given (``amendment.reason``); nothing is written.
        ReadOnlyError: the visit is not signed.
        ConflictError: the visit changed since ``expected_version``.
        AuthenticationError: her profile was made inactive since she signed in.
    """
    why = reason.strip()
    if not why:
        raise ValidationFailed(
            [FieldError("amendment.reason", "Say why the signed visit is amended; it is kept in the audit.")]
        )
    with db.sessions.begin() as session:
        actor = acting_clinician(session, user)
        draft = visits.amend_visit(
            session, visit_id, expected_version, new_visit_id or new_id("V"), actor_id=actor.id, reason=why
        )
        original = visits.get_visit(session, visit_id)
    return _changes(f"Opened an amendment of visit {visit_id}", draft, original, created=draft.id)


def record_in_session(session: Session, visit_id: str) -> VisitRecord:
    """Assemble the visit record (patient, delivery, clinician, visit, earlier visits) in a session.

    The delivery is the birth the visit follows up. Earlier visits are the patient's visits after the
    same birth, dated before this one and not replaced by an amendment, oldest first: visits of an
    earlier pregnancy are never compared or charted with this one.

    Raises:
        StorageError: the patient has no delivery recorded on or before the visit date.
    """
    visit = visits.get_visit(session, visit_id)
    patient = patients.get_patient(session, visit.patient_id)
    births = visits.visit_deliveries(session, visit.patient_id)
    birth = births.get(visit.id)
    if birth is None:
        raise StorageError(
            f"{patient.display_name} has no delivery recorded on or before {visit.visit_date}; "
            "record the birth first."
        )
    delivery_id, delivery = birth
    clinician = clinicians.get_clinician(session, visit.clinician_id)
    previous = tuple(
        v
        for v in visits.list_visits(session, visit.patient_id)
        if v.id != visit.id
        and v.visit_date < visit.visit_date
        and v.status is not VisitStatus.AMENDED
        and (births.get(v.id) or (None,))[0] == delivery_id
    )
    return VisitRecord(
        patient=patient, delivery=delivery, clinician=clinician, visit=visit, previous=previous
    )


def load_visit_record(db: Database, visit_id: str) -> VisitRecord:
    """Return everything the readiness engine and the reports need about one visit."""
    with db.reads.begin() as session:
        return record_in_session(session, visit_id)
