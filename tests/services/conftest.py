"""Service test fixtures: a fresh, migrated SQLite clinic per test with one clinician and one patient.

Every test gets its own file under pytest's temporary folder, so nothing touches the per-user data
folder and tests cannot see each other's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.model import Delivery, Results
from clinic_app.services import patients
from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import baseline_results
from clinic_app.services.session import SignedIn, sign_in
from clinic_app.storage.database import Database

TODAY = dt.date(2026, 11, 2)
PASSWORD = "correct horse battery"
CLINICIAN = "C-1"
PATIENT = "P-0001"
DELIVERY = Delivery(dt.date(2026, 6, 1), DeliveryMode.SPONTANEOUS_VAGINAL, PerinealTrauma.SECOND_DEGREE, 1)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """An opened, migrated SQLite clinic in the test's own folder."""
    database = open_clinic(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def staff(db: Database) -> SignedIn:
    """Clinician C-1 (Alex Byrne), added to the clinic and signed in with her password."""
    patients.add_clinician(
        db, name="Alex Byrne", password=PASSWORD, actor_id="system", clinician_id=CLINICIAN
    )
    return sign_in(db, CLINICIAN, PASSWORD)


@pytest.fixture
def clinic(db: Database, staff: SignedIn) -> Database:
    """The clinic with clinician C-1 and patient P-0001 (Zoë Ní Bhriain, delivery 2026-06-01)."""
    patients.create_patient(
        db,
        family_name="Ní Bhriain",
        given_names="Zoë",
        date_of_birth=dt.date(1991, 4, 2),
        record_number="RR-104",
        delivery=DELIVERY,
        patient_id=PATIENT,
        user=staff,
        today=TODAY,
    )
    return db


@pytest.fixture
def user(clinic: Database, staff: SignedIn) -> SignedIn:
    """Alex Byrne (C-1), signed in to the clinic, the actor of every change a test makes."""
    return staff


@pytest.fixture
def passing() -> Results:
    """A complete examination that passes every gate of the default protocol (the demo baseline)."""
    return baseline_results()
