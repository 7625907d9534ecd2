"""Clinician profiles from Preferences: add with a repeated password, change one's own after a check."""

from __future__ import annotations

import pytest

from clinic_app.services import patients, profiles
from clinic_app.services.errors import AuthenticationError, ValidationFailed
from clinic_app.services.records import list_audit_events
from clinic_app.services.session import sign_in

PASSWORD = "correct horse battery"


@pytest.fixture
def staff(db):
    """A clinician added to the clinic and signed in with her password."""
    changes = patients.add_clinician(db, name="Alex Byrne", password=PASSWORD, actor_id="system")
    return sign_in(db, str(changes.created_id), PASSWORD)


def test_add_profile_refuses_short_or_differing_passwords_and_a_missing_name(db, staff):
    """Every problem is reported at once, each with its field path; nothing is added."""
    with pytest.raises(ValidationFailed) as caught:
        profiles.add_profile(db, staff, name=" ", password="short", repeat="other")
    assert {e.path for e in caught.value.errors} == {
        "clinician.name",
        "clinician.password",
        "clinician.repeat",
    }
    assert [c.name for c in patients.list_clinicians(db)] == ["Alex Byrne"]


def test_add_profile_creates_a_clinician_who_can_sign_in(db, staff):
    """A good profile is stored, attributed to the signed-in clinician, and its password works."""
    changes = profiles.add_profile(
        db, staff, name="Róisín Daly", password="long enough 1", repeat="long enough 1"
    )
    assert sign_in(db, str(changes.created_id), "long enough 1").name == "Róisín Daly"
    created = list_audit_events(db, entity="clinician", entity_id=str(changes.created_id))
    assert [e.actor_id for e in created if e.action == "create"] == [staff.clinician_id]


def test_change_password_needs_the_current_one(db, staff):
    """A wrong current password is refused at its field and the old password still works."""
    with pytest.raises(ValidationFailed) as caught:
        profiles.change_password(
            db, staff, current="wrong wrong", new="brand new pass", repeat="brand new pass"
        )
    assert [e.path for e in caught.value.errors] == ["password.current"]
    assert sign_in(db, staff.clinician_id, PASSWORD)


def test_change_password_replaces_it_and_audits_without_the_secret(db, staff):
    """After a change only the new password signs in; the audit event says 'changed', never the hash."""
    profiles.change_password(db, staff, current=PASSWORD, new="brand new pass", repeat="brand new pass")
    assert sign_in(db, staff.clinician_id, "brand new pass")
    with pytest.raises(AuthenticationError):
        sign_in(db, staff.clinician_id, PASSWORD)
    events = [
        e
        for e in list_audit_events(db, entity="clinician", entity_id=staff.clinician_id)
        if e.action == "update"
    ]
    assert events and events[0].after == {"password": "changed"}
    assert "argon2" not in str(events[0].after)


def test_change_password_refuses_the_same_or_a_mismatched_new_one(db, staff):
    """Reusing the current password or typing two different new ones is refused before any check."""
    with pytest.raises(ValidationFailed) as same:
        profiles.change_password(db, staff, current=PASSWORD, new=PASSWORD, repeat=PASSWORD)
    assert [e.path for e in same.value.errors] == ["password.password"]
    with pytest.raises(ValidationFailed) as differ:
        profiles.change_password(db, staff, current=PASSWORD, new="brand new pass", repeat="brand new pas")
    assert [e.path for e in differ.value.errors] == ["password.repeat"]
