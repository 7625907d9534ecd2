"""Two workstations editing one visit: the second save is refused with a clear conflict, never merged.

The checks are plain functions taking a database URL so the PostgreSQL suite can run them against
its server; the SQLite tests below call them with a temporary file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clinic_app.domain.enums import DeliveryMode
from clinic_app.domain.ids import ClinicianId, FieldPath, PatientId, VisitId
from clinic_app.domain.model import Clinician, Delivery, Patient, Results, Visit
from clinic_app.storage import audit, clinicians, patients, visits
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.errors import ConflictError
from clinic_app.storage.migrate import migrate

BRIDGE_LEFT = FieldPath("strength.bridge.left")


def _two_workstations(url: str) -> tuple[Database, Database]:
    """Open the same database twice (separate engines, pools and sessions) with one draft visit."""
    first = open_database(url)
    migrate(first.engine)
    with first.sessions.begin() as session:
        clinicians.add_clinician(
            session, Clinician(ClinicianId("C-1"), "Alex Byrne"), "password-1", actor_id="system"
        )
        clinicians.add_clinician(
            session, Clinician(ClinicianId("C-2"), "Aoife Kelly"), "password-2", actor_id="system"
        )
        patients.add_patient(
            session, Patient(PatientId("P-1"), "Ní Bhriain", "Zoë", dt.date(1991, 4, 2)), actor_id="C-1"
        )
        patients.add_delivery(
            session, "P-1", Delivery(dt.date(2026, 6, 1), DeliveryMode.SPONTANEOUS_VAGINAL), actor_id="C-1"
        )
        visits.add_visit(
            session,
            Visit(
                VisitId("V-1"),
                PatientId("P-1"),
                dt.date(2026, 9, 10),
                ClinicianId("C-1"),
                results=Results({BRIDGE_LEFT: 15}),
            ),
            actor_id="C-1",
        )
    return first, open_database(url)


def check_stale_save_conflicts(url: str) -> None:
    """Both workstations load version 1; the second save raises ConflictError and the first save stands."""
    ws1, ws2 = _two_workstations(url)
    try:
        with ws1.sessions.begin() as session:
            copy1 = visits.get_visit(session, "V-1")
        with ws2.sessions.begin() as session:
            copy2 = visits.get_visit(session, "V-1")
        assert copy1.version == copy2.version == 1
        with ws2.sessions.begin() as session:
            visits.save_results(
                session,
                "V-1",
                copy2.version,
                copy2.results.with_values({"strength.bridge.left": 21}),
                actor_id="C-2",
            )
        with pytest.raises(ConflictError) as caught, ws1.sessions.begin() as session:
            visits.save_results(
                session,
                "V-1",
                copy1.version,
                copy1.results.with_values({"strength.bridge.left": 9}),
                actor_id="C-1",
            )
        message = str(caught.value)
        assert "changed on another workstation by Aoife Kelly at " in message
        assert "reload to see their changes" in message
        assert (caught.value.expected_version, caught.value.current_version) == (1, 2)
        with ws1.sessions.begin() as session:
            stored = visits.get_visit(session, "V-1")
            actions = [e.action for e in audit.list_events(session, entity="visit", entity_id="V-1")]
        assert stored.results[BRIDGE_LEFT] == 21 and stored.version == 2
        assert actions == ["update", "create"]
    finally:
        ws1.dispose()
        ws2.dispose()


def check_flush_race_conflicts(url: str) -> None:
    """A save whose version check passed but whose row moved before the write still fails as a conflict.

    Needs row-level locking with concurrent open transactions (PostgreSQL). On SQLite the first
    transaction holds the write lock, so the other workstation waits instead of racing.
    """
    ws1, ws2 = _two_workstations(url)
    try:
        with pytest.raises(ConflictError, match="by Aoife Kelly at 20"), ws1.sessions.begin() as session:
            row = visits.get_row(session, "V-1")
            assert row.version == 1
            with ws2.sessions.begin() as other:
                visits.save_results(other, "V-1", 1, Results({BRIDGE_LEFT: 30}), actor_id="C-2")
            visits.save_results(session, "V-1", 1, Results({BRIDGE_LEFT: 5}), actor_id="C-1")
        with ws1.sessions.begin() as session:
            assert visits.get_visit(session, "V-1").results[BRIDGE_LEFT] == 30
    finally:
        ws1.dispose()
        ws2.dispose()


def check_sign_after_edit_conflicts(url: str) -> None:
    """Signing a copy that another workstation has since edited is refused, so nobody signs unseen values."""
    ws1, ws2 = _two_workstations(url)
    try:
        with ws2.sessions.begin() as session:
            visits.save_results(session, "V-1", 1, Results({BRIDGE_LEFT: 22}), actor_id="C-2")
        with pytest.raises(ConflictError), ws1.sessions.begin() as session:
            visits.sign_visit(session, "V-1", 1, clinician_id="C-1")
        with ws1.sessions.begin() as session:
            assert visits.get_visit(session, "V-1").status.value == "draft"
    finally:
        ws1.dispose()
        ws2.dispose()


def test_stale_save_conflicts_on_sqlite(tmp_path: Path) -> None:
    """Two engines on one SQLite file: the second, stale save is refused with a clear message."""
    check_stale_save_conflicts(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")


def test_sign_after_edit_conflicts_on_sqlite(tmp_path: Path) -> None:
    """Two engines on one SQLite file: signing an outdated copy is refused."""
    check_sign_after_edit_conflicts(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
