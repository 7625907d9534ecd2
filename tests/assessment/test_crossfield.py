"""Tests for the cross-field rules the forms name, and the checks every form gets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from clinic_app.assessment.spec import FormCatalogue
from clinic_app.assessment.validate import validate

TODAY = dt.date(2026, 11, 25)

POPQ = {
    "prolapse.exam_state": "performed",
    "prolapse.consent": True,
    "prolapse.system": "popq",
    "prolapse.popq_aa": -2,
    "prolapse.popq_ba": -2,
    "prolapse.popq_c": -7,
    "prolapse.popq_d": -9,
    "prolapse.popq_ap": -3,
    "prolapse.popq_bp": -3,
    "prolapse.popq_gh": 3,
    "prolapse.popq_pb": 3,
    "prolapse.popq_tvl": 9,
}


def found(forms: FormCatalogue, values: dict[str, Any]) -> dict[str, str]:
    """Validate and return message by path."""
    return {e.path: e.message for e in validate(values, forms, today=TODAY)}


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Copy ``base`` with changes; keys use '__' for '.', a None value removes the key."""
    out = dict(base)
    for key, value in changes.items():
        path = key.replace("__", ".")
        if value is None:
            out.pop(path, None)
        else:
            out[path] = value
    return out


# --- POP-Q and prolapse exam --------------------------------------------------------------------


def test_complete_popq_exam_is_valid(forms: FormCatalogue) -> None:
    """Nine points with consent and a system raise nothing."""
    assert found(forms, POPQ) == {}


@pytest.mark.parametrize(
    ("changes", "path", "fragment"),
    [
        (
            {"prolapse__popq_ba": 9.5},
            "prolapse.popq_ba",
            "9.5 cm is outside −3…+9 cm for a total vaginal length of 9",
        ),
        ({"prolapse__popq_bp": 10}, "prolapse.popq_bp", "outside −3…+9"),
        ({"prolapse__popq_c": -9.5}, "prolapse.popq_c", "outside −9…+9"),
        ({"prolapse__popq_d": 9.5}, "prolapse.popq_d", "outside −9…+9"),
        ({"prolapse__popq_gh": 0}, "prolapse.popq_gh", "0 cm is outside 0.5–10 cm"),
        ({"prolapse__popq_tvl": 0}, "prolapse.popq_tvl", "outside 4–14"),
        ({"prolapse__popq_aa": 3.5}, "prolapse.popq_aa", "outside −3 to 3 cm"),
    ],
)
def test_popq_point_limits(forms: FormCatalogue, changes: dict[str, Any], path: str, fragment: str) -> None:
    """Aa/Ap −3…+3, Ba/Bp −3…+tvl, C/D −tvl…+tvl and gh, pb, tvl above zero."""
    assert fragment in found(forms, with_(POPQ, **changes))[path]


def test_popq_points_at_their_limits_are_valid(forms: FormCatalogue) -> None:
    """Ba = +tvl, C = −tvl and D = +tvl are allowed extremes."""
    assert found(forms, with_(POPQ, prolapse__popq_ba=9, prolapse__popq_c=-9, prolapse__popq_d=9)) == {}


@pytest.mark.parametrize("point", ["aa", "ba", "c", "d", "ap", "bp", "gh", "pb", "tvl"])
def test_all_nine_points_required_for_a_performed_popq_exam(forms: FormCatalogue, point: str) -> None:
    """Leaving out any point of a performed POP-Q exam is reported at that point."""
    errors = found(forms, with_(POPQ, **{f"prolapse__popq_{point}": None}))
    assert "all nine POP-Q points" in errors[f"prolapse.popq_{point}"]


def test_d_absent_after_hysterectomy(forms: FormCatalogue) -> None:
    """After hysterectomy D must be left empty, and its absence is then not an error."""
    assert found(forms, with_(POPQ, prolapse__hysterectomy=True, prolapse__popq_d=None)) == {}
    errors = found(forms, with_(POPQ, prolapse__hysterectomy=True))
    assert "does not exist after hysterectomy" in errors["prolapse.popq_d"]


def test_points_not_required_when_exam_declined(forms: FormCatalogue) -> None:
    """A declined exam needs no points, and recorded points are contradictions."""
    assert found(forms, {"prolapse.exam_state": "declined"}) == {}
    errors = found(
        forms, {"prolapse.exam_state": "declined", "prolapse.popq_aa": -3, "prolapse.bw_anterior": 1}
    )
    assert "'Declined by the patient'" in errors["prolapse.popq_aa"]
    assert "bw_anterior" in str(list(errors))


def test_consent_and_system_required_when_performed(forms: FormCatalogue) -> None:
    """A performed exam without consent given, or without a system, is reported."""
    errors = found(forms, {"prolapse.exam_state": "performed", "prolapse.consent": False})
    assert "consent must be recorded as given" in errors["prolapse.consent"]
    assert "choose POP-Q or Baden–Walker" in errors["prolapse.system"]
    missing = found(forms, {"prolapse.exam_state": "performed", "prolapse.system": "baden_walker"})
    assert "prolapse.consent" in missing


def test_exam_state_required_when_prolapse_recorded(forms: FormCatalogue) -> None:
    """Any prolapse value without the exam state asks for the state."""
    assert "required" in found(forms, {"prolapse.popq_aa": -3})["prolapse.exam_state"]


def test_baden_walker_needs_three_compartments_and_no_popq(forms: FormCatalogue) -> None:
    """A Baden–Walker exam grades all compartments; POP-Q points with it are contradictions."""
    base = {
        "prolapse.exam_state": "performed",
        "prolapse.consent": True,
        "prolapse.system": "baden_walker",
        "prolapse.bw_anterior": 1,
        "prolapse.bw_apical": 0,
        "prolapse.bw_posterior": 2,
    }
    assert found(forms, base) == {}
    errors = found(forms, with_(base, prolapse__bw_apical=None, prolapse__popq_aa=-3))
    assert "grade every compartment" in errors["prolapse.bw_apical"]
    assert "staging system is Baden–Walker" in errors["prolapse.popq_aa"]
    assert "staging system is POP-Q" in found(forms, with_(POPQ, prolapse__bw_apical=1))["prolapse.bw_apical"]


# --- diastasis ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "unit", "ok"),
    [
        ("finger_widths", "finger_widths", True),
        ("calipers", "cm", True),
        ("ultrasound", "mm", True),
        ("finger_widths", "cm", False),
        ("tape", "finger_widths", False),
    ],
)
def test_ird_unit_matches_method(forms: FormCatalogue, method: str, unit: str, ok: bool) -> None:
    """Finger-widths as a unit go with the finger-width method and only with it."""
    errors = found(forms, {"diastasis.method": method, "diastasis.unit": unit})
    assert ("diastasis.unit" not in errors) is ok


def test_doming_alone_needs_no_method(forms: FormCatalogue) -> None:
    """Doming and linea alba tension can be recorded without any distance, method or unit."""
    assert found(forms, {"diastasis.doming": True, "diastasis.linea_alba_tension": "partial"}) == {}


# --- questionnaires -----------------------------------------------------------------------------

ICIQ = {
    "questionnaires.iciq_administered": "paper_licensed",
    "questionnaires.iciq_frequency": 2,
    "questionnaires.iciq_amount": 4,
    "questionnaires.iciq_interference": 5,
}


def test_iciq_total_must_equal_items(forms: FormCatalogue) -> None:
    """Total 11 matches 2 + 4 + 5; 12 is reported with the expected sum."""
    assert found(forms, with_(ICIQ, questionnaires__iciq_total=11)) == {}
    message = found(forms, with_(ICIQ, questionnaires__iciq_total=12))["questionnaires.iciq_total"]
    assert "12 is not items 3 + 4 + 5 = 11" in message


def test_iciq_total_alone_is_fine(forms: FormCatalogue) -> None:
    """A total without items cannot be cross-checked and is accepted."""
    assert found(forms, {"questionnaires.iciq_total": 7}) == {}


def test_iciq_scores_need_the_questionnaire_administered(forms: FormCatalogue) -> None:
    """Scores recorded for a questionnaire marked not administered are contradictions."""
    errors = found(forms, with_(ICIQ, questionnaires__iciq_administered="not_administered"))
    assert "not administered" in errors["questionnaires.iciq_frequency"]


def test_pfdi_total_must_equal_sum(forms: FormCatalogue) -> None:
    """The PFDI-20 summary equals the sum of sub-scales within rounding."""
    base = {
        "questionnaires.pfdi_udi6": 8.3,
        "questionnaires.pfdi_cradi8": 3.1,
        "questionnaires.pfdi_popdi6": 4.2,
    }
    assert found(forms, with_(base, questionnaires__pfdi_total=15.6)) == {}
    assert found(forms, with_(base, questionnaires__pfdi_total=15.65)) == {}
    assert (
        "not the sum of the sub-scales, 15.6"
        in found(forms, with_(base, questionnaires__pfdi_total=30))["questionnaires.pfdi_total"]
    )


# --- jumping ------------------------------------------------------------------------------------


def test_tuck_items_follow_the_scoring(forms: FormCatalogue) -> None:
    """Original scoring allows 0–1 per item, modified 0–2; items need the scoring chosen."""
    assert found(forms, {"jumping.tuck_scoring": "modified", "jumping.tuck_pause": 2}) == {}
    original = found(forms, {"jumping.tuck_scoring": "original", "jumping.tuck_pause": 2})
    assert "did you mean modified scoring?" in original["jumping.tuck_pause"]
    assert "choose original or modified" in found(forms, {"jumping.tuck_pause": 1})["jumping.tuck_scoring"]
    assert found(forms, {"jumping.less_total": 5}) == {}


# --- symptoms and load tasks --------------------------------------------------------------------


def test_daily_pain_needs_sites_and_rating(forms: FormCatalogue) -> None:
    """Pain with daily activities requires its sites and rating; details without pain are contradictions."""
    errors = found(forms, {"symptoms.daily_activity_pain": True, "symptoms.daily_pain_sites": ()})
    assert set(errors) == {"symptoms.daily_pain_sites", "symptoms.daily_pain_rating"}
    ok = {
        "symptoms.daily_activity_pain": True,
        "symptoms.daily_pain_sites": ("hip",),
        "symptoms.daily_pain_rating": 3,
    }
    assert found(forms, ok) == {}
    contradiction = found(forms, with_(ok, symptoms__daily_activity_pain=False))
    assert "no pain is recorded" in contradiction["symptoms.daily_pain_rating"]


def test_load_task_needs_outcome_and_symptoms(forms: FormCatalogue) -> None:
    """A recorded task must say whether it was completed and what it provoked."""
    errors = found(forms, {"load_impact.l4_dose": 1})
    assert set(errors) == {"load_impact.l4_completed", "load_impact.l4_symptoms"}


def test_load_task_pain_needs_site_and_rating(forms: FormCatalogue) -> None:
    """Pain in a task requires its site and 0–10 rating; 'none' with a rating is a contradiction."""
    base = {"load_impact.l5_completed": False, "load_impact.l5_symptoms": ("pain", "leakage")}
    errors = found(forms, base)
    assert "required because the task provoked pain" in errors["load_impact.l5_pain_site"]
    assert "load_impact.l5_pain_rating" in errors
    assert (
        found(forms, with_(base, load_impact__l5_pain_site="pubic symphysis", load_impact__l5_pain_rating=4))
        == {}
    )
    assert found(forms, with_(base, load_impact__l5_pain_site=" ", load_impact__l5_pain_rating=4)) != {}
    none_with_rating = {
        "load_impact.l5_completed": True,
        "load_impact.l5_symptoms": ("none",),
        "load_impact.l5_pain_rating": 2,
    }
    assert "no pain is recorded" in found(forms, none_with_rating)["load_impact.l5_pain_rating"]


# --- sides and pelvic floor ---------------------------------------------------------------------


def test_sided_value_needs_both_sides_or_a_reason(forms: FormCatalogue) -> None:
    """One side alone is reported at the missing side unless a reason is given."""
    errors = found(forms, {"hop.triple_hop.right": 350})
    assert "the left side is missing" in errors["hop.triple_hop.left"]
    assert (
        found(forms, {"hop.triple_hop.right": 350, "hop.triple_hop.missing_reason": "left ankle sprain"})
        == {}
    )
    assert found(forms, {"hop.triple_hop.left": 340, "hop.triple_hop.right": 350}) == {}


def test_invalid_side_is_reported_once(forms: FormCatalogue) -> None:
    """A wrong value on one side is one error, not also a 'missing side'."""
    errors = found(forms, {"hop.triple_hop.left": "far", "hop.triple_hop.right": 350})
    assert list(errors) == ["hop.triple_hop.left"]


def test_pelvic_floor_exam_values_need_a_performed_exam(forms: FormCatalogue) -> None:
    """MOS and PERFECT are internal findings; cough tests may be recorded without them."""
    assert (
        found(forms, {"pelvic_floor.exam_state": "declined", "pelvic_floor.cough_test_standing": "negative"})
        == {}
    )
    errors = found(forms, {"pelvic_floor.exam_state": "not_indicated", "pelvic_floor.mos": 3})
    assert "'Not indicated'" in errors["pelvic_floor.mos"]
