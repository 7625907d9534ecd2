"""Nothing typed is lost: a killed window's values come back from the journal on the next start."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from clinic_app.services import visits
from clinic_app.ui import ask
from clinic_app.ui.mainwindow import MainWindow
from tests.ui.conftest import DEMO_PASSWORD

CHILD = Path(__file__).resolve().parents[1] / "journal_child.py"
TYPED = {
    "strength.calf_raise.left": 23,
    "strength.calf_raise.right": 19,
    "hop.single_hop.left": 112.5,
    "hop.single_hop.right": 98.0,
    "diastasis.method": "calipers",
    "diastasis.unit": "mm",
    "diastasis.ird_umbilicus_rest": 21.5,
    "symptoms.urinary_leakage": False,
}


def _draft_visit(ctx) -> str:
    """A new empty draft visit of the demo clinic's first patient with a birth."""
    from clinic_app.services import patients

    person = patients.search_patients(ctx.db, "Zoë")[0]
    created = visits.create_visit(
        ctx.db,
        person.id,
        visits.get_visit(ctx.db, "V-0001-2A").visit_date,
        user=ctx.user,
    )
    assert created.created_id
    return created.created_id


def test_values_typed_before_a_kill_are_offered_back_and_restored(qtbot, ctx, monkeypatch, tmp_path):
    """SIGKILL after typing: the database is untouched, the next start restores every typed value."""
    visit_id = _draft_visit(ctx)
    journal_dir = tmp_path / "journal"
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, str(CHILD), url, str(journal_dir), visit_id, json.dumps(TYPED), DEMO_PASSWORD],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 90
        line = ""
        while time.monotonic() < deadline and "JOURNALED" not in line:
            line = child.stdout.readline() if child.stdout else ""
            if not line and child.poll() is not None:
                break
        assert "JOURNALED" in line, child.stderr.read() if child.stderr else "no output"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert len(visits.get_visit(ctx.db, visit_id).results) == 0  # nothing was saved before the kill

    ctx.journal.folder = journal_dir
    offered: list[str] = []

    def restore(_parent, title, _text, buttons):
        offered.append(title)
        return buttons.index("Restore")

    monkeypatch.setattr(ask, "choose", restore)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.restore_journal()
    assert offered == ["Unsaved values found"]
    editor = window.editor
    assert editor.visit_id == visit_id and editor.dirty
    collected = editor.binder.collect()
    for path, value in TYPED.items():
        assert collected[path] == value, path
    editor.save()
    assert editor.summary.isHidden(), editor.summary.paths()
    assert {str(k): v for k, v in visits.get_visit(ctx.db, visit_id).results.items()} == TYPED
    assert ctx.journal.read(visit_id) is None


def test_discarding_the_offer_removes_the_journal(qtbot, ctx, monkeypatch):
    """When she declines, the journal entry goes and the visit stays as stored."""
    visit_id = _draft_visit(ctx)
    ctx.journal.write(
        visit_id, patient_id="P-0001", version=1, clinician_id=ctx.actor_id, values={"hop.x": 1}
    )
    monkeypatch.setattr(ask, "choose", lambda _p, _t, _x, buttons: buttons.index("Discard"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.restore_journal()
    assert ctx.journal.read(visit_id) is None
    assert window.editor.visit_id is None


def test_journal_values_older_than_the_stored_visit_are_shown_not_applied(qtbot, ctx, monkeypatch):
    """Saved elsewhere after she typed: the conflict dialog lists her values; reload keeps the stored ones."""
    from clinic_app.domain.model import Results
    from clinic_app.ui.visit.conflict import ConflictDialog

    visit_id = _draft_visit(ctx)
    stored = visits.get_visit(ctx.db, visit_id)
    ctx.journal.write(
        visit_id,
        patient_id=str(stored.patient_id),
        version=stored.version,
        clinician_id=ctx.actor_id,
        values={"strength.calf_raise.left": 30, "strength.calf_raise.right": 31},
    )
    visits.save_results(
        ctx.db,
        visit_id,
        stored.version,
        Results({"strength.calf_raise.left": 12, "strength.calf_raise.right": 13}),
        user=ctx.user,
    )
    monkeypatch.setattr(ask, "choose", lambda _p, _t, _x, buttons: buttons.index("Restore"))
    shown: list[ConflictDialog] = []

    def reload(dialog: ConflictDialog) -> bool:
        shown.append(dialog)
        return True

    monkeypatch.setattr(ask, "run_dialog", reload)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.restore_journal()
    assert len(shown) == 1
    assert shown[0].paths == ["strength.calf_raise.left", "strength.calf_raise.right"]
    assert "30" in shown[0].typed_text.toPlainText()
    assert window.editor.binder.collect()["strength.calf_raise.left"] == 12
    assert not window.editor.dirty
    assert ctx.journal.read(visit_id) is None
    shown[0].close()
