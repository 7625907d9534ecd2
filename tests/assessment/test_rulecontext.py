"""Tests for RuleInput and the checks every form gets (required fields, both sides)."""

from __future__ import annotations

from clinic_app.assessment.rulecontext import RuleInput, check_required, check_sides
from clinic_app.assessment.spec import FormCatalogue


def test_rule_input_helpers(forms: FormCatalogue) -> None:
    """Valid values, recorded keys, labels and choice labels are read as documented."""
    form = forms.form("prolapse")
    assert form is not None
    rule = RuleInput(form, {"exam_state": "declined", "popq_tvl": 9, "consent": True},
                     frozenset({"exam_state", "popq_tvl", "consent", "popq_aa"}))  # fmt: skip
    assert rule.number("popq_tvl") == 9.0
    assert rule.number("consent") is None
    assert rule.has("popq_aa") and rule.get("popq_aa") is None
    assert rule.label("popq_tvl") == "POP-Q total vaginal length (tvl)"
    assert rule.label("nonexistent") == "nonexistent"
    assert rule.choice_label("exam_state") == "Declined by the patient"
    assert rule.choice_label("system") == ""
    error = rule.error("popq_aa", "check it")
    assert error.path == "prolapse.popq_aa" and error.message == "POP-Q point Aa: check it"


def test_check_required_only_when_form_recorded(forms: FormCatalogue) -> None:
    """An empty form needs nothing; a started one needs its required fields."""
    form = forms.form("pelvic_floor")
    assert form is not None
    assert check_required(RuleInput(form, {}, frozenset())) == []
    errors = check_required(RuleInput(form, {"mos": 3}, frozenset({"mos"})))
    assert [e.path for e in errors] == ["pelvic_floor.exam_state"]


def test_check_sides_accepts_a_reason(forms: FormCatalogue) -> None:
    """One side needs the other or a missing_reason; both sides or none are fine."""
    form = forms.form("strength")
    assert form is not None
    one = frozenset({"bridge.left"})
    assert [e.path for e in check_sides(RuleInput(form, {}, one))] == ["strength.bridge.right"]
    assert check_sides(RuleInput(form, {}, one | {"bridge.missing_reason"})) == []
    assert check_sides(RuleInput(form, {}, frozenset({"bridge.left", "bridge.right"}))) == []
    assert check_sides(RuleInput(form, {}, frozenset())) == []
