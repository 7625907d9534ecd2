"""The renderer's fixed steps: reproducible bytes, page sizes, page counts, page images."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.samples import sample_input

from .pdfs import forms, kinds_for, page_count, pdf_text, rendered

PAGE_BOUNDS = {ReportKind.PATIENT: (1, 3), ReportKind.CLINICIAN: (2, 8), ReportKind.REFERRAL: (1, 2)}


@pytest.mark.parametrize("kind", list(ReportKind))
def test_invariant_output_is_byte_identical(kind: ReportKind) -> None:
    """Two renders of the same input in test mode give the same bytes."""
    data = sample_input(Status.REFER, forms=forms())
    assert render_report(data, kind, invariant=True) == render_report(data, kind, invariant=True)


@pytest.mark.parametrize(("status", "kind"), [(s, k) for s in Status for k in kinds_for(s)])
def test_page_count_stays_within_bounds(status: Status, kind: ReportKind) -> None:
    """Each kind keeps to its page budget for every outcome."""
    low, high = PAGE_BOUNDS[kind]
    assert low <= page_count(rendered(status, kind)) <= high


@pytest.mark.parametrize(("size", "expected"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_page_size_follows_the_layout_setting(size: str, expected: tuple[int, int]) -> None:
    """The page size setting picks A4 or US Letter."""
    reader = PdfReader(io.BytesIO(rendered(Status.READY, ReportKind.PATIENT, page_size=size)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == expected


def test_pages_are_numbered_with_the_total() -> None:
    """Every page says "Page n of N"."""
    pdf = rendered(Status.READY, ReportKind.CLINICIAN)
    total = page_count(pdf)
    text = pdf_text(pdf)
    assert all(f"Page {n} of {total}" in text for n in range(1, total + 1))


def test_letterhead_and_metadata_are_printed() -> None:
    """The clinic letterhead is on the page and the PDF title names the report."""
    pdf = rendered(Status.READY, ReportKind.PATIENT)
    assert "RunReady Pelvic Health Clinic" in pdf_text(pdf)
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "Your return-to-running report"


@pytest.mark.parametrize("kind", list(ReportKind))
def test_pages_render_to_non_blank_images(kind: ReportKind, tmp_path: Path) -> None:
    """Every page turns into a PNG (pdftoppm) that has ink on it."""
    pdf = rendered(Status.REFER, kind, draft=True)
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(source), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == page_count(pdf)
    for png in pages:
        with Image.open(png) as image:
            low, _ = image.convert("L").getextrema()
            assert low < 128, f"{png.name} looks blank"


@pytest.mark.parametrize("kind", list(ReportKind))
def test_a_signed_visit_file_prints_as_not_a_signed_record(kind: ReportKind) -> None:
    """A visit file that claims "signed" prints the visit-file mark on every page and the DRAFT mark."""
    signed = sample_input(Status.REFER, forms=forms())
    assert signed.visit.status.value == "signed" and not signed.is_draft
    from_file = dataclasses.replace(signed, record=dataclasses.replace(signed.record, from_visit_file=True))
    assert from_file.is_draft and from_file.visit.status.value == "draft"
    pdf = render_report(from_file, kind, invariant=True)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert all("From a visit file, not a signed record" in page for page in pages)
    assert "FROM A VISIT FILE" in pages[0]
    assert "From a visit file" not in pdf_text(render_report(signed, kind, invariant=True))
