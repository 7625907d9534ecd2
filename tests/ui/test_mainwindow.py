"""The main window: shortcuts as listed, keyboard-only entry, F1 help, the lock, the unsaved guard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from clinic_app.services import patients, visits
from clinic_app.ui import ask
from clinic_app.ui.keyboard import SHORTCUTS, KeyboardDialog
from clinic_app.ui.mainwindow import LOCKED, PATIENT, VISIT, MainWindow

DRAFT = "V-0002-3"  # the demo clinic's unsigned visit (Łucja Żmuda)


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_every_listed_shortcut_is_a_window_action_and_in_the_keyboard_dialog(qtbot, ctx):
    """Help → Keyboard lists exactly the keys the menus really use."""
    window = _window(qtbot, ctx)
    bound = {action.shortcut().toString() for action in window.actions() if not action.shortcut().isEmpty()}
    dialog = KeyboardDialog(window)
    qtbot.addWidget(dialog)
    listed = {keys for keys, _ in dialog.rows()}
    for _text, keys in SHORTCUTS.values():
        if keys:
            portable = QKeySequence(keys).toString()
            assert portable in bound, keys
            assert QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) in listed


def test_a_whole_battery_can_be_typed_with_the_keyboard_left_before_right(qtbot, ctx):
    """Digits and Tab fill the strength battery in order: each test left, then right."""
    window = _window(qtbot, ctx)
    window.open_visit("", DRAFT)
    editor = window.editor
    editor.show_battery("strength")
    page = editor.pages["strength"]
    first = page.widget_for("strength.calf_raise.left").input_for("strength.calf_raise.left")
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    for number in ("21", "19", "30", "28", "15", "16", "25", "24"):
        focused = QApplication.focusWidget()
        focused.selectAll()
        qtbot.keyClicks(focused, number)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    values = page.values()
    assert [
        values[f"strength.{name}.{side}"] for name in ("calf_raise", "bridge") for side in ("left", "right")
    ] == [
        21,
        19,
        30,
        28,
    ]
    assert values["strength.hip_abduction.right"] == 24
    assert editor.dirty
    editor.discard_changes()


def test_ctrl_page_down_and_up_switch_battery(qtbot, ctx):
    """The battery shortcuts move through the navigation list."""
    window = _window(qtbot, ctx)
    window.open_visit("", DRAFT)
    editor = window.editor
    editor.show_battery("history")
    window.next_action.trigger()
    assert editor.current_form_id() != "history"
    window.previous_action.trigger()
    assert editor.current_form_id() == "history"


def test_f1_explains_the_field_under_the_cursor(qtbot, ctx):
    """F1 shows the focused field's how-to-measure text and source below the page."""
    window = _window(qtbot, ctx)
    window.open_visit("", DRAFT)
    editor = window.editor
    editor.show_battery("hop")
    target = editor.pages["hop"].widget_for("hop.single_hop.left").input_for("hop.single_hop.left")
    target.setFocus()
    qtbot.waitUntil(target.hasFocus)
    editor.show_field_help()
    text = editor.help_label.text()
    assert "Single hop for distance" in text and "CLINICAL.md" in text
    assert editor.help_label.isVisible()


def test_locking_hides_patient_data_until_she_signs_in_again(qtbot, ctx):
    """Locked: no patient list, no visit, no proposal; unlocking brings her back where she was."""
    window = _window(qtbot, ctx)
    window.open_visit("", DRAFT)
    assert window.stack.currentIndex() == VISIT
    user = ctx.user
    window.lock()
    assert window.stack.currentIndex() == LOCKED
    assert window.patients_dock.isHidden() and window.proposal_dock.isHidden()
    assert window.user_label.text() == "Locked"
    assert not window.save_action.isEnabled()
    window.lock_screen.unlock_did_succeed.emit(user)
    assert window.stack.currentIndex() == VISIT
    assert window.proposal_dock.isVisible()


def test_the_idle_time_locks_the_window(qtbot, ctx):
    """After the idle interval with no input the window locks by itself."""
    ctx.idle_lock_minutes = 0.002
    window = _window(qtbot, ctx)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == LOCKED, timeout=3000)


def test_unsaved_changes_are_guarded_when_she_opens_another_patient(qtbot, ctx, monkeypatch):
    """Cancel keeps the visit and its typed value; Discard drops it and opens the other patient."""
    window = _window(qtbot, ctx)
    window.open_visit("", DRAFT)
    page = window.editor.pages["strength"]
    page.widget_for("strength.bridge.left").input_for("strength.bridge.left").setText("44")
    assert window.editor.dirty
    other = patients.search_patients(ctx.db, "Zoë")[0]
    monkeypatch.setattr(ask, "choose", lambda *_a: None)
    window.open_patient(str(other.id))
    assert window.stack.currentIndex() == VISIT and window.editor.dirty
    monkeypatch.setattr(ask, "choose", lambda _p, _t, _x, buttons: buttons.index("Discard changes"))
    window.open_patient(str(other.id))
    assert window.stack.currentIndex() == PATIENT
    assert visits.get_visit(ctx.db, DRAFT).results.get("strength.bridge.left") != 44


def test_save_from_the_menu_writes_the_visit_and_the_status_bar_says_so(qtbot, ctx):
    """Ctrl+S saves through the services; the summary of the change shows in the status bar."""
    window = _window(qtbot, ctx)
    window.open_visit("", DRAFT)
    page = window.editor.pages["strength"]
    page.widget_for("strength.bridge.left").input_for("strength.bridge.left").setText("44")
    window.save_action.trigger()
    assert not window.editor.dirty
    assert visits.get_visit(ctx.db, DRAFT).results["strength.bridge.left"] == 44
    assert "Saved visit" in window.statusBar().currentMessage()


def test_quitting_with_unsaved_changes_saves_first_when_she_says_so(qtbot, ctx, monkeypatch):
    """'Save and quit' writes the typed value before the window closes; Cancel keeps it open."""
    window = _window(qtbot, ctx)
    window.open_visit("", DRAFT)
    page = window.editor.pages["strength"]
    page.widget_for("strength.bridge.left").input_for("strength.bridge.left").setText("41")
    monkeypatch.setattr(ask, "choose", lambda *_a: None)
    assert not window.close()
    assert window.isVisible() and window.editor.dirty
    monkeypatch.setattr(ask, "choose", lambda _p, _t, _x, buttons: buttons.index("Save and quit"))
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert visits.get_visit(ctx.db, DRAFT).results["strength.bridge.left"] == 41
