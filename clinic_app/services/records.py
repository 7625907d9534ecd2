"""Report records and the audit trail, as the GUI and the command line see them."""

from __future__ import annotations

import hashlib

from clinic_app.services.changes import Changes
from clinic_app.services.dto import AuditEntry, ReportEntry
from clinic_app.services.session import SignedIn, acting_clinician
from clinic_app.storage import audit, records, visits
from clinic_app.storage.database import Database


def record_report(
    db: Database, visit_id: str, *, kind: str, content: bytes, file_name: str, user: SignedIn
) -> Changes:
    """Record that the signed-in clinician issued a report file for a visit, keeping the file.

    The record holds the bytes' SHA-256 and the bytes themselves, so the clinic can hand the very
    file on later (an export carries it) and prove it is the one issued.

    Returns:
        Changes for the visit; ``created_id`` is the report record id.
    """
    digest = hashlib.sha256(content).hexdigest()
    with db.sessions.begin() as session:
        issuer = acting_clinician(session, user).id
        patient_id = visits.get_visit(session, visit_id).patient_id
        entry = records.add_report(
            session,
            visit_id,
            kind=kind,
            sha256=digest,
            file_name=file_name,
            clinician_id=issuer,
            content=content,
        )
    return Changes(
        f"Recorded {kind} report {file_name}",
        patient_ids=frozenset({patient_id}),
        visit_ids=frozenset({visit_id}),
        created_id=str(entry.id),
    )


def list_reports(db: Database, visit_id: str) -> list[ReportEntry]:
    """Return the reports issued for a visit, oldest first."""
    with db.reads.begin() as session:
        return records.list_reports(session, visit_id)


def report_file(db: Database, report_id: int) -> bytes | None:
    """Return the PDF a report record keeps, or None for a record made before the clinic kept files.

    Raises:
        NotFoundError: no such report record.
        StorageError: the stored bytes no longer match the record's SHA-256.
    """
    with db.reads.begin() as session:
        return records.report_content(session, report_id)


def list_audit_events(
    db: Database, *, entity: str | None = None, entity_id: str | None = None, limit: int = 500
) -> list[AuditEntry]:
    """Return audit events, newest first, optionally for one record."""
    with db.reads.begin() as session:
        return audit.list_events(session, entity=entity, entity_id=entity_id, limit=limit)
