"""Readiness decisions: the engine's proposal and the clinician's confirmation or override.

The proposal is computed from the stored visit in the same unit of work that records the decision,
so what the clinician confirms is exactly what was stored. Decisions are made by a signed-in
clinician on a draft visit (a signed one changes only through an amendment). Overrides need her
password again and a reason per rule; the §13 limits (symptoms never overridden, no override below
3 weeks) are enforced by :func:`clinic_app.readiness.clinician.decide`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.errors import FieldError
from clinic_app.readiness.clinician import DecisionError, decide
from clinic_app.readiness.decision import ClinicianAction, Decision, RuleOverride, Status
from clinic_app.readiness.engine import assess
from clinic_app.readiness.protocol import Protocol
from clinic_app.readiness.serialize import decision_to_json
from clinic_app.services.changes import Changes
from clinic_app.services.dto import UNKNOWN_CLINICIAN, DecisionEntry
from clinic_app.services.errors import ReadOnlyError, ValidationFailed
from clinic_app.services.session import SignedIn, acting_clinician, check_password
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
    user: SignedIn,
    action: ClinicianAction,
    expected_version: int | None = None,
    overrides: Iterable[RuleOverride] = (),
    final_status: Status | None = None,
    comment: str = "",
    password: str | None = None,
    protocol: Protocol | None = None,
    now: dt.datetime | None = None,
) -> Changes:
    """Record the signed-in clinician's confirmation or override of the proposal for a draft visit.

    A signed visit's decision is part of what was signed: it changes only through an amendment
    (:func:`clinic_app.services.visits.amend_visit`), on which the new decision is recorded.

    Args:
        db: the clinic database.
        visit_id: the visit decided on (a draft).
        user: the signed-in clinician who decides.
        action: confirmed or overridden.
        expected_version: the visit version the clinician reviewed; a newer stored version is a conflict.
        overrides: rule overrides with reasons (OVERRIDDEN only).
        final_status: the status the clinician sets (defaults per ``decide``).
        comment: free text; required when the status changes without a rule override.
        password: her password, checked again (and audited) before an override.
        protocol: protocol to assess with (the default protocol when None).
        now: decision time (tests pass a fixed one).

    Returns:
        Changes for the visit.

    Raises:
        AuthenticationError: override without her right password (``LockedOutError`` after too many
            wrong ones in a row); nothing is recorded.
        ReadOnlyError: the visit is signed (amend it) or was amended (decide on the amendment).
        ValidationFailed: a decision the §13 rules do not allow; each message carries the path of
            what it refuses (``decision.overrides.T1.reason``, ``decision.final_status``, …).
        ConflictError: the visit changed since ``expected_version``.
    """
    chosen = tuple(overrides)
    if action is ClinicianAction.OVERRIDDEN:
        check_password(db, user, password, purpose="override")
    with db.sessions.begin() as session:
        clinician = acting_clinician(session, user)
        row = visits.get_row(session, visit_id)
        if expected_version is not None:
            visits.check_version(session, row, expected_version)
        if row.status == VisitStatus.SIGNED.value:
            raise ReadOnlyError(
                f"Visit {visit_id} is signed, so its decision stands as signed. To change it, amend the "
                "visit (with a reason) and record the new decision on the amendment."
            )
        if row.status == VisitStatus.AMENDED.value:
            raise ReadOnlyError(f"Visit {visit_id} was amended; record the decision on its amendment.")
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
            raise ValidationFailed([FieldError(error.path, str(error))]) from None
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


def clinician_name(db: Database, clinician_id: str) -> str:
    """Return the name of the clinician with this id, inactive profiles included.

    What reports print for whoever decided: a name, never a raw profile id (an id that is not in
    this clinic database reads as "an unknown clinician").
    """
    with db.reads.begin() as session:
        return clinicians.all_names(session).get(clinician_id, UNKNOWN_CLINICIAN)
