"""Property tests of the engine with hypothesis: severity is monotone, missing data never passes.

Visits are built from the complete passing visit by applying random "perturbations" (one finding
each). The removal property removes values of *required* inputs only — the minimum each gate
declares in the protocol (``[rules.ID.assessed]``): supplementary tests (cough test, ICIQ, linea
alba, hops, jumping) and what lies beyond a minimum (other IRD sites, rest IRDs, task doses) may be
absent without blocking READY, which is the documented design (docs/design/readiness.md).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.readiness.decision import Status
from clinic_app.readiness.engine import assess
from clinic_app.readiness.protocol import default_protocol
from clinic_app.readiness.rulespec import RECORD_PATHS

from .builders import passing_document, record_of, set_path

# Findings on required inputs (each removable value is evidence that is needed for a pass).
REQUIRED_PERTURBATIONS: list[dict[str, Any]] = [
    {"symptoms.urinary_leakage": True},
    {"symptoms.heaviness": True},
    {"symptoms.faecal_urgency": True},
    {"symptoms.abnormal_bleeding": True},
    {"symptoms.daily_activity_pain": True},
    {"symptoms.sij_pain": True},
    {"symptoms.abdominal_symptoms": True},
    {"diastasis.doming": True},
    {"diastasis.ird_umbilicus_curl": 2.4},
    {"prolapse.popq_ba": -0.5},
    {"pelvic_floor.mos": 1},
    {"pelvic_floor.standing_fast_reps": 6},
    {"load_impact.l2_completed": False},
    {"load_impact.l6_symptoms": ["leakage"]},
    {"load_impact.l3_control": "poor"},
    {"strength.calf_raise.left": 15},
    {"strength.hip_abduction.right": 11},
    {"history.weight_kg": 95},
    {"history.sleep_hours": 5.0},
    {"history.anxiety": True},
    {"history.psych_risk": True},
    {"history.reds_low_energy": True},
    {"history.running_experience": "novice"},
    {"history.sui_running_before_pregnancy": True},
]
# Findings on supplementary inputs.
OTHER_PERTURBATIONS: list[dict[str, Any]] = [
    {"pelvic_floor.cough_test_standing": "positive"},
    {"questionnaires.iciq_frequency": 2, "questionnaires.iciq_total": 2},
    {"diastasis.linea_alba_tension": "unable"},
    {"hop.single_hop.left": 95},
    {"jumping.less_total": 7},
    {"history.breastfeeding": True},
    {"load_impact.l1_dose": 20},
]
PROTOCOL = default_protocol()


def _declared_minimum_paths() -> list[str]:
    """Every input the protocol declares a gate needs, for the POP-Q exam the passing visit records."""
    paths: set[str] = set()
    for rule in PROTOCOL.rules.values():
        if not rule.gate:
            continue
        paths.update(r.path for r in rule.assessed.needs)
        for cases in rule.assessed.when.values():
            paths.update(r.path for r in cases.get("popq", ()))
    return sorted(p for p in paths if p not in RECORD_PATHS)


# Removable inputs come from the protocol's declared minimum (what makes a gate assessed is data).
REQUIRED_PATHS = _declared_minimum_paths()
# Bleeding is left out: before 8 weeks it is a note by design (P9), not a hold.
SYMPTOMS: list[dict[str, Any]] = [
    {"symptoms.urinary_leakage": True},
    {"symptoms.heaviness": True},
    {"symptoms.faecal_incontinence": True},
    {"symptoms.urinary_urgency": True},
    {"symptoms.dyspareunia": True},
    {"symptoms.obstructive_defecation": True},
    {"symptoms.daily_activity_pain": True},
    {"symptoms.sciatic_pain": True},
    {"diastasis.doming": True},
    {"load_impact.l5_symptoms": ["heaviness"]},
    {"load_impact.l1_symptoms": ["pain"]},
]
DATES = ["2026-06-10", "2026-07-20", "2026-08-23", "2026-08-24", "2026-09-21"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _status(doc: dict[str, Any]) -> Status:
    return assess(record_of(doc), PROTOCOL).status


def _apply(doc: dict[str, Any], changes: list[dict[str, Any]]) -> dict[str, Any]:
    for change in changes:
        for path, value in change.items():
            doc = set_path(doc, path, value)
    return doc


def _visit(perturbations: list[dict[str, Any]], date: str) -> dict[str, Any]:
    doc = _apply(passing_document(), perturbations)
    doc["visit"]["date"] = date
    return doc


any_perturbations = st.lists(st.sampled_from(REQUIRED_PERTURBATIONS + OTHER_PERTURBATIONS), max_size=4)
required_perturbations = st.lists(st.sampled_from(REQUIRED_PERTURBATIONS), max_size=4)


@FAST
@given(any_perturbations, st.sampled_from(DATES), st.sampled_from(SYMPTOMS))
def test_adding_a_symptom_never_lowers_severity(
    base: list[dict[str, Any]], date: str, symptom: dict[str, Any]
) -> None:
    """Adding any symptom to any visit gives a status at least as severe, and at least NOT_READY."""
    doc = _visit(base, date)
    before, after = _status(doc), _status(_apply(doc, [symptom]))
    assert after.severity >= before.severity
    assert after.severity >= Status.NOT_READY.severity


WORSE = [
    ("strength.calf_raise.left", -6),
    ("strength.bridge.right", -9),
    ("hop.single_hop.left", -20),
    ("diastasis.ird_umbilicus_curl", 0.7),
    ("diastasis.ird_above_curl", 1.5),
    ("pelvic_floor.mos", -2),
    ("pelvic_floor.standing_submax_hold_s", -15),
    ("history.weight_kg", 30),
    ("history.sleep_hours", -2),
    ("questionnaires.iciq_total", 4),
]


@FAST
@given(any_perturbations, st.sampled_from(DATES), st.sampled_from(WORSE))
def test_a_worse_value_never_lowers_severity(
    base: list[dict[str, Any]], date: str, worse: tuple[str, float]
) -> None:
    """Making one measurement worse never gives a less severe status."""
    doc = _visit(base, date)
    path, delta = worse
    form, field, *side = path.split(".")
    current = doc["results"][form][field]
    current = current[side[0]] if side else current
    worse_value = max(0, current + delta)
    if path == "questionnaires.iciq_total":
        doc = set_path(doc, "questionnaires.iciq_frequency", None)
    assert _status(set_path(doc, path, worse_value)).severity >= _status(doc).severity


@FAST
@given(
    any_perturbations,
    st.sampled_from(DATES),
    st.sets(st.sampled_from(REQUIRED_PATHS), min_size=1, max_size=4),
)
def test_missing_required_data_is_never_ready(
    base: list[dict[str, Any]], date: str, removed: set[str]
) -> None:
    """Removing any required input leaves a status that is neither READY nor READY_WITH_CAUTIONS."""
    doc = _apply(_visit(base, date), [{path: None for path in removed}])
    assert _status(doc) not in (Status.READY, Status.READY_WITH_CAUTIONS)


@FAST
@given(
    required_perturbations,
    st.sampled_from(DATES),
    st.sets(st.sampled_from(REQUIRED_PATHS), min_size=1, max_size=5),
)
def test_removing_data_never_makes_a_visit_ready(
    base: list[dict[str, Any]], date: str, removed: set[str]
) -> None:
    """A visit that was not READY never becomes READY (or less cautious) because data was removed."""
    doc = _visit(base, date)
    before = _status(doc)
    after = _status(_apply(doc, [{path: None for path in removed}]))
    if before is not Status.READY:
        assert after is not Status.READY
    assert after not in (Status.READY, Status.READY_WITH_CAUTIONS)
