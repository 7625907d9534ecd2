"""Visit services: validation before writing, conflicts, password sign-off, amendments, visit records."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results
from clinic_app.services import records, visits
from clinic_app.services.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    ReadOnlyError,
    ValidationFailed,
)
from clinic_app.services.session import SignedIn
from clinic_app.storage.database import Database
from clinic_app.storage.models import ResultRow

from .conftest import PASSWORD, PATIENT, TODAY


def _visit(
    clinic: Database,
    user: SignedIn,
    results: Results,
    visit_id: str = "V-1",
    day: dt.date = dt.date(2026, 9, 21),
) -> int:
    changes = visits.create_visit(
        clinic,
        PATIENT,
        day,
        user=user,
        results=results,
        visit_id=visit_id,
        today=TODAY,
    )
    version = changes.version_of(visit_id)
    assert version is not None
    return version


def test_invalid_values_never_reach_the_database(clinic: Database, passing: Results, user: SignedIn) -> None:
    """A value the forms refuse raises ValidationFailed with its path; no visit and no audit event appear."""
    before = len(records.list_audit_events(clinic))
    bad = passing.with_values({"diastasis.ird_umbilicus_curl": 31.0})
    with pytest.raises(ValidationFailed) as caught:
        _visit(clinic, user, bad)
    assert "diastasis.ird_umbilicus_curl" in [e.path for e in caught.value.errors]
    assert len(records.list_audit_events(clinic)) == before
    with pytest.raises(NotFoundError):
        visits.get_visit(clinic, "V-1")


def test_units_and_method_are_stored_beside_values(
    clinic: Database, passing: Results, user: SignedIn
) -> None:
    """Diastasis distances keep the unit and method recorded with them; strength keeps its declared unit."""
    _visit(clinic, user, passing)
    with clinic.sessions.begin() as session:
        rows = {(r.field_path, r.side): (r.unit, r.method) for r in session.scalars(select(ResultRow))}
    assert rows[("diastasis.ird_umbilicus_curl", "")] == ("cm", "calipers")
    assert rows[("strength.calf_raise", "left")][0] == "reps"


def test_stale_save_raises_conflict_and_keeps_the_first(
    clinic: Database, passing: Results, user: SignedIn
) -> None:
    """Two saves from the same loaded version: the second is refused and the first one's value stays."""
    version = _visit(clinic, user, passing)
    first = visits.save_results(
        clinic,
        "V-1",
        version,
        passing.with_values({"strength.bridge.left": 25}),
        user=user,
        today=TODAY,
    )
    assert first.version_of("V-1") == version + 1
    with pytest.raises(ConflictError, match="Alex Byrne"):
        visits.save_results(
            clinic,
            "V-1",
            version,
            passing.with_values({"strength.bridge.left": 19}),
            user=user,
            today=TODAY,
        )
    assert visits.get_visit(clinic, "V-1").results[FieldPath("strength.bridge.left")] == 25


def test_sign_needs_the_right_password(clinic: Database, passing: Results, user: SignedIn) -> None:
    """A wrong password leaves the visit a draft; the right one signs it and makes it read-only."""
    version = _visit(clinic, user, passing)
    with pytest.raises(AuthenticationError):
        visits.sign_visit(clinic, "V-1", version, user=user, password="guess")
    assert visits.get_visit(clinic, "V-1").status is VisitStatus.DRAFT
    signed = visits.sign_visit(clinic, "V-1", version, user=user, password=PASSWORD)
    new_version = signed.version_of("V-1")
    assert new_version is not None
    with pytest.raises(ReadOnlyError):
        visits.save_results(clinic, "V-1", new_version, passing, user=user, today=TODAY)
    actions = [e.action for e in records.list_audit_events(clinic, entity="visit", entity_id="V-1")]
    assert actions == ["sign", "create"]


def test_amendment_keeps_the_signed_original(clinic: Database, passing: Results, user: SignedIn) -> None:
    """Amending opens a linked draft; the original keeps its signed values and is marked amended."""
    version = _visit(clinic, user, passing)
    signed = visits.sign_visit(clinic, "V-1", version, user=user, password=PASSWORD)
    opened = visits.amend_visit(
        clinic,
        "V-1",
        signed.version_of("V-1") or 0,
        user=user,
        reason="Weight typed in pounds",
        new_visit_id="V-1A",
    )
    assert opened.created_id == "V-1A" and opened.touches_visit("V-1")
    visits.save_results(
        clinic,
        "V-1A",
        opened.version_of("V-1A") or 0,
        passing.with_values({"history.weight_kg": 60.0}),
        user=user,
        today=TODAY,
    )
    original = visits.get_visit(clinic, "V-1")
    assert original.status is VisitStatus.AMENDED
    assert original.results == passing
    assert visits.get_visit(clinic, "V-1A").amends == "V-1"


def test_amendment_reason_is_required_and_audited(clinic: Database, passing: Results, user: SignedIn) -> None:
    """An amendment without a reason is refused at amendment.reason; a given reason reaches the audit."""
    version = _visit(clinic, user, passing)
    signed = visits.sign_visit(clinic, "V-1", version, user=user, password=PASSWORD)
    signed_version = signed.version_of("V-1") or 0
    with pytest.raises(ValidationFailed) as caught:
        visits.amend_visit(clinic, "V-1", signed_version, user=user, reason="  ")
    assert [e.path for e in caught.value.errors] == ["amendment.reason"]
    assert visits.get_visit(clinic, "V-1").status is VisitStatus.SIGNED
    visits.amend_visit(clinic, "V-1", signed_version, user=user, reason=" Weight in pounds ")
    (event,) = [
        e for e in records.list_audit_events(clinic, entity="visit", entity_id="V-1") if e.action == "amend"
    ]
    assert event.after["reason"] == "Weight in pounds"


def test_visit_record_has_earlier_visits_but_not_replaced_ones(
    clinic: Database, passing: Results, user: SignedIn
) -> None:
    """The record for a follow-up lists earlier current visits oldest first, skipping amended originals."""
    v1 = _visit(clinic, user, passing, "V-1", dt.date(2026, 8, 1))
    signed = visits.sign_visit(clinic, "V-1", v1, user=user, password=PASSWORD)
    visits.amend_visit(
        clinic, "V-1", signed.version_of("V-1") or 0, user=user, reason="Typo", new_visit_id="V-1A"
    )
    _visit(clinic, user, passing, "V-2", dt.date(2026, 9, 1))
    _visit(clinic, user, passing, "V-3", dt.date(2026, 10, 1))
    record = visits.load_visit_record(clinic, "V-3")
    assert [v.id for v in record.previous] == ["V-1A", "V-2"]
    assert record.patient.given_names == "Zoë" and record.clinician.name == "Alex Byrne"
    assert record.delivery.delivery_date == dt.date(2026, 6, 1)
    assert record.visit.results == passing
