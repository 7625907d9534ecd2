"""The runner window over a visit editor: values land in the editor's fields through its validation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from clinic_app.ui.session.sound import TickSound, write_click
from clinic_app.ui.session.window import RunnerWindow, open_runner


def _runner(qtbot, editor, clock, test_id: str) -> RunnerWindow:
    window = open_runner(editor, clock=clock, audio=False)
    qtbot.addWidget(window)
    window.show_test_id(test_id)
    return window


def _typed(editor, path: str):
    return editor.binder.collect().get(path)


def test_the_runner_is_a_non_modal_window_of_the_editor_deleted_on_close(qtbot, editor, clock):
    """open_runner returns a parented, non-modal window that Qt deletes when it closes."""
    window = _runner(qtbot, editor, clock, "pf_fast")
    assert window.parent() is editor and window.isWindow() and not window.isModal()
    assert window.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)


def test_tests_come_standing_first_then_lying(qtbot, editor, clock):
    """Page Down walks the plan: the first tests are standing, the last ones lying."""
    window = _runner(qtbot, editor, clock, "pf_fast")
    window.show_test(0)
    seen = []
    for _ in window.plan.tests:
        seen.append(window.position_label.text().split(" ·")[0])
        qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert seen[0] == "Standing" and seen[-1].startswith("Lying")
    assert seen.index(seen[-1]) > max(i for i, s in enumerate(seen) if s == "Standing")


def test_space_counts_reps_per_side_into_the_editor_fields(qtbot, editor, clock):
    """Space and clicks count on the left, → switches to the right; each count is in the editor's field."""
    window = _runner(qtbot, editor, clock, "s1_calf_raise")
    for _ in range(20):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.mouseClick(window.count_readout.value, Qt.MouseButton.LeftButton)  # a click anywhere counts
    qtbot.keyClick(window, Qt.Key.Key_Right)
    for _ in range(4):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.keyClick(window, Qt.Key.Key_Backspace)
    assert _typed(editor, "strength.calf_raise.left") == 21
    assert _typed(editor, "strength.calf_raise.right") == 3
    assert editor.dirty  # the editor's own path ran: unsaved changes, journal pending, Save enabled
    assert window.count_readout.value.text() == "3"


def test_the_runner_metronome_ticks_and_pulses_60_times_a_fake_minute(qtbot, editor, clock):
    """B starts the beat: 60 ticks sounded in a fake minute, the pulse lights and dims on each."""
    window = _runner(qtbot, editor, clock, "s1_calf_raise")
    qtbot.keyClick(window, Qt.Key.Key_B)
    clock.advance(60_000)
    assert window.metronome.beats == 60 and window.sound.played == 60
    assert window.pulse.lit and "beat 60" in window.beat_label.text()  # beat 60 falls on the minute
    clock.advance(200)
    assert not window.pulse.lit
    clock.advance(800)
    assert window.pulse.lit and "beat 61" in window.beat_label.text()


def test_the_countdown_finishing_enters_the_time_in_the_field_unit(qtbot, editor, clock):
    """The 1 min jog counted down to zero enters 1 (min) and the end is sounded."""
    window = _runner(qtbot, editor, clock, "l4_jog")
    qtbot.keyClick(window, Qt.Key.Key_Return)
    clock.advance(59_000)
    assert _typed(editor, "load_impact.l4_dose") is None
    clock.advance(5_000)
    assert _typed(editor, "load_impact.l4_dose") == 1
    assert window.sound.played == 1 and not window.timer.running


def test_a_sided_countdown_moves_to_the_right_after_the_left(qtbot, editor, clock):
    """Balance: the left stopped at 7.3 s is entered, and the runner is ready for the right side."""
    window = _runner(qtbot, editor, clock, "l2_balance")
    qtbot.keyClick(window, Qt.Key.Key_Space)  # no counter: Space starts and stops the clock
    clock.advance(7_300)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert _typed(editor, "load_impact.l2_dose.left") == 7.3
    assert window.counter.side.value == "right" and window.right_button.isChecked()
    qtbot.keyClick(window, Qt.Key.Key_Return)
    clock.advance(11_000)
    assert _typed(editor, "load_impact.l2_dose.right") == 10


def test_symptom_keys_toggle_the_task_symptom_list(qtbot, editor, clock):
    """L and P mark leakage and pain in the task's list, P again unmarks it, N records none."""
    window = _runner(qtbot, editor, clock, "l3_squat")
    qtbot.keyClicks(window, "lp")
    assert _typed(editor, "load_impact.l3_symptoms") == ("leakage", "pain")
    assert window.symptom_buttons["pain"].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert _typed(editor, "load_impact.l3_symptoms") == ("leakage",)
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert _typed(editor, "load_impact.l3_symptoms") == ("none",)
    assert not window.symptom_buttons["leakage"].isChecked()


def test_a_symptom_replaces_a_recorded_none(qtbot, editor, clock):
    """Leakage marked on a task recorded as "none" replaces it (never the refused none + leakage)."""
    editor.binder.apply({"load_impact.l1_symptoms": ("none",)})
    window = _runner(qtbot, editor, clock, "l1_walk")
    qtbot.keyClick(window, Qt.Key.Key_L)
    assert _typed(editor, "load_impact.l1_symptoms") == ("leakage",)
    assert window.messages() == []


def test_symptoms_of_a_strength_test_go_to_their_yes_no_fields(qtbot, editor, clock):
    """D during calf raises ticks doming; pressing it again gives the field back its earlier value."""
    window = _runner(qtbot, editor, clock, "s1_calf_raise")
    assert not window.symptom_buttons["pain"].isEnabled()  # no field for pain during calf raises
    qtbot.keyClick(window, Qt.Key.Key_D)
    assert _typed(editor, "diastasis.doming") is True
    qtbot.keyClick(window, Qt.Key.Key_D)
    assert _typed(editor, "diastasis.doming") is None


def test_an_out_of_range_value_shows_the_editor_message(qtbot, editor, clock):
    """A 12 s PERFECT hold (the form allows 0–10) is entered, and the editor's own error is shown."""
    window = _runner(qtbot, editor, clock, "perfect_endurance")
    qtbot.keyClick(window, Qt.Key.Key_Return)
    clock.advance(12_300)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    path = "pelvic_floor.perfect_endurance_s"
    assert _typed(editor, path) == 12
    shown = editor.pages["pelvic_floor"].widget_for(path).errors()[path]
    assert "outside 0–10" in shown
    assert window.messages() == [shown]


def test_restart_side_gives_the_field_back_its_value(qtbot, editor, clock):
    """R after a miscount puts the count to zero and the field back to what it held before."""
    editor.binder.apply({"strength.bridge.left": 18})
    window = _runner(qtbot, editor, clock, "s2_bridge")
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    assert _typed(editor, "strength.bridge.left") == 3
    qtbot.keyClick(window, Qt.Key.Key_R)
    assert _typed(editor, "strength.bridge.left") == 18 and window.counter.count() == 0


def test_a_signed_visit_is_never_written(qtbot, editor, clock, monkeypatch):
    """On a read-only visit the runner counts but enters nothing, and says so."""
    monkeypatch.setattr(type(editor), "read_only", property(lambda self: True))
    window = _runner(qtbot, editor, clock, "pf_fast")
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.counter.count() == 1
    assert _typed(editor, "pelvic_floor.standing_fast_reps") is None
    assert window.read_only_label.isVisibleTo(window)


def test_opening_another_visit_closes_the_runner(qtbot, editor, clock, ctx):
    """Values must never reach another patient's visit: a different visit in the editor closes it."""
    from tests.ui.session.conftest import draft_visit

    window = _runner(qtbot, editor, clock, "pf_fast")
    closed = []
    window.destroyed.connect(lambda: closed.append(True))
    editor.open_visit(draft_visit(ctx))
    qtbot.waitUntil(lambda: bool(closed), timeout=2_000)


def test_what_the_editor_saves_holds_what_the_runner_entered(qtbot, editor, clock):
    """The results Save sends carry the count, checked by the editor: the runner adds no store of its own."""
    window = _runner(qtbot, editor, clock, "pf_fast")
    for _ in range(9):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: editor.evaluation is not None and not editor._evaluate_timer.isActive())
    assert editor.typed_results()["pelvic_floor.standing_fast_reps"] == 9
    assert "pelvic_floor.standing_fast_reps" not in editor.evaluation.messages


def test_a_missing_audio_device_falls_back_to_the_beep(qtbot, tmp_path):
    """Offscreen (no audio output, maybe no Qt Multimedia) the tick is the system beep and never raises."""
    owner = QWidget()
    qtbot.addWidget(owner)
    sound = TickSound(owner, audio=True)
    assert sound.kind in ("click", "beep")
    for _ in range(3):
        sound.play()
    sound.muted = True
    sound.play()
    assert sound.played == 3 and sound.kind == "muted"
    click = write_click(tmp_path / "tick.wav")
    assert click.stat().st_size > 2_000
