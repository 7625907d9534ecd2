"""Append-only audit trail: who changed which clinical record, when, and what it was before and after.

Every repository function that changes clinical data calls :func:`record` with the same session, so
the event commits or rolls back together with the change it describes. Events are never updated or
deleted by the app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from clinic_app.storage.base import utcnow
from clinic_app.storage.models import AuditRow

ACTIONS = frozenset(
    {
        "create",
        "update",
        "archive",
        "sign",
        "amend",
        "import",
        "decide",
        "override",
        "report",
        "migrate",
        "password_ok",
        "password_refused",
        "password_locked",
    }
)
"""The verbs an audit event may carry.

``password_ok`` / ``password_refused`` record each password check of a clinician (at sign-in,
sign-off, override); ``password_locked`` an attempt refused unchecked while too many wrong passwords
in a row keep her profile locked. The lock-out is computed from these events.
"""

PASSWORD_ACTIONS = ("password_ok", "password_refused", "password_locked")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit event as plain data (what the audit view and exports show)."""

    id: int
    occurred_at: dt.datetime
    actor_id: str
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any


def record(
    session: Session,
    *,
    actor_id: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
    at: dt.datetime | None = None,
) -> None:
    """Add an audit event to the current unit of work.

    Args:
        session: the session that makes the change being described.
        actor_id: clinician id (or ``"system"`` for the demo builder and migrations).
        action: one of :data:`ACTIONS`.
        entity: table-level name (``patient``, ``visit``, ``decision``, ``report``, ``clinician``).
        entity_id: id of the record changed.
        before: JSON-ready image before the change (None for a creation).
        after: JSON-ready image after the change.
        at: event time; defaults to now (UTC).

    Raises:
        ValueError: ``action`` is not a known verb (a programming error, caught by tests).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.add(
        AuditRow(
            occurred_at=at or utcnow(),
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
        )
    )


def record_now(
    session: Session,
    *,
    actor_id: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
) -> None:
    """Write an audit event at once, with a Core INSERT on the session's connection.

    The same event as :func:`record`, without an ORM object for the unit of work to flush later (for a
    save that writes its other rows the same way, where that flush cost more than the INSERT). Changes
    still pending in the session are flushed first, so events keep the order they were recorded in.

    Raises:
        ValueError: ``action`` is not a known verb.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if session.new or session.dirty or session.deleted:
        session.flush()
    session.connection().execute(
        _INSERT,
        {
            "occurred_at": utcnow(),
            "actor_id": actor_id,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": before,
            "after": after,
        },
    )


_INSERT = insert(AuditRow)


def recent_actions(
    session: Session, *, entity: str, entity_id: str, actions: tuple[str, ...], limit: int
) -> list[tuple[str, dt.datetime]]:
    """Return the latest events of some verbs for one record as (action, time), newest first.

    Ordered by insertion (the id), not by the recorded time, so an event written with an injected
    clock still counts in the order it happened.

    Args:
        session: an open session.
        entity: kind of record (``clinician`` for password checks).
        entity_id: the record.
        actions: the verbs wanted.
        limit: at most this many events.
    """
    query = (
        select(AuditRow.action, AuditRow.occurred_at)
        .where(AuditRow.entity == entity, AuditRow.entity_id == entity_id, AuditRow.action.in_(actions))
        .order_by(AuditRow.id.desc())
        .limit(limit)
    )
    return [(action, occurred_at) for action, occurred_at in session.execute(query)]


def list_events(
    session: Session, *, entity: str | None = None, entity_id: str | None = None, limit: int = 500
) -> list[AuditEntry]:
    """Return audit events, newest first, optionally for one record.

    Args:
        session: an open session.
        entity: restrict to one kind of record.
        entity_id: restrict to one record (with ``entity``).
        limit: maximum number of events.

    Returns:
        The events as plain data.
    """
    query = select(AuditRow).order_by(AuditRow.occurred_at.desc(), AuditRow.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditRow.entity == entity)
    if entity_id is not None:
        query = query.where(AuditRow.entity_id == entity_id)
    return [
        AuditEntry(
            row.id,
            row.occurred_at,
            row.actor_id,
            row.action,
            row.entity,
            row.entity_id,
            row.before,
            row.after,
        )
        for row in session.scalars(query)
    ]
