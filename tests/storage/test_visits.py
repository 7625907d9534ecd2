"""Visit repository: results round-trip, sign-off makes a visit read-only, amendments keep the original."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.domain.enums import DeliveryMode, VisitStatus
from clinic_app.domain.ids import ClinicianId, FieldPath, PatientId, VisitId
from clinic_app.domain.model import Clinician, Delivery, Patient, Results, Visit
from clinic_app.storage import audit, clinicians, patients, visits
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.errors import ConflictError, NotFoundError, ReadOnlyError, StorageError
from clinic_app.storage.migrate import migrate

C1 = ClinicianId("C-1")
P1 = PatientId("P-0001")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite file with one clinician and one patient."""
    database = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(database.engine)
    with database.sessions.begin() as session:
        clinicians.add_clinician(session, Clinician(C1, "Alex Byrne"), "correct horse", actor_id="system")
        patients.add_patient(
            session, Patient(P1, "Ní Bhriain", "Zoë", dt.date(1991, 4, 2), "RR-104"), actor_id=C1
        )
        patients.add_delivery(
            session, P1, Delivery(dt.date(2026, 6, 1), DeliveryMode.SPONTANEOUS_VAGINAL), actor_id=C1
        )
    yield database
    database.dispose()


SAMPLE = Results(
    {
        FieldPath("symptoms.urinary_leakage"): False,
        FieldPath("strength.calf_raise.left"): 22,
        FieldPath("strength.calf_raise.right"): 18,
        FieldPath("history.sleep_hours"): 7.0,
        FieldPath("load_impact.l1_symptoms"): ("none",),
        FieldPath("hop.single_hop.missing_reason"): "knee pain",
        FieldPath("history.pre_existing_conditions"): "asthma",
    }
)


def _new_visit(db: Database, visit_id: str = "V-1", results: Results = SAMPLE) -> Visit:
    with db.sessions.begin() as session:
        return visits.add_visit(
            session, Visit(VisitId(visit_id), P1, dt.date(2026, 9, 10), C1, results=results), actor_id=C1
        )


def test_results_round_trip_keeps_types(db: Database) -> None:
    """Booleans, whole numbers, decimals, tuples and text come back exactly as saved."""
    _new_visit(db)
    with db.sessions.begin() as session:
        loaded = visits.get_visit(session, "V-1")
    assert dict(loaded.results) == dict(SAMPLE)
    assert type(loaded.results[FieldPath("history.sleep_hours")]) is float
    assert type(loaded.results[FieldPath("symptoms.urinary_leakage")]) is bool
    assert loaded.version == 1 and loaded.status is VisitStatus.DRAFT


def test_save_results_bumps_version_and_audits_the_change(db: Database) -> None:
    """A save replaces the values, moves the version on and writes before/after to the audit trail."""
    _new_visit(db)
    changed = SAMPLE.with_values({"strength.calf_raise.right": 21, "history.pre_existing_conditions": None})
    with db.sessions.begin() as session:
        saved = visits.save_results(session, "V-1", 1, changed, actor_id=C1)
    assert saved.version == 2
    with db.sessions.begin() as session:
        event = audit.list_events(session, entity="visit", entity_id="V-1")[0]
    assert event.action == "update"
    assert event.before["results"] == {
        "strength.calf_raise.right": 18,
        "history.pre_existing_conditions": "asthma",
    }
    assert event.after["results"] == {
        "strength.calf_raise.right": 21,
        "history.pre_existing_conditions": None,
    }


def test_unchanged_save_does_not_bump_version(db: Database) -> None:
    """Saving identical values is not a change: no new version and no audit event."""
    _new_visit(db)
    with db.sessions.begin() as session:
        saved = visits.save_results(session, "V-1", 1, SAMPLE, actor_id=C1)
        events = audit.list_events(session, entity="visit", entity_id="V-1")
    assert saved.version == 1
    assert [e.action for e in events] == ["create"]


def test_stale_save_is_refused_with_a_conflict(db: Database) -> None:
    """A save made against an old version raises ConflictError naming who changed it."""
    _new_visit(db)
    with db.sessions.begin() as session:
        visits.save_results(session, "V-1", 1, SAMPLE.with_values({"hop.single_hop.left": 120}), actor_id=C1)
    with (
        pytest.raises(ConflictError, match="changed on another workstation by Alex Byrne"),
        db.sessions.begin() as session,
    ):
        visits.save_results(session, "V-1", 1, SAMPLE.with_values({"hop.single_hop.left": 99}), actor_id=C1)
    with db.sessions.begin() as session:
        assert visits.get_visit(session, "V-1").results[FieldPath("hop.single_hop.left")] == 120


def test_signed_visit_is_read_only(db: Database) -> None:
    """After sign-off, saving results raises ReadOnlyError and the values stay as signed."""
    _new_visit(db)
    with db.sessions.begin() as session:
        signed = visits.sign_visit(session, "V-1", 1, clinician_id=C1)
    assert signed.status is VisitStatus.SIGNED
    with pytest.raises(ReadOnlyError), db.sessions.begin() as session:
        visits.save_results(session, "V-1", signed.version, Results(), actor_id=C1)
    with db.sessions.begin() as session:
        assert dict(visits.get_visit(session, "V-1").results) == dict(SAMPLE)


def test_amendment_keeps_the_original(db: Database) -> None:
    """Amending marks the original amended, keeps its values and opens a linked draft copy."""
    _new_visit(db)
    with db.sessions.begin() as session:
        signed = visits.sign_visit(session, "V-1", 1, clinician_id=C1)
        draft = visits.amend_visit(session, "V-1", signed.version, "V-2", actor_id=C1)
    assert draft.amends == "V-1" and draft.status is VisitStatus.DRAFT
    with db.sessions.begin() as session:
        original = visits.get_visit(session, "V-1")
        history = visits.list_visits(session, P1)
    assert original.status is VisitStatus.AMENDED
    assert dict(original.results) == dict(SAMPLE) == dict(draft.results)
    assert [v.id for v in history] == ["V-1", "V-2"]


def test_amendment_reason_is_kept_in_the_audit(db: Database) -> None:
    """The reason given for amending a signed visit is stored in the amendment's audit event."""
    _new_visit(db)
    with db.sessions.begin() as session:
        signed = visits.sign_visit(session, "V-1", 1, clinician_id=C1)
        visits.amend_visit(session, "V-1", signed.version, "V-2", actor_id=C1, reason="Weight in pounds")
    with db.sessions.begin() as session:
        (event,) = [
            e for e in audit.list_events(session, entity="visit", entity_id="V-1") if e.action == "amend"
        ]
    assert event.after["reason"] == "Weight in pounds" and event.after["amended_by_visit"] == "V-2"


def test_amending_a_draft_is_refused(db: Database) -> None:
    """Only signed visits are amended; a draft is edited directly."""
    _new_visit(db)
    with pytest.raises(ReadOnlyError), db.sessions.begin() as session:
        visits.amend_visit(session, "V-1", 1, "V-2", actor_id=C1)


def test_bad_path_and_unknown_visit_are_rejected(db: Database) -> None:
    """A malformed field path never reaches the table; an unknown visit id raises NotFoundError."""
    with pytest.raises(StorageError, match="not a field path"):
        _new_visit(db, "V-9", Results({FieldPath("strength"): 1}))
    with pytest.raises(NotFoundError), db.sessions.begin() as session:
        visits.get_visit(session, "V-404")
    with db.sessions.begin() as session:
        assert visits.list_visits(session, P1) == []


_PATHS = st.builds(
    lambda form, field, side: f"{form}.{field}{side}",
    st.sampled_from(["history", "strength", "hop", "symptoms"]),
    st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True),
    st.sampled_from(["", ".left", ".right", ".missing_reason"]),
)
_VALUES = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.lists(st.text(min_size=1, max_size=12), max_size=4).map(tuple),
)


@given(st.dictionaries(_PATHS, _VALUES, max_size=12))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_results_round_trip_exactly(db: Database, values: dict[str, object]) -> None:
    """Whatever mix of yes/no, whole, decimal, text and choice values is saved is read back identically."""
    results = Results({FieldPath(k): v for k, v in values.items()})  # type: ignore[misc]
    visit_id = f"V-H{next(_COUNTER)}"
    _new_visit(db, visit_id, results)
    with db.sessions.begin() as session:
        loaded = visits.get_visit(session, visit_id).results
    assert dict(loaded) == dict(results)
    assert {k: type(v) for k, v in loaded.items()} == {k: type(v) for k, v in results.items()}


_COUNTER = itertools.count()
