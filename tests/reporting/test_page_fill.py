"""Demo visits' summaries keep to their page budget; no summary or patient report ends nearly empty."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PageObject, PdfReader

from clinic_app.reporting import ReportKind, render_report
from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import build_demo
from clinic_app.services.reports import stored_report_input
from clinic_app.storage.database import Database

FIRST_VISIT_PAGES = 4
"""A complete first visit: page one and a three-page appendix."""
FOLLOW_UP_PAGES = 5
"""A follow-up adds the change table and the trend charts: one page more."""
LAST_PAGE_SHARE = 0.25
"""Least share of the page's height the last page's text reaches down to, from the top edge."""
FOOTER_ZONE = 60.0
"""Points from the bottom edge that hold the footer, not counted as content."""

Printed = tuple[str, bool, dict[ReportKind, list[float]]]
"""A demo visit id, whether earlier visits are on file, and per document how far down each page is filled."""


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Printed]]:
    """Each demo visit's clinician summary and patient report, measured page by page."""
    db: Database = open_clinic(f"sqlite:///{tmp_path_factory.mktemp('pages') / 'demo.sqlite3'}")
    out = []
    for outcome in build_demo(db).outcomes:
        data = stored_report_input(db, outcome.visit_id)
        reach = {}
        for kind in (ReportKind.CLINICIAN, ReportKind.PATIENT):
            pdf = render_report(data, kind, invariant=True)
            reach[kind] = [_reach(page) for page in PdfReader(io.BytesIO(pdf)).pages]
        out.append((outcome.visit_id, bool(data.earlier_visits), reach))
    yield out
    db.dispose()


def test_demo_summaries_keep_to_the_page_budget(printed: list[Printed]) -> None:
    """A first visit's clinician summary fits in four pages and a follow-up's in five."""
    for visit_id, follow_up, reach in printed:
        budget = FOLLOW_UP_PAGES if follow_up else FIRST_VISIT_PAGES
        assert len(reach[ReportKind.CLINICIAN]) <= budget, (visit_id, len(reach[ReportKind.CLINICIAN]))
    assert any(follow_up for _, follow_up, _ in printed)
    assert any(not follow_up for _, follow_up, _ in printed)


@pytest.mark.parametrize("kind", [ReportKind.CLINICIAN, ReportKind.PATIENT])
def test_no_demo_document_ends_on_a_near_empty_page(printed: list[Printed], kind: ReportKind) -> None:
    """The last page carries real content, not a spilled-over paragraph or a few references."""
    for visit_id, _, reach in printed:
        assert reach[kind][-1] >= LAST_PAGE_SHARE, (visit_id, round(reach[kind][-1], 2))


def _reach(page: PageObject) -> float:
    """Return how far down the page its lowest text above the footer sits, as a share of its height."""
    height = float(page.mediabox.height)
    lowest = [height]

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]  # the text position on the page
        if text.strip() and y > FOOTER_ZONE:
            lowest[0] = min(lowest[0], y)

    page.extract_text(visitor_text=visit)
    return (height - lowest[0]) / height
