"""Clinician profiles: argon2 password hashes, and a wrong password changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from clinic_app.domain.ids import ClinicianId
from clinic_app.domain.model import Clinician
from clinic_app.storage import audit, clinicians
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.errors import AuthenticationError, NotFoundError, StorageError
from clinic_app.storage.migrate import migrate
from clinic_app.storage.models import ClinicianRow

ALEX = Clinician(ClinicianId("C-1"), "Alex Byrne", "Pelvic-health physiotherapist", "CORU PH123")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite file with one clinician whose password is 'correct horse'."""
    database = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(database.engine)
    with database.sessions.begin() as session:
        clinicians.add_clinician(session, ALEX, "correct horse", actor_id="system")
    yield database
    database.dispose()


def test_password_is_stored_only_as_an_argon2_hash(db: Database) -> None:
    """The stored hash is argon2id and does not contain the password."""
    with db.sessions.begin() as session:
        stored = session.scalars(select(ClinicianRow.password_hash)).one()
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored


def test_right_password_returns_the_clinician(db: Database) -> None:
    """verify_password returns the profile when the password matches."""
    with db.sessions.begin() as session:
        assert clinicians.verify_password(session, "C-1", "correct horse") == ALEX


def test_wrong_password_raises_a_clear_error(db: Database) -> None:
    """A wrong password raises AuthenticationError naming the clinician and saying nothing changed."""
    expected = r"password for Alex Byrne is not correct\. Nothing"
    with pytest.raises(AuthenticationError, match=expected), db.sessions.begin() as session:
        clinicians.verify_password(session, "C-1", "Correct horse")


def test_unknown_clinician_and_short_password(db: Database) -> None:
    """Unknown ids raise NotFoundError; passwords under eight characters are refused."""
    with pytest.raises(NotFoundError), db.sessions.begin() as session:
        clinicians.verify_password(session, "C-9", "whatever1")
    with pytest.raises(StorageError, match="at least 8"), db.sessions.begin() as session:
        clinicians.add_clinician(session, Clinician(ClinicianId("C-2"), "Sam"), "short", actor_id="C-1")


def test_profiles_are_listed_and_audited(db: Database) -> None:
    """New profiles appear in the list and their creation is audited without the password."""
    with db.sessions.begin() as session:
        clinicians.add_clinician(
            session, Clinician(ClinicianId("C-2"), "Aoife Kelly"), "another pass", actor_id="C-1"
        )
    with db.sessions.begin() as session:
        names = [c.name for c in clinicians.list_clinicians(session)]
        event = audit.list_events(session, entity="clinician", entity_id="C-2")[0]
    assert names == ["Alex Byrne", "Aoife Kelly"]
    assert event.actor_id == "C-1" and "another pass" not in str(event.after)
