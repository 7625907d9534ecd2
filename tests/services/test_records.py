"""Report records and the audit trail as the services expose them."""

from __future__ import annotations

import datetime as dt
import hashlib

from clinic_app.services import records, visits
from clinic_app.services.session import SignedIn
from clinic_app.storage.database import Database

from .conftest import PATIENT, TODAY


def test_report_record_keeps_the_hash_of_the_issued_bytes(clinic: Database, user: SignedIn) -> None:
    """Recording a report stores the SHA-256 of exactly the bytes issued, and it is listed for the visit."""
    visits.create_visit(
        clinic,
        PATIENT,
        dt.date(2026, 9, 21),
        user=user,
        visit_id="V-1",
        today=TODAY,
    )
    content = b"%PDF-1.7 pretend report"
    changes = records.record_report(
        clinic, "V-1", kind="patient", content=content, file_name="V-1-patient.pdf", user=user
    )
    (report,) = records.list_reports(clinic, "V-1")
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert changes.created_id == str(report.id) and changes.touches_patient(PATIENT)


def test_a_recorded_report_keeps_the_issued_file(clinic: Database, user: SignedIn) -> None:
    """The clinic keeps the very bytes issued, read back by the record's id."""
    visits.create_visit(clinic, PATIENT, dt.date(2026, 9, 21), user=user, visit_id="V-1", today=TODAY)
    content = b"%PDF-1.7 pretend report"
    changes = records.record_report(
        clinic, "V-1", kind="patient", content=content, file_name="V-1-patient.pdf", user=user
    )
    assert changes.created_id is not None
    assert records.report_file(clinic, int(changes.created_id)) == content


def test_audit_lists_every_action_newest_first(clinic: Database, user: SignedIn) -> None:
    """Creating a clinician, signing in, a patient, her delivery and a visit: one event each, newest first."""
    visits.create_visit(
        clinic,
        PATIENT,
        dt.date(2026, 9, 21),
        user=user,
        visit_id="V-1",
        today=TODAY,
    )
    events = records.list_audit_events(clinic)
    assert [(e.action, e.entity) for e in events] == [
        ("create", "visit"),
        ("create", "delivery"),
        ("create", "patient"),
        ("password_ok", "clinician"),
        ("create", "clinician"),
    ]
    assert all(e.occurred_at.tzinfo is not None for e in events)
