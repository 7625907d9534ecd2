"""Storage benchmark: a large clinic on SQLite, timed through the app's services and in raw SQL.

Run by hand (it asserts nothing; it prints figures and ratios)::

    .venv/bin/python benchmarks/bench_storage.py            # 100,000 patients, 300,000 visits
    .venv/bin/python benchmarks/bench_storage.py --patients 5000 --visits 15000   # quick look

The generated clinic is cached in the temporary folder (keyed by size, seed and schema revision), so
reruns skip generation; every run works on a fresh copy because the save benchmark adds visits.

Measured, each over at least 200 operations (p50 and p95, milliseconds), first through the app's
service functions (session per action, SQLAlchemy ORM, domain objects out) and then the same work in
hand-written SQL on a plain ``sqlite3`` connection, with the ratio ORM ÷ raw:

* patient search by name prefix, by date of birth, by id prefix (target p95 ≤ 30 ms);
* open a patient with 20 complete visits (target ≤ 50 ms);
* save a complete visit: 24 values, validated, audited, committed with ``synchronous=FULL`` (≤ 50 ms).

Target for every ratio: ≤ 2×.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from clinic_app.domain.enums import DeliveryMode
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results, Value
from clinic_app.services import patients as patient_service
from clinic_app.services import visits as visit_service
from clinic_app.services.clinic import annotations_for, forms
from clinic_app.storage import patients as repo_patients
from clinic_app.storage.base import prefix_upper_bound, search_key
from clinic_app.storage.database import Database, open_database
from clinic_app.storage.migrate import head_revision, migrate
from clinic_app.storage.models import ClinicianRow, DeliveryRow, PatientRow, ResultRow, VisitRow

SEED = 4242


def _names(text: str) -> tuple[str, ...]:
    """Split a ``|``-separated list of name parts (kept on one line each for readability)."""
    return tuple(text.split("|"))


RUNS = 200
HEAVY_PATIENTS = 10
"""Patients that get exactly 20 complete visits each, for the 'open a patient' benchmark."""
VISITS_PER_HEAVY = 20
LIGHT_VALUES = (
    "strength.calf_raise.left",
    "strength.calf_raise.right",
    "history.sleep_hours",
    "symptoms.urinary_leakage",
)
"""Values stored on each of the bulk visits (a short follow-up)."""
FAMILY_PARTS = _names(
    "Byr|Ó Sé|Mur|Kow|Żmu|Ní Bh|Fitz|Mac|Nguy|Sil|Okaf|Ber|Han|Lar|Dub|Rot|Ham|Vel|Ken|Gal|Ros|Pet"
)
FAMILY_PARTS += _names("Ahm|Lind")
FAMILY_ENDS = _names(
    "ne|ley|ski|da|riain|gerald|sen|ard|er|ova|ić|ton|is|ez|berg|ani|et|ur|as|on|ina|ach|ström|el"
)
GIVEN = _names("Zoë|Łucja|Aoife|Maria|Sam|Chloé|Grace|Nia|Priya|Ana|Siobhán|Emma|Fatima|Ingrid|Mei|Olga|Rosa")
GIVEN += _names("Yara|Beatriz|Hana|Kate|Lena|Noor|Ruth")
"""Name parts combined at random: a 3-letter prefix matches thousands of patients, as in a big clinic."""
CLINICIAN_ID = "C-BENCH-1"
PROPOSED_INDEXES = (
    "CREATE INDEX ix_bench_family ON patients (archived, family_key, given_key, id)",
    "CREATE INDEX ix_bench_given ON patients (archived, given_key, family_key, id)",
    "CREATE INDEX ix_bench_record ON patients (archived, record_key, family_key, given_key, id)",
)
"""Indexes tried on the work copy after the main figures: each prefix branch of the name search is then
answered from one index that also holds the sort key, without reading the table rows."""


def complete_values(number: int) -> dict[str, Value]:
    """Return a complete, valid set of 24 values for a visit (numbers vary with ``number``)."""
    n = number
    return {
        "history.height_cm": 150 + n % 40,
        "history.weight_kg": 50 + (n % 400) / 10,
        "history.dominant_leg": "left" if n % 2 else "right",
        "history.breastfeeding": n % 3 == 0,
        "history.sleep_hours": (n % 24) / 2,
        "history.fatigue_high": n % 5 == 0,
        "history.fatigue_score": n % 100,
        "history.running_experience": "experienced" if n % 2 else "novice",
        "history.weekly_volume_km": n % 80,
        "history.ran_during_pregnancy": n % 7 == 0,
        "history.previous_running_injury": n % 11 == 0,
        "history.pain_during_pregnancy": n % 13 == 0,
        "history.hypermobility": n % 17 == 0,
        "history.pre_existing_conditions": f"note {n}",
        "history.anxiety": n % 19 == 0,
        "history.buggy_running_planned": n % 23 == 0,
        "strength.calf_raise.left": n % 200,
        "strength.calf_raise.right": (n * 7) % 200,
        "strength.bridge.left": (n * 3) % 60,
        "strength.bridge.right": (n * 5) % 60,
        "strength.sit_to_stand.left": (n * 11) % 40,
        "strength.sit_to_stand.right": (n * 13) % 40,
        "strength.hip_abduction.left": (n * 17) % 50,
        "strength.hip_abduction.right": (n * 19) % 50,
    }


# --- generation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clinic:
    """What the queries are drawn from: every patient's id, family name, given names and birth date."""

    path: Path
    ids: list[str]
    family: list[str]
    given: list[str]
    born: list[dt.date]
    heavy: list[str]


def _split_path(path: str) -> tuple[str, str]:
    parts = path.split(".")
    return (f"{parts[0]}.{parts[1]}", parts[2]) if len(parts) == 3 else (path, "")


def _result_rows(
    visit_id: str, values: dict[str, Value], notes: dict[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    rows = []
    for path, value in values.items():
        field_path, side = _split_path(path)
        unit, method = notes.get(path, ("", ""))
        number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        rows.append(dict(visit_id=visit_id, field_path=field_path, side=side, value=value))
        rows[-1].update(value_number=number, unit=unit, method=method)
    return rows


def _people(patients: int, rng: random.Random) -> tuple[list[str], list[str], list[str], list[dt.date]]:
    ids, family, given, born = [], [], [], []
    seen: set[str] = set()
    while len(ids) < patients:
        pid = f"P-{rng.getrandbits(40):010X}"
        if pid in seen:
            continue
        seen.add(pid)
        ids.append(pid)
        family.append(rng.choice(FAMILY_PARTS) + rng.choice(FAMILY_ENDS))
        given.append(rng.choice(GIVEN))
        born.append(dt.date(1975, 1, 1) + dt.timedelta(days=rng.randrange(365 * 25)))
    return ids, family, given, born


def generate(path: Path, patients: int, visits: int) -> Clinic:
    """Create (or reuse) the cached clinic file with ``patients`` patients and ``visits`` visits."""
    rng = random.Random(SEED)
    ids, family, given, born = _people(patients, rng)
    heavy = ids[:HEAVY_PATIENTS]
    clinic = Clinic(path, ids, family, given, born, heavy)
    if path.exists():
        return clinic
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    db = open_database(f"sqlite:///{partial}")
    migrate(db.engine)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    notes = annotations_for(Results({FieldPath(p): v for p, v in complete_values(0).items()}))
    with db.engine.begin() as conn:
        clinician = dict(id=CLINICIAN_ID, name="Bench Clinician", profession="Physiotherapist")
        conn.execute(insert(ClinicianRow), [clinician | dict(password_hash="x", active=True, created_at=now)])
        conn.execute(
            insert(PatientRow),
            [
                dict(id=pid, family_name=fam, given_names=giv, date_of_birth=dob, record_number=f"RR-{i}")
                | dict(archived=False, created_at=now, updated_at=now, record_key=f"rr-{i}")
                | dict(family_key=search_key(fam), given_key=search_key(giv))
                for i, (pid, fam, giv, dob) in enumerate(zip(ids, family, given, born, strict=True))
            ],
        )
        conn.execute(
            insert(DeliveryRow),
            [
                dict(patient_id=pid, delivery_date=dt.date(2026, 3, 1) + dt.timedelta(days=i % 120), parity=1)
                | dict(mode=DeliveryMode.SPONTANEOUS_VAGINAL.value, perineal_trauma="none")
                for i, pid in enumerate(ids)
            ],
        )
        number = 0
        visit_rows: list[dict[str, Any]] = []
        result_rows: list[dict[str, Any]] = []

        def add_visit(pid: str, values: dict[str, Value], day: int) -> None:
            nonlocal number
            vid = f"V-{number:08d}"
            number += 1
            when = dt.date(2026, 7, 1) + dt.timedelta(days=day)
            visit_rows.append(
                dict(id=vid, patient_id=pid, visit_date=when, clinician_id=CLINICIAN_ID, version=1)
            )
            visit_rows[-1].update(status="draft", created_at=now, updated_at=now, updated_by=CLINICIAN_ID)
            result_rows.extend(_result_rows(vid, values, notes))
            if len(result_rows) >= 50_000:
                flush()

        def flush() -> None:
            conn.execute(insert(VisitRow), visit_rows)
            conn.execute(insert(ResultRow), result_rows)
            visit_rows.clear()
            result_rows.clear()

        for pid in heavy:
            for k in range(VISITS_PER_HEAVY):
                add_visit(pid, complete_values(number), k * 7)
        for _ in range(visits - len(heavy) * VISITS_PER_HEAVY):
            light = complete_values(number)
            add_visit(
                ids[rng.randrange(HEAVY_PATIENTS, patients)],
                {p: light[p] for p in LIGHT_VALUES if p in light}
                | {"symptoms.urinary_leakage": number % 4 == 0},
                rng.randrange(120),
            )
        flush()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    db.dispose()
    partial.replace(path)
    print(
        f"generated {patients:,} patients and {visits:,} visits in {time.perf_counter() - started:.1f} s "
        f"({path.stat().st_size / 1e6:.0f} MB) → {path}"
    )
    return clinic


# --- timing ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Milliseconds at the 50th and 95th percentile of one measured operation."""

    p50: float
    p95: float


def measure(
    operation: Callable[[Any], object], arguments: Sequence[Any], warmup: Sequence[Any] = ()
) -> Timing:
    """Run ``operation`` on each warm-up argument (untimed), then once per argument; p50 and p95 in ms."""
    for argument in warmup:
        operation(argument)
    samples = []
    for argument in arguments:
        started = time.perf_counter()
        operation(argument)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return Timing(statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)])


@contextlib.contextmanager
def raw_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection with the app's pragmas, for the hand-written SQL."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("busy_timeout = 10000", "foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL"):
        conn.execute(f"PRAGMA {pragma}")
    try:
        yield conn
    finally:
        conn.close()


_RAW_SEARCH = (
    "SELECT id, family_name, given_names, date_of_birth, record_number, archived FROM patients WHERE "
    "((family_key >= :w AND family_key < :u) OR (given_key >= :w AND given_key < :u) OR "
    "(record_key >= :w AND record_key < :u) OR (id >= :W AND id < :U)) AND archived = 0 "
    "ORDER BY family_key, given_key, id LIMIT 50"
)
_RAW_BY_DOB = (
    "SELECT id, family_name, given_names, date_of_birth, record_number, archived FROM patients "
    "WHERE date_of_birth = ? AND archived = 0 ORDER BY family_key, given_key, id LIMIT 50"
)


def raw_search(conn: sqlite3.Connection, text: str) -> list[tuple[Any, ...]]:
    """The search for one word or a date of birth, written by hand."""
    with contextlib.suppress(ValueError):
        return conn.execute(_RAW_BY_DOB, (dt.date.fromisoformat(text).isoformat(),)).fetchall()
    word = search_key(text)
    params = {
        "w": word,
        "u": prefix_upper_bound(word),
        "W": word.upper(),
        "U": prefix_upper_bound(word.upper()),
    }
    return conn.execute(_RAW_SEARCH, params).fetchall()


def raw_open_patient(conn: sqlite3.Connection, patient_id: str) -> tuple[Any, ...]:
    """Load a patient, her deliveries, visits with every value, clinician names and decisions by hand."""
    patient = conn.execute("SELECT * FROM patients WHERE id = ?", (patient_id,)).fetchone()
    deliveries = conn.execute(
        "SELECT * FROM deliveries WHERE patient_id = ? ORDER BY delivery_date", (patient_id,)
    ).fetchall()
    visits = conn.execute(
        "SELECT * FROM visits WHERE patient_id = ? ORDER BY visit_date, created_at, id", (patient_id,)
    ).fetchall()
    ids = [row[0] for row in visits]
    marks = ",".join("?" * len(ids))
    values: dict[str, dict[str, Any]] = {vid: {} for vid in ids}
    for vid, field_path, side, value in conn.execute(
        "SELECT visit_id, field_path, side, value FROM result_values "
        f"WHERE visit_id IN ({marks}) ORDER BY id",
        ids,
    ):
        values[vid][f"{field_path}.{side}" if side else field_path] = json.loads(value)
    names = dict(conn.execute("SELECT id, name FROM clinicians").fetchall())
    finals = dict(
        conn.execute(
            f"SELECT visit_id, final_status FROM decision_records WHERE visit_id IN ({marks}) "
            "ORDER BY decided_at, id",
            ids,
        ).fetchall()
    )
    return patient, deliveries, visits, values, names, finals


def raw_save_visit(conn: sqlite3.Connection, job: tuple[str, str, dict[str, Value]]) -> None:
    """Insert a visit with its 24 values and its audit event in one transaction, by hand."""
    visit_id, patient_id, values = job
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    notes = {}
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO visits (id, patient_id, visit_date, clinician_id, status, version, created_at, "
        "updated_at, updated_by) VALUES (?, ?, ?, ?, 'draft', 1, ?, ?, ?)",
        (visit_id, patient_id, "2026-09-10", CLINICIAN_ID, now, now, CLINICIAN_ID),
    )
    rows = _result_rows(visit_id, values, notes)
    conn.executemany(
        "INSERT INTO result_values (visit_id, field_path, side, value, value_number, unit, method) "
        "VALUES (:visit_id, :field_path, :side, :value, :value_number, :unit, :method)",
        [row | {"value": json.dumps(row["value"])} for row in rows],
    )
    conn.execute(
        "INSERT INTO audit_events (occurred_at, actor_id, action, entity, entity_id, before, after) "
        "VALUES (?, ?, 'create', 'visit', ?, NULL, ?)",
        (now, CLINICIAN_ID, visit_id, json.dumps({"results": values}, sort_keys=True)),
    )
    conn.execute("COMMIT")


# --- report ------------------------------------------------------------------------------------------


def report(name: str, orm: Timing, raw: Timing, target_ms: float) -> None:
    """Print one line: ORM and raw percentiles, ratios, and whether the targets are met."""
    ratio50, ratio95 = orm.p50 / raw.p50, orm.p95 / raw.p95
    verdict = "ok" if orm.p95 <= target_ms and ratio95 <= 2.0 else "MISSED"
    print(
        f"{name:<26} {orm.p50:7.2f} {orm.p95:7.2f}   {raw.p50:7.2f} {raw.p95:7.2f}   "
        f"{ratio50:5.2f}× {ratio95:5.2f}×   ≤{target_ms:.0f} ms, ≤2×: {verdict}"
    )


def run(patients: int, visits: int, cache: Path) -> None:
    """Generate or reuse the clinic, copy it, and print every measurement."""
    cache.mkdir(parents=True, exist_ok=True)
    cached = cache / f"clinic-{patients}-{visits}-{SEED}-{head_revision()}.sqlite3"
    clinic = generate(cached, patients, visits)
    work = cache / "work.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(cached, work)
    rng = random.Random(SEED + 1)
    picks = [rng.randrange(len(clinic.ids)) for _ in range(RUNS)]
    names = [
        search_key(clinic.family[i])[: rng.randint(3, 6)] if n % 2 else search_key(clinic.given[i])[:4]
        for n, i in enumerate(picks)
    ]
    births = [clinic.born[i].isoformat() for i in picks]
    prefixes = [clinic.ids[i][:6].lower() for i in picks]
    heavy = [clinic.heavy[n % len(clinic.heavy)] for n in range(RUNS)]
    db: Database = open_database(f"sqlite:///{work}")
    forms()
    print(f"\nSQLite, {patients:,} patients, {visits:,} visits; {RUNS} operations each; milliseconds")
    print(f"{'operation':<26} {'ORM p50':>7} {'p95':>7}   {'raw p50':>7} {'p95':>7}   {'ratio p50/p95':>14}")
    try:
        with raw_connection(work) as conn:
            for label, texts in (
                ("search by name", names),
                ("search by date of birth", births),
                ("search by id prefix", prefixes),
            ):
                found_orm = [len(patient_service.search_patients(db, t)) for t in texts[:20]]
                found_raw = [len(raw_search(conn, t)) for t in texts[:20]]
                assert found_orm == found_raw, (
                    f"{label}: ORM and raw SQL disagree ({found_orm} vs {found_raw})"
                )
                orm = measure(lambda t: patient_service.search_patients(db, t), texts, texts[:20])
                raw = measure(lambda t: raw_search(conn, t), texts, texts[:20])
                report(label, orm, raw, 30)
                with db.sessions() as session:
                    query_only = measure(
                        lambda t: repo_patients.search_patients(session, t), texts, texts[:20]
                    )
                report("  query only (open session)", query_only, raw, 30)
            orm = measure(lambda pid: patient_service.open_patient(db, pid), heavy, heavy[:10])
            raw = measure(lambda pid: raw_open_patient(conn, pid), heavy, heavy[:10])
            report("open patient (20 visits)", orm, raw, 50)
            jobs_orm = [
                (f"V-ORM-{n:05d}", clinic.ids[picks[n % RUNS]], complete_values(n)) for n in range(RUNS + 10)
            ]
            jobs_raw = [
                (f"V-RAW-{n:05d}", clinic.ids[picks[n % RUNS]], complete_values(n)) for n in range(RUNS + 10)
            ]
            today = dt.date(2026, 9, 10)

            def save_orm(job: tuple[str, str, dict[str, Value]]) -> None:
                visit_id, patient_id, values = job
                visit_service.create_visit(
                    db,
                    patient_id,
                    today,
                    clinician_id=CLINICIAN_ID,
                    actor_id=CLINICIAN_ID,
                    results=Results({FieldPath(p): v for p, v in values.items()}),
                    visit_id=visit_id,
                    today=today,
                )

            orm = measure(save_orm, jobs_orm[10:], jobs_orm[:10])
            raw = measure(lambda job: raw_save_visit(conn, job), jobs_raw[10:], jobs_raw[:10])
            report("save complete visit", orm, raw, 50)
            print("\nproposal: composite covering indexes for the name search (see PROPOSED_INDEXES)")
            for statement in PROPOSED_INDEXES:
                conn.execute(statement)
            conn.execute("ANALYZE")
            orm = measure(lambda t: patient_service.search_patients(db, t), names, names[:20])
            raw = measure(lambda t: raw_search(conn, t), names, names[:20])
            report("search by name, proposed", orm, raw, 30)
    finally:
        db.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the sizes and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--visits", type=int, default=300_000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "runready-bench")
    args = parser.parse_args(argv)
    run(args.patients, args.visits, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
