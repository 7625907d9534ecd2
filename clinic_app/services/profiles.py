"""Clinician profiles from Preferences: add a colleague, change your own sign-off password.

Both need the signed-in clinician (:class:`~clinic_app.services.session.SignedIn`); changing a
password asks for the current one first, through the same audited, rate-limited check as a
sign-off. Problems come back as :class:`~clinic_app.services.errors.ValidationFailed` with a field
path per message, so the dialog shows each beside its box.
"""

from __future__ import annotations

from clinic_app.domain.errors import FieldError
from clinic_app.services import patients
from clinic_app.services.changes import Changes
from clinic_app.services.errors import AuthenticationError, ValidationFailed
from clinic_app.services.session import SignedIn, check_password
from clinic_app.storage import passwords
from clinic_app.storage.clinicians import MIN_PASSWORD_LENGTH
from clinic_app.storage.database import Database


def _new_password_problems(prefix: str, new: str, repeat: str) -> list[FieldError]:
    problems: list[FieldError] = []
    if len(new) < MIN_PASSWORD_LENGTH:
        problems.append(
            FieldError(
                f"{prefix}.password", f"A sign-off password needs at least {MIN_PASSWORD_LENGTH} characters."
            )
        )
    if new != repeat:
        problems.append(FieldError(f"{prefix}.repeat", "The two passwords differ; type the same one twice."))
    return problems


def add_profile(
    db: Database,
    user: SignedIn,
    *,
    name: str,
    password: str,
    repeat: str,
    profession: str = "Pelvic-health physiotherapist",
    registration: str = "",
) -> Changes:
    """Add a clinician profile with her sign-off password (typed twice), on behalf of ``user``.

    Raises:
        ValidationFailed: a missing name, a short password or two passwords that differ.
        StorageError: the profile id is taken.
    """
    problems = _new_password_problems("clinician", password, repeat)
    if not name.strip():
        problems.append(FieldError("clinician.name", "The clinician's name is required."))
    if problems:
        raise ValidationFailed(problems)
    return patients.add_clinician(
        db,
        name=name,
        password=password,
        actor_id=user.clinician_id,
        profession=profession or "Pelvic-health physiotherapist",
        registration=registration,
    )


def change_password(db: Database, user: SignedIn, *, current: str, new: str, repeat: str) -> Changes:
    """Change the signed-in clinician's own sign-off password after checking her current one.

    Raises:
        ValidationFailed: the current password is wrong (``password.current``), or the new one is too
            short, equals the current one or differs from its repetition.
        LockedOutError: too many wrong passwords in a row.
    """
    problems = _new_password_problems("password", new, repeat)
    if new and new == current:
        problems.append(FieldError("password.password", "Choose a password different from the current one."))
    if problems:
        raise ValidationFailed(problems)
    try:
        check_password(db, user, current)
    except AuthenticationError as error:
        if type(error) is not AuthenticationError:  # a lock-out says how long; shown as it is
            raise
        raise ValidationFailed([FieldError("password.current", str(error))]) from None
    with db.sessions.begin() as session:
        passwords.set_password(session, user.clinician_id, new, actor_id=user.clinician_id)
    return Changes(f"Changed the password of {user.name}", clinician_ids=frozenset({user.clinician_id}))
