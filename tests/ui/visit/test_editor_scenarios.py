"""Every readiness scenario entered through the editor's widgets: saved, read back equal, same proposal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic_app.domain.visitfile import VisitRecord, parse_visit_file
from clinic_app.readiness.engine import assess
from clinic_app.services import patients, visits
from clinic_app.ui.mainwindow import MainWindow
from clinic_app.ui.outcome import outcome_text
from tests.ui.entry import enter

SCENARIOS = sorted((Path(__file__).parents[2] / "readiness" / "scenarios").glob("*.json"))


def _record(path: Path) -> VisitRecord:
    outcome = parse_visit_file(json.loads(path.read_text(encoding="utf-8")))
    assert outcome.record is not None, outcome.errors
    return outcome.record


def _register(ctx, record: VisitRecord) -> str:
    """Create the scenario's patient, birth and earlier visits; return a new empty draft visit id."""
    p = record.patient
    patients.create_patient(
        ctx.db,
        family_name=p.family_name,
        given_names=p.given_names,
        date_of_birth=p.date_of_birth,
        record_number=p.record_number,
        delivery=record.delivery,
        patient_id=p.id,
        user=ctx.user,
    )
    for earlier in record.previous:
        visits.create_visit(
            ctx.db,
            p.id,
            earlier.visit_date,
            user=ctx.user,
            results=earlier.results,
        )
    created = visits.create_visit(ctx.db, p.id, record.visit.visit_date, user=ctx.user)
    assert created.created_id
    return created.created_id


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_a_scenario_typed_into_the_widgets_saves_and_proposes_as_assess(qtbot, ctx, scenario: Path):
    """Typed through the inputs, the visit saves, reads back equal and the panel shows assess's status."""
    record = _record(scenario)
    visit_id = _register(ctx, record)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_visit(str(record.patient.id), visit_id)
    editor = window.editor
    assert editor.visit_id == visit_id
    for path, value in record.visit.results.items():
        form_id = editor.binder.owner_of(str(path))
        assert form_id is not None, f"no battery shows {path}"
        enter(editor.pages[form_id], str(path), value)
    qtbot.waitUntil(lambda: editor.evaluation is not None and not editor._evaluate_timer.isActive())
    assert editor.evaluation.errors == ()
    expected = assess(record)
    assert editor.evaluation.decision.status == expected.status
    shown = window.proposal.text()
    assert outcome_text(expected.status).split(" ", 1)[1] in shown
    for finding in expected.holds:
        assert finding.rule_id in shown

    editor.save()
    assert not editor.dirty
    stored = visits.get_visit(ctx.db, visit_id)
    assert dict(stored.results) == dict(record.visit.results)
    assert ctx.journal.read(visit_id) is None


def test_bad_values_in_several_fields_show_at_each_and_save_nothing(qtbot, ctx):
    """Three refused values: a message at each field, a summary line each, and nothing written."""
    record = _record(SCENARIOS[0])
    visit_id = _register(ctx, record)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_visit(str(record.patient.id), visit_id)
    editor = window.editor
    enter(editor.pages["diastasis"], "diastasis.unit", "cm")
    enter(editor.pages["diastasis"], "diastasis.method", "calipers")
    enter(editor.pages["diastasis"], "diastasis.ird_umbilicus_rest", 31.0)
    enter(editor.pages["strength"], "strength.calf_raise.left", 900)
    enter(editor.pages["strength"], "strength.calf_raise.right", 20)
    enter(editor.pages["hop"], "hop.single_hop.left", "1O5")
    qtbot.waitUntil(lambda: not editor._evaluate_timer.isActive())
    messages = editor.evaluation.messages
    assert "did you mean mm" in messages["diastasis.ird_umbilicus_rest"]
    assert "strength.calf_raise.left" in messages
    assert editor.pages["diastasis"].widget_for("diastasis.ird_umbilicus_rest").errors()
    assert editor.pages["strength"].widget_for("strength.calf_raise.left").errors()

    editor.save()
    assert editor.dirty
    assert not editor.summary.isHidden()
    assert {"diastasis.ird_umbilicus_rest", "strength.calf_raise.left"} <= set(editor.summary.paths())
    assert len(visits.get_visit(ctx.db, visit_id).results) == 0
    editor.summary.path_activated.emit("strength.calf_raise.left")
    assert editor.current_form_id() == "strength"
    assert "hop.single_hop.left" in messages
    editor.discard_changes()
