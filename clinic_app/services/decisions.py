"""Readiness decisions: the engine's proposal and the clinician's confirmation or override.

The proposal is computed from the stored visit in the same unit of work that records the decision,
so what the clinician confirms is exactly what was stored. Overrides need the clinician's password
and a reason per rule; the §13 limits (symptoms never overridden, no override below 3 weeks) are
enforced by :func:`clinic_app.readiness.clinician.decide`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from clinic_app.domain.errors import FieldError
from clinic_app.readiness.clinician import DecisionError, decide
from clinic_app.readiness.decision import ClinicianAction, Decision, RuleOverride, Status
from clinic_app.readiness.engine import assess
from clinic_app.readiness.protocol import Protocol
from clinic_app.readiness.serialize import decision_to_json
from clinic_app.services.changes import Changes
from clinic_app.services.dto import DecisionEntry
from clinic_app.services.errors import AuthenticationError, ValidationFailed
from clinic_app.services.visits import record_in_session
from clinic_app.storage import clinicians, records, visits
from clinic_app.storage.database import Database
from clinic_app.storage.records import DecisionInput


def propose(db: Database, visit_id: str, *, protocol: Protocol | None = None) -> Decision:
    """Return the readiness engine's proposal for a stored visit (nothing is written)."""
    with db.reads.begin() as session:
        record = record_in_session(session, visit_id)
    return assess(record, protocol)


def record_decision(
    db: Database,
    visit_id: str,
    *,
    clinician_id: str,
    action: ClinicianAction,
    expected_version: int | None = None,
    overrides: Iterable[RuleOverride] = (),
    final_status: Status | None = None,
    comment: str = "",
    password: str | None = None,
    protocol: Protocol | None = None,
    now: dt.datetime | None = None,
) -> Changes:
    """Record the clinician's confirmation or override of the proposal for a visit.

    Args:
        db: the clinic database.
        visit_id: the visit decided on.
        clinician_id: the deciding clinician.
        action: confirmed or overridden.
        expected_version: the visit version the clinician reviewed; a newer stored version is a conflict.
        overrides: rule overrides with reasons (OVERRIDDEN only).
        final_status: the status the clinician sets (defaults per ``decide``).
        comment: free text; required when the status changes without a rule override.
        password: the clinician's password; required to override.
        protocol: protocol to assess with (the default protocol when None).
        now: decision time (tests pass a fixed one).

    Returns:
        Changes for the visit.

    Raises:
        AuthenticationError: override without the right password; nothing is recorded.
        ValidationFailed: a decision the §13 rules do not allow (the message says why).
        ConflictError: the visit changed since ``expected_version``.
    """
    chosen = tuple(overrides)
    with db.sessions.begin() as session:
        if action is ClinicianAction.OVERRIDDEN:
            if password is None:
                raise AuthenticationError("Overriding a decision needs the clinician's password.")
            clinician = clinicians.verify_password(session, clinician_id, password)
        else:
            clinician = clinicians.get_clinician(session, clinician_id)
        if expected_version is not None:
            visits.check_version(session, visits.get_row(session, visit_id), expected_version)
        record = record_in_session(session, visit_id)
        proposal = assess(record, protocol)
        try:
            outcome = decide(
                proposal,
                action=action,
                clinician=clinician,
                now=now or dt.datetime.now(dt.UTC),
                overrides=chosen,
                final_status=final_status,
                comment=comment,
            )
        except DecisionError as error:
            raise ValidationFailed([FieldError("decision", str(error))]) from None
        entry = DecisionInput(
            protocol_id=proposal.protocol_id,
            protocol_version=proposal.protocol_version,
            proposed_status=proposal.status.value,
            decision=decision_to_json(proposal),
            action=outcome.action.value,
            final_status=outcome.final.value,
            overrides=tuple((o.rule_id, o.reason) for o in outcome.overrides),
            comment=outcome.comment,
        )
        records.add_decision(session, visit_id, entry, clinician_id=clinician.id)
    verb = "confirmed" if action is ClinicianAction.CONFIRMED else "overrode"
    return Changes(
        f"{clinician.name} {verb} {proposal.status.value} → {outcome.final.value} for visit {visit_id}",
        patient_ids=frozenset({record.patient.id}),
        visit_ids=frozenset({visit_id}),
    )


def list_decisions(db: Database, visit_id: str) -> list[DecisionEntry]:
    """Return the decisions recorded for a visit, oldest first (the last one is current)."""
    with db.reads.begin() as session:
        return records.list_decisions(session, visit_id)
