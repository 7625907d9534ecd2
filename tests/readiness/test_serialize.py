"""JSON round trips of Decision and ClinicianDecision, so stored decisions read the same later."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from clinic_app.domain.ids import ClinicianId
from clinic_app.domain.model import Clinician
from clinic_app.readiness.clinician import decide
from clinic_app.readiness.decision import ClinicianAction, RuleOverride
from clinic_app.readiness.engine import assess
from clinic_app.readiness.serialize import (
    SerializationError,
    clinician_decision_from_json,
    clinician_decision_to_json,
    decision_from_json,
    decision_to_json,
)

from .builders import assess_with, record_of

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.json"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_decision_round_trips_through_json_text(path: Path) -> None:
    """Every scenario's decision survives JSON text unchanged (plans, referrals, changes included)."""
    decision = assess(record_of(json.loads(path.read_text(encoding="utf-8"))))
    text = json.dumps(decision_to_json(decision), ensure_ascii=False)
    assert decision_from_json(json.loads(text)) == decision


def test_clinician_decision_round_trips() -> None:
    """A clinician decision with an override and a timezone-aware time round-trips."""
    decision = assess_with({"diastasis.ird_umbilicus_curl": 2.5})
    made = decide(
        decision,
        action=ClinicianAction.OVERRIDDEN,
        clinician=Clinician(ClinicianId("C-9"), "Róisín"),
        now=dt.datetime(2026, 9, 21, 9, 0, tzinfo=dt.UTC),
        overrides=[RuleOverride("O2", "tension without doming")],
        comment="reviewed",
    )
    data = json.loads(json.dumps(clinician_decision_to_json(made)))
    assert data["protocol_version"] == decision.protocol_version
    assert clinician_decision_from_json(data) == made


def test_wrong_or_broken_documents_are_refused() -> None:
    """Another format id or a malformed body raises SerializationError."""
    data = decision_to_json(assess_with())
    with pytest.raises(SerializationError, match="expected"):
        clinician_decision_from_json(data)
    broken = {**data, "weeks_postpartum": "sixteen"}
    with pytest.raises(SerializationError, match="malformed"):
        decision_from_json(broken)


def test_unknown_keys_from_a_newer_writer_are_ignored() -> None:
    """A stored document with an extra key still loads (forward-compatible reading)."""
    decision = assess_with()
    data = {**decision_to_json(decision), "notice": "extra"}
    assert decision_from_json(data) == decision
