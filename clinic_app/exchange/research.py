"""Research CSV: measurements long (one row per value) and wide (one row per visit), and their dictionary.

What a research team receives is pseudonymous: a patient is ``S-`` and 12 hex digits of a keyed HMAC
of her id (the key is random per export and never written, so the same patient has the same subject
id within one export and an unrelated one in the next); visits are numbered per subject; names,
record numbers, dates of birth (age in whole years instead), contact details and free text never
appear. With ``shift_dates`` every date of a subject moves by the same random number of days (up to
±180, drawn from the same key), so intervals are kept. Only values of fields declared in ``forms/``
are written, with the unit as recorded. Files are UTF-8, comma-separated, a header line, ``.`` as the
decimal mark and empty cells for "not recorded": what pandas and R read with no options.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from clinic_app.assessment import FormCatalogue
from clinic_app.assessment.formtypes import FieldKind, FieldSpec

LONG_COLUMNS = (
    "subject",
    "visit_number",
    "visit_date",
    "age_years",
    "visit_status",
    "form",
    "field",
    "side",
    "kind",
    "value",
    "unit",
    "method",
)
VISIT_COLUMNS = (
    "subject",
    "visit_number",
    "visit_date",
    "age_years",
    "visit_status",
    "proposed_status",
    "final_status",
)
DICTIONARY_COLUMNS = (
    "column",
    "form",
    "field",
    "side",
    "label",
    "kind",
    "unit",
    "minimum",
    "maximum",
    "choices",
    "source",
)
_EXCLUDED_KINDS = frozenset({FieldKind.TEXT})
"""Free text may name people or places: never exported for research."""


@dataclass(slots=True)
class Pseudonyms:
    """Subject ids and date shifts of one export, from a key that is never written."""

    key: bytes
    shift_dates: bool = False
    _visits: dict[str, int] = field(default_factory=dict)

    def subject(self, patient_id: str) -> str:
        """The subject id of a patient (stable within this export)."""
        return "S-" + hmac.new(self.key, b"subject:" + patient_id.encode(), hashlib.sha256).hexdigest()[:12]

    def shift(self, patient_id: str) -> dt.timedelta:
        """The offset added to every date of this patient (zero unless shifting)."""
        if not self.shift_dates:
            return dt.timedelta(0)
        digest = hmac.new(self.key, b"shift:" + patient_id.encode(), hashlib.sha256).digest()
        return dt.timedelta(days=int.from_bytes(digest[:4], "big") % 361 - 180)

    def visit_number(self, patient_id: str) -> int:
        """The next visit number of this patient (visits arrive oldest first)."""
        self._visits[patient_id] = self._visits.get(patient_id, 0) + 1
        return self._visits[patient_id]


def research_fields(catalogue: FormCatalogue) -> list[tuple[str, FieldSpec, str]]:
    """Return ``(column, field, side)`` of every exportable value, in form order (sided: left, right)."""
    out: list[tuple[str, FieldSpec, str]] = []
    for form in sorted(catalogue, key=lambda f: f.order):
        for spec in form.fields:
            if spec.kind in _EXCLUDED_KINDS:
                continue
            for side in ("left", "right") if spec.sided else ("",):
                out.append((f"{spec.path}.{side}" if side else spec.path, spec, side))
    return out


def write_dictionary(out: IO[str], catalogue: FormCatalogue) -> None:
    """Write the data dictionary: one row per column of the wide file (and field of the long one)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DICTIONARY_COLUMNS)
    fixed = {
        "subject": "Pseudonymous subject id (keyed HMAC of the patient id; stable within this export only)",
        "visit_number": "Visit number of the subject, oldest first",
        "visit_date": "Date of the visit (shifted per subject when the export says so)",
        "age_years": "Age in whole years at the visit",
        "visit_status": "draft, signed or amended (amended: replaced by a later amendment)",
        "proposed_status": "The readiness engine's proposal recorded with the clinician's decision",
        "final_status": "The clinician's final readiness status",
    }
    for column, text in fixed.items():
        writer.writerow(
            (
                column,
                "",
                "",
                "",
                text,
                "integer" if column in ("visit_number", "age_years") else "text",
                "",
                "",
                "",
                "",
                "RunReady Clinic export",
            )
        )
    for column, spec, side in research_fields(catalogue):
        choices = "; ".join(f"{c.id}={c.label}" for c in spec.choices)
        writer.writerow(
            (
                column,
                spec.form_id,
                spec.id,
                side,
                spec.label,
                spec.kind.value,
                spec.unit or (f"from {spec.form_id}.{spec.unit_field}" if spec.unit_field else ""),
                _number(spec.minimum),
                _number(spec.maximum),
                choices,
                spec.source,
            )
        )


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True, slots=True)
class ResearchCounts:
    """What the research files hold."""

    visits: int
    rows: int


def write_research(
    long_out: IO[str],
    wide_out: IO[str],
    visits: Iterable[Mapping[str, Any]],
    births: Mapping[str, dt.date],
    catalogue: FormCatalogue,
    pseudonyms: Pseudonyms,
) -> ResearchCounts:
    """Write the long and wide files from bundle visit records (streamed, oldest first per patient).

    Args:
        long_out: the long file.
        wide_out: the wide file.
        visits: bundle visit records (:mod:`clinic_app.storage.exchange` shapes).
        births: each patient's date of birth (for the age; never written).
        catalogue: the forms (which values exist, their kinds).
        pseudonyms: subject ids and date shifts.
    """
    columns = research_fields(catalogue)
    specs = {column: (spec, side) for column, spec, side in columns}
    long_writer = csv.writer(long_out, lineterminator="\n")
    wide_writer = csv.writer(wide_out, lineterminator="\n")
    long_writer.writerow(LONG_COLUMNS)
    wide_writer.writerow((*VISIT_COLUMNS, *(column for column, _, _ in columns)))
    visit_count = rows = 0
    for visit in visits:
        patient = str(visit["patient_id"])
        shift = pseudonyms.shift(patient)
        day = dt.date.fromisoformat(visit["visit_date"])
        born = births.get(patient)
        age = "" if born is None else str(_age(born, day))
        head = (
            pseudonyms.subject(patient),
            pseudonyms.visit_number(patient),
            (day + shift).isoformat(),
            age,
            visit["status"],
        )
        decisions = visit["decisions"]
        last = decisions[-1] if decisions else None
        wide: dict[str, str] = {}
        for result in visit["results"]:
            found = specs.get(result["path"])
            if found is None:
                continue
            spec, side = found
            text = _cell(spec, result["value"], shift)
            wide[result["path"]] = text
            long_writer.writerow(
                (*head, spec.form_id, spec.id, side, spec.kind.value, text, result["unit"], result["method"])
            )
            rows += 1
        wide_writer.writerow(
            (
                *head,
                last["proposed_status"] if last else "",
                last["final_status"] if last else "",
                *(wide.get(column, "") for column, _, _ in columns),
            )
        )
        visit_count += 1
    return ResearchCounts(visit_count, rows)


def _age(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _cell(spec: FieldSpec, value: Any, shift: dt.timedelta) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    if spec.kind is FieldKind.DATE and isinstance(value, str):
        try:
            return (dt.date.fromisoformat(value) + shift).isoformat()
        except ValueError:
            return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)
