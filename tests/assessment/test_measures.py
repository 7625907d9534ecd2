"""Tests for the derived values read out of results (clinic_app.assessment.measures)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.assessment import measures
from clinic_app.assessment.spec import FormCatalogue
from clinic_app.domain.derived import IciqBand, PopqStage
from clinic_app.domain.enums import Side
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results

POPQ: dict[str, Any] = {
    "prolapse.exam_state": "performed",
    "prolapse.system": "popq",
    "prolapse.popq_aa": -1,
    "prolapse.popq_ba": -1,
    "prolapse.popq_c": -6,
    "prolapse.popq_d": -8,
    "prolapse.popq_ap": -3,
    "prolapse.popq_bp": -3,
    "prolapse.popq_gh": 3,
    "prolapse.popq_pb": 3,
    "prolapse.popq_tvl": 9,
}


def results(values: dict[str, Any]) -> Results:
    """Build Results from plain string paths."""
    return Results({FieldPath(k): v for k, v in values.items()})


def test_bmi_from_history() -> None:
    """BMI comes from history weight and height; missing either gives None."""
    assert measures.bmi_from(results({"history.weight_kg": 64, "history.height_cm": 160})) == pytest.approx(
        25
    )
    assert measures.bmi_from(results({"history.weight_kg": 64})) is None


def test_popq_stage_from_complete_exam() -> None:
    """A leading edge of −1 is stage II."""
    assert measures.popq_stage_from(results(POPQ)) is PopqStage.STAGE_II


def test_popq_stage_needs_every_point_and_a_performed_popq_exam() -> None:
    """Missing points, another system or a declined exam give no stage."""
    missing = {k: v for k, v in POPQ.items() if k != "prolapse.popq_gh"}
    assert measures.popq_stage_from(results(missing)) is None
    assert measures.popq_stage_from(results({**POPQ, "prolapse.system": "baden_walker"})) is None
    assert measures.popq_stage_from(results({**POPQ, "prolapse.exam_state": "declined"})) is None


def test_popq_without_d_only_after_hysterectomy() -> None:
    """D may be absent only when a hysterectomy is recorded."""
    no_d = {k: v for k, v in POPQ.items() if k != "prolapse.popq_d"}
    assert measures.popq_points_from(results(no_d)) is None
    points = measures.popq_points_from(results({**no_d, "prolapse.hysterectomy": True}))
    assert points is not None and points.d is None


def test_baden_walker_max_grade() -> None:
    """The highest compartment grade of a complete Baden–Walker exam."""
    bw = {
        "prolapse.exam_state": "performed",
        "prolapse.system": "baden_walker",
        "prolapse.bw_anterior": 2,
        "prolapse.bw_apical": 0,
        "prolapse.bw_posterior": 1,
    }
    assert measures.baden_walker_max_grade(results(bw)) == 2
    del bw["prolapse.bw_posterior"]
    assert measures.baden_walker_max_grade(results(bw)) is None


def test_iciq_total_prefers_the_items() -> None:
    """With valid items the total is computed; otherwise the recorded total is used."""
    items = {
        "questionnaires.iciq_frequency": 1,
        "questionnaires.iciq_amount": 2,
        "questionnaires.iciq_interference": 3,
        "questionnaires.iciq_total": 9,
    }
    assert measures.iciq_total_from(results(items)) == 6
    assert measures.iciq_band_from(results(items)) is IciqBand.MODERATE
    assert measures.iciq_total_from(results({"questionnaires.iciq_total": 13})) == 13
    assert measures.iciq_total_from(results({**items, "questionnaires.iciq_amount": 3})) is None
    assert measures.iciq_band_from(results({})) is None


def test_pfdi_total_from_subscales_or_recorded_total() -> None:
    """Sub-scales sum to the summary; a recorded total is used when they are missing."""
    parts = {
        "questionnaires.pfdi_udi6": 25,
        "questionnaires.pfdi_cradi8": 12.5,
        "questionnaires.pfdi_popdi6": 0,
    }
    assert measures.pfdi_total_from(results(parts)) == 37.5
    assert measures.pfdi_total_from(results({"questionnaires.pfdi_total": 40})) == 40
    assert measures.pfdi_total_from(results({"questionnaires.pfdi_total": 400})) is None


def test_tuck_jump_total_needs_scoring_and_all_items() -> None:
    """All ten items in the recorded scoring give the total."""
    items = {f"jumping.{item}": 1 for item in measures.TUCK_ITEMS}
    assert measures.tuck_jump_total_from(results({**items, "jumping.tuck_scoring": "original"})) == 10
    assert measures.tuck_jump_total_from(results(items)) is None
    items["jumping.tuck_pause"] = 2
    assert measures.tuck_jump_total_from(results({**items, "jumping.tuck_scoring": "modified"})) == 11
    assert measures.tuck_jump_total_from(results({**items, "jumping.tuck_scoring": "original"})) is None


def test_limb_symmetries_of_hop_tests(forms: FormCatalogue) -> None:
    """Distance hops use weaker ÷ stronger, the timed hop faster ÷ slower; incomplete pairs are skipped."""
    hop = forms.form("hop")
    assert hop is not None
    values = results(
        {
            "hop.single_hop.left": 90,
            "hop.single_hop.right": 100,
            "hop.timed_hop_6m.left": 2.0,
            "hop.timed_hop_6m.right": 2.5,
            "hop.triple_hop.left": 300,
        }
    )
    lsi = measures.limb_symmetries(values, hop)
    assert set(lsi) == {"single_hop", "timed_hop_6m"}
    assert lsi["single_hop"].index == pytest.approx(90)
    assert lsi["timed_hop_6m"].index == pytest.approx(80)
    assert lsi["timed_hop_6m"].weaker_side is Side.RIGHT


def test_limb_symmetries_of_strength_tests(forms: FormCatalogue) -> None:
    """Strength LSIs use reps; two zero sides have no index."""
    strength = forms.form("strength")
    assert strength is not None
    values = results(
        {
            "strength.bridge.left": 15,
            "strength.bridge.right": 20,
            "strength.calf_raise.left": 0,
            "strength.calf_raise.right": 0,
        }
    )
    lsi = measures.limb_symmetries(values, strength)
    assert list(lsi) == ["bridge"] and lsi["bridge"].index == pytest.approx(75)


def test_numbers_too_large_for_a_float_count_as_not_recorded() -> None:
    """A huge integer (unvalidated input) gives None instead of an OverflowError."""
    assert measures.bmi_from(results({"history.weight_kg": 10**400, "history.height_cm": 160})) is None


def test_ird_measurements_keep_their_unit() -> None:
    """IRDs come back in the recorded unit with site and condition; no unit, no measurements."""
    values = {
        "diastasis.method": "finger_widths",
        "diastasis.unit": "finger_widths",
        "diastasis.ird_umbilicus_curl": 2,
        "diastasis.ird_below_rest": 1,
    }
    found = measures.ird_measurements(results(values))
    assert [(m.site, m.condition, m.value, m.unit) for m in found] == [
        ("umbilicus", "curl", 2, "finger_widths"),
        ("below", "rest", 1, "finger_widths"),
    ]
    assert measures.ird_measurements(results({"diastasis.ird_umbilicus_curl": 2})) == ()


anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-100, 100),
    st.just(10**400),
    st.floats(),
    st.text(max_size=4),
    st.lists(st.text(max_size=3), max_size=2).map(tuple),
)


@given(
    st.dictionaries(
        st.sampled_from(
            [
                *POPQ,
                "prolapse.hysterectomy",
                "history.weight_kg",
                "history.height_cm",
                "questionnaires.iciq_total",
                "questionnaires.iciq_amount",
                "questionnaires.pfdi_udi6",
                "jumping.tuck_scoring",
                "jumping.tuck_pause",
                "diastasis.unit",
                "diastasis.ird_above_rest",
            ]
        ),
        anything,
    )
)
def test_measures_never_raise_on_unvalidated_results(values: dict[str, Any]) -> None:
    """Every helper returns a value or None for any recorded content, never an exception."""
    r = results(values)
    measures.bmi_from(r)
    measures.popq_stage_from(r)
    measures.baden_walker_max_grade(r)
    measures.iciq_band_from(r)
    measures.pfdi_total_from(r)
    measures.tuck_jump_total_from(r)
    assert isinstance(measures.ird_measurements(r), tuple)
