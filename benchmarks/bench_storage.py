"""Storage benchmark: a large clinic on SQLite, timed through the app and in raw SQL, two ways.

Run by hand (it asserts nothing; it prints figures and ratios)::

    .venv/bin/python benchmarks/bench_storage.py            # 100,000 patients, 300,000 visits
    .venv/bin/python benchmarks/bench_storage.py --patients 5000 --visits 15000   # quick look

The generated clinic is cached in the temporary folder (keyed by size, seed, generator version and
schema revision), so reruns skip generation; every run works on a fresh copy because saves add visits.

Every operation is timed in two views, each app ÷ raw, p50 and p95 in milliseconds over 200 runs.
App and raw runs alternate, so a burst of load elsewhere on the machine hits both sides alike:

* **query**: the repository query on an already-open ``Session`` against the same SQL on an
  already-open ``sqlite3`` connection, both building the same frozen domain objects;
* **action**: the whole service call (session per action, transaction, DTOs) against a hand-written
  function doing the same work: ``BEGIN`` … ``COMMIT`` on a connection with the same pragmas, the same
  rows read or written and the same domain objects built. A save runs the same validation and writes
  the visit, every value and the audit event with its before/after JSON under ``synchronous=FULL``.

Operations: patient search by name prefix, by date of birth and by id prefix (target p95 ≤ 30 ms);
open a patient with 20 complete visits (≤ 50 ms); save a complete visit (≤ 50 ms). A complete visit
holds every value of ``examples/visit-complete.json`` (all ten forms, 153 values), with the numbers
varied per visit. Target for every ratio: ≤ 2×.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, VisitStatus
from clinic_app.domain.ids import ClinicianId, FieldPath, PatientId, VisitId
from clinic_app.domain.model import Clinician, Delivery, Patient, Results, Value, Visit
from clinic_app.domain.visitfile import flatten_results
from clinic_app.services import patients as patient_service
from clinic_app.services import visits as visit_service
from clinic_app.services.changes import Changes
from clinic_app.services.clinic import annotations_for, check_results, forms
from clinic_app.services.dto import PatientFile, visit_summaries
from clinic_app.services.session import SignedIn, sign_in
from clinic_app.storage import clinicians as repo_clinicians
from clinic_app.storage import patients as repo_patients
from clinic_app.storage import visits as repo_visits
from clinic_app.storage.base import prefix_upper_bound, search_key
from clinic_app.storage.database import Database, Session, open_database
from clinic_app.storage.migrate import head_revision, migrate
from clinic_app.storage.models import ClinicianRow, DeliveryRow, PatientRow, ResultRow, VisitRow

SEED = 4242
GENERATOR = 3
"""Version of the generated data (2: heavy patients' visits are complete, all ten forms; 3: the
planner statistics are really stored)."""


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
BENCH_PASSWORD = "bench clinician"
"""The bench clinician's password: the visit service takes a signed-in clinician."""


def varied_values(number: int) -> dict[str, Value]:
    """Return 24 valid history and strength values whose numbers vary with ``number``."""
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


EXAMPLE_VISIT = Path(__file__).resolve().parent.parent / "examples" / "visit-complete.json"


@functools.cache
def _example_values() -> dict[str, Value]:
    results, errors = flatten_results(json.loads(EXAMPLE_VISIT.read_text(encoding="utf-8"))["results"])
    assert not errors, errors
    return {str(path): value for path, value in results.items()}


def complete_values(number: int) -> dict[str, Value]:
    """Return a complete visit: every value of the example visit, 24 of them varied by ``number``."""
    return _example_values() | varied_values(number)


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
    rows: list[dict[str, Any]] = []
    for path, value in values.items():
        field_path, side = _split_path(path)
        unit, method = notes.get(path, ("", ""))
        number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        rows.append(dict(visit_id=visit_id, field_path=field_path, side=side, value=value))
        rows[-1].update(value_number=number, unit=unit, method=method)
    return rows


def _people(patients: int, rng: random.Random) -> tuple[list[str], list[str], list[str], list[dt.date]]:
    ids: list[str] = []
    family: list[str] = []
    given: list[str] = []
    born: list[dt.date] = []
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
            light = varied_values(number)
            add_visit(
                ids[rng.randrange(HEAVY_PATIENTS, patients)],
                {p: light[p] for p in LIGHT_VALUES if p in light}
                | {"symptoms.urinary_leakage": number % 4 == 0},
                rng.randrange(120),
            )
        flush()
    db.dispose()
    # Planner statistics, committed (generator 2 ran ANALYZE in a transaction that rolled back, so the
    # planner guessed and scanned the composite search indexes: 135 ms per date-of-birth search).
    with contextlib.closing(sqlite3.connect(partial, isolation_level=None)) as raw:
        raw.execute("ANALYZE")
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


def measure_pair(
    app: Callable[[Any], object],
    raw: Callable[[Any], object],
    arguments: Sequence[tuple[Any, Any]],
    warmup: Sequence[tuple[Any, Any]] = (),
    *,
    between: Callable[[], object] | None = None,
) -> tuple[Timing, Timing]:
    """Time ``app`` and ``raw`` on each argument pair, alternating which goes first.

    Args:
        app: the app side of the operation.
        raw: the raw-SQL side.
        arguments: ``(app argument, raw argument)`` per timed run.
        warmup: pairs run first, untimed.
        between: called untimed after every single run (to reset per-run state).

    Returns:
        The app's and the raw side's p50/p95.
    """
    for app_argument, raw_argument in warmup:
        app(app_argument)
        if between:
            between()
        raw(raw_argument)
        if between:
            between()
    samples: tuple[list[float], list[float]] = ([], [])
    for n, (app_argument, raw_argument) in enumerate(arguments):
        runs = ((0, app, app_argument), (1, raw, raw_argument))
        for side, operation, argument in runs if n % 2 == 0 else runs[::-1]:
            started = time.perf_counter()
            operation(argument)
            samples[side].append((time.perf_counter() - started) * 1000)
            if between:
                between()
    return _timing(samples[0]), _timing(samples[1])


def _timing(samples: list[float]) -> Timing:
    samples = sorted(samples)
    return Timing(statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)])


RAW_PRAGMAS = ("busy_timeout = 10000", "foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL")
"""The pragmas the app sets on every SQLite connection."""


@contextlib.contextmanager
def raw_connection(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection with the app's pragmas (``query_only`` too for reading)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (*RAW_PRAGMAS, *(("query_only = 1",) if read_only else ())):
        conn.execute(f"PRAGMA {pragma}")
    try:
        yield conn
    finally:
        conn.close()


# --- the same work in hand-written SQL ---------------------------------------------------------------

_PATIENT_COLUMNS = "id, family_name, given_names, date_of_birth, record_number, archived"
_RAW_ORDER = " AND archived = 0 ORDER BY family_key, given_key, id LIMIT 50"


def _raw_word(n: int) -> str:
    """Condition: word ``n`` begins the family name, given names, record number or id."""
    return (
        f"((family_key >= :w{n} AND family_key < :u{n}) OR (given_key >= :w{n} AND given_key < :u{n}) OR "
        f"(record_key >= :w{n} AND record_key < :u{n}) OR (id >= :W{n} AND id < :U{n}))"
    )


_RAW_BY_DOB = (
    f"SELECT {_PATIENT_COLUMNS} FROM patients "
    "WHERE date_of_birth = ? AND archived = 0 ORDER BY family_key, given_key, id LIMIT 50"
)


def _patient(row: Sequence[Any]) -> Patient:
    return Patient(PatientId(row[0]), row[1], row[2], dt.date.fromisoformat(row[3]), row[4], bool(row[5]))


def raw_search(conn: sqlite3.Connection, text: str) -> list[Patient]:
    """The app's search (one word, several words or a date of birth) written by hand, as domain patients.

    Several words: the phrase begins the family or given names, or every word begins one of the four
    keys; the longest word drives one indexed branch per key and the other words filter it.
    """
    stripped = text.strip()
    try:
        born = dt.date.fromisoformat(stripped)
    except ValueError:
        words = search_key(stripped).split()
        params: dict[str, str] = {}
        for n, word in enumerate(words):
            params |= {f"w{n}": word, f"u{n}": prefix_upper_bound(word)}
            params |= {f"W{n}": word.upper(), f"U{n}": prefix_upper_bound(word.upper())}
        where = _raw_word(0)
        if len(words) > 1:
            phrase = " ".join(words)
            params |= {"p": phrase, "q": prefix_upper_bound(phrase)}
            d = max(range(len(words)), key=lambda n: len(words[n]))
            rest = "".join(f" AND {_raw_word(n)}" for n in range(len(words)) if n != d)
            where = (
                "((family_key >= :p AND family_key < :q) OR (given_key >= :p AND given_key < :q) OR "
                f"(family_key >= :w{d} AND family_key < :u{d}{rest}) OR "
                f"(given_key >= :w{d} AND given_key < :u{d}{rest}) OR "
                f"(record_key >= :w{d} AND record_key < :u{d}{rest}) OR "
                f"(id >= :W{d} AND id < :U{d}{rest}))"
            )
        sql = f"SELECT {_PATIENT_COLUMNS} FROM patients WHERE {where}{_RAW_ORDER}"
        return [_patient(row) for row in conn.execute(sql, params)]
    return [_patient(row) for row in conn.execute(_RAW_BY_DOB, (born.isoformat(),))]


def raw_search_action(conn: sqlite3.Connection, text: str) -> list[Patient]:
    """One search as a whole action: a deferred read transaction around :func:`raw_search`."""
    conn.execute("BEGIN")
    try:
        return raw_search(conn, text)
    finally:
        conn.execute("COMMIT")


def _stored_value(text: str) -> Value:
    raw: Value | list[Any] = json.loads(text)
    return tuple(str(item) for item in raw) if isinstance(raw, list) else raw


def raw_patient_file(conn: sqlite3.Connection, patient_id: str) -> PatientFile:
    """Load a patient, her deliveries, visits with every value, clinician names and decisions by hand."""
    found = conn.execute(f"SELECT {_PATIENT_COLUMNS} FROM patients WHERE id = ?", (patient_id,)).fetchone()
    if found is None:
        raise LookupError(patient_id)
    deliveries = tuple(
        Delivery(dt.date.fromisoformat(day), DeliveryMode(mode), PerinealTrauma(trauma), parity)
        for day, mode, trauma, parity in conn.execute(
            "SELECT delivery_date, mode, perineal_trauma, parity FROM deliveries WHERE patient_id = ? "
            "ORDER BY delivery_date",
            (patient_id,),
        )
    )
    rows = conn.execute(
        "SELECT id, visit_date, clinician_id, status, version, amends_id FROM visits "
        "WHERE patient_id = ? ORDER BY visit_date, created_at, id",
        (patient_id,),
    ).fetchall()
    values: dict[str, dict[FieldPath, Value]] = {}
    for vid, field_path, side, value in conn.execute(
        "SELECT r.visit_id, r.field_path, r.side, r.value FROM result_values r "
        "JOIN visits v ON v.id = r.visit_id WHERE v.patient_id = ? ORDER BY r.id",
        (patient_id,),
    ):
        values.setdefault(vid, {})[FieldPath(f"{field_path}.{side}" if side else field_path)] = _stored_value(
            value
        )
    names = dict(conn.execute("SELECT id, name FROM clinicians WHERE active = 1").fetchall())
    ids = [row[0] for row in rows]
    marks = ",".join("?" * len(ids))
    finals = dict(
        conn.execute(
            f"SELECT visit_id, final_status FROM decision_records WHERE visit_id IN ({marks}) "
            "ORDER BY decided_at, id",
            ids,
        ).fetchall()
    )
    visit_list = tuple(
        Visit(
            VisitId(vid),
            PatientId(patient_id),
            dt.date.fromisoformat(day),
            ClinicianId(clinician),
            VisitStatus(status),
            Results(values.get(vid, {})),
            version,
            VisitId(amends) if amends else None,
        )
        for vid, day, clinician, status, version, amends in rows
    )
    summaries = visit_summaries(visit_list, names, finals)
    return PatientFile(_patient(found), deliveries, visit_list, summaries)


def raw_open_action(conn: sqlite3.Connection, patient_id: str) -> PatientFile:
    """Open a patient as a whole action: a deferred read transaction around :func:`raw_patient_file`."""
    conn.execute("BEGIN")
    try:
        return raw_patient_file(conn, patient_id)
    finally:
        conn.execute("COMMIT")


SaveJob = tuple[str, str, dict[str, Value]]
"""Visit id, patient id and the visit's values."""
VISIT_DAY = dt.date(2026, 9, 10)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)


def raw_insert_visit(conn: sqlite3.Connection, job: SaveJob, notes: Mapping[str, tuple[str, str]]) -> Visit:
    """Insert a visit, every value and the audit event (the statements of a save, no transaction)."""
    visit_id, patient_id, values = job
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    conn.execute(
        "INSERT INTO visits (id, patient_id, visit_date, clinician_id, status, version, amends_id, "
        "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, 'draft', 1, NULL, ?, ?, ?)",
        (visit_id, patient_id, VISIT_DAY.isoformat(), CLINICIAN_ID, now, now, CLINICIAN_ID),
    )
    stored: dict[str, Any] = {}
    rows = []
    for path, value in values.items():
        field_path, side = _split_path(path)
        unit, method = notes.get(field_path, ("", ""))
        stored[path] = list(value) if isinstance(value, tuple) else value
        number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        rows.append((visit_id, field_path, side, _json(stored[path]), number, unit, method))
    conn.executemany(
        "INSERT INTO result_values (visit_id, field_path, side, value, value_number, unit, method) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    after = {
        "patient_id": patient_id,
        "date": VISIT_DAY.isoformat(),
        "clinician_id": CLINICIAN_ID,
        "status": "draft",
        "amends": None,
        "results": stored,
    }
    conn.execute(
        "INSERT INTO audit_events (occurred_at, actor_id, action, entity, entity_id, before, after) "
        "VALUES (?, ?, 'create', 'visit', ?, NULL, ?)",
        (now, CLINICIAN_ID, visit_id, _json(after)),
    )
    return Visit(
        VisitId(visit_id),
        PatientId(patient_id),
        VISIT_DAY,
        ClinicianId(CLINICIAN_ID),
        VisitStatus.DRAFT,
        Results({FieldPath(path): value for path, value in values.items()}),
    )


def raw_checks(conn: sqlite3.Connection, job: SaveJob) -> dt.date | None:
    """Read what a save checks first: patient, clinician, free visit id, latest delivery date."""
    visit_id, patient_id, _ = job
    found = conn.execute(f"SELECT {_PATIENT_COLUMNS} FROM patients WHERE id = ?", (patient_id,)).fetchone()
    _patient(found)
    clinician = conn.execute(
        "SELECT id, name, profession, registration FROM clinicians WHERE id = ?", (CLINICIAN_ID,)
    ).fetchone()
    Clinician(ClinicianId(clinician[0]), clinician[1], clinician[2], clinician[3])
    if conn.execute("SELECT 1 FROM visits WHERE id = ?", (visit_id,)).fetchone() is not None:
        raise LookupError(visit_id)
    delivery = conn.execute(
        "SELECT delivery_date FROM deliveries WHERE patient_id = ? AND delivery_date <= ? "
        "ORDER BY delivery_date DESC, id DESC LIMIT 1",
        (patient_id, VISIT_DAY.isoformat()),
    ).fetchone()
    return None if delivery is None else dt.date.fromisoformat(delivery[0])


def raw_save_action(conn: sqlite3.Connection, job: SaveJob) -> Changes:
    """Save a new complete visit as the service does, by hand: checks, validation, rows, audit, commit."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        delivered = raw_checks(conn, job)
        results = Results({FieldPath(path): value for path, value in job[2].items()})
        check_results(results, visit_date=VISIT_DAY, delivery_date=delivered, today=VISIT_DAY)
        visit = raw_insert_visit(conn, job, annotations_for(results))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return Changes(
        f"Opened visit of {VISIT_DAY.isoformat()}",
        patient_ids=frozenset({visit.patient_id}),
        visit_ids=frozenset({visit.id}),
        created_id=visit.id,
        visit_versions=((visit.id, visit.version),),
    )


# --- the app side --------------------------------------------------------------------------------------


def app_insert_visit(session: Session, job: SaveJob, notes: Mapping[str, tuple[str, str]]) -> Visit:
    """The repository statements of a save in an open session: checks, then the visit, values, audit."""
    visit_id, patient_id, values = job
    results = Results({FieldPath(path): value for path, value in values.items()})
    repo_patients.get_patient(session, patient_id)
    repo_clinicians.get_clinician(session, CLINICIAN_ID)
    repo_patients.latest_delivery(session, patient_id, on_or_before=VISIT_DAY)
    visit = Visit(
        VisitId(visit_id), PatientId(patient_id), VISIT_DAY, ClinicianId(CLINICIAN_ID), results=results
    )
    stored = repo_visits.add_visit(session, visit, actor_id=CLINICIAN_ID, annotations=notes)
    session.flush()
    return stored


def bench_user(db: Database) -> SignedIn:
    """Give the bench clinician a real password (a cached clinic file may predate it) and sign her in."""
    with db.engine.begin() as conn:
        conn.execute(
            update(ClinicianRow)
            .where(ClinicianRow.id == CLINICIAN_ID)
            .values(password_hash=repo_clinicians.hash_password(BENCH_PASSWORD))
        )
    return sign_in(db, CLINICIAN_ID, BENCH_PASSWORD)


def app_save_action(db: Database, user: SignedIn, job: SaveJob) -> Changes:
    """Save a new complete visit through the visit service, as the signed-in bench clinician."""
    visit_id, patient_id, values = job
    return visit_service.create_visit(
        db,
        patient_id,
        VISIT_DAY,
        user=user,
        results=Results({FieldPath(path): value for path, value in values.items()}),
        visit_id=visit_id,
        today=VISIT_DAY,
    )


# --- report ------------------------------------------------------------------------------------------


def report(name: str, view: str, app: Timing, raw: Timing, target_ms: float | None) -> None:
    """Print one line: app and raw percentiles, ratios, and whether the targets are met."""
    ratio50, ratio95 = app.p50 / raw.p50, app.p95 / raw.p95
    time_ok = target_ms is None or app.p95 <= target_ms
    verdict = "ok" if time_ok and ratio95 <= 2.0 else ("time ok, ratio MISSED" if time_ok else "MISSED")
    print(
        f"{name:<24} {view:<6} {app.p50:7.2f} {app.p95:7.2f}   {raw.p50:7.2f} {raw.p95:7.2f}   "
        f"{ratio50:5.2f}× {ratio95:5.2f}×   {verdict}"
    )


def _same(label: str, app: Sequence[object], raw: Sequence[object]) -> None:
    assert list(app) == list(raw), f"{label}: app and raw SQL disagree"


def run(patients: int, visits: int, cache: Path) -> None:
    """Generate or reuse the clinic, copy it, and print every measurement."""
    cache.mkdir(parents=True, exist_ok=True)
    cached = cache / f"clinic-{patients}-{visits}-{SEED}-g{GENERATOR}-{head_revision()}.sqlite3"
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
    # The 100,000-entry lists above are the benchmark's, not the app's: freeze them out of the garbage
    # collector, or every full collection (tens of ms) lands in whichever side allocates more.
    gc.collect()
    gc.freeze()
    print(f"\napp code: {Path(patient_service.__file__).parent.parent}")
    print(
        f"\nSQLite, {patients:,} patients, {visits:,} visits; {RUNS} runs each, app and raw alternating; ms"
    )
    print(
        f"{'operation':<24} {'view':<6} {'app p50':>7} {'p95':>7}   {'raw p50':>7} {'p95':>7}   "
        f"{'ratio p50/p95':>14}"
    )
    try:
        with raw_connection(work, read_only=True) as reader, raw_connection(work) as writer:
            _reads(db, reader, (("search by name", names), ("search by date of birth", births)))
            _reads(db, reader, (("search by id prefix", prefixes),))
            _opens(db, reader, heavy)
            _saves(db, writer, clinic, picks)
    finally:
        db.dispose()


def _reads(db: Database, reader: sqlite3.Connection, cases: Sequence[tuple[str, list[str]]]) -> None:
    for label, texts in cases:
        pairs = [(text, text) for text in texts]
        _same(
            label,
            [patient_service.search_patients(db, t) for t in texts[:20]],
            [raw_search_action(reader, t) for t in texts[:20]],
        )
        with db.reads() as session:
            session.begin()
            reader.execute("BEGIN")
            app, raw = measure_pair(
                lambda t: repo_patients.search_patients(session, t),
                lambda t: raw_search(reader, t),
                pairs,
                pairs[:20],
            )
            reader.execute("COMMIT")
        report(label, "query", app, raw, None)
        app, raw = measure_pair(
            lambda t: patient_service.search_patients(db, t),
            lambda t: raw_search_action(reader, t),
            pairs,
            pairs[:20],
        )
        report("", "action", app, raw, 30)


def _opens(db: Database, reader: sqlite3.Connection, heavy: list[str]) -> None:
    pairs = [(pid, pid) for pid in heavy]
    _same(
        "open patient",
        [patient_service.open_patient(db, pid) for pid in heavy[:10]],
        [raw_open_action(reader, pid) for pid in heavy[:10]],
    )
    with db.reads() as session:
        session.begin()
        reader.execute("BEGIN")
        app, raw = measure_pair(
            lambda pid: patient_service.patient_file(session, pid),
            lambda pid: raw_patient_file(reader, pid),
            pairs,
            pairs[:10],
        )
        reader.execute("COMMIT")
    report("open patient (20 visits)", "query", app, raw, None)
    app, raw = measure_pair(
        lambda pid: patient_service.open_patient(db, pid),
        lambda pid: raw_open_action(reader, pid),
        pairs,
        pairs[:10],
    )
    report("", "action", app, raw, 50)


def _saves(db: Database, writer: sqlite3.Connection, clinic: Clinic, picks: list[int]) -> None:
    def jobs(prefix: str) -> list[tuple[SaveJob, SaveJob]]:
        return [
            (
                (f"V-{prefix}A-{n:05d}", clinic.ids[picks[n % RUNS]], complete_values(n)),
                (f"V-{prefix}R-{n:05d}", clinic.ids[picks[n % RUNS]], complete_values(n)),
            )
            for n in range(RUNS + 10)
        ]

    # Query view: the statements only, each run in its own write transaction, rolled back untimed;
    # validation and the units beside each value are worked out beforehand for both sides.
    session = db.sessions()
    notes = annotations_for(Results({FieldPath(p): v for p, v in complete_values(0).items()}))

    def app_query(job: SaveJob) -> Visit:
        session.connection()
        return app_insert_visit(session, job, notes)

    def raw_query(job: SaveJob) -> Visit:
        raw_checks(writer, job)
        return raw_insert_visit(writer, job, notes)

    query_jobs = jobs("Q")
    try:
        app, raw = _write_pairs(session, writer, app_query, raw_query, query_jobs)
    finally:
        session.close()
    report("save complete visit", "query", app, raw, None)
    action_jobs = jobs("S")
    user = bench_user(db)
    app_changes = app_save_action(db, user, action_jobs[0][0])
    raw_changes = raw_save_action(writer, action_jobs[0][1])
    assert app_changes.summary == raw_changes.summary
    with db.reads.begin() as check:
        _same(
            "save",
            [repo_visits.get_visit(check, action_jobs[0][0][0]).results],
            [repo_visits.get_visit(check, action_jobs[0][1][0]).results],
        )
    app, raw = measure_pair(
        lambda job: app_save_action(db, user, job),
        lambda job: raw_save_action(writer, job),
        action_jobs[11:],
        action_jobs[1:11],
    )
    report("", "action", app, raw, 50)


def _write_pairs(
    session: Session,
    writer: sqlite3.Connection,
    app: Callable[[SaveJob], object],
    raw: Callable[[SaveJob], object],
    pairs: list[tuple[SaveJob, SaveJob]],
) -> tuple[Timing, Timing]:
    """Time the insert statements, each side inside a write transaction opened (and undone) untimed."""
    samples: tuple[list[float], list[float]] = ([], [])
    for n, (app_job, raw_job) in enumerate(pairs):
        for side in (0, 1) if n % 2 == 0 else (1, 0):
            if side == 0:
                session.connection()
                started = time.perf_counter()
                app(app_job)
                elapsed = time.perf_counter() - started
                session.rollback()
                session.expunge_all()
            else:
                writer.execute("BEGIN IMMEDIATE")
                started = time.perf_counter()
                raw(raw_job)
                elapsed = time.perf_counter() - started
                writer.execute("ROLLBACK")
            if n >= 10:
                samples[side].append(elapsed * 1000)
    return _timing(samples[0]), _timing(samples[1])


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
