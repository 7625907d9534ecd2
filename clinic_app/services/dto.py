"""Frozen data handed to the GUI and the command line (never ORM rows).

Storage's own plain entries (audit events, decision and report records) are re-exported here so
callers import everything from the services package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from clinic_app.domain.derived import weeks_postpartum
from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.model import Delivery, Patient, Visit
from clinic_app.storage.audit import AuditEntry as AuditEntry
from clinic_app.storage.records import DecisionEntry as DecisionEntry
from clinic_app.storage.records import ReportEntry as ReportEntry

UNKNOWN_CLINICIAN = "an unknown clinician"
"""What a list shows for a clinician id that is not in this clinic database (never the raw id)."""


@dataclass(frozen=True, slots=True)
class VisitSummary:
    """One line of a patient's visit list.

    Attributes:
        id: visit id.
        visit_date: date of the assessment.
        status: draft, signed or amended (replaced by an amendment).
        version: the version to pass back when saving or signing.
        clinician_name: who recorded the visit.
        amends: id of the visit this one amends, if any.
        final_status: the clinician's final readiness status, when a decision was recorded.
        value_count: how many values were recorded.
        proposed_status: the engine's proposal stored with the latest decision; None before one.
        weeks_postpartum: weeks from the delivery on or before the visit date (unrounded); None when
            no birth is recorded on or before it.
    """

    id: str
    visit_date: dt.date
    status: VisitStatus
    version: int
    clinician_name: str
    amends: str | None
    final_status: str | None
    value_count: int
    proposed_status: str | None = None
    weeks_postpartum: float | None = None


@dataclass(frozen=True, slots=True)
class PatientFile:
    """Everything shown when a patient is opened: identity, births and visits (oldest first)."""

    patient: Patient
    deliveries: tuple[Delivery, ...]
    visits: tuple[Visit, ...]
    summaries: tuple[VisitSummary, ...]

    @property
    def latest_delivery(self) -> Delivery | None:
        """The most recent birth, which anchors the time gate."""
        return self.deliveries[-1] if self.deliveries else None


def visit_summaries(
    visits: Iterable[Visit],
    clinician_names: Mapping[str, str],
    final_statuses: Mapping[str, str],
    *,
    proposed_statuses: Mapping[str, str] | None = None,
    deliveries: Sequence[Delivery] = (),
) -> tuple[VisitSummary, ...]:
    """Return the visit-list lines of a patient file (a clinician is named, never shown by her id).

    Args:
        visits: her visits, oldest first.
        clinician_names: name by clinician id (every profile, inactive ones too); an id missing
            from it reads as "an unknown clinician".
        final_statuses: the clinician's final readiness status by visit id, where one was recorded.
        proposed_statuses: the engine's proposal of the latest decision by visit id, where one was
            recorded.
        deliveries: her births, any order; each visit is timed from the latest one on or before it.
    """
    proposed = proposed_statuses or {}
    births = sorted(d.delivery_date for d in deliveries)
    return tuple(
        VisitSummary(
            v.id,
            v.visit_date,
            v.status,
            v.version,
            clinician_names.get(v.clinician_id, UNKNOWN_CLINICIAN),
            v.amends,
            final_statuses.get(v.id),
            len(v.results),
            proposed.get(v.id),
            _weeks_since_birth(births, v.visit_date),
        )
        for v in visits
    )


def _weeks_since_birth(births: Sequence[dt.date], visit_date: dt.date) -> float | None:
    """Weeks postpartum at ``visit_date`` from the latest of ``births`` (sorted) on or before it."""
    before = [day for day in births if day <= visit_date]
    return weeks_postpartum(before[-1], visit_date) if before else None
