"""Read and write the documented visit JSON format (``runready-visit/1``).

The format carries one visit with its patient, delivery, clinician, results and, optionally, earlier
visits for follow-up comparison. It is the input of the ``validate``, ``assess`` and
``report --from-file`` commands and of exchange bundles. Parsing never raises on bad content: it
returns field-level errors with JSON paths, so the command line can print them all at once.

Reading is strict, because a silently dropped key drops clinical facts: a key the format does not
define (``perineal_truama``), a key given twice, a dotted key inside a form (``"single_hop.left"``)
or an earlier visit that does not read like a current one is an error naming its path.
:func:`read_visit_text` is the one entry point for text from outside (files, exchange bundles): it
applies the limits of :mod:`clinic_app.domain.visitlimits` before anything else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, VisitStatus
from clinic_app.domain.errors import FieldError
from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
from clinic_app.domain.model import Clinician, Delivery, Patient, Visit
from clinic_app.domain.visitjson import UnreadableJsonError, decode_visit_json, join_path, text_problem
from clinic_app.domain.visitlimits import MAX_NAME_CHARS, MAX_PREVIOUS_VISITS
from clinic_app.domain.visitresults import MISSING_REASON, flatten_results, nest_results, shown

__all__ = [
    "FORMAT_ID",
    "MISSING_REASON",
    "ParseOutcome",
    "VisitRecord",
    "flatten_results",
    "nest_results",
    "parse_visit_file",
    "read_visit_text",
    "record_to_json",
]

FORMAT_ID = "runready-visit/1"

ROOT_KEYS = ("format", "patient", "delivery", "visit", "results", "previous_visits")
PATIENT_KEYS = ("id", "family_name", "given_names", "date_of_birth", "record_number")
DELIVERY_KEYS = ("date", "mode", "perineal_trauma", "parity")
VISIT_KEYS = ("id", "date", "status", "clinician")
CLINICIAN_KEYS = ("id", "name", "profession")
EARLIER_VISIT_KEYS = ("visit", "results")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """Everything the readiness engine and the reports need about one visit, as plain data."""

    patient: Patient
    delivery: Delivery
    clinician: Clinician
    visit: Visit
    previous: tuple[Visit, ...] = field(default_factory=tuple)
    """Earlier visits of the same patient, oldest first."""
    from_visit_file: bool = field(default=False, compare=False)
    """True when read from a visit file rather than the clinic's record: whatever status the file
    claims, nobody signed it here (reports say so). Where a record came from is not part of its
    value, so it takes no part in equality."""


@dataclass(slots=True)
class ParseOutcome:
    """The result of parsing a visit file: a record when there were no errors."""

    record: VisitRecord | None
    errors: list[FieldError]


class _Reader:
    """Collects errors while reading typed values out of a JSON object."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def obj(self, data: Any, path: str, keys: tuple[str, ...] = ()) -> Mapping[str, Any]:
        """Return ``data`` when it is an object, reporting any key outside ``keys`` (when given)."""
        if not isinstance(data, Mapping):
            self.errors.append(FieldError(path, "is missing or is not an object"))
            return {}
        for key in data:
            if keys and key not in keys:
                close = difflib.get_close_matches(str(key), keys, n=1)
                hint = f" — did you mean '{close[0]}'?" if close else f"; the keys here are {', '.join(keys)}"
                where = join_path("" if path == "$" else path, key)
                self.errors.append(FieldError(where, f"unknown key{hint}"))
        return data

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
        """Return a name or id: one line of text within :data:`MAX_NAME_CHARS`."""
        value = data.get(key)
        if value is None and not required:
            return ""
        where = f"{path}.{key}"
        if not isinstance(value, str) or (required and not value.strip()):
            self.errors.append(FieldError(where, "is required and must be text"))
            return ""
        problem = text_problem(value, MAX_NAME_CHARS)
        control = _CONTROL.search(value)
        if problem is None and control is not None:
            problem = (
                f"holds a control character (U+{ord(control.group()):04X}); write it as one line of text"
            )
        if problem is not None:
            self.errors.append(FieldError(where, problem))
            return ""
        return value.strip()

    def date(self, data: Mapping[str, Any], key: str, path: str) -> dt.date | None:
        """Return a date written YYYY-MM-DD (no other ISO form: a typo must not pass as a week date)."""
        value = data.get(key)
        if not isinstance(value, str):
            self.errors.append(FieldError(f"{path}.{key}", "is required as a date written YYYY-MM-DD"))
            return None
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            self.errors.append(
                FieldError(f"{path}.{key}", f"{shown(value)} is not a date written YYYY-MM-DD")
            )
            return None

    def choice(self, data: Mapping[str, Any], key: str, path: str, enum: Any, default: Any = None) -> Any:
        """Return the enum member named by the value; a missing value gives ``default`` when set."""
        value = data.get(key)
        if value is None and default is not None:
            return default
        if isinstance(value, str):
            try:
                return enum(value)
            except ValueError:
                pass
        allowed = ", ".join(member.value for member in enum)
        self.errors.append(FieldError(f"{path}.{key}", f"{shown(value)} is not one of: {allowed}"))
        return default

    def integer(self, data: Mapping[str, Any], key: str, path: str, default: int, low: int, high: int) -> int:
        """Return a whole number from ``low`` to ``high``; a missing one gives ``default``."""
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.errors.append(FieldError(f"{path}.{key}", f"must be a whole number from {low} to {high}"))
            return default
        return value


def read_visit_text(content: str | bytes, *, today: dt.date | None = None) -> ParseOutcome:
    """Read a visit file's bytes or text: the one reader for anything that comes from outside.

    Applies the limits of :mod:`clinic_app.domain.visitlimits`, refuses duplicate keys, lone
    surrogates and unusable numbers, then reads the document strictly (:func:`parse_visit_file`).
    The values are not checked against the forms here (this layer cannot load them): use
    ``clinic_app.assessment.check_visit_text`` for the complete check.

    Args:
        content: the file's bytes (UTF-8, a byte-order mark allowed) or its text.
        today: the date treated as today (tests pass a fixed one).

    Returns:
        The record (None when there were errors) and every error, each naming its path (``$`` for
        content that is not a JSON document at all).
    """
    try:
        data, errors = decode_visit_json(content)
    except UnreadableJsonError as exc:
        return ParseOutcome(None, [FieldError("$", str(exc))])
    if errors:
        return ParseOutcome(None, errors)
    return parse_visit_file(data, today=today)


def parse_visit_file(data: Any, *, today: dt.date | None = None) -> ParseOutcome:
    """Parse a decoded visit JSON document into a :class:`VisitRecord`.

    Checks structure (no unknown keys at any level) and the identity/date facts (dates not in the
    future, delivery not after the visit, dates of birth plausible). Earlier visits are read like
    the current one. The clinical values themselves are checked against the forms by
    :func:`clinic_app.assessment.validate`, which this layer cannot import.

    Args:
        data: the decoded JSON document.
        today: the date treated as today (tests pass a fixed one).

    Returns:
        The record (None when there were errors) and every error found.
    """
    today = today or dt.date.today()
    read = _Reader()
    root = read.obj(data, "$", ROOT_KEYS)
    if root and root.get("format", FORMAT_ID) != FORMAT_ID:
        read.errors.append(
            FieldError("format", f"unsupported format {shown(root.get('format'))}, expected '{FORMAT_ID}'")
        )

    patient_data = read.obj(root.get("patient"), "patient", PATIENT_KEYS)
    dob = read.date(patient_data, "date_of_birth", "patient")
    patient_id = read.text(patient_data, "id", "patient")
    family = read.text(patient_data, "family_name", "patient")
    given = read.text(patient_data, "given_names", "patient")
    record_number = read.text(patient_data, "record_number", "patient", required=False)

    delivery_data = read.obj(root.get("delivery"), "delivery", DELIVERY_KEYS)
    delivery_date = read.date(delivery_data, "date", "delivery")
    mode = read.choice(delivery_data, "mode", "delivery", DeliveryMode)
    trauma = read.choice(delivery_data, "perineal_trauma", "delivery", PerinealTrauma, PerinealTrauma.NONE)
    parity = read.integer(delivery_data, "parity", "delivery", 1, 1, 20)

    visit, clinician = _read_visit(read, root.get("visit"), "visit", PatientId(patient_id))
    results, result_errors = flatten_results(root.get("results", {}))
    read.errors.extend(result_errors)
    previous = _read_previous(read, root.get("previous_visits", []), PatientId(patient_id))
    _check_ids(read, visit, previous)

    _check_dates(read, dob, delivery_date, visit, previous, today)
    if read.errors or dob is None or delivery_date is None or visit is None or clinician is None:
        return ParseOutcome(None, read.errors)
    record = VisitRecord(
        patient=Patient(PatientId(patient_id), family, given, dob, record_number),
        delivery=Delivery(delivery_date, mode, trauma, parity),
        clinician=clinician,
        visit=replace(visit, results=results),
        previous=tuple(sorted((v for _, v in previous), key=lambda v: v.visit_date)),
        from_visit_file=True,
    )
    return ParseOutcome(record, [])


def _read_previous(read: _Reader, raw: Any, patient_id: PatientId) -> list[tuple[int, Visit]]:
    """Read the earlier visits like the current one; returns (index in the file, visit)."""
    if not isinstance(raw, list):
        read.errors.append(FieldError("previous_visits", "must be a list of earlier visits"))
        return []
    if len(raw) > MAX_PREVIOUS_VISITS:
        read.errors.append(
            FieldError(
                "previous_visits",
                f"holds {len(raw):,} earlier visits; at most {MAX_PREVIOUS_VISITS} are read",
            )
        )
        return []
    previous: list[tuple[int, Visit]] = []
    for index, item in enumerate(raw):
        base = f"previous_visits[{index}]"
        item_obj = read.obj(item, base, EARLIER_VISIT_KEYS)
        prev_visit, _ = _read_visit(read, item_obj.get("visit"), f"{base}.visit", patient_id)
        prev_results, prev_errors = flatten_results(item_obj.get("results", {}), f"{base}.results")
        read.errors.extend(prev_errors)
        if prev_visit is not None:
            previous.append((index, replace(prev_visit, results=prev_results)))
    return previous


def _read_visit(
    read: _Reader, raw: Any, path: str, patient_id: PatientId
) -> tuple[Visit | None, Clinician | None]:
    data = read.obj(raw, path, VISIT_KEYS)
    visit_date = read.date(data, "date", path)
    visit_id = read.text(data, "id", path, required=False) or f"{patient_id}-{data.get('date', 'undated')}"
    status = read.choice(data, "status", path, VisitStatus, VisitStatus.DRAFT)
    clinician_data = read.obj(data.get("clinician"), f"{path}.clinician", CLINICIAN_KEYS)
    clinician_id = read.text(clinician_data, "id", f"{path}.clinician")
    clinician_name = read.text(clinician_data, "name", f"{path}.clinician")
    profession = read.text(clinician_data, "profession", f"{path}.clinician", required=False)
    if visit_date is None:
        return None, None
    clinician = Clinician(
        ClinicianId(clinician_id), clinician_name, profession or "Pelvic-health physiotherapist"
    )
    visit = Visit(VisitId(str(visit_id)), patient_id, visit_date, clinician.id, status)
    return visit, clinician


def _check_ids(read: _Reader, visit: Visit | None, previous: list[tuple[int, Visit]]) -> None:
    """Two visits of one file with the same id would be one record twice: refuse it."""
    seen: dict[str, str] = {visit.id: "the current visit"} if visit is not None else {}
    for index, earlier in previous:
        if earlier.id in seen:
            read.errors.append(
                FieldError(
                    f"previous_visits[{index}].visit.id",
                    f"'{earlier.id}' is also the id of {seen[earlier.id]}",
                )
            )
        else:
            seen[earlier.id] = f"previous_visits[{index}]"


def _check_dates(
    read: _Reader,
    dob: dt.date | None,
    delivery: dt.date | None,
    visit: Visit | None,
    previous: list[tuple[int, Visit]],
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
        for index, earlier in previous:
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
