"""Visits that call for each referral target, assessed by the real readiness engine.

The hand-made samples (``clinic_app.reporting.samples``) stand in for the engine; the letter's
routing and sentences depend on the engine's real findings, so these cases run it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from clinic_app.domain.enums import PerinealTrauma
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Value
from clinic_app.readiness.decision import ClinicianAction, RuleOverride, Status
from clinic_app.readiness.engine import assess
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.inputs import ReportInput
from clinic_app.reporting.samples import sample_clinician_decision, sample_input, sample_record

from .pdfs import forms

CASES: dict[str, tuple[dict[str, Value], PerinealTrauma]] = {
    "bleeding": ({"symptoms.abnormal_bleeding": True}, PerinealTrauma.SECOND_DEGREE),
    "oasi_bowel": ({"symptoms.faecal_incontinence": True}, PerinealTrauma.THIRD_DEGREE),
    "bowel": ({"symptoms.faecal_incontinence": True}, PerinealTrauma.SECOND_DEGREE),
    "prolapse": (
        {"prolapse.popq_ba": -0.5, "prolapse.popq_aa": -1, "symptoms.heaviness": True},
        PerinealTrauma.SECOND_DEGREE,
    ),
    "leakage": ({"symptoms.urinary_leakage": True}, PerinealTrauma.SECOND_DEGREE),
    "mental_health": ({"history.psych_risk": True}, PerinealTrauma.SECOND_DEGREE),
    "energy": ({"history.reds_stress_fracture": True}, PerinealTrauma.SECOND_DEGREE),
    "pain": ({"symptoms.dyspareunia": True}, PerinealTrauma.SECOND_DEGREE),
}
"""Name → recorded values that differ from a ready visit, and the perineal trauma at the birth."""


def case_input(name: str, *, override_to: Status | None = None, rule: str = "") -> ReportInput:
    """Return the report input of one case with the clinician's confirmation (or an override)."""
    changes, trauma = CASES[name]
    record = sample_record(Status.READY)
    results = record.visit.results.with_values({FieldPath(k): v for k, v in changes.items()})
    record = replace(
        record,
        visit=replace(record.visit, results=results),
        delivery=replace(record.delivery, perineal_trauma=trauma),
    )
    decision = assess(record)
    chosen = sample_clinician_decision(decision)
    if override_to is not None:
        overrides = (RuleOverride(rule, "Examined again standing: no descent on load."),) if rule else ()
        chosen = replace(
            chosen,
            final=override_to,
            action=ClinicianAction.OVERRIDDEN,
            overrides=overrides,
            comment="Reviewed with the patient.",
        )
    base = sample_input(Status.READY, forms=forms())
    return replace(base, record=record, decision=decision, clinician_decision=chosen)


@cache
def case_pdf(name: str) -> bytes:
    """Render the referral letter of one case once per run."""
    return render_report(case_input(name), ReportKind.REFERRAL, invariant=True)
