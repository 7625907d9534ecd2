"""Visit documents for readiness tests: a complete, all-gates-passed visit to vary one value at a time."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from clinic_app.domain.model import Value
from clinic_app.domain.visitfile import VisitRecord, parse_visit_file
from clinic_app.readiness.decision import Decision, Finding
from clinic_app.readiness.engine import assess
from clinic_app.readiness.protocol import Protocol

TODAY = dt.date(2026, 11, 25)

_TASK = {"completed": True, "control": "good", "symptoms": ["none"]}


def passing_document() -> dict[str, Any]:
    """A visit at 16 weeks that passes every gate and triggers no caution (status READY)."""
    load: dict[str, Any] = {}
    doses = {1: 30, 2: 10, 3: 10, 4: 1, 5: 10, 6: 10, 7: 10}
    for n, dose in doses.items():
        for key, value in _TASK.items():
            load[f"l{n}_{key}"] = list(value) if isinstance(value, list) else value
        load[f"l{n}_dose"] = {"left": dose, "right": dose} if n in (2, 3, 6, 7) else dose
    return {
        "format": "runready-visit/1",
        "patient": {"id": "P-T1", "family_name": "Test", "given_names": "Ada", "date_of_birth": "1992-03-04"},
        "delivery": {"date": "2026-06-01", "mode": "spontaneous_vaginal", "perineal_trauma": "first_degree",
                     "parity": 1},
        "visit": {"id": "V-T1", "date": "2026-09-21", "clinician": {"id": "C-1", "name": "Alex Byrne"}},
        "results": {
            "history": {"height_cm": 168, "weight_kg": 64, "breastfeeding": False, "sleep_hours": 7.5,
                        "fatigue_high": False, "running_experience": "experienced",
                        "previous_running_injury": False, "incontinence_history": False,
                        "sui_running_before_pregnancy": False, "sui_running_during_pregnancy": False,
                        "postnatal_depression": False, "anxiety": False, "fear_of_movement": False,
                        "psych_risk": False, "reds_amenorrhoea": False, "reds_stress_fracture": False,
                        "reds_low_energy": False, "buggy_running_planned": False},
            "symptoms": {"urinary_leakage": False, "faecal_incontinence": False, "urinary_urgency": False,
                         "faecal_urgency": False, "heaviness": False, "dyspareunia": False,
                         "obstructive_defecation": False, "abnormal_bleeding": False,
                         "abdominal_symptoms": False, "daily_activity_pain": False, "sij_pain": False,
                         "pubic_symphysis_pain": False, "sciatic_pain": False},
            "questionnaires": {"iciq_administered": "paper_licensed", "iciq_frequency": 0, "iciq_amount": 0,
                               "iciq_interference": 0, "iciq_total": 0},
            "diastasis": {"method": "calipers", "unit": "cm", "site_protocol": "sperstad_4_5",
                          "ird_above_curl": 1.2, "ird_umbilicus_curl": 1.8, "ird_below_curl": 0.9,
                          "linea_alba_tension": "generates_tension", "doming": False},
            "prolapse": {"exam_state": "performed", "consent": True, "system": "popq", "popq_aa": -3,
                         "popq_ba": -3, "popq_c": -7, "popq_d": -8, "popq_ap": -3, "popq_bp": -3,
                         "popq_gh": 3, "popq_pb": 3, "popq_tvl": 9},
            "pelvic_floor": {"exam_state": "performed", "mos": 4, "cough_test_supine": "negative",
                             "cough_test_standing": "negative", "standing_fast_reps": 10,
                             "standing_mvc_reps": 10, "standing_mvc_hold_s": 8, "standing_submax_hold_s": 60},
            "load_impact": load,
            "strength": {"calf_raise": {"left": 25, "right": 24}, "bridge": {"left": 22, "right": 23},
                         "sit_to_stand": {"left": 21, "right": 20},
                         "hip_abduction": {"left": 30, "right": 28}},
            "hop": {"single_hop": {"left": 120, "right": 125}},
            "jumping": {"less_total": 3},
        },
    }


def set_path(doc: dict[str, Any], path: str, value: Value | list[str] | None) -> dict[str, Any]:
    """Return a copy of ``doc`` with one result set (or removed with None); path ``form.field[.side]``."""
    out = copy.deepcopy(doc)
    parts = path.split(".")
    form = out["results"].setdefault(parts[0], {})
    if len(parts) == 3:
        sided = form.setdefault(parts[1], {})
        if value is None:
            sided.pop(parts[2], None)
        else:
            sided[parts[2]] = value
    elif value is None:
        form.pop(parts[1], None)
    else:
        form[parts[1]] = list(value) if isinstance(value, tuple) else value
    return out


def record_of(doc: dict[str, Any]) -> VisitRecord:
    """Parse a test document, failing loudly if the builder produced an invalid file."""
    outcome = parse_visit_file(doc, today=TODAY)
    assert outcome.record is not None, outcome.errors
    return outcome.record


def with_visit_date(doc: dict[str, Any], date: str) -> dict[str, Any]:
    """Return a copy of ``doc`` with the visit on ``date`` (ISO)."""
    out = copy.deepcopy(doc)
    out["visit"]["date"] = date
    return out


def assess_with(changes: dict[str, Any] | None = None, *, visit_date: str | None = None,
                delivery: dict[str, Any] | None = None, protocol: Protocol | None = None) -> Decision:
    """Assess the passing visit with some results changed (None removes), on another date or delivery."""
    doc = passing_document()
    for path, value in (changes or {}).items():
        doc = set_path(doc, path, value)
    if visit_date is not None:
        doc = with_visit_date(doc, visit_date)
    if delivery is not None:
        doc["delivery"].update(delivery)
    return assess(record_of(doc), protocol)


def fired(decision: Decision) -> dict[str, list[Finding]]:
    """Findings of a decision by rule id (holds, cautions and notes together)."""
    out: dict[str, list[Finding]] = {}
    for finding in (*decision.holds, *decision.cautions, *decision.notes):
        out.setdefault(finding.rule_id, []).append(finding)
    return out


def gap_ids(decision: Decision) -> set[str]:
    """Ids of rules listed as not assessed."""
    return {gap.rule_id for gap in decision.not_assessed}
