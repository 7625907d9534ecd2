"""A FHIR R4B Bundle (JSON, type ``collection``) of patients, visits, measurements, decisions and reports.

fhir.resources 8 ships FHIR R5 by default and R4B in ``fhir.resources.R4B`` (R4 proper is in 6.x only),
so the resources written here follow R4B, which the tests validate them against. One Patient per
patient, a Practitioner per clinician, an Encounter per visit, an Observation per measurement (UCUM
units, the side as a SNOMED CT laterality body site, the battery's method), a derived limb symmetry
index Observation with ``derivedFrom`` both sides, a ClinicalImpression per recorded decision (the
rules set aside as findings with the clinician's reasons), a DocumentReference per issued report
(its SHA-256 as identifier; the PDF itself as the attachment's data when the clinic kept it), and
the app's own CodeSystems of field ids and choice ids. LOINC is used only where a code means exactly
the field (body weight, body height). The Bundle is streamed: one entry is encoded at a time.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from clinic_app.assessment import FormCatalogue
from clinic_app.assessment.formtypes import FieldKind, FieldSpec
from clinic_app.domain.derived import limb_symmetry

FIELDS = "https://runready.example/fhir/CodeSystem/fields"
CHOICES = "https://runready.example/fhir/CodeSystem/choices"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
_LOINC = {"history.weight_kg": ("29463-7", "Body weight"), "history.height_cm": ("8302-2", "Body height")}
_SIDES = {"left": ("7771000", "Left"), "right": ("24028007", "Right")}
_UCUM = {
    "cm": "cm",
    "mm": "mm",
    "kg": "kg",
    "s": "s",
    "min": "min",
    "%": "%",
    "km/week": "km/wk",
    "h/night": "h",
    "reps": "{reps}",
    "points": "{score}",
    "/10": "{score}",
    "grade": "{grade}",
    "MOS grade": "{grade}",
    "errors": "{errors}",
    "finger_widths": "{finger_widths}",
}
ReportContent = Callable[[str, str], bytes | None]
"""(visit id, SHA-256) → the kept PDF of that report, or None: how the writer asks for one file."""
_NAMESPACE = uuid.UUID("5a0c3a52-7d0e-4b7e-9a43-2d1f0b8e6c11")


def ucum(unit: str) -> str:
    """The UCUM code of a unit as recorded (an annotation in braces for counts and scores)."""
    return _UCUM.get(unit, "{" + "".join(c for c in unit if c.isalnum() or c in "_-") + "}" if unit else "1")


def _urn(kind: str, key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}/{key}')}"


def _fid(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-." else "-" for c in text)
    return cleaned[:64]


class _Writer:
    def __init__(self, out: IO[str]) -> None:
        self.out, self.first = out, True

    def add(self, resource: dict[str, Any]) -> str:
        resource = {k: v for k, v in resource.items() if v is not None}
        url = _urn(resource["resourceType"], resource["id"])
        self.out.write(("" if self.first else ",\n") + json.dumps({"fullUrl": url, "resource": resource}))
        self.first = False
        return url


def write_bundle(
    out: IO[str],
    patients: Iterable[Mapping[str, Any]],
    births: Iterable[Mapping[str, Any]],
    clinicians: Iterable[Mapping[str, Any]],
    visits: Iterable[Mapping[str, Any]],
    catalogue: FormCatalogue,
    report_content: ReportContent | None = None,
) -> int:
    """Write the Bundle from bundle records (:mod:`clinic_app.storage.exchange` shapes); return visits.

    Args:
        out: the text file written to.
        patients: patient records.
        births: delivery records (read, not written: the Bundle has no resource for them yet).
        clinicians: clinician records.
        visits: visit records, streamed.
        catalogue: the forms, for codes, labels and units.
        report_content: asked for each report's PDF as its DocumentReference is written (one file
            at a time); None or a None answer writes the attachment without data.
    """
    out.write('{"resourceType": "Bundle", "type": "collection", "entry": [\n')
    w = _Writer(out)
    w.add(_code_system(catalogue))
    w.add(_choice_system(catalogue))
    for c in clinicians:
        practitioner: dict[str, Any] = {
            "resourceType": "Practitioner",
            "id": _fid(c["id"]),
            "name": [{"text": c["name"]}],
            "identifier": [{"system": "urn:runready:clinician", "value": c["id"]}],
        }
        w.add(practitioner)
    for p in patients:
        identifiers = [{"system": "urn:runready:patient", "value": p["id"]}]
        if p["record_number"]:
            identifiers.append({"system": "urn:runready:record-number", "value": p["record_number"]})
        w.add(
            {
                "resourceType": "Patient",
                "id": _fid(p["id"]),
                "identifier": identifiers,
                "active": not p["archived"],
                "name": [{"family": p["family_name"], "given": p["given_names"].split() or [""]}],
                "gender": "female",
                "birthDate": p["date_of_birth"],
            }
        )
    _ = list(births)
    count = 0
    for visit in visits:
        _visit(w, visit, catalogue, report_content)
        count += 1
    out.write("\n]}\n")
    return count


def _code_system(catalogue: FormCatalogue) -> dict[str, Any]:
    concepts = [{"code": s.path, "display": s.label} for s in catalogue.all_fields()]
    concepts += [
        {"code": f"{s.path}.lsi", "display": f"{s.label}: limb symmetry index"}
        for s in catalogue.all_fields()
        if s.sided and s.kind.numeric
    ]
    return {
        "resourceType": "CodeSystem",
        "id": "runready-fields",
        "url": FIELDS,
        "status": "active",
        "content": "complete",
        "name": "RunReadyFields",
        "concept": concepts,
    }


def _choice_system(catalogue: FormCatalogue) -> dict[str, Any]:
    concepts = [
        {"code": f"{s.path}:{c.id}", "display": c.label} for s in catalogue.all_fields() for c in s.choices
    ]
    return {
        "resourceType": "CodeSystem",
        "id": "runready-choices",
        "url": CHOICES,
        "status": "active",
        "content": "complete",
        "name": "RunReadyChoices",
        "concept": concepts,
    }


def _visit(
    w: _Writer, visit: Mapping[str, Any], catalogue: FormCatalogue, report_content: ReportContent | None
) -> None:
    patient = {"reference": _urn("Patient", _fid(visit["patient_id"]))}
    encounter_id = _fid(visit["id"])
    encounter = {
        "reference": w.add(
            {
                "resourceType": "Encounter",
                "id": encounter_id,
                "status": "finished",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                "subject": patient,
                "period": {"start": visit["visit_date"]},
                "identifier": [{"system": "urn:runready:visit", "value": visit["id"]}],
            }
        )
    }
    status = {"signed": "final", "draft": "preliminary", "amended": "final"}[visit["status"]]
    if visit["amends"] and visit["status"] == "signed":
        status = "amended"
    sided: dict[str, dict[str, tuple[str, float]]] = {}
    hosts = _symptom_hosts(visit["results"], catalogue)
    carried = {id(symptom) for symptom in hosts.values()}
    for n, result in enumerate(visit["results"], start=1):
        path = result["path"]
        parts = path.split(".")
        side = parts[2] if len(parts) == 3 else ""
        spec = catalogue.field_by_path(path)
        if spec is None or side == "missing_reason" or id(result) in carried:
            continue
        obs = _observation(
            f"{encounter_id}-{n}", spec, side, result, status, patient, encounter, visit["visit_date"]
        )
        symptom = hosts.get(path)
        if symptom is not None:
            obs["component"] = [_symptom_component(symptom, catalogue)]
        url = w.add(obs)
        value = result["value"]
        if side and spec.kind.numeric and isinstance(value, int | float) and not isinstance(value, bool):
            sided.setdefault(spec.path, {})[side] = (url, float(value))
    for path, pair in sided.items():
        if len(pair) == 2:
            spec = catalogue.field_by_path(path)
            assert spec is not None
            try:
                lsi = limb_symmetry(pair["left"][1], pair["right"][1], timed=spec.better == "lower")
            except ValueError:
                continue
            w.add(
                {
                    "resourceType": "Observation",
                    "id": _fid(f"{encounter_id}-lsi-{path}"),
                    "status": status,
                    "code": {
                        "coding": [{"system": FIELDS, "code": f"{path}.lsi"}],
                        "text": f"{spec.label}: LSI",
                    },
                    "subject": patient,
                    "encounter": encounter,
                    "effectiveDateTime": visit["visit_date"],
                    "valueQuantity": {"value": round(lsi.index, 1), "unit": "%", "system": UCUM, "code": "%"},
                    "derivedFrom": [{"reference": pair["left"][0]}, {"reference": pair["right"][0]}],
                }
            )
    for n, d in enumerate(visit["decisions"], start=1):
        findings = [
            {"itemCodeableConcept": {"text": f"Rule {o['rule_id']} set aside"}, "basis": o["reason"]}
            for o in d["overrides"]
        ]
        w.add(
            {
                "resourceType": "ClinicalImpression",
                "id": _fid(f"{encounter_id}-decision-{n}"),
                "status": "completed",
                "subject": patient,
                "encounter": encounter,
                "date": d["decided_at"],
                "assessor": {"reference": _urn("Practitioner", _fid(d["decided_by"]))},
                "protocol": [f"urn:runready:protocol:{d['protocol_id']}:{d['protocol_version']}"],
                "summary": f"Proposed {d['proposed_status']}; clinician {d['action']}: {d['final_status']}",
                "finding": findings or None,
                "note": [{"text": d["comment"]}] if d["comment"] else None,
            }
        )
    for n, r in enumerate(visit["reports"], start=1):
        content = report_content(visit["id"], r["sha256"]) if report_content is not None else None
        w.add(
            {
                "resourceType": "DocumentReference",
                "id": _fid(f"{encounter_id}-report-{n}"),
                "status": "current",
                "type": {"text": f"{r['kind']} report"},
                "subject": patient,
                "date": r["created_at"],
                "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:sha256:{r['sha256']}"}],
                "author": [{"reference": _urn("Practitioner", _fid(r["created_by"]))}],
                "context": {"encounter": [encounter]},
                "content": [{"attachment": _attachment(r["file_name"], content)}],
            }
        )


def _attachment(title: str, content: bytes | None) -> dict[str, Any]:
    """A PDF attachment; with the file's bytes, also their size and SHA-1 (FHIR's Attachment.hash)."""
    attachment: dict[str, Any] = {"contentType": "application/pdf", "title": title}
    if content is not None:
        attachment["data"] = base64.b64encode(content).decode("ascii")
        attachment["size"] = len(content)
        attachment["hash"] = base64.b64encode(hashlib.sha1(content).digest()).decode("ascii")
    return attachment


def _symptom_hosts(results: list[dict[str, Any]], catalogue: FormCatalogue) -> dict[str, dict[str, Any]]:
    """Map the measurement a task's provoked symptoms belong to (``l1_dose``) to its symptoms result.

    A form names a task's symptom field ``<task>_symptoms``; the symptoms travel as a component of
    the task's first recorded measurement in form order (kept as their own Observation otherwise).
    """
    present = {r["path"]: r for r in results}
    out: dict[str, dict[str, Any]] = {}
    for path, result in present.items():
        spec = catalogue.field_by_path(path)
        if spec is None or not spec.id.endswith("_symptoms") or path.count(".") != 1:
            continue
        form = catalogue.form(spec.form_id)
        prefix = spec.id[: -len("symptoms")]
        for other in form.fields if form else ():
            if other.id != spec.id and other.id.startswith(prefix) and other.path in present:
                out[other.path] = result
                break
    return out


def _symptom_component(symptom: Mapping[str, Any], catalogue: FormCatalogue) -> dict[str, Any]:
    spec = catalogue.field_by_path(symptom["path"])
    values = symptom["value"] if isinstance(symptom["value"], list) else [symptom["value"]]
    return {
        "code": {"coding": [{"system": FIELDS, "code": symptom["path"]}], "text": spec.label if spec else ""},
        "valueCodeableConcept": {
            "coding": [{"system": CHOICES, "code": f"{symptom['path']}:{v}"} for v in values]
        },
    }


def _observation(
    obs_id: str,
    spec: FieldSpec,
    side: str,
    result: Mapping[str, Any],
    status: str,
    patient: dict[str, str],
    encounter: dict[str, str],
    day: str,
) -> dict[str, Any]:
    coding = [{"system": FIELDS, "code": spec.path, "display": spec.label}]
    if spec.path in _LOINC:
        code, display = _LOINC[spec.path]
        coding.insert(0, {"system": LOINC, "code": code, "display": display})
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _fid(obs_id),
        "status": status,
        "code": {"coding": coding, "text": spec.label},
        "subject": patient,
        "encounter": encounter,
        "effectiveDateTime": day,
    }
    value = result["value"]
    if isinstance(value, bool):
        obs["valueBoolean"] = value
    elif isinstance(value, int | float):
        unit = result["unit"] or spec.unit
        obs["valueQuantity"] = {"value": value, "unit": unit or "1", "system": UCUM, "code": ucum(unit)}
    elif isinstance(value, list):
        obs["valueCodeableConcept"] = {
            "coding": [{"system": CHOICES, "code": f"{spec.path}:{v}"} for v in value]
        }
    elif spec.kind in (FieldKind.CHOICE,):
        obs["valueCodeableConcept"] = {
            "coding": [
                {"system": CHOICES, "code": f"{spec.path}:{value}", "display": spec.choice_label(str(value))}
            ]
        }
    elif spec.kind is FieldKind.DATE:
        obs["valueDateTime"] = value
    else:
        obs["valueString"] = str(value)
    if side:
        code, display = _SIDES[side]
        obs["bodySite"] = {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": side}
    if result["method"]:
        obs["method"] = {"text": result["method"]}
    return {k: v for k, v in obs.items() if v is not None}
