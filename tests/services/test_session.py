"""Signing in proves who acts: the password is checked, a wrong one is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic_app.services import records
from clinic_app.services.errors import AuthenticationError, LockedOutError
from clinic_app.services.session import SignedIn, check_password, sign_in

from .conftest import CLINICIAN, PASSWORD


def test_sign_in_with_the_right_password_names_the_clinician(clinic):
    """The signed-in clinician carries her id and name."""
    user = sign_in(clinic, CLINICIAN, PASSWORD)
    assert (user.clinician_id, user.name) == (CLINICIAN, "Alex Byrne")
    check_password(clinic, user, PASSWORD)


def test_a_wrong_password_is_refused_at_sign_in_and_on_recheck(clinic):
    """Neither sign-in nor the re-check before sign-off accepts a wrong password."""
    with pytest.raises(AuthenticationError):
        sign_in(clinic, CLINICIAN, "not it at all")
    user = sign_in(clinic, CLINICIAN, PASSWORD)
    with pytest.raises(AuthenticationError):
        check_password(clinic, user, "wrong")


class FakeClock:
    """A clock the test moves by hand, so a lock-out is tested without sleeping."""

    def __init__(self) -> None:
        self.now = dt.datetime(2030, 1, 7, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def test_three_wrong_passwords_lock_the_profile_for_a_growing_while(clinic):
    """After 3 wrong passwords even the right one is refused for 30 s, then 60 s after a 4th; all audited."""
    clock = FakeClock()
    for _ in range(2):
        with pytest.raises(AuthenticationError) as caught:
            sign_in(clinic, CLINICIAN, "wrong", clock=clock)
        assert not isinstance(caught.value, LockedOutError)
    with pytest.raises(LockedOutError, match="30 seconds"):
        sign_in(clinic, CLINICIAN, "wrong", clock=clock)
    clock.now += dt.timedelta(seconds=29)
    with pytest.raises(LockedOutError):
        sign_in(clinic, CLINICIAN, PASSWORD, clock=clock)
    clock.now += dt.timedelta(seconds=2)
    with pytest.raises(LockedOutError, match="60 seconds"):
        sign_in(clinic, CLINICIAN, "wrong again", clock=clock)
    clock.now += dt.timedelta(seconds=61)
    user = sign_in(clinic, CLINICIAN, PASSWORD, clock=clock)
    actions = [e.action for e in records.list_audit_events(clinic, entity="clinician", entity_id=CLINICIAN)]
    assert actions[:6] == [
        "password_ok",
        "password_refused",
        "password_locked",
        "password_refused",
        "password_refused",
        "password_refused",
    ]
    check_password(clinic, user, PASSWORD)  # the count was cleared by the right password


def test_a_signed_in_session_cannot_be_made_without_the_password(clinic):
    """SignedIn is only made by sign_in: building one by hand for any clinician is refused."""
    user = sign_in(clinic, CLINICIAN, PASSWORD)
    with pytest.raises(TypeError):
        SignedIn(user.clinician, user.signed_in_at)


def test_re_checks_count_towards_the_same_lock_out(clinic):
    """Wrong passwords at sign-off lock sign-in too: the count is per profile, from the audit trail."""
    clock = FakeClock()
    user = sign_in(clinic, CLINICIAN, PASSWORD, clock=clock)
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            check_password(clinic, user, "wrong", purpose="sign-off")
    with pytest.raises(LockedOutError):
        sign_in(clinic, CLINICIAN, PASSWORD, clock=clock)
