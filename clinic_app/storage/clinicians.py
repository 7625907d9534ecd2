"""Clinician profiles and password checks (argon2) for sign-off and overrides.

The password hash is the only secret stored; it never leaves this module. A wrong password raises
:class:`~clinic_app.storage.errors.AuthenticationError` before anything is changed.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from clinic_app.domain.ids import ClinicianId
from clinic_app.domain.model import Clinician
from clinic_app.storage import audit
from clinic_app.storage.base import read_rows
from clinic_app.storage.errors import AuthenticationError, NotFoundError, StorageError
from clinic_app.storage.models import ClinicianRow

MIN_PASSWORD_LENGTH = 8
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """Return the argon2id hash of ``password``."""
    return _HASHER.hash(password)


def to_domain(row: ClinicianRow) -> Clinician:
    """Convert a clinician row to the domain record (no password hash)."""
    return Clinician(ClinicianId(row.id), row.name, row.profession, row.registration)


def add_clinician(session: Session, clinician: Clinician, password: str, *, actor_id: str) -> Clinician:
    """Create a clinician profile with a password.

    Args:
        session: the unit of work.
        clinician: id, name, profession, registration.
        password: the clinician's sign-off password (at least :data:`MIN_PASSWORD_LENGTH` characters).
        actor_id: who creates the profile (``"system"`` during set-up).

    Returns:
        The stored clinician.

    Raises:
        StorageError: the id is taken or the password is too short.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StorageError(f"A sign-off password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if session.get(ClinicianRow, clinician.id) is not None:
        raise StorageError(f"A clinician with id '{clinician.id}' already exists.")
    row = ClinicianRow(
        id=clinician.id,
        name=clinician.name,
        profession=clinician.profession,
        registration=clinician.registration,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(row)
    audit.record(
        session,
        actor_id=actor_id,
        action="create",
        entity="clinician",
        entity_id=clinician.id,
        after={
            "name": clinician.name,
            "profession": clinician.profession,
            "registration": clinician.registration,
        },
    )
    return clinician


def get_clinician(session: Session, clinician_id: str) -> Clinician:
    """Return one clinician.

    Raises:
        NotFoundError: no such clinician.
    """
    row = session.get(ClinicianRow, clinician_id)
    if row is None:
        raise NotFoundError("clinician", clinician_id)
    return to_domain(row)


def list_clinicians(session: Session) -> list[Clinician]:
    """Return the active clinicians, by name."""
    rows = session.scalars(
        select(ClinicianRow).where(ClinicianRow.active.is_(True)).order_by(ClinicianRow.name)
    )
    return [to_domain(row) for row in rows]


def active_names(session: Session) -> dict[str, str]:
    """Return the name of every active clinician by id (what visit lists show)."""
    return {row.id: row.name for row in read_rows(session, _ACTIVE_NAMES, {}).all()}


_ACTIVE_NAMES = select(ClinicianRow.id, ClinicianRow.name).where(ClinicianRow.active.is_(True))


def all_names(session: Session) -> dict[str, str]:
    """Return the name of every clinician by id, inactive profiles included.

    What records and reports show: a visit recorded by a clinician who has since left still names
    her, never her profile id.
    """
    return {row.id: row.name for row in read_rows(session, _ALL_NAMES, {}).all()}


_ALL_NAMES = select(ClinicianRow.id, ClinicianRow.name)


def get_active(session: Session, clinician_id: str) -> Clinician:
    """Return a clinician whose profile may still act (a signed-in session's clinician, re-read).

    Raises:
        NotFoundError: no such clinician.
        AuthenticationError: the profile was made inactive since she signed in.
    """
    found = read_rows(session, _PROFILE, {"id": clinician_id}).first()
    if found is None:
        raise NotFoundError("clinician", clinician_id)
    if not found.active:
        raise AuthenticationError(f"{found.name}'s profile is inactive and cannot record changes.")
    return Clinician(ClinicianId(found.id), found.name, found.profession, found.registration)


_PROFILE = select(
    ClinicianRow.id,
    ClinicianRow.name,
    ClinicianRow.profession,
    ClinicianRow.registration,
    ClinicianRow.active,
).where(ClinicianRow.id == bindparam("id"))


def verify_password(session: Session, clinician_id: str, password: str) -> Clinician:
    """Check a clinician's password and return the clinician.

    Args:
        session: an open session.
        clinician_id: who is signing or overriding.
        password: what they typed.

    Returns:
        The clinician, when the password matches.

    Raises:
        NotFoundError: no such clinician.
        AuthenticationError: wrong password (or an inactive profile).
    """
    row = session.get(ClinicianRow, clinician_id)
    if row is None:
        raise NotFoundError("clinician", clinician_id)
    try:
        _HASHER.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationError(
            f"The password for {row.name} is not correct. Nothing was signed or changed; try again."
        ) from None
    if not row.active:
        raise AuthenticationError(f"{row.name}'s profile is inactive and cannot sign.")
    if _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = hash_password(password)
    return to_domain(row)
