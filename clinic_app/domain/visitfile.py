"""Read and write the documented visit JSON format (``runready-visit/1``).

The format carries one visit with its patient, delivery, clinician, results and, optionally, earlier
visits for follow-up comparison. It is the input of the ``validate``, ``assess`` and
``report --from-file`` commands and of exchange bundles. Parsing never raises on bad content: it
returns field-level errors with JSON paths, so the command line can print them all at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, Side, VisitStatus
from clinic_app.domain.errors import FieldError
from clinic_app.domain.ids import ClinicianId, FieldPath, PatientId, VisitId
from clinic_app.domain.model import Clinician, Delivery, Patient, Results, Value, Visit

FORMAT_ID = "runready-visit/1"
MISSING_REASON = "missing_reason"


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """Everything the readiness engine and the reports need about one visit, as plain data."""

    patient: Patient
    delivery: Delivery
    clinician: Clinician
    visit: Visit
    previous: tuple[Visit, ...] = field(default_factory=tuple)
    """Earlier visits of the same patient, oldest first."""


@dataclass(slots=True)
class ParseOutcome:
    """The result of parsing a visit file: a record when there were no errors."""

    record: VisitRecord | None
    errors: list[FieldError]


def flatten_results(nested: Mapping[str, Any], prefix: str = "results") -> tuple[Results, list[FieldError]]:
    """Turn nested ``{form: {field: value | {left, right, missing_reason}}}`` into flat results.

    Args:
        nested: the ``results`` object of a visit file.
        prefix: JSON path prefix used in error messages.

    Returns:
        The flat results and any structural errors (wrong JSON types).
    """
    flat: dict[FieldPath, Value] = {}
    errors: list[FieldError] = []
    if not isinstance(nested, Mapping):
        return Results(), [FieldError(prefix, "must be an object of forms, each an object of fields")]
    for form_id, fields in nested.items():
        if not isinstance(fields, Mapping):
            errors.append(FieldError(f"{prefix}.{form_id}", "must be an object of field values"))
            continue
        for field_id, raw in fields.items():
            path = f"{form_id}.{field_id}"
            if isinstance(raw, Mapping):
                for key, side_value in raw.items():
                    if key not in {Side.LEFT.value, Side.RIGHT.value, MISSING_REASON}:
                        errors.append(
                            FieldError(
                                f"{prefix}.{path}.{key}", "expected 'left', 'right' or 'missing_reason'"
                            )
                        )
                        continue
                    _store(flat, errors, f"{path}.{key}", side_value, prefix)
            else:
                _store(flat, errors, path, raw, prefix)
    return Results(flat), errors


def _store(flat: dict[FieldPath, Value], errors: list[FieldError], path: str, raw: Any, prefix: str) -> None:
    """Store one JSON value, converting lists to tuples and rejecting objects/nulls of the wrong kind."""
    if raw is None:
        return
    if isinstance(raw, list):
        if all(isinstance(item, str) for item in raw):
            flat[FieldPath(path)] = tuple(raw)
            return
        errors.append(FieldError(f"{prefix}.{path}", "a list may only hold choice ids (strings)"))
        return
    if isinstance(raw, bool | int | float | str):
        flat[FieldPath(path)] = raw
        return
    errors.append(FieldError(f"{prefix}.{path}", f"unsupported value {raw!r}"))


def nest_results(results: Results) -> dict[str, dict[str, Any]]:
    """Turn flat results back into the nested JSON shape (inverse of :func:`flatten_results`)."""
    nested: dict[str, dict[str, Any]] = {}
    for path, value in sorted(results.items()):
        parts = path.split(".")
        form_id, field_id = parts[0], parts[1]
        json_value: Any = list(value) if isinstance(value, tuple) else value
        if len(parts) == 3:
            nested.setdefault(form_id, {}).setdefault(field_id, {})[parts[2]] = json_value
        else:
            nested.setdefault(form_id, {})[field_id] = json_value
    return nested


class _Reader:
    """Collects errors while reading typed values out of a JSON object."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def obj(self, data: Any, path: str) -> Mapping[str, Any]:
        if isinstance(data, Mapping):
            return data
        self.errors.append(FieldError(path, "is missing or is not an object"))
        return {}

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.errors.append(FieldError(f"{path}.{key}", "is required and must be text"))
            return ""
        return value.strip()

    def date(self, data: Mapping[str, Any], key: str, path: str) -> dt.date | None:
        value = data.get(key)
        if not isinstance(value, str):
            self.errors.append(FieldError(f"{path}.{key}", "is required as a date written YYYY-MM-DD"))
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.errors.append(FieldError(f"{path}.{key}", f"'{value}' is not a date written YYYY-MM-DD"))
            return None

    def choice(self, data: Mapping[str, Any], key: str, path: str, enum: Any, default: Any = None) -> Any:
        value = data.get(key)
        if value is None and default is not None:
            return default
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.errors.append(FieldError(f"{path}.{key}", f"'{value}' is not one of: {allowed}"))
            return default

    def integer(self, data: Mapping[str, Any], key: str, path: str, default: int, low: int, high: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.errors.append(FieldError(f"{path}.{key}", f"must be a whole number from {low} to {high}"))
            return default
        return value


def parse_visit_file(data: Any, *, today: dt.date | None = None) -> ParseOutcome:
    """Parse a decoded visit JSON document into a :class:`VisitRecord`.

    Checks structure and the identity/date facts (dates not in the future, delivery not after the
    visit, dates of birth plausible). The clinical values themselves are checked against the forms
    by :func:`clinic_app.assessment.validate`, which this layer cannot import.

    Args:
        data: the decoded JSON document.
        today: the date treated as today (tests pass a fixed one).

    Returns:
        The record (None when there were errors) and every error found.
    """
    today = today or dt.date.today()
    read = _Reader()
    root = read.obj(data, "$")
    if root and root.get("format", FORMAT_ID) != FORMAT_ID:
        read.errors.append(
            FieldError("format", f"unsupported format '{root.get('format')}', expected '{FORMAT_ID}'")
        )

    patient_data = read.obj(root.get("patient"), "patient")
    dob = read.date(patient_data, "date_of_birth", "patient")
    patient_id = read.text(patient_data, "id", "patient")
    family = read.text(patient_data, "family_name", "patient")
    given = read.text(patient_data, "given_names", "patient")
    record_number = read.text(patient_data, "record_number", "patient", required=False)

    delivery_data = read.obj(root.get("delivery"), "delivery")
    delivery_date = read.date(delivery_data, "date", "delivery")
    mode = read.choice(delivery_data, "mode", "delivery", DeliveryMode)
    trauma = read.choice(delivery_data, "perineal_trauma", "delivery", PerinealTrauma, PerinealTrauma.NONE)
    parity = read.integer(delivery_data, "parity", "delivery", 1, 1, 20)

    visit_data = read.obj(root.get("visit"), "visit")
    visit, clinician = _read_visit(read, visit_data, "visit", PatientId(patient_id))

    results, result_errors = flatten_results(root.get("results", {}))
    read.errors.extend(result_errors)

    previous: list[Visit] = []
    raw_previous = root.get("previous_visits", [])
    if not isinstance(raw_previous, list):
        read.errors.append(FieldError("previous_visits", "must be a list of earlier visits"))
        raw_previous = []
    for index, item in enumerate(raw_previous):
        base = f"previous_visits[{index}]"
        item_obj = read.obj(item, base)
        prev_visit, _ = _read_visit(
            read, read.obj(item_obj.get("visit"), f"{base}.visit"), f"{base}.visit", PatientId(patient_id)
        )
        prev_results, prev_errors = flatten_results(item_obj.get("results", {}), f"{base}.results")
        read.errors.extend(prev_errors)
        if prev_visit is not None:
            previous.append(_with_results(prev_visit, prev_results))

    _check_dates(read, dob, delivery_date, visit, previous, today)
    if read.errors or dob is None or delivery_date is None or visit is None or clinician is None:
        return ParseOutcome(None, read.errors)
    record = VisitRecord(
        patient=Patient(PatientId(patient_id), family, given, dob, record_number),
        delivery=Delivery(delivery_date, mode, trauma, parity),
        clinician=clinician,
        visit=_with_results(visit, results),
        previous=tuple(sorted(previous, key=lambda v: v.visit_date)),
    )
    return ParseOutcome(record, [])


def _read_visit(
    read: _Reader, data: Mapping[str, Any], path: str, patient_id: PatientId
) -> tuple[Visit | None, Clinician | None]:
    visit_date = read.date(data, "date", path)
    visit_id = data.get("id") or f"{patient_id}-{data.get('date', 'undated')}"
    status = read.choice(data, "status", path, VisitStatus, VisitStatus.DRAFT)
    clinician_data = read.obj(data.get("clinician"), f"{path}.clinician")
    clinician_id = read.text(clinician_data, "id", f"{path}.clinician")
    clinician_name = read.text(clinician_data, "name", f"{path}.clinician")
    if visit_date is None:
        return None, None
    clinician = Clinician(
        ClinicianId(clinician_id),
        clinician_name,
        str(clinician_data.get("profession") or "Pelvic-health physiotherapist"),
    )
    visit = Visit(VisitId(str(visit_id)), patient_id, visit_date, clinician.id, status)
    return visit, clinician


def _with_results(visit: Visit, results: Results) -> Visit:
    return Visit(
        visit.id,
        visit.patient_id,
        visit.visit_date,
        visit.clinician_id,
        visit.status,
        results,
        visit.version,
        visit.amends,
    )


def _check_dates(
    read: _Reader,
    dob: dt.date | None,
    delivery: dt.date | None,
    visit: Visit | None,
    previous: list[Visit],
    today: dt.date,
) -> None:
    if dob is not None:
        if dob > today:
            read.errors.append(FieldError("patient.date_of_birth", f"{dob} is in the future"))
        elif delivery is not None and not 10 <= (delivery - dob).days / 365.25 <= 65:
            read.errors.append(
                FieldError(
                    "patient.date_of_birth",
                    f"{dob} gives an age at delivery outside 10–65 years — check the year",
                )
            )
    if delivery is not None and delivery > today:
        read.errors.append(FieldError("delivery.date", f"{delivery} is in the future"))
    if visit is not None:
        if visit.visit_date > today:
            read.errors.append(FieldError("visit.date", f"{visit.visit_date} is in the future"))
        if delivery is not None and delivery > visit.visit_date:
            read.errors.append(
                FieldError("delivery.date", f"delivery {delivery} is after the visit {visit.visit_date}")
            )
        for index, earlier in enumerate(previous):
            if earlier.visit_date > visit.visit_date:
                read.errors.append(
                    FieldError(
                        f"previous_visits[{index}].visit.date",
                        f"{earlier.visit_date} is after the current visit",
                    )
                )


def record_to_json(record: VisitRecord) -> dict[str, Any]:
    """Serialise a visit record to the ``runready-visit/1`` JSON shape."""

    def visit_json(visit: Visit) -> dict[str, Any]:
        return {
            "id": visit.id,
            "date": visit.visit_date.isoformat(),
            "status": visit.status.value,
            "clinician": {"id": record.clinician.id, "name": record.clinician.name},
        }

    return {
        "format": FORMAT_ID,
        "patient": {
            "id": record.patient.id,
            "family_name": record.patient.family_name,
            "given_names": record.patient.given_names,
            "date_of_birth": record.patient.date_of_birth.isoformat(),
            "record_number": record.patient.record_number,
        },
        "delivery": {
            "date": record.delivery.delivery_date.isoformat(),
            "mode": record.delivery.mode.value,
            "perineal_trauma": record.delivery.perineal_trauma.value,
            "parity": record.delivery.parity,
        },
        "visit": visit_json(record.visit),
        "results": nest_results(record.visit.results),
        "previous_visits": [
            {"visit": visit_json(v), "results": nest_results(v.results)} for v in record.previous
        ],
    }
