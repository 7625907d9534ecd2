"""The demo clinic: every readiness outcome, designed outcomes match the engine, same data every time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, VisitStatus
from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
from clinic_app.domain.model import Clinician, Delivery, Patient, Visit
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.decision import Status
from clinic_app.readiness.engine import assess
from clinic_app.services import decisions, patients, records, visits
from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import DemoSummary, baseline_results, build_demo, is_demo, load_demo_spec
from clinic_app.services.errors import StorageError
from clinic_app.storage.database import Database


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One demo clinic built for the whole module (building takes a few seconds)."""
    db = open_clinic(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}")
    summary = build_demo(db)
    yield db, summary
    db.dispose()


def _snapshot(db: Database) -> list[object]:
    """Everything clinical in a demo database, without timestamps."""
    out: list[object] = []
    for person in patients.search_patients(db, "", include_archived=True, limit=1000):
        opened = patients.open_patient(db, person.id)
        out.append((person, opened.deliveries, opened.visits))
        for visit in opened.visits:
            out.extend(
                (d.action, d.final_status, d.overrides, d.decision)
                for d in decisions.list_decisions(db, visit.id)
            )
    return out


def test_every_readiness_outcome_is_shown(demo: tuple[Database, DemoSummary]) -> None:
    """The engine proposes each of the seven outcomes for at least one demo visit."""
    _, summary = demo
    assert {o.proposed for o in summary.outcomes} == {s.value for s in Status}


def test_each_visit_gets_the_outcome_it_was_designed_for(demo: tuple[Database, DemoSummary]) -> None:
    """The outcome written beside each demo visit is what the engine proposes, so the demo cannot drift."""
    _, summary = demo
    assert [(o.visit_id, o.proposed) for o in summary.outcomes] == [
        (o.visit_id, o.expected) for o in summary.outcomes
    ]


def test_signed_visits_carry_the_engine_proposal_as_decision(demo: tuple[Database, DemoSummary]) -> None:
    """Every signed demo visit has a decision record whose stored proposal is the engine's status."""
    db, summary = demo
    for outcome in summary.outcomes:
        entries = decisions.list_decisions(db, outcome.visit_id)
        if outcome.signed:
            assert entries, outcome.visit_id
            assert entries[-1].proposed_status == outcome.proposed
            assert entries[-1].decision["status"] == outcome.proposed


def test_override_and_amendment_are_in_the_record(demo: tuple[Database, DemoSummary]) -> None:
    """The demo shows an O1 override with its reason and an amended visit kept beside its correction."""
    db, _ = demo
    (override,) = decisions.list_decisions(db, "V-0005-1")
    assert override.action == "overridden" and override.overrides[0][0] == "O1"
    visits_of_zoe = {v.id: v for v in patients.open_patient(db, "P-0001").visits}
    assert visits_of_zoe["V-0001-2"].status is VisitStatus.AMENDED
    assert visits_of_zoe["V-0001-2A"].status is VisitStatus.SIGNED
    assert visits_of_zoe["V-0001-2A"].amends == "V-0001-2"
    assert any(
        e.action == "amend" for e in records.list_audit_events(db, entity="visit", entity_id="V-0001-2")
    )


def test_names_with_accents_are_found_without_them(demo: tuple[Database, DemoSummary]) -> None:
    """Typing plain letters finds Zoë Ní Bhriain and Łucja Żmuda."""
    db, _ = demo
    assert [p.id for p in patients.search_patients(db, "zoe ni")] == ["P-0001"]
    assert [p.id for p in patients.search_patients(db, "lucja")] == ["P-0002"]


def test_extra_patients_and_one_archived(demo: tuple[Database, DemoSummary]) -> None:
    """The extra registered patients are present; the last is archived and hidden from ordinary lists."""
    db, summary = demo
    spec = load_demo_spec()
    everyone = patients.search_patients(db, "", include_archived=True, limit=1000)
    active = patients.search_patients(db, "", limit=1000)
    assert len(everyone) == summary.patients == len(spec["patients"]) + spec["demo"]["extra_patients"]
    assert len(active) == len(everyone) - 1


def test_demo_is_deterministic(demo: tuple[Database, DemoSummary], tmp_path: Path) -> None:
    """A second build in another file yields the same patients, visits, values and decisions."""
    db, _ = demo
    other = open_clinic(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    try:
        build_demo(other)
        assert _snapshot(other) == _snapshot(db)
    finally:
        other.dispose()


def test_demo_never_mixes_with_existing_patients(demo: tuple[Database, DemoSummary]) -> None:
    """Building into a database that already holds patients is refused."""
    db, _ = demo
    assert is_demo(db)
    with pytest.raises(StorageError, match="already holds patients"):
        build_demo(db)


def test_baseline_passes_every_gate() -> None:
    """The baseline examination alone, 16 weeks after an uncomplicated birth, is proposed READY."""
    record = VisitRecord(
        patient=Patient(PatientId("P-X"), "Test", "Ada", dt.date(1990, 1, 1)),
        delivery=Delivery(dt.date(2026, 6, 1), DeliveryMode.SPONTANEOUS_VAGINAL, PerinealTrauma.NONE, 1),
        clinician=Clinician(ClinicianId("C-X"), "Alex Byrne"),
        visit=Visit(
            VisitId("V-X"),
            PatientId("P-X"),
            dt.date(2026, 9, 21),
            ClinicianId("C-X"),
            results=baseline_results(),
        ),
    )
    assert assess(record).status is Status.READY


def test_second_pregnancy_visits_stay_with_their_birth(demo: tuple[Database, DemoSummary]) -> None:
    """Ploy Wongsakul's 2026 visits follow her second birth and never list her 2023–24 visits."""
    db, _ = demo
    latest = visits.load_visit_record(db, "V-0006-4")
    assert latest.delivery.delivery_date == dt.date(2026, 5, 18) and latest.delivery.parity == 2
    assert [v.id for v in latest.previous] == ["V-0006-3"]
    first = visits.load_visit_record(db, "V-0006-2")
    assert first.delivery.delivery_date == dt.date(2023, 9, 4)
    assert [v.id for v in first.previous] == ["V-0006-1"]
