"""Property: for any generated clinic, export → import into an empty clinic → export is lossless.

Clinics are built through the storage repositories (patients with births, visits with every kind of
value, signed, amended, decided and reported, with or without the report's PDF kept), so the bundle
sees what the app really writes. Every exported record also passes the published JSON Schemas in
``docs/formats/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.ids import ClinicianId, FieldPath, PatientId, VisitId
from clinic_app.domain.model import Delivery, Patient, Results, Visit
from clinic_app.exchange.archive import MANIFEST
from clinic_app.services import exchange
from clinic_app.services.clinic import open_clinic
from clinic_app.storage import patients as repo_patients
from clinic_app.storage import records as repo_records
from clinic_app.storage import visits as repo_visits
from clinic_app.storage.clinicians import hash_password
from clinic_app.storage.database import Database
from clinic_app.storage.models import ClinicianRow
from tests.exchange.test_bundle import entries_without_created_at

FORMATS = Path(__file__).resolve().parents[2] / "docs" / "formats"
SCHEMAS = {
    "clinicians.jsonl": "bundle-clinician.schema.json",
    "patients.jsonl": "bundle-patient.schema.json",
    "deliveries.jsonl": "bundle-delivery.schema.json",
    "visits.jsonl": "bundle-visit.schema.json",
    "audit.jsonl": "bundle-audit.schema.json",
    MANIFEST: "bundle-manifest.schema.json",
}
_HASH = hash_password("generated-clinic")
PATHS = ("strength.calf_raise.left", "strength.calf_raise.right", "symptoms.leak", "hop.notes", "prolapse.ba")
values = st.one_of(
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(max_size=20),
    st.lists(st.sampled_from(["a", "b", "c_d"]), max_size=3, unique=True).map(tuple),
)
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=15)
visit_plan = st.fixed_dictionaries(
    {
        "results": st.dictionaries(st.sampled_from(PATHS), values, max_size=5),
        "signed": st.booleans(),
        "amend": st.booleans(),
        "decide": st.booleans(),
        "report": st.none() | st.sampled_from(["record", "same file", "own file"]),
        "day": st.integers(0, 400),
    }
)
patient_plan = st.fixed_dictionaries(
    {
        "family": names,
        "given": names,
        "born": st.dates(dt.date(1970, 1, 1), dt.date(2005, 1, 1)),
        "record": st.text("ABC123-", max_size=8),
        "archived": st.booleans(),
        "births": st.lists(st.sampled_from(list(DeliveryMode)), max_size=2),
        "visits": st.lists(visit_plan, max_size=3),
    }
)


def pdf_of(visit_id: str) -> bytes:
    """A stand-in PDF of its own for a visit's report."""
    return b"%PDF-1.7\n" + visit_id.encode() + b"\n%%EOF\n"


def kept_files(plans: list[dict[str, Any]]) -> set[str]:
    """The report entries a bundle of the generated clinic must hold: one per distinct kept file."""
    files: set[bytes] = set()
    for p, plan in enumerate(plans):
        for v, vp in enumerate(plan["visits"]):
            if vp["report"] == "same file":
                files.add(b"%PDF-1.7\nshared")
            elif vp["report"] == "own file":
                files.add(pdf_of(f"V-{p:04d}-{v}"))
    return {f"reports/{hashlib.sha256(content).hexdigest()}.pdf" for content in files}


def build(db: Database, plans: list[dict[str, Any]]) -> None:
    """Write a generated clinic through the repositories."""
    start = dt.date(2025, 1, 1)
    with db.sessions.begin() as session:
        session.execute(insert(ClinicianRow), {"id": "C-1", "name": "Ana Ó Sé", "password_hash": _HASH})
        for p, plan in enumerate(plans):
            pid = f"P-{p:04d}"
            repo_patients.add_patient(
                session,
                Patient(
                    PatientId(pid),
                    plan["family"],
                    plan["given"],
                    plan["born"],
                    plan["record"],
                    plan["archived"],
                ),
                actor_id="C-1",
            )
            for b, mode in enumerate(plan["births"]):
                birth = Delivery(start + dt.timedelta(days=100 * b), mode, PerinealTrauma.NONE, b + 1)
                repo_patients.add_delivery(session, pid, birth, actor_id="C-1")
            for v, vp in enumerate(plan["visits"]):
                vid = f"V-{p:04d}-{v}"
                results = Results({FieldPath(k): val for k, val in vp["results"].items()})
                visit = Visit(
                    VisitId(vid),
                    PatientId(pid),
                    start + dt.timedelta(days=vp["day"]),
                    ClinicianId("C-1"),
                    results=results,
                )
                repo_visits.add_visit(
                    session, visit, actor_id="C-1", annotations={"strength.calf_raise": ("reps", "")}
                )
                if vp["decide"]:
                    entry = repo_records.DecisionInput(
                        "default",
                        "1",
                        "READY",
                        {"status": "READY"},
                        "overridden",
                        "NOT_READY",
                        (("F1", "tired"),),
                    )
                    repo_records.add_decision(session, vid, entry, clinician_id="C-1")
                if vp["report"] is not None:
                    # None: a record without its file (made before the clinic kept files); the same
                    # bytes on two visits are one file in the bundle.
                    content = {"record": None, "same file": b"%PDF-1.7\nshared", "own file": pdf_of(vid)}[
                        vp["report"]
                    ]
                    digest = hashlib.sha256(content or vid.encode()).hexdigest()
                    repo_records.add_report(
                        session,
                        vid,
                        kind="patient",
                        sha256=digest,
                        file_name=f"{vid}.pdf",
                        clinician_id="C-1",
                        content=content,
                    )
                if vp["signed"]:
                    repo_visits.sign_visit(session, vid, 1, clinician_id="C-1")
                    if vp["amend"]:
                        repo_visits.amend_visit(session, vid, 2, f"{vid}-A", actor_id="C-1", reason="typo")


def check_schemas(path: Path) -> None:
    """Every record of every entry passes its published JSON Schema."""
    with zipfile.ZipFile(path) as archive:
        for entry, schema_name in SCHEMAS.items():
            schema = json.loads((FORMATS / schema_name).read_text())
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
            data = archive.read(entry)
            items = [json.loads(data)] if entry == MANIFEST else [json.loads(x) for x in data.splitlines()]
            for item in items:
                validator.validate(item)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=st.lists(patient_plan, max_size=4))
def test_any_clinic_round_trips(
    plans: list[dict[str, Any]], empty_template: Path, tmp_path_factory: Any
) -> None:
    """Whatever the clinic holds, a second export of its import equals the first but for created-at."""
    folder = tmp_path_factory.mktemp("roundtrip")
    shutil.copyfile(empty_template, folder / "a.sqlite3")
    shutil.copyfile(empty_template, folder / "b.sqlite3")
    source, target = (
        open_clinic(f"sqlite:///{folder / 'a.sqlite3'}"),
        open_clinic(f"sqlite:///{folder / 'b.sqlite3'}"),
    )
    try:
        build(source, plans)
        first, second = folder / "1.rrbundle", folder / "2.rrbundle"
        exchange.export_bundle(source, first)
        check_schemas(first)
        with zipfile.ZipFile(first) as archive:
            assert {n for n in archive.namelist() if n.startswith("reports/")} == kept_files(plans)
        from clinic_app.services.session import sign_in

        user = sign_in(source, "C-1", "generated-clinic")
        exchange.import_bundle(target, first, user)
        exchange.export_bundle(target, second)
        assert entries_without_created_at(first) == entries_without_created_at(second)
    finally:
        source.dispose()
        target.dispose()


def test_demo_bundle_passes_the_schemas(demo: Database, tmp_path: Path) -> None:
    """The demo clinic's bundle (real proposals, overrides, signed and amended visits) fits the schemas."""
    path = tmp_path / "demo.rrbundle"
    exchange.export_bundle(demo, path)
    check_schemas(path)
