"""Patient repository: search by folded name, date of birth and prefixes; archiving instead of deleting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.ids import PatientId
from clinic_app.domain.model import Delivery, Patient
from clinic_app.storage import audit, patients
from clinic_app.storage.base import prefix_upper_bound, search_key
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.errors import NotFoundError, StorageError
from clinic_app.storage.migrate import migrate

PEOPLE = (
    Patient(PatientId("P-0001"), "Ní Bhriain", "Zoë", dt.date(1991, 4, 2), "RR-104"),
    Patient(PatientId("P-0002"), "Żmuda", "Łucja", dt.date(1988, 12, 30), "RR-220"),
    Patient(PatientId("P-0003"), "Byrne", "Aoife", dt.date(1991, 4, 2), "XK-9"),
    Patient(PatientId("Q-0004"), "Byrnes", "Zofia", dt.date(1995, 7, 14), "RR-1045"),
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite file holding four patients."""
    database = open_database(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    migrate(database.engine)
    with database.sessions.begin() as session:
        for person in PEOPLE:
            patients.add_patient(session, person, actor_id="C-1")
    yield database
    database.dispose()


def _ids(db: Database, text: str, **kwargs: bool) -> list[str]:
    with db.sessions.begin() as session:
        return [p.id for p in patients.search_patients(session, text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zoe", ["P-0001"]),
        ("ZOË", ["P-0001"]),
        ("ni bh", ["P-0001"]),
        ("lucja", ["P-0002"]),
        ("żmu", ["P-0002"]),
        ("byrne", ["P-0003", "Q-0004"]),
        ("byrne z", ["Q-0004"]),
        ("1991-04-02", ["P-0003", "P-0001"]),
        ("rr-104", ["Q-0004", "P-0001"]),
        ("xk", ["P-0003"]),
        ("q-00", ["Q-0004"]),
        ("p-0002", ["P-0002"]),
        ("nobody", []),
    ],
)
def test_search_matches_prefixes_ignoring_case_and_accents(
    db: Database, text: str, expected: list[str]
) -> None:
    """Each word must begin a name, record number or id; case and accents do not matter."""
    assert _ids(db, text) == expected


def test_empty_search_lists_everyone_by_name(db: Database) -> None:
    """Blank search text returns every active patient sorted by family name."""
    assert _ids(db, "  ") == ["P-0003", "Q-0004", "P-0001", "P-0002"]


def test_archive_hides_but_keeps_the_patient(db: Database) -> None:
    """Archiving removes a patient from searches, keeps her record and audits the change."""
    with db.sessions.begin() as session:
        archived = patients.set_archived(session, "P-0003", True, actor_id="C-1")
    assert archived.archived is True
    assert _ids(db, "byrne") == ["Q-0004"]
    assert _ids(db, "byrne", include_archived=True) == ["P-0003", "Q-0004"]
    with db.sessions.begin() as session:
        assert patients.get_patient(session, "P-0003").family_name == "Byrne"
        events = audit.list_events(session, entity="patient", entity_id="P-0003")
    assert [e.action for e in events] == ["archive", "create"]
    assert events[0].before["archived"] is False and events[0].after["archived"] is True


def test_update_refreshes_search_keys_and_audits(db: Database) -> None:
    """A corrected family name is found by its new spelling, with before/after in the audit trail."""
    with db.sessions.begin() as session:
        patients.update_patient(
            session,
            Patient(PatientId("P-0003"), "Ó Broin", "Aoife", dt.date(1991, 4, 2), "XK-9"),
            actor_id="C-1",
        )
    assert _ids(db, "o broin") == ["P-0003"]
    with db.sessions.begin() as session:
        event = audit.list_events(session, entity="patient", entity_id="P-0003")[0]
    assert (event.before["family_name"], event.after["family_name"]) == ("Byrne", "Ó Broin")


def test_duplicate_and_unknown_ids(db: Database) -> None:
    """Re-using a patient id is refused; an unknown id raises NotFoundError."""
    with pytest.raises(StorageError, match="already exists"), db.sessions.begin() as session:
        patients.add_patient(session, PEOPLE[0], actor_id="C-1")
    with pytest.raises(NotFoundError), db.sessions.begin() as session:
        patients.get_patient(session, "P-404")


def test_latest_delivery_respects_the_visit_date(db: Database) -> None:
    """The delivery that anchors a visit is the latest one on or before the visit date."""
    first = Delivery(dt.date(2023, 5, 1), DeliveryMode.PLANNED_CAESAREAN, PerinealTrauma.NOT_APPLICABLE, 1)
    second = Delivery(dt.date(2026, 6, 1), DeliveryMode.INSTRUMENTAL_FORCEPS, PerinealTrauma.THIRD_DEGREE, 2)
    with db.sessions.begin() as session:
        patients.add_delivery(session, "P-0002", second, actor_id="C-1")
        patients.add_delivery(session, "P-0002", first, actor_id="C-1")
    with db.sessions.begin() as session:
        assert patients.latest_delivery(session, "P-0002") == second
        assert patients.latest_delivery(session, "P-0002", on_or_before=dt.date(2025, 1, 1)) == first
        assert patients.latest_delivery(session, "P-0001") is None


@given(st.text(min_size=1, max_size=6), st.text(max_size=10))
@settings(max_examples=300, deadline=None)
def test_prefix_range_holds_exactly_the_strings_with_that_prefix(prefix: str, other: str) -> None:
    """A string lies in [prefix, upper bound) exactly when it starts with the prefix — search relies on it."""
    upper = prefix_upper_bound(prefix)
    for candidate in (other, prefix + other):
        assert (prefix <= candidate < upper) == candidate.startswith(prefix)


def test_prefix_bound_at_the_edges_of_unicode() -> None:
    """The highest code point carries over and the bound never lands on a surrogate."""
    assert prefix_upper_bound("a\U0010ffff") == "b"
    assert prefix_upper_bound("a\ud7ff") == "a\ue000"
    assert prefix_upper_bound("\U0010ffff") > "\U0010ffff" * 30


@given(st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_search_key_is_idempotent_and_lower_case(text: str) -> None:
    """Folding twice changes nothing, and a folded key has no upper-case letters."""
    key = search_key(text)
    assert search_key(key) == key
    assert key == key.casefold() or not key.isalpha()
