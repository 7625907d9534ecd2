"""The walk–run plan as a log she can tick: one page, consistent numbering, only when she may run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clinic_app.domain.visitfile import parse_visit_file
from clinic_app.readiness.decision import Status
from clinic_app.reporting import ReportKind
from clinic_app.reporting.wording import load_wording
from clinic_app.services.reports import build_report, report_input

from .pdfs import page_count, rendered
from .test_patient import page_texts

WORDS = load_wording("patient")
SCENARIOS = Path(__file__).parents[1] / "readiness" / "scenarios"


def _engine_ready(status: Status) -> tuple[bytes, int]:
    """Render a documented scenario's own engine plan (14 stages, 15 when gentler) and its stage count."""
    name = "01_ready_experienced_runner"
    if status is Status.READY_WITH_CAUTIONS:
        name = "02_ready_with_cautions_caesarean_novice"
    outcome = parse_visit_file(json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8")))
    record = outcome.record
    assert record is not None
    data = report_input(record)
    assert data.final_status is status and data.final_decision.plan is not None
    return build_report(record, ReportKind.PATIENT, invariant=True), len(data.final_decision.plan.stages)


@pytest.mark.parametrize("status", [Status.READY, Status.READY_WITH_CAUTIONS])
def test_the_engine_plan_fits_on_one_log_page_numbered_one_to_n(status: Status) -> None:
    """Every stage is one numbered row on page two; no 'Starter stage' beside 'Stage 1'."""
    pdf, stages = _engine_ready(status)
    pages = page_texts(pdf)
    log = pages[1]
    assert WORDS.text("log.heading") in log and WORDS.text("log.rules_heading") in log
    assert WORDS.text("log.heading") not in " ".join(pages[2:])
    rows = re.findall(r"\b(\d+) Run \d+(?:\.\d+)? min", log)
    assert [int(n) for n in rows] == list(range(1, stages + 1))
    assert "Starter stage" not in log and "Stage 9" not in log
    assert page_count(pdf) <= 4


def test_the_log_has_a_day_and_tick_box_per_session_and_symptom_columns() -> None:
    """Each session has a day and a tick column; leakage, heaviness and pain are scored 0–10."""
    log = page_texts(rendered(Status.READY, ReportKind.PATIENT))[1]
    for key in ("log.leak", "log.heavy", "log.pain", "log.scale", "log.date", "log.tick"):
        assert WORDS.text(key) in log
    assert WORDS.text("log.session", n=1) in log and WORDS.text("log.session", n=2) in log


@pytest.mark.parametrize("status", [s for s in Status if s not in (Status.READY, Status.READY_WITH_CAUTIONS)])
def test_no_log_while_she_may_not_run(status: Status) -> None:
    """A hold never prints the log, only when her plan will start."""
    text = " ".join(page_texts(rendered(status, ReportKind.PATIENT)))
    assert WORDS.text("log.heading") not in text
    assert WORDS.text("plan_none")[:40] in text
