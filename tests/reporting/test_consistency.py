"""No two documents of a visit disagree on the final decision: demo visits (override included) and samples."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from clinic_app.readiness.decision import Status
from clinic_app.readiness.planning import advice_facts
from clinic_app.reporting import ReportInput, ReportKind, render_report
from clinic_app.reporting.referral import referral_applies
from clinic_app.reporting.samples import sample_input
from clinic_app.reporting.wording import load_wording
from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import build_demo
from clinic_app.services.reports import stored_report_input
from clinic_app.storage.database import Database
from tests.readiness.test_planning_fit import advice_problems

PATIENT = load_wording("patient")
LETTER_SENT = PATIENT.text("referral_letter").split("{")[0].strip()


def _pages(pdf: bytes) -> list[str]:
    """Return each page's text, whitespace collapsed."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def check_documents_agree(data: ReportInput) -> None:
    """Assert the patient report, clinician summary and referral letter all follow the final decision."""
    final = data.final_status
    patient = _pages(render_report(data, ReportKind.PATIENT, invariant=True))
    whole = " ".join(patient)
    assert PATIENT.text(f"outcome.{final.value}.title") in patient[0]
    for other in Status:
        if other is not final:
            assert PATIENT.text(f"outcome.{other.value}.title") not in whole, other
    has_log = PATIENT.text("log.heading") in whole
    assert has_log == (final in (Status.READY, Status.READY_WITH_CAUTIONS))
    assert (PATIENT.text("plan_none")[:40] in whole) == (not has_log)
    clinician = _pages(render_report(data, ReportKind.CLINICIAN, invariant=True))[0]
    banner = clinician.split("FINAL DECISION", 1)[1][:120] if "FINAL DECISION" in clinician else clinician
    assert PATIENT.term("status", final.value) in banner
    if referral_applies(data):
        letter = " ".join(_pages(render_report(data, ReportKind.REFERRAL, invariant=True)))
        assert data.patient.display_name in letter
        assert LETTER_SENT in whole
    else:
        assert LETTER_SENT not in whole
    assert advice_problems(data.final_decision, advice_facts(data.record)) == []


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, list[str]]]:
    """One demo clinic for the module, with the ids of its visits."""
    db = open_clinic(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}")
    summary = build_demo(db)
    yield db, [outcome.visit_id for outcome in summary.outcomes]
    db.dispose()


def test_every_demo_visit_prints_one_decision_in_every_document(demo: tuple[Database, list[str]]) -> None:
    """Each demo visit, the override to ready included, reads the same in patient, clinician and letter."""
    db, visit_ids = demo
    overridden = 0
    for visit_id in visit_ids:
        data = stored_report_input(db, visit_id)
        decided = data.clinician_decision
        overridden += decided is not None and decided.final is not decided.proposed
        check_documents_agree(data)
    assert overridden >= 1


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("override", [False, True])
def test_samples_agree_across_documents(status: Status, override: bool) -> None:
    """The sample visit of every outcome, confirmed or overridden, agrees across its documents."""
    check_documents_agree(sample_input(status, override=override))
