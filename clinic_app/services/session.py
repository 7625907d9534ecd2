"""Signing in: the clinician a window (or a script) acts for, proved by her password.

The desktop window asks for the password once at sign-in and again before a sign-off or an override;
every change it makes is attributed to the signed-in clinician. A :class:`SignedIn` is only made by
:func:`sign_in` after the password was checked, so holding one means someone proved who she is, and
the services that write clinical data take one instead of a bare clinician id.

Every password check is written to the audit trail (``password_ok`` / ``password_refused``) in its
own transaction, so a refused attempt is kept even though the change it guarded is not made. After
:attr:`LockoutPolicy.allowed_failures` wrong passwords in a row the profile is locked for a while,
computed from those events (no timer, no sleep): the first lock lasts
:attr:`LockoutPolicy.first_lock`, each further wrong password doubles it up to
:attr:`LockoutPolicy.longest_lock`, and a right password clears the count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from clinic_app.domain.model import Clinician
from clinic_app.services.errors import AuthenticationError, LockedOutError
from clinic_app.storage import audit, clinicians
from clinic_app.storage.database import Database, Session

Clock = Callable[[], dt.datetime]
"""Returns the current time, timezone-aware (tests pass a fake one instead of sleeping)."""


def system_clock() -> dt.datetime:
    """The real time in UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """How wrong passwords in a row slow further attempts down."""

    allowed_failures: int = 3
    """Wrong passwords in a row before the profile is locked."""
    first_lock: dt.timedelta = dt.timedelta(seconds=30)
    """How long the first lock lasts; each further wrong password doubles it."""
    longest_lock: dt.timedelta = dt.timedelta(minutes=15)
    """The doubling stops here."""

    def locked_until(self, history: Sequence[tuple[str, dt.datetime]]) -> dt.datetime | None:
        """Return when the lock ends, from a profile's password events (newest first), or None.

        Only checked attempts count: one refused unchecked during a lock does not lengthen it.
        """
        failures: list[dt.datetime] = []
        for action, occurred_at in history:
            if action == "password_ok":
                break
            if action == "password_refused":
                failures.append(occurred_at)
        if len(failures) < self.allowed_failures:
            return None
        doublings = min(len(failures) - self.allowed_failures, 16)
        return failures[0] + min(self.first_lock * (1 << doublings), self.longest_lock)

    @property
    def history_needed(self) -> int:
        """How many recent events decide the lock (enough to reach the longest one)."""
        steps = 0
        while self.first_lock * (1 << steps) < self.longest_lock and steps < 16:
            steps += 1
        return self.allowed_failures + steps + 1


DEFAULT_POLICY = LockoutPolicy()
_ISSUED = object()
"""Only :func:`sign_in` holds this, so no other code can make a :class:`SignedIn`."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The clinician whose password was checked, and when.

    Attributes:
        clinician: her profile as it was at sign-in.
        signed_in_at: when the password was checked.
        clock: the clock her later password checks use (tests pass a fake one).
        policy: the lock-out rule her later password checks follow.
    """

    clinician: Clinician
    signed_in_at: dt.datetime
    clock: Clock = field(default=system_clock, repr=False, compare=False)
    policy: LockoutPolicy = field(default=DEFAULT_POLICY, repr=False, compare=False)
    _proof: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._proof is not _ISSUED:
            raise TypeError("A SignedIn is made only by session.sign_in, after a password check.")

    @property
    def clinician_id(self) -> str:
        """Her profile id, the actor of every change made in this session."""
        return str(self.clinician.id)

    @property
    def name(self) -> str:
        """Her name, as shown in the window."""
        return self.clinician.name


def sign_in(
    db: Database,
    clinician_id: str,
    password: str,
    *,
    clock: Clock | None = None,
    policy: LockoutPolicy = DEFAULT_POLICY,
) -> SignedIn:
    """Check a clinician's password and return the signed-in clinician.

    Args:
        db: the clinic database.
        clinician_id: the profile picked.
        password: what she typed.
        clock: the time source (default: the real clock); kept for her later password checks.
        policy: the lock-out rule.

    Raises:
        LockedOutError: too many wrong passwords in a row; the profile is locked for a while.
        AuthenticationError: wrong password or an inactive profile; the message says so.
        NotFoundError: no such profile.
    """
    chosen = clock or system_clock
    clinician = _check(db, clinician_id, password, purpose="sign-in", clock=chosen, policy=policy)
    return SignedIn(clinician, chosen(), chosen, policy, _ISSUED)


def check_password(db: Database, user: SignedIn, password: str | None, *, purpose: str = "re-check") -> None:
    """Check the signed-in clinician's password again (before sign-off, override, unlocking).

    Args:
        db: the clinic database.
        user: the signed-in clinician.
        password: what she typed; None (nothing typed) is refused without counting as a failure.
        purpose: what the check guards (``sign-off``, ``override``), kept in the audit event.

    Raises:
        LockedOutError: too many wrong passwords in a row.
        AuthenticationError: the password is not hers (or is missing).
    """
    if not password:
        raise AuthenticationError(f"Type your password to confirm the {purpose}; nothing was changed.")
    _check(db, user.clinician_id, password, purpose=purpose, clock=user.clock, policy=user.policy)


def acting_clinician(session: Session, user: SignedIn) -> Clinician:
    """Return the signed-in clinician's profile as stored now, inside a service's unit of work.

    A profile made inactive after she signed in can no longer record changes.

    Raises:
        AuthenticationError: the profile is inactive.
        NotFoundError: the profile is not in this clinic database.
    """
    return clinicians.get_active(session, user.clinician_id)


def _check(
    db: Database, clinician_id: str, password: str, *, purpose: str, clock: Clock, policy: LockoutPolicy
) -> Clinician:
    """Check a password against the lock-out, audit the attempt, and commit the event either way."""
    now = clock()
    refusal: AuthenticationError
    with db.sessions.begin() as session:
        name = clinicians.get_clinician(session, clinician_id).name
        history = audit.recent_actions(
            session,
            entity="clinician",
            entity_id=clinician_id,
            actions=audit.PASSWORD_ACTIONS,
            limit=policy.history_needed,
        )
        until = policy.locked_until(history)
        if until is not None and now < until:
            audit.record(
                session,
                actor_id=clinician_id,
                action="password_locked",
                entity="clinician",
                entity_id=clinician_id,
                after={"purpose": purpose, "locked_until": until.isoformat()},
                at=now,
            )
            refusal = LockedOutError(name, until, until - now)
        else:
            try:
                clinician = clinicians.verify_password(session, clinician_id, password)
            except AuthenticationError as error:
                audit.record(
                    session,
                    actor_id=clinician_id,
                    action="password_refused",
                    entity="clinician",
                    entity_id=clinician_id,
                    after={"purpose": purpose},
                    at=now,
                )
                refusal = error
                until = policy.locked_until([("password_refused", now), *history])
                if until is not None:
                    refusal = LockedOutError(name, until, until - now, just_locked=True)
            else:
                audit.record(
                    session,
                    actor_id=clinician_id,
                    action="password_ok",
                    entity="clinician",
                    entity_id=clinician_id,
                    after={"purpose": purpose},
                    at=now,
                )
                return clinician
    raise refusal
