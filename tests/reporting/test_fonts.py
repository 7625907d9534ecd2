"""Names with any Latin diacritics print, because DejaVu Sans is embedded in every report."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind, render_report
from clinic_app.reporting.fonts import fonts_dir, register_fonts
from clinic_app.reporting.samples import sample_input

from .pdfs import pdf_text

NAMES = [("Zoë", "Ní Bhriain"), ("Łucja", "Żmuda"), ("Ágnes", "Dvořáková-Søndergård")]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", [ReportKind.PATIENT, ReportKind.REFERRAL])
def test_names_round_trip_through_text_extraction(name: tuple[str, str], kind: ReportKind) -> None:
    """The patient's name comes back intact from the PDF text."""
    pdf = render_report(sample_input(Status.REFER, name=name), kind, invariant=True)
    assert f"{name[0]} {name[1]}" in pdf_text(pdf)


def test_pdffonts_lists_only_embedded_dejavu(tmp_path: Path) -> None:
    """Every font in the PDF is an embedded DejaVu Sans subset; no unembedded base-14 font."""
    source = tmp_path / "report.pdf"
    source.write_bytes(render_report(sample_input(Status.READY), ReportKind.CLINICIAN, invariant=True))
    listing = subprocess.run(["pdffonts", str(source)], check=True, capture_output=True, text=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        columns = row.split()
        assert "DejaVuSans" in columns[0]
        assert columns[-5] == "yes", f"not embedded: {row}"


def test_font_files_ship_with_their_licence() -> None:
    """The TTF files and the DejaVu licence are bundled in reports/fonts."""
    folder = fonts_dir()
    assert (folder / "LICENSE-DejaVu.txt").read_text(encoding="utf-8").count("Bitstream") > 0
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"} <= {
        p.name for p in folder.iterdir()
    }


def test_registration_is_idempotent() -> None:
    """Registering twice returns the same family and does not fail."""
    assert register_fonts() == register_fonts() == "DejaVuSans"


LATIN = st.characters(
    min_codepoint=0x20, max_codepoint=0x17F, exclude_categories=("Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn")
)


@settings(max_examples=12, deadline=None)
@given(given_names=st.text(LATIN, min_size=1, max_size=12), family=st.text(LATIN, min_size=1, max_size=16))
def test_any_latin_name_prints_and_reads_back(given_names: str, family: str) -> None:
    """Any Latin-1/Latin Extended-A name, markup characters included, prints and reads back intact."""
    pdf = render_report(
        sample_input(Status.REFER, name=(given_names, family)), ReportKind.REFERRAL, invariant=True
    )
    assert f"{given_names} {family}" in pdf_text(pdf)
