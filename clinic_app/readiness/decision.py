"""What the readiness engine proposes and what the clinician decides, as plain frozen data.

These types are the contract between the engine, storage (decision records), the reports and the
UI. The engine only *proposes*; a :class:`ClinicianDecision` records the clinician's confirmation or
override. Nothing here ever calls a patient "safe".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Readiness outcome, most severe first (CLINICAL.md §12 plus INCOMPLETE, see below).

    ``INCOMPLETE`` is our answer to "missing data never counts as a pass": when no hold applies but
    one or more gates were not assessed, the visit cannot be READY; it ranks just below
    NOT_READY_FUNCTION and above READY_WITH_CAUTIONS, and the not-assessed list says what is missing.
    """

    REFER = "REFER"
    NOT_READY = "NOT_READY"
    NOT_YET_TIME = "NOT_YET_TIME"
    NOT_READY_FUNCTION = "NOT_READY_FUNCTION"
    INCOMPLETE = "INCOMPLETE"
    READY_WITH_CAUTIONS = "READY_WITH_CAUTIONS"
    READY = "READY"

    @property
    def severity(self) -> int:
        """Rank for precedence: higher is more severe (REFER = 6 … READY = 0)."""
        return len(_ORDER) - 1 - _ORDER.index(self)

    @classmethod
    def most_severe(cls, statuses: list[Status]) -> Status:
        """Return the most severe of ``statuses`` (READY when empty)."""
        return max(statuses, key=lambda s: s.severity, default=cls.READY)


_ORDER: tuple[Status, ...] = tuple(Status)


class FindingKind(StrEnum):
    """How a triggered rule counts toward the decision."""

    HOLD = "hold"
    """Sets a status more severe than READY_WITH_CAUTIONS."""
    CAUTION = "caution"
    """Moves READY to READY_WITH_CAUTIONS and adds advice; never blocks."""
    NOTE = "note"
    """Information for the clinician or patient (e.g. buggy advice, LSI change within error)."""


@dataclass(frozen=True, slots=True)
class ObservedValue:
    """One input that made a rule fire, ready to print (``"3.1 cm"``, ``"umbilicus, head-lift"``)."""

    path: str
    label: str
    display: str


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that fired, with everything needed to explain and defend it."""

    rule_id: str
    title: str
    kind: FindingKind
    status: Status | None
    """Status this finding imposes (None for notes)."""
    explanation: str
    """Clinician wording with the values and threshold, e.g. ``"inter-recti distance 3.1 cm at the
    umbilicus on head-lift > 2.0 cm"``."""
    patient_text: str
    """Plain-language wording for the patient report."""
    source: str
    confidence: str
    threshold: str = ""
    observed: tuple[ObservedValue, ...] = ()
    overridable: bool = False


@dataclass(frozen=True, slots=True)
class NotAssessed:
    """A gate or check whose inputs were not recorded, so it was neither passed nor failed."""

    rule_id: str
    title: str
    missing: tuple[str, ...]
    """Field paths that would complete the rule (every alternative of a "one of"), for the window to
    point at the fields."""
    gate: bool
    """True when the rule is a gate: its absence prevents READY."""
    overridable: bool = False
    """True when the clinician may set the missing gate aside with a written reason (e.g. O1 when
    the internal examination was declined or not indicated); symptom gates never are."""
    needs: tuple[str, ...] = ()
    """What is missing in words, one entry per unmet part of the rule's declared minimum
    (``"Inter-recti distance at umbilicus — head-lift"``, ``"Prolapse examination: Performed
    (recorded: Declined by the patient)"``). Empty in decisions stored before it existed."""


@dataclass(frozen=True, slots=True)
class PassedCheck:
    """A rule whose inputs were recorded and which did not fire — "what you passed"."""

    rule_id: str
    title: str
    patient_text: str
    summary: str = ""


@dataclass(frozen=True, slots=True)
class PlanStage:
    """One stage of the graded walk–run plan."""

    number: int
    title: str
    run_minutes: float
    walk_minutes: float
    repeats: int
    sessions: int
    """Sessions to complete symptom-free before progressing."""
    note: str = ""

    @property
    def continuous(self) -> bool:
        """True for the final stage(s) of continuous running (no walk breaks)."""
        return self.walk_minutes == 0


@dataclass(frozen=True, slots=True)
class Plan:
    """The graded walk–run plan offered for READY / READY_WITH_CAUTIONS."""

    title: str
    intro: str
    stages: tuple[PlanStage, ...]
    sessions_per_week: int
    schedule_rule: str
    progression_rules: tuple[str, ...]
    stop_rules: tuple[str, ...]
    conservative: bool = False
    cautions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AdviceItem:
    """Exercise advice for one failed criterion (or caution)."""

    rule_id: str
    heading: str
    text: str
    exercises: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Referral:
    """Who to refer to and why (REFER, or a pelvic-health hold)."""

    to: tuple[str, ...]
    """Recipients, e.g. ``("GP", "Pelvic-health physiotherapist")``."""
    reasons: tuple[str, ...]
    rule_ids: tuple[str, ...]
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class MeasureChange:
    """Change of one measure since the previous visit, judged against measurement error."""

    path: str
    label: str
    previous: str
    current: str
    change: str
    verdict: str
    """``"improved"``, ``"worse"``, ``"no real change"`` or ``"not comparable"``."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's proposal for one visit. A recommendation for the clinician, never a clearance."""

    status: Status
    headline: str
    """Clinician-facing one-line summary of the status."""
    patient_headline: str
    protocol_id: str
    protocol_version: str
    weeks_postpartum: float
    holds: tuple[Finding, ...] = ()
    cautions: tuple[Finding, ...] = ()
    notes: tuple[Finding, ...] = ()
    not_assessed: tuple[NotAssessed, ...] = ()
    passed: tuple[PassedCheck, ...] = ()
    derived: tuple[ObservedValue, ...] = ()
    """Computed values shown beside the decision (BMI, POP-Q stage, LSIs, ICIQ total and band)."""
    plan: Plan | None = None
    advice: tuple[AdviceItem, ...] = ()
    referral: Referral | None = None
    retest_weeks: int | None = None
    changes: tuple[MeasureChange, ...] = ()
    sources: tuple[str, ...] = ()
    """Full references behind every rule applied, for the report."""


class ClinicianAction(StrEnum):
    """What the clinician did with the proposal."""

    CONFIRMED = "confirmed"
    OVERRIDDEN = "overridden"


@dataclass(frozen=True, slots=True)
class RuleOverride:
    """A documented override of one overridable rule (T1, O1, O2 by default)."""

    rule_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class ClinicianDecision:
    """The clinician's decision on a proposal; required before a clearance report is final."""

    proposed: Status
    final: Status
    action: ClinicianAction
    clinician_id: str
    clinician_name: str
    decided_at: dt.datetime
    protocol_version: str
    overrides: tuple[RuleOverride, ...] = field(default_factory=tuple)
    comment: str = ""
