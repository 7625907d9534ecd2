"""Patient services: identity checks before writing, search, archive, and opening a patient file."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from clinic_app.domain.enums import DeliveryMode, VisitStatus
from clinic_app.domain.model import Delivery
from clinic_app.services import patients, records, visits
from clinic_app.services.clinic import open_clinic
from clinic_app.services.errors import ConflictError, ValidationFailed
from clinic_app.services.session import SignedIn
from clinic_app.storage import database, urls
from clinic_app.storage import records as storage_records
from clinic_app.storage.database import Database
from clinic_app.storage.records import DecisionInput

from .conftest import CLINICIAN, DELIVERY, PATIENT, TODAY


def test_create_returns_changes_with_the_new_id(db: Database, staff: SignedIn) -> None:
    """Creating a patient returns a Changes naming her, and she can be found by an accent-free search."""
    changes = patients.create_patient(
        db,
        family_name=" Żmuda ",
        given_names="Łucja",
        date_of_birth=dt.date(1988, 12, 30),
        user=staff,
        today=TODAY,
    )
    assert changes.created_id is not None and changes.touches_patient(changes.created_id)
    assert changes.created_id.startswith("P-")
    found = patients.search_patients(db, "zmuda")
    assert [(p.id, p.family_name) for p in found] == [(changes.created_id, "Żmuda")]


@pytest.mark.parametrize(
    ("family", "given", "born", "path"),
    [
        ("", "Zoë", dt.date(1991, 4, 2), "patient.family_name"),
        ("Ní Bhriain", " ", dt.date(1991, 4, 2), "patient.given_names"),
        ("Ní Bhriain", "Zoë", dt.date(2027, 1, 1), "patient.date_of_birth"),
        ("Ní Bhriain", "Zoë", dt.date(2020, 1, 1), "patient.date_of_birth"),
    ],
)
def test_bad_identity_is_refused_before_writing(
    db: Database, family: str, given: str, born: dt.date, path: str, staff: SignedIn
) -> None:
    """Missing names or impossible dates raise ValidationFailed at the field, and nothing is stored."""
    audited = records.list_audit_events(db)
    with pytest.raises(ValidationFailed) as caught:
        patients.create_patient(
            db, family_name=family, given_names=given, date_of_birth=born, user=staff, today=TODAY
        )
    assert [e.path for e in caught.value.errors] == [path]
    assert patients.search_patients(db, "", include_archived=True) == []
    assert records.list_audit_events(db) == audited


def test_delivery_before_birth_is_refused(db: Database, staff: SignedIn) -> None:
    """A delivery dated before the mother's birth is an input error, not a stored record."""
    bad = Delivery(dt.date(1980, 1, 1), DeliveryMode.SPONTANEOUS_VAGINAL)
    with pytest.raises(ValidationFailed, match="before the date of birth"):
        patients.create_patient(
            db,
            family_name="Byrne",
            given_names="Aoife",
            date_of_birth=dt.date(1990, 1, 1),
            delivery=bad,
            user=staff,
            today=TODAY,
        )


def test_archive_hides_and_restore_brings_back(clinic: Database, user: SignedIn) -> None:
    """Archiving keeps the record but hides it from searches; restoring shows it again."""
    patients.archive_patient(clinic, PATIENT, user=user)
    assert patients.search_patients(clinic, "zoe") == []
    assert patients.open_patient(clinic, PATIENT).patient.archived is True
    patients.archive_patient(clinic, PATIENT, user=user, archived=False)
    assert [p.id for p in patients.search_patients(clinic, "zoe")] == [PATIENT]


def test_open_patient_lists_visits_with_status_and_clinician(clinic: Database, user: SignedIn) -> None:
    """The patient file carries deliveries and visit summaries with version, clinician name and values."""
    visits.create_visit(
        clinic,
        PATIENT,
        dt.date(2026, 9, 1),
        user=user,
        visit_id="V-A",
        today=TODAY,
    )
    opened = patients.open_patient(clinic, PATIENT)
    assert opened.latest_delivery == DELIVERY
    (summary,) = opened.summaries
    assert (summary.id, summary.status, summary.version, summary.clinician_name) == (
        "V-A",
        VisitStatus.DRAFT,
        1,
        "Alex Byrne",
    )
    assert summary.final_status is None and summary.value_count == 0
    assert summary.proposed_status is None
    assert summary.weeks_postpartum == pytest.approx(92 / 7)


def test_summaries_carry_the_latest_proposal_and_weeks_from_the_birth_before(
    clinic: Database, user: SignedIn
) -> None:
    """Each visit is timed from the latest birth on or before it; the latest decision's proposal is shown."""
    for visit_id, day in (("V-A", dt.date(2026, 9, 1)), ("V-B", dt.date(2026, 10, 20))):
        visits.create_visit(clinic, PATIENT, day, user=user, visit_id=visit_id, today=TODAY)
    later = Delivery(dt.date(2026, 10, 6), DeliveryMode.PLANNED_CAESAREAN, parity=2)
    patients.add_delivery(clinic, PATIENT, later, user=user, today=TODAY)
    overridden = DecisionInput(
        "default", "1.0", "NOT_YET_TIME", {}, "overridden", "READY_WITH_CAUTION", comment="Reviewed"
    )
    with clinic.sessions.begin() as session:
        storage_records.add_decision(session, "V-A", overridden, clinician_id=CLINICIAN)
    a, b = patients.open_patient(clinic, PATIENT).summaries
    assert (a.proposed_status, a.final_status) == ("NOT_YET_TIME", "READY_WITH_CAUTION")
    assert a.weeks_postpartum == pytest.approx(92 / 7)
    assert (b.proposed_status, b.final_status) == (None, None)
    assert b.weeks_postpartum == pytest.approx(2.0)


def test_clinician_profiles(db: Database) -> None:
    """Clinician profiles need a name and a long enough password; added ones are listed."""
    with pytest.raises(ValidationFailed):
        patients.add_clinician(db, name=" ", password="long enough", actor_id="system")
    with pytest.raises(ValidationFailed, match="at least 8"):
        patients.add_clinician(db, name="Sam Lee", password="short", actor_id="system")
    changes = patients.add_clinician(db, name="Sam Lee", password="long enough", actor_id="system")
    assert [c.name for c in patients.list_clinicians(db)] == ["Sam Lee"]
    assert changes.clinician_ids == frozenset({changes.created_id})


def test_imported_patient_is_audited_as_an_import(db: Database, staff: SignedIn) -> None:
    """A patient brought in from a bundle is recorded with the 'import' action, delivery included."""
    patients.create_patient(
        db,
        family_name="Byrne",
        given_names="Aoife",
        date_of_birth=dt.date(1990, 1, 1),
        delivery=DELIVERY,
        user=staff,
        today=TODAY,
        action="import",
    )
    assert {e.action for e in records.list_audit_events(db, entity="patient")} == {"import"}
    assert {e.action for e in records.list_audit_events(db, entity="delivery")} == {"import"}


def test_first_start_creates_the_default_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With no URL anywhere, the per-user folder is created and the default file opened and migrated."""
    monkeypatch.delenv(database.DATABASE_URL_ENV, raising=False)
    monkeypatch.setattr(urls.platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "user data"))
    db = open_clinic()
    try:
        assert db.sqlite_path == tmp_path / "user data" / "clinic.sqlite3"
        assert patients.search_patients(db) == []
    finally:
        db.dispose()
    assert db.sqlite_path is not None and db.sqlite_path.stat().st_size > 0


def test_correcting_a_patient_changed_elsewhere_is_a_conflict(clinic: Database, user: SignedIn) -> None:
    """Two workstations edit the same patient: the second correction is refused and the first stands."""
    loaded = patients.open_patient(clinic, PATIENT).patient
    first = dataclasses.replace(loaded, record_number="RR-104A")
    patients.update_patient(clinic, first, expected=loaded, user=user, today=TODAY)
    second = dataclasses.replace(loaded, family_name="Ni Bhriain")
    with pytest.raises(
        ConflictError, match="patient record was changed on another workstation by Alex Byrne"
    ):
        patients.update_patient(clinic, second, expected=loaded, user=user, today=TODAY)
    stored = patients.open_patient(clinic, PATIENT).patient
    assert (stored.family_name, stored.record_number) == ("Ní Bhriain", "RR-104A")
    event = records.list_audit_events(clinic, entity="patient", entity_id=PATIENT)[0]
    assert (event.before["record_number"], event.after["record_number"]) == ("RR-104", "RR-104A")
