"""The plain data a report is built from: one visit, its decision and how to print it.

A :class:`ReportInput` carries everything; renderers never fetch anything themselves. Field labels
and units come in as :class:`FormInfo`/:class:`FieldInfo` (built from the assessment form specs by
the service layer), so this package needs no storage and no form loader to print a report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.model import Clinician, Delivery, Patient, Results, Visit
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.decision import ClinicianDecision, Decision, Status
from clinic_app.reporting.settings import Layout, Letterhead

if TYPE_CHECKING:  # the protocol module is heavy; the window's start imports this one
    from clinic_app.readiness.protocol import Protocol


class ReportKind(StrEnum):
    """The three documents a visit can produce."""

    PATIENT = "patient"
    CLINICIAN = "clinician"
    REFERRAL = "referral"


class ReferralNotNeededError(ValueError):
    """A referral letter was asked for a visit whose decision names no referral."""


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """How to print one field: its label, unit and, for choices, the label of each choice id."""

    path: str
    """``form.field`` (sides are added as ``.left``/``.right``)."""
    label: str
    unit: str = ""
    kind: str = "number"
    sided: bool = False
    choice_labels: Mapping[str, str] = field(default_factory=dict)
    better: str = ""
    """``higher``/``lower`` for sided measures with a limb symmetry index (lower = timed test)."""
    unit_field: str = ""
    """Id of the field in the same form that holds this field's unit (inter-recti distances)."""


@dataclass(frozen=True, slots=True)
class FormInfo:
    """One assessment form in print order."""

    id: str
    title: str
    fields: tuple[FieldInfo, ...] = ()

    def field(self, field_id: str) -> FieldInfo | None:
        """Return the field ``field_id`` of this form, if declared."""
        path = f"{self.id}.{field_id}"
        return next((f for f in self.fields if f.path == path), None)


@dataclass(frozen=True, slots=True)
class ReportInput:
    """Everything one report needs, as plain frozen data."""

    record: VisitRecord
    decision: Decision
    letterhead: Letterhead
    layout: Layout
    printed_on: dt.date
    """The date printed on the report (fixed in tests for byte-identical output)."""
    clinician_decision: ClinicianDecision | None = None
    forms: tuple[FormInfo, ...] = ()
    """Form specs for labels and units; without them ids are printed in readable form."""
    protocol: Protocol | None = None
    """The protocol the decision was made under, for the thresholds the clinician summary prints
    beside key values and draws on trend charts; None uses the bundled one when its id matches."""
    review_weeks: int | None = None
    """Weeks from the visit to the check-up once her walk–run plan has started (READY and
    READY_WITH_CAUTIONS; ``readiness.planning.review_weeks`` for the final status, filled by the
    service); a re-test of a not-ready decision is the decision's own ``retest_weeks``."""
    decided: Decision | None = None
    """The decision restated for the clinician's final status (``readiness.decided.as_decided``):
    what the patient report and the referral letter follow. None: the proposal itself."""

    @property
    def final_decision(self) -> Decision:
        """What the patient is handed: the clinician's final decision, else the engine's proposal."""
        return self.decided if self.decided is not None else self.decision

    @property
    def patient(self) -> Patient:
        """The patient the report is about."""
        return self.record.patient

    @property
    def delivery(self) -> Delivery:
        """The birth that anchors the time gate."""
        return self.record.delivery

    @property
    def clinician(self) -> Clinician:
        """The clinician who ran the visit."""
        return self.record.clinician

    @property
    def from_visit_file(self) -> bool:
        """True when the visit was read from a visit file, not from the clinic's signed record."""
        return self.record.from_visit_file

    @property
    def visit(self) -> Visit:
        """The visit reported on; from a visit file it is unsigned, whatever status the file claims."""
        visit = self.record.visit
        if self.from_visit_file and visit.status is not VisitStatus.DRAFT:
            return replace(visit, status=VisitStatus.DRAFT)
        return visit

    @property
    def results(self) -> Results:
        """Values recorded at this visit."""
        return self.record.visit.results

    @property
    def earlier_visits(self) -> tuple[Visit, ...]:
        """Earlier visits of the same patient, oldest first."""
        return self.record.previous

    @property
    def final_status(self) -> Status:
        """The clinician's final status when decided, else the engine's proposal."""
        if self.clinician_decision is not None:
            return self.clinician_decision.final
        return self.decision.status

    @property
    def next_check_weeks(self) -> int | None:
        """Weeks to her next check for the final decision: the re-test, or the review once running."""
        weeks = self.final_decision.retest_weeks
        return weeks if weeks is not None else self.review_weeks

    @property
    def next_check_date(self) -> dt.date | None:
        """The date of her next check, counted from the visit (None when the clinic will tell her)."""
        weeks = self.next_check_weeks
        return None if weeks is None else self.visit.visit_date + dt.timedelta(weeks=weeks)

    @property
    def is_draft(self) -> bool:
        """True while the visit is unsigned: every page then carries a DRAFT mark."""
        return self.visit.status is VisitStatus.DRAFT

    @property
    def needs_referral(self) -> bool:
        """True when the decision names a referral or the outcome is REFER."""
        return self.decision.referral is not None or self.final_status is Status.REFER

    def form(self, form_id: str) -> FormInfo | None:
        """Return the form spec ``form_id`` when given."""
        return next((f for f in self.forms if f.id == form_id), None)

    def field_info(self, path: str) -> FieldInfo:
        """Return how to print ``form.field``; a readable fallback when no spec names it."""
        form_id, _, field_id = path.partition(".")
        form = self.form(form_id)
        found = form.field(field_id) if form is not None else None
        return found or FieldInfo(path=path, label=humanise(field_id))


def humanise(identifier: str) -> str:
    """Turn a field or choice id into words (``calf_raise`` → ``Calf raise``)."""
    words = identifier.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
