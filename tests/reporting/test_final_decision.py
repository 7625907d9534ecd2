"""After an override, the patient report and the clinician summary agree on the final decision."""

from __future__ import annotations

import dataclasses

from clinic_app.readiness.decided import as_decided
from clinic_app.readiness.decision import RuleOverride, Status
from clinic_app.readiness.protocol import default_protocol
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.samples import sample_clinician_decision, sample_input

from .pdfs import pdf_text


def _overridden_to_ready():
    """The not-yet-time sample with T1 set aside by the clinician: final ready with cautions."""
    data = sample_input(Status.NOT_YET_TIME)
    decided = dataclasses.replace(
        sample_clinician_decision(data.decision, override=True),
        overrides=(RuleOverride("T1", "Consultant-supported early return."),),
    )
    return dataclasses.replace(
        data, clinician_decision=decided, decided=as_decided(data.decision, decided, default_protocol())
    )


def test_the_patient_report_gives_the_plan_the_clinician_decided() -> None:
    """Page one says ready, and the plan is printed — never 'starts once the points above are sorted'."""
    text = pdf_text(render_report(_overridden_to_ready(), ReportKind.PATIENT))
    assert "starts once the points above are sorted" not in text
    assert "Stage 1" in text or "stage 1" in text.lower()
    assert "Not yet time" not in text.split("Page 1 of")[0]


def test_the_clinician_summary_shows_the_same_final_decision_and_the_proposal_as_such() -> None:
    """The summary's banner is the final decision, marked overridden, with the engine's proposal named."""
    text = pdf_text(render_report(_overridden_to_ready(), ReportKind.CLINICIAN))
    assert "OVERRIDDEN" in text and "The engine proposed" in text
