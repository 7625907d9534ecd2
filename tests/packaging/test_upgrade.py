"""Installing today's bundle over a clinic made by the previous schema revision keeps every record.

The database is built the way the previous release left it (revision head − 1, rows written with
plain SQL at the first revision and carried forward by the migrations), then the frozen executable
opens it. The upgrade must happen, keep the rows, and leave a backup at the old revision beside it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from clinic_app.storage import patients, visits
from clinic_app.storage.database import open_database
from clinic_app.storage.migrate import current_revision, head_revision, known_revisions, migrate
from tests.packaging.conftest import clean_env

NOW = dt.datetime(2026, 11, 2, 9, 30)


def _insert(conn: Connection, table: str, **values: object) -> None:
    """Insert one row with plain SQL, as an older copy of the app wrote it."""
    columns = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


def _previous_release_clinic(path: Path) -> str:
    """Write a clinic at the revision before head with one clinician, patient, visit and value."""
    url = f"sqlite:///{path}"
    db = open_database(url)
    try:
        migrate(db.engine, target=known_revisions()[0], backup=False)
        with db.engine.begin() as conn:
            _insert(conn, "clinicians", id="C-1", name="Alex Byrne", profession="Physiotherapist",
                    registration="", password_hash="x", active=True, created_at=NOW)
            _insert(conn, "patients", id="P-1", family_name="Żmuda", given_names="Łucja",
                    date_of_birth=dt.date(1990, 1, 2), record_number="RR-7", archived=False,
                    created_at=NOW, updated_at=NOW)
            _insert(conn, "visits", id="V-1", patient_id="P-1", visit_date=dt.date(2026, 9, 1),
                    clinician_id="C-1", status="draft", version=1, created_at=NOW, updated_at=NOW,
                    updated_by="C-1")
            _insert(conn, "result_values", visit_id="V-1", field_path="strength.bridge", side="left",
                    value="21", value_number=21.0, unit="reps", method="")
        migrate(db.engine, target=known_revisions()[-2], backup=False)
        assert current_revision(db.engine) == known_revisions()[-2]
    finally:
        db.dispose()
    return url


@pytest.mark.slow
def test_the_bundle_upgrades_an_older_clinic_and_keeps_its_data(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    """The bundle migrates a head − 1 clinic to head, keeps its rows and backs the old file up first."""
    clinic = tmp_path / "clinic.sqlite3"
    url = _previous_release_clinic(clinic)
    result = subprocess.run(
        [str(built[0] / "runready-clinic"), "--database", url, "overview"],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Żmuda" in result.stdout

    db = open_database(url)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.sessions.begin() as session:
            found = patients.search_patients(session, "zmuda lucja")
            visit = visits.get_visit(session, "V-1")
        assert [p.id for p in found] == ["P-1"]
        assert dict(visit.results) == {"strength.bridge.left": 21}
    finally:
        db.dispose()

    backups = list(tmp_path.glob(f"clinic.sqlite3.before-{head_revision()}-*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (known_revisions()[-2],)
        assert old.execute("SELECT family_name FROM patients").fetchall() == [("Żmuda",)]
