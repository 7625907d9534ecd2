"""Two workstations: a save refused as a conflict shows what changed, keeps her values, offers reload.

Run on a shared SQLite file (two engines on one file) and on the real PostgreSQL server the tests start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
from clinic_app.domain.model import Delivery, Results
from clinic_app.services import patients, visits
from clinic_app.services.clinic import Database, open_clinic
from clinic_app.services.journal import DraftJournal
from clinic_app.services.session import sign_in
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.mainwindow import MainWindow
from clinic_app.ui.tasks import SyncTaskRunner
from clinic_app.ui.visit.conflict import ConflictDialog
from tests.ui.entry import enter

PASSWORD = "two workstations"


def _clinic(db: Database) -> str:
    """One clinician, one patient with a birth and one draft visit; return the visit id."""
    patients.add_clinician(db, name="Alex Byrne", password=PASSWORD, actor_id="system", clinician_id="C-1")
    user = sign_in(db, "C-1", PASSWORD)
    patients.create_patient(
        db,
        family_name="Ní Bhriain",
        given_names="Zoë",
        date_of_birth=dt.date(1991, 4, 2),
        delivery=Delivery(dt.date(2026, 6, 1), DeliveryMode.SPONTANEOUS_VAGINAL, PerinealTrauma.NONE, 1),
        patient_id="P-1",
        user=user,
    )
    created = visits.create_visit(
        db,
        "P-1",
        dt.date(2026, 9, 14),
        user=user,
        results=Results({"strength.calf_raise.left": 20, "strength.calf_raise.right": 20}),
    )
    assert created.created_id
    return created.created_id


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Database, Database, str]]:
    """The same clinic opened twice, as two workstations would, with one draft visit."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_database_url")
    first = open_clinic(url)
    visit_id = _clinic(first)
    second = open_clinic(url)
    yield first, second, visit_id
    second.dispose()
    first.dispose()


def _context(db: Database, folder: Path) -> AppContext:
    return AppContext(
        db=db,
        tasks=SyncTaskRunner(),
        journal=DraftJournal(folder),
        user=sign_in(db, "C-1", PASSWORD),
    )


def test_a_stale_save_is_refused_shown_and_reloaded_with_her_values_kept(
    qtbot, two_databases, tmp_path, monkeypatch
):
    """Workstation B saved first: A's save is refused, the dialog lists the difference, reload keeps hers."""
    first, second, visit_id = two_databases
    ctx = _context(first, tmp_path / "a")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_visit("P-1", visit_id)
    editor = window.editor
    enter(editor.pages["strength"], "strength.calf_raise.left", 24)
    enter(editor.pages["strength"], "strength.calf_raise.right", 22)

    # Meanwhile the other workstation saves the same visit.
    stored = visits.get_visit(second, visit_id)
    visits.save_results(
        second,
        visit_id,
        stored.version,
        Results({"strength.calf_raise.left": 18, "strength.calf_raise.right": 21}),
        user=sign_in(second, "C-1", PASSWORD),
    )

    shown: list[ConflictDialog] = []

    def reload(dialog: ConflictDialog) -> bool:
        shown.append(dialog)
        dialog.reload()
        return True

    monkeypatch.setattr(ask, "run_dialog", reload)
    editor.save()
    assert len(shown) == 1
    dialog = shown[0]
    assert dialog.paths == ["strength.calf_raise.left", "strength.calf_raise.right"]
    assert "24" in dialog.typed_text.toPlainText() and "22" in dialog.typed_text.toPlainText()
    # The other workstation's save is what is stored; nothing of hers overwrote it.
    assert visits.get_visit(second, visit_id).results["strength.calf_raise.left"] == 18
    # Reloaded: the editor shows the stored values at the new version, her values stay in the dialog.
    assert editor.binder.collect()["strength.calf_raise.left"] == 18
    assert editor.version == visits.get_visit(first, visit_id).version
    assert not editor.dirty
    assert dialog.isVisible()
    dialog.close()


def test_keep_editing_leaves_her_values_in_the_editor(qtbot, two_databases, tmp_path, monkeypatch):
    """Choosing to keep editing changes nothing: her typed values stay, still unsaved."""
    first, second, visit_id = two_databases
    ctx = _context(first, tmp_path / "a")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_visit("P-1", visit_id)
    editor = window.editor
    enter(editor.pages["strength"], "strength.calf_raise.left", 30)
    stored = visits.get_visit(second, visit_id)
    visits.save_results(second, visit_id, stored.version, Results(), user=sign_in(second, "C-1", PASSWORD))
    monkeypatch.setattr(ask, "run_dialog", lambda dialog: False)
    editor.save()
    assert editor.dirty
    assert editor.binder.collect()["strength.calf_raise.left"] == 30
    assert len(visits.get_visit(second, visit_id).results) == 0
    editor.discard_changes()
