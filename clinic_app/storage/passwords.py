"""Changing a clinician's sign-off password (argon2 hash only; the audit trail says when, not what).

The audit event is an ``update`` of the clinician whose only content is ``{"password": "changed"}``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from clinic_app.storage import audit
from clinic_app.storage.clinicians import MIN_PASSWORD_LENGTH, hash_password
from clinic_app.storage.errors import NotFoundError, StorageError
from clinic_app.storage.models import ClinicianRow


def set_password(session: Session, clinician_id: str, password: str, *, actor_id: str) -> None:
    """Replace a clinician's password hash and audit the change (never the password or its hash).

    Raises:
        NotFoundError: no such clinician.
        StorageError: the password is shorter than :data:`MIN_PASSWORD_LENGTH`.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StorageError(f"A sign-off password needs at least {MIN_PASSWORD_LENGTH} characters.")
    row = session.get(ClinicianRow, clinician_id)
    if row is None:
        raise NotFoundError("clinician", clinician_id)
    row.password_hash = hash_password(password)
    audit.record(
        session,
        actor_id=actor_id,
        action="update",
        entity="clinician",
        entity_id=clinician_id,
        after={"password": "changed"},
    )
