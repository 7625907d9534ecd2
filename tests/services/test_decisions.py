"""Decision services: the engine's proposal is stored with the clinician's confirmation or override."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic_app.domain.model import Results
from clinic_app.readiness.decision import ClinicianAction, RuleOverride, Status
from clinic_app.readiness.serialize import decision_from_json
from clinic_app.services import decisions, patients, records, visits
from clinic_app.services.errors import AuthenticationError, ConflictError, ReadOnlyError, ValidationFailed
from clinic_app.services.reports import stored_report_input
from clinic_app.services.session import SignedIn, sign_in
from clinic_app.storage.database import Database

from .conftest import CLINICIAN, PASSWORD, PATIENT, TODAY

NOON = dt.datetime(2026, 9, 21, 12, 0, tzinfo=dt.UTC)


def _visit(clinic: Database, user: SignedIn, results: Results, day: dt.date = dt.date(2026, 9, 21)) -> int:
    changes = visits.create_visit(
        clinic,
        PATIENT,
        day,
        user=user,
        results=results,
        visit_id="V-1",
        today=TODAY,
    )
    return changes.version_of("V-1") or 0


def test_confirmation_stores_the_full_proposal(clinic: Database, passing: Results, user: SignedIn) -> None:
    """Confirming stores the engine's decision JSON, which reads back to the same proposal."""
    version = _visit(clinic, user, passing)
    proposal = decisions.propose(clinic, "V-1")
    changes = decisions.record_decision(
        clinic,
        "V-1",
        user=user,
        action=ClinicianAction.CONFIRMED,
        expected_version=version,
        now=NOON,
    )
    assert changes.touches_visit("V-1") and changes.touches_patient(PATIENT)
    (entry,) = decisions.list_decisions(clinic, "V-1")
    assert decision_from_json(entry.decision) == proposal
    assert (entry.action, entry.proposed_status, entry.final_status) == (
        "confirmed",
        proposal.status.value,
        proposal.status.value,
    )
    assert entry.protocol_version == proposal.protocol_version
    assert patients.open_patient(clinic, PATIENT).summaries[0].final_status == proposal.status.value


def test_time_gate_override_needs_password_and_reason(
    clinic: Database, passing: Results, user: SignedIn
) -> None:
    """Overriding T1 at 10 weeks asks for the password; with it, the override and reason are audited."""
    _visit(clinic, user, passing, dt.date(2026, 8, 10))
    assert decisions.propose(clinic, "V-1").status is Status.NOT_YET_TIME
    override = [RuleOverride("T1", "Returning elite athlete; obstetric consultant agrees")]
    with pytest.raises(AuthenticationError):
        decisions.record_decision(
            clinic,
            "V-1",
            user=user,
            action=ClinicianAction.OVERRIDDEN,
            overrides=override,
            password="wrong password",
            now=NOON,
        )
    with pytest.raises(AuthenticationError):
        decisions.record_decision(
            clinic,
            "V-1",
            user=user,
            action=ClinicianAction.OVERRIDDEN,
            overrides=override,
            now=NOON,
        )
    assert decisions.list_decisions(clinic, "V-1") == []
    decisions.record_decision(
        clinic,
        "V-1",
        user=user,
        action=ClinicianAction.OVERRIDDEN,
        overrides=override,
        password=PASSWORD,
        now=NOON,
    )
    (entry,) = decisions.list_decisions(clinic, "V-1")
    assert entry.overrides == (("T1", "Returning elite athlete; obstetric consultant agrees"),)
    assert entry.proposed_status == "NOT_YET_TIME" and entry.final_status != "NOT_YET_TIME"
    event = records.list_audit_events(clinic, entity="decision")[0]
    assert event.action == "override" and event.actor_id == CLINICIAN


def test_symptoms_are_never_overridden(clinic: Database, passing: Results, user: SignedIn) -> None:
    """An override of a symptom rule is refused as invalid input and nothing is recorded."""
    leaking = passing.with_values(
        {"symptoms.urinary_leakage": True, "symptoms.leakage_triggers": ("running",)}
    )
    _visit(clinic, user, leaking)
    with pytest.raises(ValidationFailed, match="never overridden"):
        decisions.record_decision(
            clinic,
            "V-1",
            user=user,
            action=ClinicianAction.OVERRIDDEN,
            overrides=[RuleOverride("P1", "she says it is minor")],
            password=PASSWORD,
            now=NOON,
        )
    assert decisions.list_decisions(clinic, "V-1") == []


def test_decision_on_a_changed_visit_is_a_conflict(
    clinic: Database, passing: Results, user: SignedIn
) -> None:
    """A clinician who reviewed an older version cannot confirm a proposal for values she has not seen."""
    version = _visit(clinic, user, passing)
    visits.save_results(
        clinic,
        "V-1",
        version,
        passing.with_values({"strength.bridge.left": 12}),
        user=user,
        today=TODAY,
    )
    with pytest.raises(ConflictError):
        decisions.record_decision(
            clinic,
            "V-1",
            user=user,
            action=ClinicianAction.CONFIRMED,
            expected_version=version,
            now=NOON,
        )


def test_a_signed_visits_decision_changes_only_through_an_amendment(
    clinic: Database, passing: Results, user: SignedIn
) -> None:
    """Once signed, a new confirmation is refused; on the amendment it is recorded."""
    version = _visit(clinic, user, passing)
    decisions.record_decision(
        clinic, "V-1", user=user, action=ClinicianAction.CONFIRMED, expected_version=version, now=NOON
    )
    signed = visits.sign_visit(clinic, "V-1", version, user=user, password=PASSWORD)
    signed_version = signed.version_of("V-1") or 0
    with pytest.raises(ReadOnlyError, match="amend"):
        decisions.record_decision(
            clinic, "V-1", user=user, action=ClinicianAction.CONFIRMED, expected_version=signed_version
        )
    assert len(decisions.list_decisions(clinic, "V-1")) == 1
    opened = visits.amend_visit(clinic, "V-1", signed_version, user=user, reason="Typo", new_visit_id="V-2")
    decisions.record_decision(
        clinic, "V-2", user=user, action=ClinicianAction.CONFIRMED, expected_version=opened.version_of("V-2")
    )
    assert len(decisions.list_decisions(clinic, "V-2")) == 1


def test_each_refusal_names_what_it_refuses(clinic: Database, passing: Results, user: SignedIn) -> None:
    """A blank override reason is refused at its rule's reason, a bare status change at the comment."""
    _visit(clinic, user, passing, dt.date(2026, 8, 10))
    with pytest.raises(ValidationFailed) as caught:
        decisions.record_decision(
            clinic,
            "V-1",
            user=user,
            action=ClinicianAction.OVERRIDDEN,
            overrides=[RuleOverride("T1", " ")],
            password=PASSWORD,
        )
    assert [e.path for e in caught.value.errors] == ["decision.overrides.T1.reason"]
    with pytest.raises(ValidationFailed) as caught:
        decisions.record_decision(
            clinic,
            "V-1",
            user=user,
            action=ClinicianAction.OVERRIDDEN,
            final_status=Status.REFER,
            password=PASSWORD,
        )
    assert [e.path for e in caught.value.errors] == ["decision.comment"]


def test_a_report_names_the_deciding_clinician_not_her_id(
    clinic: Database, passing: Results, user: SignedIn
) -> None:
    """A decision by a colleague other than the visit's clinician prints her name, never her profile id."""
    version = _visit(clinic, user, passing)
    patients.add_clinician(
        clinic, name="Sam Okafor", password="second person", actor_id="system", clinician_id="C-2"
    )
    colleague = sign_in(clinic, "C-2", "second person")
    decisions.record_decision(
        clinic, "V-1", user=colleague, action=ClinicianAction.CONFIRMED, expected_version=version, now=NOON
    )
    decided = stored_report_input(clinic, "V-1").clinician_decision
    assert decided is not None and decided.clinician_name == "Sam Okafor"
