"""Hand-made visits and decisions for every outcome: report previews, tests and the benchmark.

These stand in for the readiness engine's output so the reports can be checked for each outcome
without a database. Their sentences are illustrations of the engine's output, not clinical content
the app relies on: the real wording comes from the protocol and ``reports/wording``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, VisitStatus
from clinic_app.domain.ids import ClinicianId, FieldPath, PatientId, VisitId
from clinic_app.domain.model import Clinician, Delivery, Patient, Results, Value, Visit
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.decision import (
    AdviceItem,
    ClinicianAction,
    ClinicianDecision,
    Decision,
    Finding,
    FindingKind,
    NotAssessed,
    ObservedValue,
    PassedCheck,
    Plan,
    PlanStage,
    Referral,
    RuleOverride,
    Status,
)
from clinic_app.reporting.inputs import FormInfo, ReportInput
from clinic_app.reporting.settings import load_layout, load_letterhead

PRINTED_ON = dt.date(2026, 9, 10)
DELIVERY = dt.date(2026, 6, 1)
SOURCE_GOOM = "Goom T, Donnelly G, Brockwell E. Returning to running postnatal. 2019"

# fmt: off
_BASE: dict[str, Value] = {
    "history.height_cm": 168, "history.weight_kg": 64.5, "history.dominant_leg": "right",
    "history.breastfeeding": True, "history.sleep_hours": 6.0, "history.running_experience": "experienced",
    "symptoms.urinary_leakage": False, "symptoms.heaviness": False, "symptoms.faecal_incontinence": False,
    "symptoms.daily_activity_pain": False, "questionnaires.iciq_administered": "paper_licensed",
    "questionnaires.iciq_frequency": 0, "questionnaires.iciq_amount": 0,
    "questionnaires.iciq_interference": 0, "questionnaires.iciq_total": 0, "questionnaires.pfdi_udi6": 8.3,
    "questionnaires.pfdi_cradi8": 3.1, "questionnaires.pfdi_popdi6": 4.2,
    "questionnaires.pfdi_total": 15.6, "diastasis.method": "calipers", "diastasis.unit": "cm",
    "diastasis.site_protocol": "sperstad_4_5", "diastasis.ird_above_rest": 1.6,
    "diastasis.ird_above_curl": 1.2, "diastasis.ird_umbilicus_rest": 1.9,
    "diastasis.ird_umbilicus_curl": 1.5, "diastasis.ird_below_rest": 1.1, "diastasis.ird_below_curl": 0.9,
    "diastasis.linea_alba_tension": "generates_tension", "diastasis.doming": False,
    "prolapse.exam_state": "performed", "prolapse.consent": True, "prolapse.chaperone": "present",
    "prolapse.system": "popq", "prolapse.popq_aa": -2, "prolapse.popq_ba": -2, "prolapse.popq_c": -6,
    "prolapse.popq_d": -8, "prolapse.popq_ap": -3, "prolapse.popq_bp": -3, "prolapse.popq_gh": 3,
    "prolapse.popq_pb": 3, "prolapse.popq_tvl": 9, "pelvic_floor.exam_state": "performed",
    "pelvic_floor.mos": 4, "pelvic_floor.cough_test_supine": "negative",
    "pelvic_floor.standing_fast_reps": 10, "pelvic_floor.standing_mvc_reps": 10,
    "pelvic_floor.standing_mvc_hold_s": 8, "pelvic_floor.standing_submax_hold_s": 60,
    "load_impact.l1_completed": True, "load_impact.l1_dose": 30, "load_impact.l1_symptoms": ("none",),
    "load_impact.l3_completed": True, "load_impact.l3_dose.left": 10, "load_impact.l3_dose.right": 10,
    "load_impact.l3_control": "good", "load_impact.l3_symptoms": ("none",), "strength.calf_raise.left": 24,
    "strength.calf_raise.right": 22, "strength.bridge.left": 25, "strength.bridge.right": 24,
    "strength.sit_to_stand.left": 21, "strength.sit_to_stand.right": 20, "strength.hip_abduction.left": 30,
    "strength.hip_abduction.right": 28, "hop.single_hop.left": 118, "hop.single_hop.right": 110,
    "hop.triple_hop.left": 352, "hop.triple_hop.right": 340, "hop.timed_hop_6m.left": 2.1,
    "hop.timed_hop_6m.right": 2.2, "jumping.less_total": 4,
}
# fmt: on
_EARLIER: tuple[tuple[dt.date, dict[str, Value]], ...] = (
    (
        dt.date(2026, 7, 27),
        {
            "diastasis.ird_umbilicus_rest": 2.8,
            "diastasis.ird_umbilicus_curl": 2.3,
            "strength.calf_raise.left": 12,
            "strength.calf_raise.right": 9,
            "strength.bridge.left": 14,
            "strength.bridge.right": 12,
        },
    ),
    (
        dt.date(2026, 8, 17),
        {
            "diastasis.ird_umbilicus_rest": 2.3,
            "diastasis.ird_umbilicus_curl": 1.9,
            "strength.calf_raise.left": 19,
            "strength.calf_raise.right": 15,
            "strength.bridge.left": 20,
            "strength.bridge.right": 19,
            "hop.single_hop.left": 104,
            "hop.single_hop.right": 88,
            "hop.triple_hop.left": 320,
            "hop.triple_hop.right": 280,
        },
    ),
)
_CHANGED: dict[Status, dict[str, Value | None]] = {
    Status.REFER: {"symptoms.faecal_urgency": True, "symptoms.heaviness": True},
    Status.NOT_READY: {"symptoms.heaviness": True, "diastasis.ird_umbilicus_curl": 2.4},
    Status.NOT_READY_FUNCTION: {"strength.calf_raise.right": 17},
    Status.INCOMPLETE: {key: None for key in _BASE if key.startswith(("hop.", "pelvic_floor."))},
}


def sample_record(
    status: Status = Status.READY,
    *,
    draft: bool = False,
    earlier: bool = True,
    name: tuple[str, str] = ("Zoë", "Ní Bhriain"),
) -> VisitRecord:
    """Return a visit whose values fit ``status``, with two earlier visits when ``earlier``."""
    clinician = Clinician(ClinicianId("C-1"), "Alex Byrne", registration="CORU PT012345")
    patient = Patient(PatientId("P-0001"), name[1], name[0], dt.date(1991, 4, 2), "RR-104")
    visit_date = dt.date(2026, 8, 6) if status is Status.NOT_YET_TIME else PRINTED_ON
    results = Results({FieldPath(k): v for k, v in _BASE.items()}).with_values(_CHANGED.get(status, {}))
    visit = Visit(
        VisitId("V-0003"),
        patient.id,
        visit_date,
        clinician.id,
        VisitStatus.DRAFT if draft else VisitStatus.SIGNED,
        results,
    )
    previous = tuple(
        Visit(
            VisitId(f"V-000{i + 1}"),
            patient.id,
            day,
            clinician.id,
            VisitStatus.SIGNED,
            Results({FieldPath(k): v for k, v in values.items()}),
        )
        for i, (day, values) in enumerate(_EARLIER)
        if earlier and day < visit_date
    )
    delivery = Delivery(DELIVERY, DeliveryMode.SPONTANEOUS_VAGINAL, PerinealTrauma.SECOND_DEGREE, 1)
    return VisitRecord(patient, delivery, clinician, visit, previous)


def _finding(
    rule: str,
    title: str,
    kind: FindingKind,
    status: Status | None,
    explanation: str,
    patient: str,
    threshold: str = "",
    observed: tuple[ObservedValue, ...] = (),
) -> Finding:
    return Finding(
        rule, title, kind, status, explanation, patient, SOURCE_GOOM, "CONFIRMED", threshold, observed
    )


_HOLDS: dict[Status, tuple[Finding, ...]] = {
    Status.REFER: (
        _finding(
            "P5",
            "Urgency difficult to defer",
            FindingKind.HOLD,
            Status.REFER,
            "faecal urgency difficult to defer reported",
            "You told us you sometimes cannot hold on when you need to open your bowels.",
            "any",
            (ObservedValue("symptoms.faecal_urgency", "Faecal urgency", "yes"),),
        ),
        _finding(
            "P6",
            "Pelvic heaviness",
            FindingKind.HOLD,
            Status.NOT_READY,
            "heaviness/dragging reported",
            "You feel heaviness or dragging in your pelvis.",
            "any",
        ),
    ),
    Status.NOT_READY: (
        _finding(
            "P6",
            "Pelvic heaviness",
            FindingKind.HOLD,
            Status.NOT_READY,
            "heaviness/dragging reported",
            "You feel heaviness or dragging in your pelvis.",
            "any",
        ),
        _finding(
            "O2",
            "Inter-recti distance",
            FindingKind.HOLD,
            Status.NOT_READY,
            "inter-recti distance 2.4 cm at the umbilicus on head-lift > 2.0 cm",
            "The gap between your tummy muscles is still a little wide.",
            "> 2.0 cm",
            (ObservedValue("diastasis.ird_umbilicus_curl", "IRD umbilicus, head-lift", "2.4 cm"),),
        ),
    ),
    Status.NOT_YET_TIME: (
        _finding(
            "T1",
            "Time since birth",
            FindingKind.HOLD,
            Status.NOT_YET_TIME,
            "9.4 weeks postpartum < 12.0",
            "It is 9 weeks since your baby was born; running usually starts from 12 weeks.",
            "< 12.0 weeks",
        ),
    ),
    Status.NOT_READY_FUNCTION: (
        _finding(
            "S1",
            "Single-leg calf raise",
            FindingKind.HOLD,
            Status.NOT_READY_FUNCTION,
            "right calf raise 17 reps < 20",
            "Your right calf needs to get a bit stronger (17 of 20 repetitions).",
            "≥ 20 reps each side",
            (ObservedValue("strength.calf_raise.right", "Calf raise, right", "17 reps"),),
        ),
    ),
}
_CAUTIONS = (
    _finding(
        "R2",
        "Breastfeeding",
        FindingKind.CAUTION,
        Status.READY_WITH_CAUTIONS,
        "breastfeeding",
        "Feed or express before you run, drink well and wear a well-fitting sports bra.",
    ),
    _finding(
        "R3",
        "Short sleep",
        FindingKind.CAUTION,
        Status.READY_WITH_CAUTIONS,
        "6.0 h/night < 6.8",
        "You are sleeping about 6 hours a night; keep early runs short and easy.",
        "< 6.8 h/night",
    ),
)
_NOTES = (
    _finding(
        "B1",
        "Buggy running",
        FindingKind.NOTE,
        None,
        "baby under 26 weeks",
        "Wait until your baby is at least 6 months old before running with a buggy.",
    ),
)
_PASSED = (
    PassedCheck("P1", "No urinary leakage", "No leaking of urine", "no leakage reported"),
    PassedCheck("O1", "Prolapse stage", "Pelvic organ support check", "POP-Q stage I"),
    PassedCheck("L1", "Walking 30 min", "Walking for 30 minutes without symptoms", "completed, no symptoms"),
    PassedCheck("S2", "Single-leg bridge", "Bridge strength on both sides", "25/24 reps"),
)
_PLAN = Plan(
    title="Walk–run plan, level start",
    intro="Three sessions a week on non-consecutive days, at an easy conversational pace.",
    stages=tuple(
        PlanStage(i + 1, title, run, walk, reps, 2, note)
        for i, (title, run, walk, reps, note) in enumerate(
            (
                ("Walk–run 1:1", 1, 1, 10, "flat ground"),
                ("Walk–run 2:1", 2, 1, 7, ""),
                ("Walk–run 3:1", 3, 1, 5, ""),
                ("Walk–run 5:1", 5, 1, 4, ""),
                ("Walk–run 8:1", 8, 1, 3, ""),
                ("Continuous 20 min", 20, 0, 1, ""),
            )
        )
    ),
    sessions_per_week=3,
    schedule_rule="Leave a rest day between runs.",
    progression_rules=(
        "Move up one stage after two sessions with no symptoms.",
        "Change one thing at a time and add no more than 10 % a week.",
    ),
    stop_rules=(
        "Leakage, heaviness or pain during a run: stop, walk home and drop back one stage.",
        "Symptoms still there the next day: contact the clinic.",
    ),
)
_ADVICE = (
    AdviceItem(
        "S1",
        "Calf strength",
        "Do single-leg calf raises every other day.",
        ("3 × 15 single-leg calf raises on a step", "Hop on the spot 2 × 20 when this is easy"),
    ),
)


def sample_decision(status: Status = Status.READY) -> Decision:
    """Return a hand-made engine proposal with the findings typical of ``status``."""
    weeks = 9.4 if status is Status.NOT_YET_TIME else 14.4
    ready = status in (Status.READY, Status.READY_WITH_CAUTIONS)
    referral = None
    if status is Status.REFER:
        referral = Referral(
            ("GP", "Pelvic-health physiotherapist"),
            ("Bowel urgency", "Pelvic heaviness"),
            ("P5", "P6"),
            urgent=False,
        )
    elif status is Status.NOT_READY:
        referral = Referral(
            ("Pelvic-health physiotherapist",), ("Pelvic heaviness: prolapse assessment",), ("P6",)
        )
    not_assessed = (
        (
            NotAssessed("O5", "Pelvic-floor baseline", ("pelvic_floor.mos",), True),
            NotAssessed("H1", "Hop symmetry", ("hop.single_hop",), False),
        )
        if status is Status.INCOMPLETE
        else ()
    )
    return Decision(
        status=status,
        headline=f"{status.value}: proposal from the protocol",
        patient_headline="",
        protocol_id="runready-default",
        protocol_version="1.0.0",
        weeks_postpartum=weeks,
        holds=_HOLDS.get(status, ()),
        cautions=_CAUTIONS if status is Status.READY_WITH_CAUTIONS else (),
        notes=_NOTES,
        not_assessed=not_assessed,
        passed=_PASSED,
        derived=(ObservedValue("bmi", "BMI", "22.9 kg/m²"), ObservedValue("popq", "POP-Q stage", "I")),
        plan=replace(_PLAN, conservative=True)
        if status is Status.READY_WITH_CAUTIONS
        else (_PLAN if ready else None),
        advice=_ADVICE if status is Status.NOT_READY_FUNCTION else (),
        referral=referral,
        retest_weeks=None if ready else 4,
        sources=(SOURCE_GOOM,),
    )


def sample_clinician_decision(decision: Decision, *, override: bool = False) -> ClinicianDecision:
    """Return the clinician's confirmation of ``decision``, or an O2 override when ``override``.

    The override only changes the outcome when every hold is overridable (T1, O1, O2): symptoms
    are never overridden into a ready outcome (CLINICAL.md §13.3).
    """
    overridable = all(hold.rule_id in {"T1", "O1", "O2"} for hold in decision.holds)
    return ClinicianDecision(
        proposed=decision.status,
        final=Status.READY_WITH_CAUTIONS if override and overridable else decision.status,
        action=ClinicianAction.OVERRIDDEN if override else ClinicianAction.CONFIRMED,
        clinician_id="C-1",
        clinician_name="Alex Byrne",
        decided_at=dt.datetime(2026, 9, 10, 11, 30),
        protocol_version=decision.protocol_version,
        overrides=(RuleOverride("O2", "Generates linea alba tension without doming on load tests."),)
        if override
        else (),
    )


def sample_input(
    status: Status = Status.READY,
    *,
    draft: bool = False,
    decided: bool = True,
    override: bool = False,
    earlier: bool = True,
    page_size: str | None = None,
    forms: tuple[FormInfo, ...] = (),
    name: tuple[str, str] = ("Zoë", "Ní Bhriain"),
) -> ReportInput:
    """Return a complete :class:`ReportInput` for ``status`` with the bundled settings."""
    from clinic_app.readiness.decided import as_decided  # planning loads the protocol module
    from clinic_app.readiness.planning import review_weeks
    from clinic_app.readiness.protocol import default_protocol

    decision = sample_decision(status)
    clinician = sample_clinician_decision(decision, override=override) if decided else None
    return ReportInput(
        record=sample_record(status, draft=draft, earlier=earlier, name=name),
        decision=decision,
        letterhead=load_letterhead(),
        layout=load_layout(page_size=page_size),
        printed_on=PRINTED_ON,
        clinician_decision=clinician,
        forms=forms,
        decided=as_decided(decision, clinician, default_protocol()),
        review_weeks=review_weeks(clinician.final if clinician else decision.status, default_protocol()),
    )
