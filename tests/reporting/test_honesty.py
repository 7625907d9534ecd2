"""No report of any kind, for any outcome or state, ever calls a patient "safe"."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from clinic_app.domain.enums import VisitStatus
from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.samples import sample_input
from clinic_app.reporting.wording import KINDS, wording_dir

from .pdfs import kinds_for, pdf_text, rendered

CASES = [
    (status, kind, draft, decided)
    for status in Status
    for kind in kinds_for(status)
    for draft, decided in ((False, True), (True, False))
]


@pytest.mark.parametrize(("status", "kind", "draft", "decided"), CASES)
def test_no_report_says_safe(status: Status, kind: ReportKind, draft: bool, decided: bool) -> None:
    """The word "safe" (in any form) never appears in printed text."""
    text = pdf_text(rendered(status, kind, draft=draft, decided=decided))
    assert not re.search(r"safe", text, re.IGNORECASE)


@pytest.mark.parametrize(("status", "kind"), [(s, k) for s in Status for k in kinds_for(s)])
def test_draft_visit_is_marked_on_every_kind(status: Status, kind: ReportKind) -> None:
    """An unsigned visit prints a DRAFT mark; a signed one does not."""
    assert "DRAFT" in pdf_text(rendered(status, kind, draft=True))
    assert "DRAFT" not in pdf_text(rendered(status, kind, draft=False))


def test_wording_files_never_use_the_word() -> None:
    """The wording files themselves hold no "safe" outside comments."""
    for kind in (*KINDS, "common"):
        lines = (wording_dir() / f"{kind}.toml").read_text(encoding="utf-8").splitlines()
        printed = [line for line in lines if not line.lstrip().startswith("#")]
        assert not any("safe" in line.lower() for line in printed), kind


@pytest.mark.parametrize("kind", [ReportKind.PATIENT, ReportKind.CLINICIAN, ReportKind.REFERRAL])
def test_amended_visit_says_it_was_replaced(kind: ReportKind) -> None:
    """A visit later amended prints a notice that the amended record replaces it."""
    data = sample_input(Status.REFER)
    data = replace(
        data, record=replace(data.record, visit=replace(data.record.visit, status=VisitStatus.AMENDED))
    )
    text = pdf_text(render_report(data, kind, invariant=True))
    assert "AMENDED — this visit was corrected later" in text
    assert "DRAFT" not in text
