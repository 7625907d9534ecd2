"""Signing in proves who acts: the password is checked, a wrong one is refused."""

from __future__ import annotations

import pytest

from clinic_app.services.errors import AuthenticationError
from clinic_app.services.session import check_password, sign_in

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
