"""The decision dialogs: override, confirm and sign call the services and show their answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic_app.domain.visitfile import parse_visit_file
from clinic_app.readiness.decision import Status
from clinic_app.services import decisions, patients, visits
from clinic_app.ui import ask
from clinic_app.ui.visit.decisions import OverrideDialog, confirm_decision
from clinic_app.ui.visit.dialogparts import WRONG_PASSWORD
from clinic_app.ui.visit.sign import SignDialog

DEMO_PASSWORD = "runready-demo"
SCENARIOS = Path(__file__).parents[2] / "readiness" / "scenarios"


def visit_from_scenario(ctx, stem: str) -> tuple[str, int]:
    """Store a scenario's patient, birth and values as a new draft visit of the signed-in clinician."""
    path = next(SCENARIOS.glob(f"{stem}*.json"))
    record = parse_visit_file(json.loads(path.read_text(encoding="utf-8"))).record
    assert record is not None
    added = patients.create_patient(
        ctx.db,
        family_name=record.patient.family_name,
        given_names=record.patient.given_names,
        date_of_birth=record.patient.date_of_birth,
        user=ctx.user,
        delivery=record.delivery,
    )
    assert added.created_id is not None
    opened = visits.create_visit(
        ctx.db,
        added.created_id,
        record.visit.visit_date,
        user=ctx.user,
        results=record.visit.results,
    )
    assert opened.created_id is not None
    return opened.created_id, visits.get_visit(ctx.db, opened.created_id).version


@pytest.fixture
def parent(qtbot):
    """A parent widget for the dialogs."""
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def override_dialog(parent, ctx, stem: str) -> tuple[OverrideDialog, str]:
    """An override dialog on a fresh visit made from a scenario."""
    visit_id, version = visit_from_scenario(ctx, stem)
    dialog = OverrideDialog(parent, ctx, visit_id, version, decisions.propose(ctx.db, visit_id))
    return dialog, visit_id


def test_override_records_reason_and_password(parent, ctx) -> None:
    """Ticking O1 with a reason and the right password records an override and closes the dialog."""
    dialog, visit_id = override_dialog(parent, ctx, "08_")
    assert dialog.overridable_rules() == ("O1",)
    dialog.set_override("O1", "asymptomatic stage II, pessary fitted, specialist review")
    dialog.password.setText(DEMO_PASSWORD)
    assert dialog.ok_button.isEnabled()
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.changes is not None and dialog.changes.touches_visit(visit_id)
    [entry] = decisions.list_decisions(ctx.db, visit_id)
    assert entry.action == "overridden"
    assert entry.overrides == (("O1", "asymptomatic stage II, pessary fitted, specialist review"),)


def test_ticked_rule_needs_a_reason(parent, ctx) -> None:
    """A ticked rule without a reason keeps OK disabled and shows the message at its line."""
    dialog, _ = override_dialog(parent, ctx, "08_")
    dialog.password.setText(DEMO_PASSWORD)
    dialog.set_override("O1", "")
    row = dialog.row("O1")
    assert row is not None
    assert not dialog.ok_button.isEnabled()
    assert "O1" in row.message.text() and not row.message.isHidden()


def test_ok_needs_password(parent, ctx) -> None:
    """Without the password OK stays disabled."""
    dialog, _ = override_dialog(parent, ctx, "08_")
    dialog.set_override("O1", "pessary fitted")
    assert not dialog.ok_button.isEnabled()


def test_wrong_password_keeps_dialog_open(parent, ctx) -> None:
    """A wrong password shows a message, clears the field, keeps the dialog open and records nothing."""
    dialog, visit_id = override_dialog(parent, ctx, "08_")
    dialog.set_override("O1", "pessary fitted")
    dialog.password.setText("not-her-password")
    dialog.submit()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.message.text().endswith(WRONG_PASSWORD)
    assert dialog.password.text() == ""
    assert decisions.list_decisions(ctx.db, visit_id) == []


def test_symptom_hold_is_not_overridable(parent, ctx) -> None:
    """Symptom holds are listed greyed as not overridable; O2 is offered."""
    dialog, _ = override_dialog(parent, ctx, "04_")
    assert dialog.overridable_rules() == ("O2",)
    assert {"P1", "P2", "P3", "P6", "L6", "L7"} <= set(dialog.blocked_rules)


def test_service_refusal_is_shown_in_the_dialog(parent, ctx) -> None:
    """A status the remaining holds forbid is refused by the service; its message is shown."""
    dialog, visit_id = override_dialog(parent, ctx, "04_")
    dialog.set_override("O2", "generates linea alba tension without doming")
    dialog.final_status.setCurrentIndex(dialog.final_status.findData(Status.READY.value))
    dialog.password.setText(DEMO_PASSWORD)
    dialog.submit()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "holds remain" in dialog.message.text()
    assert decisions.list_decisions(ctx.db, visit_id) == []


def test_overridable_gap_is_offered(parent, ctx) -> None:
    """A gate not assessed whose rule is overridable (O1 after a declined exam) gets a checkbox."""
    dialog, _ = override_dialog(parent, ctx, "07_")
    assert "O1" in dialog.overridable_rules()
    assert "S1" in dialog.blocked_rules


def test_password_field_is_masked(parent, ctx) -> None:
    """The password is typed masked and has an accessible name."""
    dialog, _ = override_dialog(parent, ctx, "08_")
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    assert dialog.password.accessibleName()


def test_confirm_asks_then_records(parent, ctx, monkeypatch) -> None:
    """Confirm asks first, then records a CONFIRMED decision."""
    visit_id, version = visit_from_scenario(ctx, "01_")
    questions: list[str] = []
    monkeypatch.setattr(ask, "confirm", lambda _p, _t, text: questions.append(text) or True)
    done = []
    assert confirm_decision(parent, ctx, visit_id, version, done.append, proposed=Status.READY)
    assert "as your decision?" in questions[0]
    assert done and done[0].touches_visit(visit_id)
    assert decisions.list_decisions(ctx.db, visit_id)[-1].action == "confirmed"


def test_confirm_declined_records_nothing(parent, ctx, monkeypatch) -> None:
    """Answering No to the question records nothing."""
    visit_id, version = visit_from_scenario(ctx, "01_")
    monkeypatch.setattr(ask, "confirm", lambda *_: False)
    assert not confirm_decision(parent, ctx, visit_id, version, lambda _c: None)
    assert decisions.list_decisions(ctx.db, visit_id) == []


def test_confirm_conflict_goes_to_failure_handler(parent, ctx, monkeypatch) -> None:
    """A stale version is refused and handed to the caller's failure handler."""
    from clinic_app.services.errors import ConflictError

    visit_id, version = visit_from_scenario(ctx, "01_")
    monkeypatch.setattr(ask, "confirm", lambda *_: True)
    errors: list[BaseException] = []
    confirm_decision(parent, ctx, visit_id, version + 5, lambda _c: None, on_failure=errors.append)
    assert errors and isinstance(errors[0], ConflictError)


def sign_dialog(parent, ctx) -> tuple[SignDialog, str]:
    """A sign dialog on a fresh, confirmed visit."""
    visit_id, version = visit_from_scenario(ctx, "01_")
    visit = visits.get_visit(ctx.db, visit_id)
    dialog = SignDialog(
        parent, ctx, visit_id, version, patient_name="Aoife Byrne", visit_date=visit.visit_date,
        final_status=Status.READY,
    )
    return dialog, visit_id


def test_sign_with_right_password(parent, ctx) -> None:
    """The right password signs the visit and closes the dialog."""
    dialog, visit_id = sign_dialog(parent, ctx)
    assert "Aoife Byrne" in dialog.summary.text()
    assert not dialog.ok_button.isEnabled()
    dialog.password.setText(DEMO_PASSWORD)
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert visits.get_visit(ctx.db, visit_id).status.value == "signed"


def test_sign_refuses_wrong_password(parent, ctx) -> None:
    """A wrong password leaves the visit a draft and the dialog open with a message."""
    dialog, visit_id = sign_dialog(parent, ctx)
    dialog.password.setText("wrong")
    dialog.submit()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "password is not right" in dialog.message.text()
    assert dialog.password.text() == ""
    assert visits.get_visit(ctx.db, visit_id).status.value == "draft"
