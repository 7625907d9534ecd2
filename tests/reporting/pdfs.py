"""Helpers for the report tests: render each sample input once and read PDFs back."""

from __future__ import annotations

import io
from functools import cache

from pypdf import PdfReader

from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.catalogue import bundled_forms
from clinic_app.reporting.inputs import FormInfo
from clinic_app.reporting.samples import sample_input

NEEDS_REFERRAL = (Status.REFER, Status.NOT_READY)


@cache
def forms() -> tuple[FormInfo, ...]:
    """Return the print view of the bundled forms, loaded once per run."""
    return bundled_forms()


@cache
def rendered(
    status: Status,
    kind: ReportKind,
    *,
    draft: bool = False,
    decided: bool = True,
    page_size: str | None = None,
) -> bytes:
    """Render the sample visit for ``status`` once per combination (reports are deterministic)."""
    data = sample_input(status, draft=draft, decided=decided, page_size=page_size, forms=forms())
    return render_report(data, kind, invariant=True)


def pdf_text(pdf: bytes) -> str:
    """Return the text of every page, whitespace collapsed, for phrase checks."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def page_count(pdf: bytes) -> int:
    """Return the number of pages of ``pdf``."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def kinds_for(status: Status) -> list[ReportKind]:
    """Return the report kinds a sample visit of ``status`` can produce."""
    kinds = [ReportKind.PATIENT, ReportKind.CLINICIAN]
    return [*kinds, ReportKind.REFERRAL] if status in NEEDS_REFERRAL else kinds
