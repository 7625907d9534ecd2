"""Signing in: the clinician a window (or a script) acts for, proved by her password.

The desktop window asks for the password once at sign-in and again before a sign-off or an override;
every change it makes is attributed to the signed-in clinician. A :class:`SignedIn` is only made by
:func:`sign_in` after the password was checked, so holding one means someone proved who she is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clinic_app.domain.model import Clinician
from clinic_app.storage import clinicians
from clinic_app.storage.database import Database


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The clinician whose password was checked, and when."""

    clinician: Clinician
    signed_in_at: dt.datetime

    @property
    def clinician_id(self) -> str:
        """Her profile id, the actor of every change made in this session."""
        return str(self.clinician.id)

    @property
    def name(self) -> str:
        """Her name, as shown in the window."""
        return self.clinician.name


def sign_in(db: Database, clinician_id: str, password: str, *, now: dt.datetime | None = None) -> SignedIn:
    """Check a clinician's password and return the signed-in clinician.

    Raises:
        AuthenticationError: wrong password or an inactive profile; the message says so.
        NotFoundError: no such profile.
    """
    with db.sessions.begin() as session:
        clinician = clinicians.verify_password(session, clinician_id, password)
    return SignedIn(clinician, now or dt.datetime.now(dt.UTC))


def check_password(db: Database, user: SignedIn, password: str) -> None:
    """Check the signed-in clinician's password again (before sign-off, override, unlocking).

    Raises:
        AuthenticationError: the password is not hers.
    """
    with db.sessions.begin() as session:
        clinicians.verify_password(session, user.clinician_id, password)
