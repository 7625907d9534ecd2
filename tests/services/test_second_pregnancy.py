"""A patient with two births: each visit belongs to one delivery; reports and comparisons stay within it."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.model import Delivery, Results
from clinic_app.reporting import ReportKind
from clinic_app.services import patients, visits
from clinic_app.services.errors import ValidationFailed
from clinic_app.services.reports import build_stored_report
from clinic_app.services.session import SignedIn
from clinic_app.storage.database import Database

from .conftest import PASSWORD, PATIENT

SECOND = Delivery(dt.date(2027, 3, 1), DeliveryMode.PLANNED_CAESAREAN, PerinealTrauma.NOT_APPLICABLE, 2)
LATER_TODAY = dt.date(2027, 9, 1)


def _visit(
    clinic: Database, user: SignedIn, results: Results, visit_id: str, day: dt.date, **extra: object
) -> int:
    changes = visits.create_visit(
        clinic,
        PATIENT,
        day,
        user=user,
        results=results,
        visit_id=visit_id,
        today=LATER_TODAY,
        **extra,  # type: ignore[arg-type]
    )
    return changes.version_of(visit_id) or 0


@pytest.fixture
def two_births(clinic: Database, passing: Results, user: SignedIn) -> Database:
    """Two visits after the first birth (2026-06-01), then a second birth and two visits after it."""
    _visit(clinic, user, passing.with_values({"strength.bridge.left": 12}), "V-A1", dt.date(2026, 8, 1))
    _visit(clinic, user, passing, "V-A2", dt.date(2026, 9, 1))
    patients.add_delivery(clinic, PATIENT, SECOND, user=user, today=LATER_TODAY)
    _visit(clinic, user, passing.with_values({"strength.bridge.left": 15}), "V-B1", dt.date(2027, 6, 1))
    _visit(clinic, user, passing, "V-B2", dt.date(2027, 7, 1))
    return clinic


def test_clinician_summary_of_the_second_pregnancy_builds(two_births: Database) -> None:
    """The clinician summary of a visit after the second birth no longer raises 'before delivery date'."""
    pdf = build_stored_report(two_births, "V-B2", ReportKind.CLINICIAN, printed_on=LATER_TODAY)
    assert pdf.startswith(b"%PDF")


def test_every_report_builds_for_both_pregnancies(two_births: Database) -> None:
    """Patient report and clinician summary build for every visit of both pregnancies."""
    for visit_id in ("V-A1", "V-A2", "V-B1", "V-B2"):
        for kind in (ReportKind.PATIENT, ReportKind.CLINICIAN):
            assert build_stored_report(two_births, visit_id, kind, printed_on=LATER_TODAY).startswith(b"%PDF")


def test_record_lists_only_visits_after_the_same_birth(two_births: Database) -> None:
    """Earlier visits of a record are those after the same delivery; the earlier pregnancy is left out."""
    second = visits.load_visit_record(two_births, "V-B2")
    assert second.delivery == SECOND
    assert [v.id for v in second.previous] == ["V-B1"]
    first = visits.load_visit_record(two_births, "V-A2")
    assert first.delivery.delivery_date == dt.date(2026, 6, 1)
    assert [v.id for v in first.previous] == ["V-A1"]


def test_comparison_uses_the_previous_visit_of_the_same_birth(two_births: Database) -> None:
    """The first visit after a second birth has nothing to compare with, not the last visit before it."""
    from clinic_app.readiness.compare import compare_visits
    from clinic_app.readiness.protocol import default_protocol

    assert compare_visits(visits.load_visit_record(two_births, "V-B1"), default_protocol()) == ()


def test_visit_can_name_its_delivery(two_births: Database, passing: Results, user: SignedIn) -> None:
    """A visit after both births may be recorded against the earlier one when the clinician says so."""
    _visit(two_births, user, passing, "V-X", dt.date(2027, 8, 1), delivery_date=dt.date(2026, 6, 1))
    record = visits.load_visit_record(two_births, "V-X")
    assert record.delivery.delivery_date == dt.date(2026, 6, 1)
    assert [v.id for v in record.previous] == ["V-A1", "V-A2"]


def test_a_delivery_after_the_visit_or_unknown_is_refused(
    two_births: Database, passing: Results, user: SignedIn
) -> None:
    """Naming a birth after the visit date, or one not on record, is refused at ``visit.delivery``."""
    for day in (dt.date(2027, 3, 1), dt.date(2025, 1, 1)):
        with pytest.raises(ValidationFailed) as caught:
            _visit(two_births, user, passing, "V-Y", dt.date(2026, 12, 1), delivery_date=day)
        assert [e.path for e in caught.value.errors] == ["visit.delivery"]


def test_amendment_keeps_the_delivery_of_the_original(two_births: Database, user: SignedIn) -> None:
    """An amendment of a signed visit stays with the birth the original followed."""
    version = visits.get_visit(two_births, "V-A2").version
    signed = visits.sign_visit(two_births, "V-A2", version, user=user, password=PASSWORD)
    visits.amend_visit(
        two_births,
        "V-A2",
        signed.version_of("V-A2") or 0,
        user=user,
        reason="Typo",
        new_visit_id="V-A2A",
    )
    record = visits.load_visit_record(two_births, "V-A2A")
    assert record.delivery.delivery_date == dt.date(2026, 6, 1)
    assert [v.id for v in record.previous] == ["V-A1"]


def test_a_birth_recorded_late_takes_the_drafts_after_it(
    clinic: Database, passing: Results, user: SignedIn
) -> None:
    """A birth recorded after a draft visit dated after it re-links that draft; signed visits stay put."""
    _visit(clinic, user, passing, "V-S", dt.date(2027, 5, 1))
    version = visits.get_visit(clinic, "V-S").version
    visits.sign_visit(clinic, "V-S", version, user=user, password=PASSWORD)
    _visit(clinic, user, passing, "V-D", dt.date(2027, 6, 1))
    patients.add_delivery(clinic, PATIENT, SECOND, user=user, today=LATER_TODAY)
    assert visits.load_visit_record(clinic, "V-D").delivery == SECOND
    assert visits.load_visit_record(clinic, "V-S").delivery.delivery_date == dt.date(2026, 6, 1)
