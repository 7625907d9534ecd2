"""Decision and report records: append-only, validated, audited, refused on replaced visits."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.domain.enums import DeliveryMode
from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
from clinic_app.domain.model import Clinician, Delivery, Patient, Visit
from clinic_app.storage import audit, clinicians, patients, records, visits
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.errors import ReadOnlyError, StorageError
from clinic_app.storage.migrate import migrate
from clinic_app.storage.records import DecisionInput

PROPOSAL = {"status": "NOT_YET_TIME", "holds": [{"rule_id": "T1", "explanation": "10.4 weeks < 12.0"}]}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite file with a clinician, a patient and a draft visit V-1."""
    database = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(database.engine)
    with database.sessions.begin() as session:
        clinicians.add_clinician(
            session, Clinician(ClinicianId("C-1"), "Alex Byrne"), "correct horse", actor_id="system"
        )
        patients.add_patient(
            session, Patient(PatientId("P-1"), "Żmuda", "Łucja", dt.date(1990, 1, 2)), actor_id="C-1"
        )
        patients.add_delivery(
            session, "P-1", Delivery(dt.date(2026, 7, 1), DeliveryMode.EMERGENCY_CAESAREAN), actor_id="C-1"
        )
        visits.add_visit(
            session,
            Visit(VisitId("V-1"), PatientId("P-1"), dt.date(2026, 9, 12), ClinicianId("C-1")),
            actor_id="C-1",
        )
    yield database
    database.dispose()


def test_confirmation_is_stored_with_the_proposal(db: Database) -> None:
    """A confirmed decision keeps the proposal JSON and is audited as 'decide'."""
    entry = DecisionInput("default", "1.0", "NOT_YET_TIME", PROPOSAL, "confirmed", "NOT_YET_TIME")
    with db.sessions.begin() as session:
        stored = records.add_decision(session, "V-1", entry, clinician_id="C-1")
    with db.sessions.begin() as session:
        (loaded,) = records.list_decisions(session, "V-1")
        event = audit.list_events(session, entity="decision")[0]
    assert loaded == stored and loaded.decision == PROPOSAL and loaded.overrides == ()
    assert event.action == "decide" and event.after["final"] == "NOT_YET_TIME"


def test_override_keeps_rule_and_reason_and_is_audited(db: Database) -> None:
    """An override stores each rule id with its reason and writes an 'override' audit event."""
    entry = DecisionInput(
        "default",
        "1.0",
        "NOT_YET_TIME",
        PROPOSAL,
        "overridden",
        "READY",
        (("T1", "Elite runner, consultant agreed"),),
        "reviewed",
    )
    with db.sessions.begin() as session:
        records.add_decision(session, "V-1", entry, clinician_id="C-1")
    with db.sessions.begin() as session:
        (loaded,) = records.list_decisions(session, "V-1")
        event = audit.list_events(session, entity="decision")[0]
    assert loaded.overrides == (("T1", "Elite runner, consultant agreed"),)
    assert event.action == "override" and event.after["overrides"][0]["reason"].startswith("Elite")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (DecisionInput("d", "1", "REFER", {}, "overridden", "READY"), "name the rules it sets aside"),
        (DecisionInput("d", "1", "REFER", {}, "overridden", "READY", (("P4", " "),)), "written reason"),
        (DecisionInput("d", "1", "REFER", {}, "confirmed", "READY"), "keeps the proposed status"),
        (DecisionInput("d", "1", "REFER", {}, "shrugged", "REFER"), "Unknown decision action"),
    ],
)
def test_inconsistent_decisions_are_refused(db: Database, entry: DecisionInput, message: str) -> None:
    """Overrides need reasons and confirmations keep the proposal; nothing is stored otherwise."""
    with pytest.raises(StorageError, match=message), db.sessions.begin() as session:
        records.add_decision(session, "V-1", entry, clinician_id="C-1")
    with db.sessions.begin() as session:
        assert records.list_decisions(session, "V-1") == []


def test_decision_on_an_amended_original_is_refused(db: Database) -> None:
    """Once a visit is replaced by its amendment, decisions go on the amendment."""
    with db.sessions.begin() as session:
        signed = visits.sign_visit(session, "V-1", 1, clinician_id="C-1")
        visits.amend_visit(session, "V-1", signed.version, "V-2", actor_id="C-1")
    entry = DecisionInput("default", "1.0", "READY", {}, "confirmed", "READY")
    with pytest.raises(ReadOnlyError), db.sessions.begin() as session:
        records.add_decision(session, "V-1", entry, clinician_id="C-1")


def test_report_record_keeps_the_file_hash(db: Database) -> None:
    """A report record stores the SHA-256 of the issued file; a malformed hash is refused."""
    digest = hashlib.sha256(b"%PDF-1.4 demo").hexdigest()
    with db.sessions.begin() as session:
        records.add_report(
            session, "V-1", kind="clinician", sha256=digest, file_name="v1.pdf", clinician_id="C-1"
        )
    with pytest.raises(StorageError, match="SHA-256"), db.sessions.begin() as session:
        records.add_report(
            session, "V-1", kind="clinician", sha256="abc", file_name="x.pdf", clinician_id="C-1"
        )
    with db.sessions.begin() as session:
        (report,) = records.list_reports(session, "V-1")
        event = audit.list_events(session, entity="report")[0]
    assert (report.sha256, report.file_name, report.created_by) == (digest, "v1.pdf", "C-1")
    assert event.after["sha256"] == digest


def test_decision_statuses_give_the_latest_proposal_and_final(db: Database) -> None:
    """The current decision's proposed and final statuses come back together; undecided visits are absent."""
    first = DecisionInput("default", "1.0", "NOT_YET_TIME", PROPOSAL, "confirmed", "NOT_YET_TIME")
    later = DecisionInput(
        "default", "1.0", "READY_WITH_CAUTION", {}, "overridden", "READY", comment="Reviewed in clinic"
    )
    with db.sessions.begin() as session:
        assert records.decision_statuses(session, ["V-1"]) == {}
        records.add_decision(session, "V-1", first, clinician_id="C-1")
        records.add_decision(session, "V-1", later, clinician_id="C-1")
    with db.sessions.begin() as session:
        assert records.decision_statuses(session, ["V-1", "V-404"]) == {
            "V-1": ("READY_WITH_CAUTION", "READY")
        }
        assert records.final_statuses(session, ["V-1"]) == {"V-1": "READY"}
        assert records.decision_statuses(session, []) == {}
