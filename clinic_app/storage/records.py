"""Decision records and report records attached to a visit.

Both are append-only: a new clinician decision supersedes the previous one for the same visit (the
latest is current) and a report record proves which file was issued (its SHA-256) and, from
revision 0005, keeps the file itself. Storage receives the engine's proposal as a JSON-ready
dictionary, so it never imports the readiness package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from clinic_app.domain.enums import VisitStatus
from clinic_app.storage import audit
from clinic_app.storage.base import read_rows, utcnow
from clinic_app.storage.errors import NotFoundError, ReadOnlyError, StorageError
from clinic_app.storage.models import DecisionRow, ReportRow
from clinic_app.storage.visits import get_row as get_visit_row

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    """A stored decision: the proposal (as JSON) and what the clinician did with it."""

    id: int
    visit_id: str
    protocol_id: str
    protocol_version: str
    proposed_status: str
    decision: dict[str, Any]
    action: str
    overrides: tuple[tuple[str, str], ...]
    """(rule id, reason) pairs, in the order given."""
    final_status: str
    comment: str
    decided_by: str
    decided_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DecisionInput:
    """What the services layer hands storage to record a decision."""

    protocol_id: str
    protocol_version: str
    proposed_status: str
    decision: dict[str, Any]
    action: str
    final_status: str
    overrides: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    comment: str = ""


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """A report issued for a visit."""

    id: int
    visit_id: str
    kind: str
    sha256: str
    file_name: str
    created_by: str
    created_at: dt.datetime


def _decision_entry(row: DecisionRow) -> DecisionEntry:
    overrides = tuple((str(item["rule_id"]), str(item["reason"])) for item in row.overrides or [])
    return DecisionEntry(
        row.id,
        row.visit_id,
        row.protocol_id,
        row.protocol_version,
        row.proposed_status,
        dict(row.decision),
        row.action,
        overrides,
        row.final_status,
        row.comment,
        row.decided_by,
        row.decided_at,
    )


def add_decision(
    session: Session, visit_id: str, entry: DecisionInput, *, clinician_id: str
) -> DecisionEntry:
    """Record the clinician's decision on the engine's proposal for a visit.

    Args:
        session: the unit of work (the caller has checked the clinician's password for overrides).
        visit_id: the visit decided on (draft or signed; not an amended original).
        entry: proposal, action (``confirmed``/``overridden``), overrides with reasons, final status.
        clinician_id: who decides.

    Returns:
        The stored decision.

    Raises:
        StorageError: an override without a reason, or an action/status mismatch.
        ReadOnlyError: the visit was amended (decide on the amendment instead).
    """
    if entry.action not in ("confirmed", "overridden"):
        raise StorageError(f"Unknown decision action '{entry.action}'.")
    if entry.action == "confirmed" and (entry.overrides or entry.final_status != entry.proposed_status):
        raise StorageError("A confirmed decision keeps the proposed status and has no overrides.")
    if entry.action == "overridden" and not entry.overrides and not entry.comment.strip():
        raise StorageError(
            "An override must name the rules it sets aside or explain the change in a comment."
        )
    if any(not rule.strip() or not reason.strip() for rule, reason in entry.overrides):
        raise StorageError("Every override needs a rule id and a written reason.")
    visit = get_visit_row(session, visit_id)
    if visit.status == VisitStatus.AMENDED.value:
        raise ReadOnlyError(f"Visit {visit_id} was amended; record the decision on its amendment.")
    row = DecisionRow(
        visit_id=visit_id,
        protocol_id=entry.protocol_id,
        protocol_version=entry.protocol_version,
        proposed_status=entry.proposed_status,
        decision=entry.decision,
        action=entry.action,
        overrides=[{"rule_id": r, "reason": why} for r, why in entry.overrides],
        final_status=entry.final_status,
        comment=entry.comment,
        decided_by=clinician_id,
        decided_at=utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=clinician_id,
        action="override" if entry.action == "overridden" else "decide",
        entity="decision",
        entity_id=str(row.id),
        after={
            "visit_id": visit_id,
            "protocol": f"{entry.protocol_id} {entry.protocol_version}",
            "proposed": entry.proposed_status,
            "final": entry.final_status,
            "overrides": row.overrides,
            "comment": entry.comment,
        },
    )
    return _decision_entry(row)


def list_decisions(session: Session, visit_id: str) -> list[DecisionEntry]:
    """Return the decisions recorded for a visit, oldest first (the last one is current)."""
    rows = session.scalars(
        select(DecisionRow)
        .where(DecisionRow.visit_id == visit_id)
        .order_by(DecisionRow.decided_at, DecisionRow.id)
    )
    return [_decision_entry(row) for row in rows]


def add_report(
    session: Session,
    visit_id: str,
    *,
    kind: str,
    sha256: str,
    file_name: str,
    clinician_id: str,
    content: bytes | None = None,
) -> ReportEntry:
    """Record that a report file was produced for a visit, keeping its bytes when given.

    Args:
        session: the unit of work.
        visit_id: the visit reported on.
        kind: ``patient``, ``clinician`` or ``referral``.
        sha256: the file's SHA-256 (64 lower-case hex digits).
        file_name: the base name it was saved under, or ``printed: <printer>``.
        clinician_id: who issued it.
        content: the PDF's bytes, kept with the record (None: a record without the file). The audit
            event names the file by its hash, never with its bytes.

    Raises:
        StorageError: ``sha256`` is not 64 lower-case hex digits, or is not the hash of ``content``.
        NotFoundError: no such visit.
    """
    if not _SHA256.fullmatch(sha256):
        raise StorageError("A report record needs the file's SHA-256 as 64 lower-case hex digits.")
    if content is not None and hashlib.sha256(content).hexdigest() != sha256:
        raise StorageError("The report's bytes do not match the SHA-256 given for them; nothing was kept.")
    get_visit_row(session, visit_id)
    row = ReportRow(
        visit_id=visit_id,
        kind=kind,
        sha256=sha256,
        file_name=file_name,
        created_by=clinician_id,
        created_at=utcnow(),
        content=content,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=clinician_id,
        action="report",
        entity="report",
        entity_id=str(row.id),
        after={"visit_id": visit_id, "kind": kind, "sha256": sha256, "file_name": file_name},
    )
    return ReportEntry(row.id, visit_id, kind, sha256, file_name, clinician_id, row.created_at)


def list_reports(session: Session, visit_id: str) -> list[ReportEntry]:
    """Return the reports issued for a visit, oldest first (the files' bytes stay unread)."""
    rows = session.scalars(
        select(ReportRow).where(ReportRow.visit_id == visit_id).order_by(ReportRow.created_at, ReportRow.id)
    )
    return [
        ReportEntry(r.id, r.visit_id, r.kind, r.sha256, r.file_name, r.created_by, r.created_at) for r in rows
    ]


def report_content(session: Session, report_id: int) -> bytes | None:
    """Return the PDF a report record keeps, or None when the clinic did not keep the file.

    Raises:
        NotFoundError: no such report record.
        StorageError: the stored bytes no longer hash to the record's SHA-256 (a damaged database).
    """
    row = session.execute(
        select(ReportRow.sha256, ReportRow.content).where(ReportRow.id == report_id)
    ).one_or_none()
    if row is None:
        raise NotFoundError("report", str(report_id))
    return checked_content(report_id, row.sha256, row.content)


def find_report_content(session: Session, visit_id: str, sha256: str) -> bytes | None:
    """Return the kept PDF of a visit's report with that SHA-256, or None when none is kept.

    Raises:
        StorageError: the stored bytes no longer hash to the record's SHA-256 (a damaged database).
    """
    row = session.execute(
        select(ReportRow.id, ReportRow.content)
        .where(ReportRow.visit_id == visit_id, ReportRow.sha256 == sha256, ReportRow.content.is_not(None))
        .order_by(ReportRow.id)
        .limit(1)
    ).one_or_none()
    return None if row is None else checked_content(row.id, sha256, row.content)


def checked_content(report_id: int, sha256: str, content: bytes | None) -> bytes | None:
    """Return ``content`` after checking it still hashes to ``sha256`` (None passes).

    Raises:
        StorageError: it does not: the file of report record ``report_id`` was damaged in the database.
    """
    if content is not None and hashlib.sha256(content).hexdigest() != sha256:
        raise StorageError(
            f"The stored file of report record {report_id} no longer matches its SHA-256; "
            "restore the clinic database from a backup."
        )
    return content


def final_statuses(session: Session, visit_ids: list[str]) -> dict[str, str]:
    """Return the final status of the current (latest) decision of each visit that has one."""
    return {visit_id: final for visit_id, (_, final) in decision_statuses(session, visit_ids).items()}


def decision_statuses(session: Session, visit_ids: list[str]) -> dict[str, tuple[str, str]]:
    """Return ``(proposed, final)`` of the current (latest) decision of each visit that has one.

    One query for both statuses: rows come oldest first, so the last one per visit wins.
    """
    if not visit_ids:
        return {}
    rows = read_rows(session, _DECISION_STATUSES, {"visit_ids": visit_ids}).all()
    return {visit_id: (proposed, final) for visit_id, proposed, final in rows}


_DECISION_STATUSES = (
    select(DecisionRow.visit_id, DecisionRow.proposed_status, DecisionRow.final_status)
    .where(DecisionRow.visit_id.in_(bindparam("visit_ids", expanding=True)))
    .order_by(DecisionRow.decided_at, DecisionRow.id)
)
