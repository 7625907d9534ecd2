"""FHIR export: every resource validates against the fhir.resources R4B models."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from clinic_app.services.exchange_formats import export_fhir
from clinic_app.storage.database import Database


def test_demo_fhir_bundle_validates_as_r4b(demo: Database, tmp_path: Path) -> None:
    """The Bundle and each resource in it pass the R4B models; UCUM units, sides and derivations present."""
    out = tmp_path / "clinic.fhir.json"
    summary = export_fhir(demo, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    bundle_model = importlib.import_module("fhir.resources.R4B.bundle").Bundle
    bundle_model.model_validate(data)
    kinds: dict[str, int] = {}
    for entry in data["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        kinds[kind] = kinds.get(kind, 0) + 1
        module = importlib.import_module(f"fhir.resources.R4B.{kind.lower()}")
        getattr(module, kind).model_validate(resource)
    assert kinds["Encounter"] == summary.visits and kinds["Observation"] > summary.visits
    assert kinds["CodeSystem"] == 2 and kinds["ClinicalImpression"] >= 1
    observations = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert any("derivedFrom" in o for o in observations)
    components = [c["code"]["coding"][0]["code"] for o in observations for c in o.get("component", [])]
    assert any(code.endswith("_symptoms") for code in components)
    assert any(o.get("bodySite", {}).get("text") == "left" for o in observations)
    assert all(
        o["valueQuantity"]["system"] == "http://unitsofmeasure.org"
        for o in observations
        if "valueQuantity" in o
    )
