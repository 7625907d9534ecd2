"""The live proposal panel: what it shows for every outcome and which actions it offers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from clinic_app.domain.visitfile import parse_visit_file
from clinic_app.readiness.decision import ClinicianAction, Decision, NotAssessed, Status
from clinic_app.readiness.engine import assess
from clinic_app.ui.outcome import outcome_text
from clinic_app.ui.visit.proposal import ClinicianDecisionView, ProposalPanel, missing_labels, needs_summary

SCENARIOS = sorted((Path(__file__).parents[2] / "readiness" / "scenarios").glob("*.json"))


def scenario_decision(path: Path) -> Decision:
    """Assess one scenario file."""
    record = parse_visit_file(json.loads(path.read_text(encoding="utf-8"))).record
    assert record is not None
    return assess(record)


@pytest.fixture
def panel(qtbot) -> ProposalPanel:
    """A proposal panel, shown offscreen."""
    widget = ProposalPanel()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_panel_shows_status_words_and_every_hold(panel: ProposalPanel, path: Path) -> None:
    """Every scenario shows its status in words and the rule id of each hold."""
    decision = scenario_decision(path)
    panel.show_decision(decision)
    text = panel.text()
    assert outcome_text(decision.status) in text
    assert decision.headline in text
    for finding in decision.holds:
        assert f"{finding.rule_id} · {finding.title}" in text
    assert "safe" not in text.lower()


def test_function_holds_have_their_own_heading(panel: ProposalPanel) -> None:
    """Holds of status NOT_READY_FUNCTION are grouped under Function, not Holds."""
    decision = scenario_decision(next(p for p in SCENARIOS if "function" in p.stem))
    panel.show_decision(decision)
    text = panel.text()
    assert "Function (" in text
    assert "Holds (" not in text


def test_overridable_hold_is_marked(panel: ProposalPanel) -> None:
    """An overridable hold (O2) says it can be overridden with a reason; a symptom hold does not."""
    decision = scenario_decision(next(p for p in SCENARIOS if "diastasis" in p.stem))
    panel.show_decision(decision)
    text = panel.text()
    o2 = text[text.index("O2 · "):text.index("L6 · ")]
    assert "(can be overridden with a reason)" in o2
    p1 = text[text.index("P1 · "):text.index("P2 · ")]
    assert "can be overridden" not in p1


def test_not_assessed_names_what_is_missing_in_words(panel: ProposalPanel) -> None:
    """Not-assessed gates say what the rule still needs, by label and side, never by field path."""
    decision = scenario_decision(next(p for p in SCENARIOS if "incomplete" in p.stem))
    panel.show_decision(decision)
    text = panel.text()
    assert "Not assessed (" in text
    assert "Single-leg bridge (left); Single-leg bridge (right)" in text
    assert "Prolapse examination: Performed (recorded: Declined by the patient)" in text
    assert "and 7 more (listed in the clinician summary)" in text  # J1: scoring + ten criteria, shortened
    assert "strength.bridge.left" not in text


def test_a_gap_stored_without_needs_falls_back_to_field_labels() -> None:
    """A decision stored before the engine wrote its needs still names the fields by label."""
    gap = NotAssessed("S2", "Single-leg bridge", ("strength.bridge.left", "strength.bridge.right"), True)
    assert needs_summary(gap) == ["S2 Single-leg bridge (left, right)"]


def test_missing_labels_keeps_unknown_text() -> None:
    """A missing item that names no field is shown as written."""
    assert missing_labels(["prolapse examination (declined)"]) == ["prolapse examination (declined)"]


def test_plan_preview_lists_stages(panel: ProposalPanel) -> None:
    """A ready proposal previews the plan with run/walk stages and sessions a week."""
    decision = scenario_decision(SCENARIOS[0])
    panel.show_decision(decision)
    text = panel.text()
    assert decision.plan is not None and decision.plan.title in text
    assert "run 1 min / walk 1 min × 10" in text
    assert f"{decision.plan.sessions_per_week} sessions a week" in text


def test_referral_preview(panel: ProposalPanel) -> None:
    """A referral names to whom and why."""
    decision = scenario_decision(next(p for p in SCENARIOS if "refer" in p.stem))
    panel.show_decision(decision)
    text = panel.text()
    assert decision.referral is not None
    assert "Referral (urgent)" in text
    assert "GP" in text


def test_derived_values_are_shown(panel: ProposalPanel) -> None:
    """The derived values (BMI, weeks since birth …) appear with their display text."""
    decision = scenario_decision(SCENARIOS[0])
    panel.show_decision(decision)
    for value in decision.derived:
        assert value.display in panel.text()


def test_no_proposal_disables_confirm(panel: ProposalPanel) -> None:
    """Without a proposal Confirm and Override are disabled and say why."""
    panel.show_decision(None)
    panel.set_visit_state("draft", has_decision=False, final_status=None)
    assert not panel.confirm_button.isEnabled()
    assert "no proposal" in panel.confirm_button.toolTip().lower()


def test_draft_needs_a_decision_before_sign(panel: ProposalPanel) -> None:
    """A draft can be confirmed or overridden; Sign waits for a recorded decision and says so."""
    panel.show_decision(scenario_decision(SCENARIOS[0]))
    panel.set_visit_state("draft", has_decision=False, final_status=None)
    assert panel.confirm_button.isEnabled() and panel.override_button.isEnabled()
    assert not panel.sign_button.isEnabled()
    assert "first" in panel.sign_button.toolTip()
    assert not panel.amend_button.isEnabled()
    panel.set_visit_state("draft", has_decision=True, final_status="READY")
    assert panel.sign_button.isEnabled()


def test_signed_offers_only_amend(panel: ProposalPanel) -> None:
    """A signed visit offers only Amend."""
    panel.show_decision(scenario_decision(SCENARIOS[0]))
    panel.set_visit_state("signed", has_decision=True, final_status="READY")
    enabled = [b.isEnabled() for b in (panel.confirm_button, panel.override_button, panel.sign_button)]
    assert enabled == [False, False, False]
    assert panel.amend_button.isEnabled()


def test_amended_is_read_only(panel: ProposalPanel) -> None:
    """A visit replaced by an amendment offers nothing and says so."""
    panel.show_decision(scenario_decision(SCENARIOS[0]))
    panel.set_visit_state("amended", has_decision=True, final_status="READY")
    buttons = (panel.confirm_button, panel.override_button, panel.sign_button, panel.amend_button)
    assert not any(b.isEnabled() for b in buttons)
    assert "replaced by an amendment" in panel.text()


def test_recorded_override_is_shown(panel: ProposalPanel) -> None:
    """The clinician's recorded override shows who, the final status and each reason."""
    final = ClinicianDecisionView(
        action=ClinicianAction.OVERRIDDEN,
        final_status=Status.READY.value,
        clinician_name="Siobhán Walsh",
        decided_at=dt.datetime(2026, 9, 2, 10, 30, tzinfo=dt.UTC),
        overrides=(("O1", "asymptomatic stage II, pessary fitted"),),
    )
    panel.show_decision(scenario_decision(SCENARIOS[-1]), final=final)
    text = panel.text()
    assert "Overridden by Siobhán Walsh" in text
    assert "O1: asymptomatic stage II, pessary fitted" in text
    assert outcome_text(Status.READY) in text


def test_recorded_confirmation_is_shown(panel: ProposalPanel) -> None:
    """A confirmation reads 'Confirmed by … on …'."""
    final = ClinicianDecisionView(
        ClinicianAction.CONFIRMED, "READY", "Siobhán Walsh", dt.datetime(2026, 9, 2, 10, 30, tzinfo=dt.UTC)
    )
    panel.show_decision(scenario_decision(SCENARIOS[0]), final=final)
    assert "Confirmed by Siobhán Walsh on" in panel.text()


def test_buttons_emit_signals(panel: ProposalPanel, qtbot) -> None:
    """Each button emits its request signal."""
    panel.show_decision(scenario_decision(SCENARIOS[0]))
    panel.set_visit_state("draft", has_decision=True, final_status="READY")
    for button, signal in (
        (panel.confirm_button, panel.confirm_requested),
        (panel.override_button, panel.override_requested),
        (panel.sign_button, panel.sign_requested),
    ):
        with qtbot.waitSignal(signal, timeout=1000):
            button.click()
