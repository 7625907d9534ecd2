"""Visits belong to one delivery: migration 0004 back-fills the link; the repository reads and keeps it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Connection, text

from clinic_app.storage import visits
from clinic_app.storage.database import open_database
from clinic_app.storage.migrate import head_revision, migrate

NOW = dt.datetime(2026, 12, 2, 9, 0)


def _insert(conn: Connection, table: str, **values: object) -> None:
    """Insert one row with plain SQL, as the app at revision 0003 would have written it."""
    columns = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


def check_backfill(url: str) -> None:
    """Build revision 0003 at ``url`` with two births and visits around them, upgrade, check the links.

    Written as a plain function so the PostgreSQL suite can call it with its own URL.
    """
    db = open_database(url)
    try:
        migrate(db.engine, target="0003")
        with db.engine.begin() as conn:
            _insert(conn, "clinicians", id="C-1", name="Alex Byrne", profession="Physio", registration="",
                    password_hash="x", active=True, created_at=NOW)
            _insert(conn, "patients", id="P-1", family_name="Żmuda", given_names="Łucja",
                    date_of_birth=dt.date(1990, 1, 2), record_number="", archived=False, created_at=NOW,
                    updated_at=NOW)
            for day in (dt.date(2026, 3, 1), dt.date(2024, 1, 10)):  # recorded newest first on purpose
                _insert(conn, "deliveries", patient_id="P-1", delivery_date=day, mode="spontaneous_vaginal",
                        perineal_trauma="none", parity=1)
            for visit_id, day in (("V-0", dt.date(2023, 12, 1)), ("V-1", dt.date(2024, 5, 1)),
                                  ("V-2", dt.date(2026, 2, 28)), ("V-3", dt.date(2026, 3, 1))):
                _insert(conn, "visits", id=visit_id, patient_id="P-1", visit_date=day, clinician_id="C-1",
                        status="signed", version=1, created_at=NOW, updated_at=NOW, updated_by="C-1")
        assert migrate(db.engine).to_revision == head_revision()
        with db.engine.connect() as conn:
            births = conn.execute(text("SELECT delivery_date, id FROM deliveries"))
            ids = {str(day): row_id for day, row_id in births}
            links = dict(conn.execute(text("SELECT id, delivery_id FROM visits")).all())
        first, second = ids["2024-01-10"], ids["2026-03-01"]
        assert links == {"V-0": None, "V-1": first, "V-2": first, "V-3": second}
        with db.reads.begin() as session:
            found = visits.visit_deliveries(session, "P-1")
        assert found["V-0"] is None
        assert {k: v[1].delivery_date for k, v in found.items() if v} == {
            "V-1": dt.date(2024, 1, 10), "V-2": dt.date(2024, 1, 10), "V-3": dt.date(2026, 3, 1)
        }
    finally:
        db.dispose()


def test_backfill_links_each_visit_to_the_birth_before_it_on_sqlite(tmp_path: Path) -> None:
    """Upgrading a 0003 SQLite file links each visit to the latest birth on or before it (none before any)."""
    check_backfill(f"sqlite:///{tmp_path / 'old.sqlite3'}")
