"""The window's tool actions: each entry exists, opens only when it can, and saves typed values first."""

from __future__ import annotations

import importlib

import pytest

from clinic_app.services import visits
from clinic_app.ui import tools
from clinic_app.ui.mainwindow import MainWindow

DRAFT = "V-0002-3"  # the demo clinic's unsigned visit


@pytest.fixture
def window(qtbot, ctx) -> MainWindow:
    """The shown main window over the demo clinic, signed in."""
    shown = MainWindow(ctx)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


@pytest.fixture
def opened(monkeypatch) -> list[tuple[str, tuple[object, ...]]]:
    """Every tool the window opens, recorded instead of shown (the timed report warm-up left out)."""
    calls: list[tuple[str, tuple[object, ...]]] = []

    def record(tool: str):
        return lambda *args: None if tool == "warm_up" else calls.append((tool, args))

    monkeypatch.setattr(tools, "_tool", record)
    return calls


def test_every_tool_entry_is_a_real_function() -> None:
    """A renamed dialog entry fails here, not when the physio picks the menu item."""
    for tool, (module, name) in tools.TOOL_ENTRIES.items():
        assert callable(getattr(importlib.import_module(module), name)), tool


def test_visit_tools_wait_for_an_open_visit_and_clinic_tools_for_a_signed_in_clinician(qtbot, window) -> None:
    """Visit tools are off on the start page, on in a visit; the lock turns every tool off."""
    visit_tools = window.tools.visit_actions
    assert len(visit_tools) == 5 and not any(action.isEnabled() for action in visit_tools)
    assert all(action.isEnabled() for action in window.tools.clinic_actions)
    window.open_visit("", DRAFT)
    assert all(action.isEnabled() for action in visit_tools)
    window.lock()
    assert not any(action.isEnabled() for action in (*visit_tools, *window.tools.clinic_actions))


def test_a_preview_saves_the_typed_value_before_the_report_is_built(qtbot, window, ctx, opened) -> None:
    """The report reads the stored visit, so an unsaved value is saved first, then the preview opens."""
    window.open_visit("", DRAFT)
    path = "strength.bridge.left"
    field = window.editor.pages["strength"].widget_for(path).input_for(path)
    field.setText("43")
    assert window.editor.dirty
    window.tools.preview_referral()
    qtbot.waitUntil(lambda: bool(opened))
    assert visits.get_visit(ctx.db, DRAFT).results["strength.bridge.left"] == 43
    assert opened == [("preview", (window, ctx, DRAFT, "referral"))]


def test_file_and_report_menu_tools_open_over_the_window(window, ctx, opened) -> None:
    """Export, import, preferences and the batch each call their tool with the window and context."""
    for action in window.tools.clinic_actions:
        action.trigger()
    assert [tool for tool, _ in opened] == ["export", "import", "preferences", "report_batch"]
    assert all(args[:2] == (window, ctx) for _, args in opened)
    assert dict(opened)["export"] == (window, ctx, None)  # no patient open: nobody to offer


def test_export_offers_the_patient_of_the_open_visit(window, ctx, opened) -> None:
    """From a visit, File → Export… passes that visit's patient to the export dialog."""
    window.open_visit("", DRAFT)
    window.tools.export()
    (_, (_, _, patient)), *_ = [entry for entry in opened if entry[0] == "export"]
    assert patient is not None and patient.name == "Łucja Żmuda" and patient.patient_id == "P-0002"


def test_the_runner_is_not_offered_on_a_signed_visit(qtbot, window, opened) -> None:
    """A signed visit is read-only, so the runner (a way of entering values) does not open on it."""
    window.open_visit("", "V-0001-1")
    qtbot.waitUntil(lambda: window.editor.visit_id == "V-0001-1")
    assert window.editor.read_only
    window.tools.runner()
    assert opened == []


def test_closing_the_window_cancels_the_report_warm_up(qtbot, window, monkeypatch) -> None:
    """A warm-up scheduled before the window closed never runs (its task runner may be gone)."""
    started: list[str] = []
    monkeypatch.setattr(tools, "_tool", lambda tool: lambda *args: started.append(tool))
    window.tools.start()
    window.close()
    assert not window.tools._warm_timer.isActive()
    window.tools.warm_up()  # a timeout already queued does nothing on a closed window
    assert started == []
