"""Plain records of the domain: patient, delivery, clinician, visit and its recorded results.

These are frozen dataclasses handed between layers; storage maps them to rows, the UI displays them
and the readiness engine reads them. Derived values (weeks postpartum, BMI, POP-Q stage, limb
symmetry …) are never stored as typed input: see :mod:`clinic_app.domain.derived`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, Side, VisitStatus
from clinic_app.domain.ids import ClinicianId, FieldPath, PatientId, VisitId

Value = bool | int | float | str | tuple[str, ...]
"""A single recorded value: yes/no, a number in its field's unit, a choice id, free text, an ISO date
string, or a tuple of choice ids for a multiple-choice field."""


@dataclass(frozen=True, slots=True)
class Patient:
    """A patient as the clinic knows her. Removing a patient archives her, never deletes."""

    id: PatientId
    family_name: str
    given_names: str
    date_of_birth: dt.date
    record_number: str = ""
    archived: bool = False

    @property
    def display_name(self) -> str:
        """Name as printed on screens and reports: ``Given Family``."""
        return f"{self.given_names} {self.family_name}".strip()


@dataclass(frozen=True, slots=True)
class Delivery:
    """The most recent pregnancy and birth, the anchor of the time gate."""

    delivery_date: dt.date
    mode: DeliveryMode
    perineal_trauma: PerinealTrauma = PerinealTrauma.NONE
    parity: int = 1
    """Number of births including this one."""


@dataclass(frozen=True, slots=True)
class Clinician:
    """A treating clinician who records, signs and overrides."""

    id: ClinicianId
    name: str
    profession: str = "Pelvic-health physiotherapist"
    registration: str = ""


def side_path(field_path: str, side: Side) -> FieldPath:
    """Return the path of one side of a sided field (``strength.calf_raise`` → ``….left``)."""
    return FieldPath(f"{field_path}.{side.value}")


@dataclass(frozen=True, slots=True)
class Results(Mapping[FieldPath, Value]):
    """Recorded values of one visit, keyed by field path (``form.field`` or ``form.field.side``).

    Missing keys mean "not recorded". The mapping is immutable; use :meth:`with_values` to derive a
    changed copy.
    """

    data: Mapping[FieldPath, Value] = field(default_factory=dict)
    """The values by path (named ``data`` so the Mapping ``values()`` method stays intact)."""

    def __getitem__(self, key: FieldPath) -> Value:
        return self.data[key]

    def __iter__(self) -> Iterator[FieldPath]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def number(self, path: str) -> float | None:
        """Return the value at ``path`` as a number, or None when absent or not numeric."""
        value = self.data.get(FieldPath(path))
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        try:
            return float(value)
        except OverflowError:  # an integer too large for a float is not a measurement
            return None

    def text(self, path: str) -> str | None:
        """Return the value at ``path`` when it is a string (a choice id), else None."""
        value = self.data.get(FieldPath(path))
        return value if isinstance(value, str) else None

    def flag(self, path: str) -> bool | None:
        """Return the value at ``path`` when it is a yes/no answer, else None."""
        value = self.data.get(FieldPath(path))
        return value if isinstance(value, bool) else None

    def choices(self, path: str) -> tuple[str, ...]:
        """Return the choice ids of a multiple-choice value (empty when absent)."""
        value = self.data.get(FieldPath(path))
        return value if isinstance(value, tuple) else ()

    def sided(self, path: str) -> dict[Side, float]:
        """Return the numeric values recorded for each side of a sided field."""
        out: dict[Side, float] = {}
        for side in Side:
            number = self.number(side_path(path, side))
            if number is not None:
                out[side] = number
        return out

    def with_values(self, changes: Mapping[str, Value | None]) -> Results:
        """Return a copy with ``changes`` applied; a None value removes the key."""
        merged: dict[FieldPath, Value] = dict(self.data)
        for key, value in changes.items():
            if value is None:
                merged.pop(FieldPath(key), None)
            else:
                merged[FieldPath(key)] = value
        return Results(merged)

    def form(self, form_id: str) -> dict[FieldPath, Value]:
        """Return the values of one form (battery)."""
        prefix = f"{form_id}."
        return {k: v for k, v in self.data.items() if k.startswith(prefix)}


@dataclass(frozen=True, slots=True)
class Visit:
    """One assessment session of a patient by a clinician."""

    id: VisitId
    patient_id: PatientId
    visit_date: dt.date
    clinician_id: ClinicianId
    status: VisitStatus = VisitStatus.DRAFT
    results: Results = field(default_factory=Results)
    version: int = 1
    """Optimistic-concurrency counter; storage refuses a save made against an older version."""
    amends: VisitId | None = None
    """The visit this one amends, when it is an amendment of a signed visit."""
