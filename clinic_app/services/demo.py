"""Build the demo clinic: fictional patients whose visits show every readiness outcome.

Everything comes from ``demo_clinic.toml`` beside this module (people, dates, values, expected
outcomes) and is written through the ordinary services, so the demo exercises validation, sign-off,
decisions, an override and an amendment exactly as a clinician would: each demo clinician signs in
with the demo password and her own visits are written in her name. The same file always gives the
same clinic: fixed dates relative to a stored "today" and a fixed seed for the extra names.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import random
import tomllib
from dataclasses import dataclass
from typing import Any

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.model import Delivery, Results
from clinic_app.domain.visitfile import flatten_results
from clinic_app.readiness.decision import ClinicianAction, RuleOverride
from clinic_app.services import decisions, patients, visits
from clinic_app.services.errors import StorageError
from clinic_app.services.session import SignedIn, sign_in
from clinic_app.storage.database import Database

DEMO_FILE = "demo_clinic.toml"
SYSTEM_ACTOR = "system"
DEFAULT_AMENDMENT_REASON = "Corrected a value typed in error."
"""The audit reason of a demo amendment whose entry in the demo file gives none."""


@dataclass(frozen=True, slots=True)
class DemoOutcome:
    """One demo visit: the outcome it was designed for and the one the engine proposed."""

    visit_id: str
    patient_name: str
    expected: str
    proposed: str
    signed: bool


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What :func:`build_demo` created."""

    today: dt.date
    patients: int
    visits: int
    clinicians: tuple[str, ...]
    password: str
    outcomes: tuple[DemoOutcome, ...]


def load_demo_spec() -> dict[str, Any]:
    """Read the demo clinic description shipped with the package."""
    text = importlib.resources.files("clinic_app.services").joinpath(DEMO_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def baseline_results(spec: dict[str, Any] | None = None) -> Results:
    """Return the demo's all-gates-passed examination as flat results."""
    results, errors = flatten_results((spec or load_demo_spec())["baseline"], "baseline")
    if errors:
        raise ValueError(f"demo baseline is malformed: {errors}")
    return results


def _apply(base: Results, entry: dict[str, Any]) -> Results:
    changes: dict[str, Any] = {path: None for path in entry.get("remove", [])}
    for path, value in entry.get("changes", {}).items():
        changes[path] = tuple(value) if isinstance(value, list) else value
    return base.with_values(changes)


def is_demo(db: Database, spec: dict[str, Any] | None = None) -> bool:
    """True when the database already holds the demo clinicians (a complete or unfinished demo)."""
    ids = {c["id"] for c in (spec or load_demo_spec())["clinicians"]}
    return bool(ids & {c.id for c in patients.list_clinicians(db)})


def is_complete_demo(db: Database, spec: dict[str, Any] | None = None) -> bool:
    """True when the demo was built to the end (its last, archived extra patient exists)."""
    spec = spec or load_demo_spec()
    last = f"P-{1000 + int(spec['demo']['extra_patients']):04d}"
    return is_demo(db, spec) and any(
        p.id == last for p in patients.search_patients(db, last, include_archived=True)
    )


def build_demo(db: Database, spec: dict[str, Any] | None = None) -> DemoSummary:
    """Fill an empty clinic database with the demo clinic.

    Args:
        db: an open, migrated, empty database.
        spec: the demo description (defaults to the packaged ``demo_clinic.toml``).

    Returns:
        A summary with each visit's designed and proposed outcome.

    Raises:
        StorageError: the database already holds patients (the demo never mixes with real records).
    """
    spec = spec or load_demo_spec()
    if patients.search_patients(db, "", include_archived=True, limit=1):
        raise StorageError(
            "This database already holds patients; the demo clinic is only built in an empty one."
        )
    meta = spec["demo"]
    today = dt.date.fromisoformat(meta["today"])
    password = str(meta["password"])
    for person in spec["clinicians"]:
        patients.add_clinician(
            db,
            name=person["name"],
            password=password,
            actor_id=SYSTEM_ACTOR,
            profession=person["profession"],
            registration=person["registration"],
            clinician_id=person["id"],
        )
    staff = {person["id"]: sign_in(db, person["id"], password) for person in spec["clinicians"]}
    base = baseline_results(spec)
    outcomes: list[DemoOutcome] = []
    for person in spec["patients"]:
        birth = person["delivery"]
        patients.create_patient(
            db,
            family_name=person["family_name"],
            given_names=person["given_names"],
            date_of_birth=dt.date.fromisoformat(person["date_of_birth"]),
            record_number=person["record_number"],
            delivery=Delivery(
                dt.date.fromisoformat(birth["date"]),
                DeliveryMode(birth["mode"]),
                PerinealTrauma(birth["perineal_trauma"]),
                int(birth["parity"]),
            ),
            patient_id=person["id"],
            user=staff[spec["clinicians"][0]["id"]],
            today=today,
        )
        for earlier in person.get("earlier_deliveries", []):
            patients.add_delivery(
                db,
                person["id"],
                Delivery(
                    dt.date.fromisoformat(earlier["date"]),
                    DeliveryMode(earlier["mode"]),
                    PerinealTrauma(earlier["perineal_trauma"]),
                    int(earlier["parity"]),
                ),
                user=staff[spec["clinicians"][0]["id"]],
                today=today,
            )
        name = f"{person['given_names']} {person['family_name']}"
        for entry in person.get("visits", []):
            outcomes.extend(_visit(db, person["id"], name, entry, base, today, staff, password))
    extra = _extra_patients(db, spec, today, staff[spec["clinicians"][0]["id"]])
    return DemoSummary(
        today,
        len(spec["patients"]) + extra,
        len(outcomes),
        tuple(c["name"] for c in spec["clinicians"]),
        password,
        tuple(outcomes),
    )


def _visit(
    db: Database,
    patient_id: str,
    name: str,
    entry: dict[str, Any],
    base: Results,
    today: dt.date,
    staff: dict[str, SignedIn],
    password: str,
) -> list[DemoOutcome]:
    visit_date = dt.date.fromisoformat(entry["date"])
    clinician = staff[entry["clinician"]]
    results = _apply(base, entry)
    created = visits.create_visit(
        db,
        patient_id,
        visit_date,
        user=clinician,
        results=results,
        visit_id=entry["id"],
        today=today,
    )
    outcome = _finish(
        db, entry["id"], created.version_of(entry["id"]) or 1, name, entry, clinician, password, visit_date
    )
    found = [outcome]
    amendment = entry.get("amend")
    if amendment:
        author = staff[amendment["clinician"]]
        signed = visits.get_visit(db, entry["id"])
        opened = visits.amend_visit(
            db,
            entry["id"],
            signed.version,
            user=author,
            reason=amendment.get("reason", DEFAULT_AMENDMENT_REASON),
            new_visit_id=amendment["id"],
        )
        saved = visits.save_results(
            db,
            amendment["id"],
            opened.version_of(amendment["id"]) or 1,
            _apply(results, amendment),
            user=author,
            today=today,
        )
        found.append(
            _finish(
                db,
                amendment["id"],
                saved.version_of(amendment["id"]) or 1,
                name,
                {**amendment, "date": entry["date"]},
                author,
                password,
                visit_date,
            )
        )
    return found


def _finish(
    db: Database,
    visit_id: str,
    version: int,
    name: str,
    entry: dict[str, Any],
    clinician: SignedIn,
    password: str,
    visit_date: dt.date,
) -> DemoOutcome:
    """Record the clinician's decision on the engine's proposal and sign, as the entry says."""
    proposal = decisions.propose(db, visit_id)
    decided_at = dt.datetime.combine(visit_date, dt.time(12, 0), tzinfo=dt.UTC)
    if entry.get("decision") == "confirm":
        decisions.record_decision(
            db,
            visit_id,
            user=clinician,
            action=ClinicianAction.CONFIRMED,
            expected_version=version,
            now=decided_at,
        )
    elif entry.get("decision") == "override":
        overrides = [RuleOverride(o["rule"], o["reason"]) for o in entry["overrides"]]
        decisions.record_decision(
            db,
            visit_id,
            user=clinician,
            action=ClinicianAction.OVERRIDDEN,
            expected_version=version,
            overrides=overrides,
            password=password,
            now=decided_at,
        )
    if entry.get("sign"):
        visits.sign_visit(db, visit_id, version, user=clinician, password=password)
    return DemoOutcome(visit_id, name, entry["expect"], proposal.status.value, bool(entry.get("sign")))


def _extra_patients(db: Database, spec: dict[str, Any], today: dt.date, actor: SignedIn) -> int:
    """Register the extra patients (no visits) drawn with the fixed seed; the last one is archived."""
    meta = spec["demo"]
    rng = random.Random(int(meta["seed"]))
    names = spec["extra_names"]
    count = int(meta["extra_patients"])
    for number in range(1, count + 1):
        born = dt.date(1982, 1, 1) + dt.timedelta(days=rng.randrange(16 * 365))
        delivered = today - dt.timedelta(days=rng.randrange(21, 300))
        patient_id = f"P-{1000 + number:04d}"
        patients.create_patient(
            db,
            family_name=rng.choice(names["family"]),
            given_names=rng.choice(names["given"]),
            date_of_birth=born,
            record_number=f"RR-{1000 + number}",
            patient_id=patient_id,
            user=actor,
            delivery=Delivery(
                delivered, rng.choice(list(DeliveryMode)), PerinealTrauma.NONE, rng.randint(1, 3)
            ),
            today=today,
        )
        if number == count:
            patients.archive_patient(db, patient_id, user=actor)
    return count
