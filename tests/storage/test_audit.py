"""Audit trail: events commit and roll back together with the change they describe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.domain.ids import PatientId
from clinic_app.domain.model import Patient
from clinic_app.storage import audit, patients
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.migrate import migrate

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty SQLite file."""
    database = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(database.engine)
    yield database
    database.dispose()


def test_failed_action_leaves_no_change_and_no_event(db: Database) -> None:
    """When the action's transaction rolls back, its audit event disappears with it."""
    with pytest.raises(RuntimeError), db.sessions.begin() as session:
        patients.add_patient(
            session, Patient(PatientId("P-1"), "Żmuda", "Łucja", dt.date(1990, 1, 2)), actor_id="C-1"
        )
        raise RuntimeError("the workstation lost power mid-action")
    with db.sessions.begin() as session:
        assert audit.list_events(session) == []
        assert patients.search_patients(session, "") == []


def test_events_are_newest_first_and_filtered(db: Database) -> None:
    """Events list newest first, filter by record, and keep before/after images and timestamps."""
    with db.sessions.begin() as session:
        audit.record(
            session,
            actor_id="C-1",
            action="create",
            entity="patient",
            entity_id="P-1",
            after={"family_name": "Byrne"},
            at=T0,
        )
        audit.record(
            session,
            actor_id="C-2",
            action="update",
            entity="patient",
            entity_id="P-1",
            before={"family_name": "Byrne"},
            after={"family_name": "Ó Broin"},
            at=T0 + dt.timedelta(minutes=5),
        )
        audit.record(session, actor_id="C-1", action="create", entity="patient", entity_id="P-2", at=T0)
    with db.sessions.begin() as session:
        events = audit.list_events(session, entity="patient", entity_id="P-1")
        everything = audit.list_events(session, limit=2)
    assert [(e.actor_id, e.action) for e in events] == [("C-2", "update"), ("C-1", "create")]
    assert events[0].before == {"family_name": "Byrne"} and events[0].after == {"family_name": "Ó Broin"}
    assert events[0].occurred_at == T0 + dt.timedelta(minutes=5)
    assert len(everything) == 2


def test_unknown_action_is_a_programming_error(db: Database) -> None:
    """Only the documented verbs may be written, so audit queries stay meaningful."""
    with pytest.raises(ValueError, match="unknown audit action"), db.sessions.begin() as session:
        audit.record(session, actor_id="C-1", action="delete", entity="patient", entity_id="P-1")
