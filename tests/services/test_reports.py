"""The report service: engine decision in, PDF out; batches with progress, cancel and failures."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import threading
import types
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic_app.assessment import check_visit_document, load_forms
from clinic_app.readiness.decision import ClinicianAction, Status
from clinic_app.readiness.engine import assess
from clinic_app.readiness.serialize import decision_to_json
from clinic_app.reporting import ReferralNotNeededError, ReportKind
from clinic_app.reporting.samples import sample_record
from clinic_app.services import reports
from clinic_app.services.reports import BatchItem, build_batch, build_report, load_report_settings

DAY = dt.date(2026, 9, 10)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_build_report_runs_the_engine_and_marks_a_proposal() -> None:
    """Without a decision the engine proposes, and the patient report says it awaits the clinician."""
    record = sample_record(Status.REFER)
    pdf = build_report(record, ReportKind.PATIENT, printed_on=DAY, invariant=True)
    text = _text(pdf)
    assert "See a specialist before running" in text
    assert "PROPOSAL — awaiting your clinician's decision" in text
    assert build_report(record, ReportKind.PATIENT, printed_on=DAY, invariant=True) == pdf


def test_referral_is_refused_when_the_engine_names_none() -> None:
    """A referral letter for a visit the engine does not refer raises a clear error."""
    with pytest.raises(ReferralNotNeededError):
        build_report(sample_record(Status.NOT_YET_TIME), ReportKind.REFERRAL, printed_on=DAY)


def test_per_user_letterhead_overrides_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letterhead file in the user's settings folder is used when no file is named."""
    own = tmp_path / "letterhead.toml"
    own.write_text('[clinic]\nname = "Clinique Saint-Éloi"\n', encoding="utf-8")
    monkeypatch.setattr(reports, "user_letterhead_path", lambda: own)
    assert load_report_settings().letterhead.name == "Clinique Saint-Éloi"
    explicit = tmp_path / "other.toml"
    explicit.write_text('[clinic]\nname = "Other"\n', encoding="utf-8")
    assert load_report_settings(explicit, page_size="Letter").letterhead.name == "Other"
    assert load_report_settings(explicit, page_size="Letter").layout.page_size == "Letter"


def _items(count: int, kind: ReportKind = ReportKind.PATIENT) -> list[BatchItem]:
    statuses = list(Status)
    return [BatchItem(sample_record(statuses[i % len(statuses)]), kind, f"r{i:02}.pdf") for i in range(count)]


def test_batch_writes_every_file_and_reports_progress(tmp_path: Path) -> None:
    """Each item becomes a PDF; progress counts up to the total."""
    calls: list[tuple[int, int]] = []
    result = build_batch(
        _items(6),
        tmp_path,
        lambda d, n: calls.append((d, n)),
        threading.Event(),
        processes=False,
        workers=2,
        printed_on=DAY,
    )
    assert sorted(p.name for p in result.written) == [f"r{i:02}.pdf" for i in range(6)]
    assert calls == [(i, 6) for i in range(1, 7)]
    assert not result.failed and not result.cancelled
    assert all(p.read_bytes().startswith(b"%PDF") for p in result.written)


def test_batch_stops_when_cancelled(tmp_path: Path) -> None:
    """Setting the cancel event stops scheduling; no partial files are left."""
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 2:
            cancel.set()

    result = build_batch(_items(30), tmp_path, progress, cancel, processes=False, workers=1, printed_on=DAY)
    assert result.cancelled
    assert 2 <= len(result.written) < 30
    assert not list(tmp_path.glob("*.part"))


def test_batch_lists_items_that_need_no_referral_as_failed(tmp_path: Path) -> None:
    """A referral asked for a visit without one is reported, and the rest of the batch goes on."""
    items = [
        BatchItem(sample_record(Status.REFER), ReportKind.REFERRAL, "refer.pdf"),
        BatchItem(sample_record(Status.NOT_YET_TIME), ReportKind.REFERRAL, "none.pdf"),
    ]
    result = build_batch(
        items, tmp_path, lambda d, n: None, threading.Event(), processes=False, printed_on=DAY
    )
    assert [p.name for p in result.written] == ["refer.pdf"]
    assert result.failed[0][0] == "none.pdf"
    assert "needs no referral" in result.failed[0][1]


def test_batch_runs_on_worker_processes(tmp_path: Path) -> None:
    """The default process pool builds the same files as threads would."""
    result = build_batch(
        _items(3), tmp_path, lambda d, n: None, threading.Event(), workers=2, printed_on=DAY, invariant=True
    )
    assert len(result.written) == 3
    single = build_report(_items(1)[0].record, ReportKind.PATIENT, printed_on=DAY, invariant=True)
    assert (tmp_path / "r00.pdf").read_bytes() == single


def test_stored_visit_prints_the_recorded_clinician_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stored decision is printed as the clinician's, with the proposal that was stored with it."""
    record = sample_record(Status.NOT_YET_TIME)
    proposal = assess(record)
    entry = types.SimpleNamespace(
        proposed_status=proposal.status.value,
        final_status=Status.READY_WITH_CAUTIONS.value,
        action=ClinicianAction.OVERRIDDEN.value,
        decided_by=record.clinician.id,
        decided_at=dt.datetime(2026, 8, 6, 10, 0),
        protocol_version=proposal.protocol_version,
        overrides=(("T1", "Experienced runner, symptom-free, specialist agreed."),),
        comment="",
        decision=decision_to_json(proposal),
    )
    visits = types.SimpleNamespace(load_visit_record=lambda db, visit_id: record)
    decisions = types.SimpleNamespace(list_decisions=lambda db, visit_id: [entry])
    monkeypatch.setitem(sys.modules, "clinic_app.services.visits", visits)
    monkeypatch.setitem(sys.modules, "clinic_app.services.decisions", decisions)
    data = reports.stored_report_input(object(), record.visit.id, printed_on=DAY)
    assert data.clinician_decision is not None
    assert data.clinician_decision.clinician_name == record.clinician.name
    assert data.final_status is Status.READY_WITH_CAUTIONS
    assert data.decision.status is proposal.status


SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "readiness" / "scenarios").glob("*.json"))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_demo_scenarios_print_honestly_with_the_real_engine(scenario: Path) -> None:
    """Every kind the engine's decision allows prints; none says "safe"; drafts are marked."""
    forms = load_forms()
    record, errors = check_visit_document(json.loads(scenario.read_text(encoding="utf-8")), forms)
    assert record is not None and not errors
    decision = assess(record)
    kinds = [ReportKind.PATIENT, ReportKind.CLINICIAN]
    if decision.referral is not None or decision.status is Status.REFER:
        kinds.append(ReportKind.REFERRAL)
    for kind in kinds:
        pdf = build_report(record, kind, decision=decision, printed_on=DAY, invariant=True)
        text = _text(pdf)
        assert "safe" not in text.lower()
        assert ("DRAFT" in text) == (record.visit.status.value == "draft")
        assert record.patient.display_name in text
        if kind is ReportKind.CLINICIAN:
            assert all(gap.rule_id in text for gap in decision.not_assessed)
