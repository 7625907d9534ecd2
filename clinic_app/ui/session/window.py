"""The test runner window: one test at a time, in clinic order, in type readable from across the room.

She opens it from the visit editor (:func:`open_runner`). Each test of ``forms/runner/runner.toml``
shows its timer (countdown or stopwatch), its rep counter with the left / right toggle, its metronome
and the symptom keys; what it measures goes straight into the editor's fields through
:class:`~clinic_app.ui.session.entry.EditorEntry`, so the editor's validation, proposal, journal and
Save apply unchanged and the editor's own message is shown here when a value is refused.

Keys: Space counts a rep (or starts / stops a test with only a timer), a click anywhere counts too;
Enter starts / stops the clock; Backspace takes a rep back; ← / → choose the side; B the beat,
M its sound; the symptom letters (L, H, P, D, N) toggle a symptom; R restarts the side; PgDown /
PgUp the next / previous test; Esc closes.

The beat is :mod:`clinic_app.ui.session.beat`; the symptoms and the values written into the visit
are :mod:`clinic_app.ui.session.recording`.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QMouseEvent

from clinic_app.assessment.runner import (
    RunnerPlan,
    RunnerTest,
    TimerKind,
    count_entry,
    load_runner,
    marked_in,
    time_entry,
)
from clinic_app.domain.enums import Side
from clinic_app.domain.model import Value
from clinic_app.services.clinic import forms
from clinic_app.ui.session.beat import RunnerBeat
from clinic_app.ui.session.clock import Alarm, Clock, QtClock
from clinic_app.ui.session.display import (
    format_clock,
)
from clinic_app.ui.session.entry import EditorEntry
from clinic_app.ui.session.layout import RunnerLayout
from clinic_app.ui.session.recording import SIDE_WORD, RunnerRecording
from clinic_app.ui.session.sound import TickSound
from clinic_app.ui.session.tools import Metronome, RepCounter, TimerTool
from clinic_app.ui.visit.editor import VisitEditor


@functools.cache
def runner_plan() -> RunnerPlan:
    """The clinic's runner plan, checked against its forms (read once per process)."""
    return load_runner(forms())


class RunnerWindow(RunnerRecording, RunnerBeat, RunnerLayout):
    """Big-target mode over the open visit of a visit editor.

    Signals:
        test_did_change(str): the test shown now (its id).
        value_did_enter(str): a value was written to the editor at this path.
    """

    test_did_change = Signal(str)
    value_did_enter = Signal(str)

    def __init__(
        self,
        editor: VisitEditor,
        *,
        clock: Clock | None = None,
        plan: RunnerPlan | None = None,
        audio: bool = True,
    ) -> None:
        super().__init__(editor, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.entry = EditorEntry(editor)
        self.plan = plan or runner_plan()
        self.clock: Clock = clock if clock is not None else QtClock(self)
        self.timer = TimerTool(self.clock, self)
        self.metronome = Metronome(self.clock, parent=self)
        self.counter = RepCounter(self)
        self.sound = TickSound(self, audio=audio)
        self.index = 0
        self._before: dict[str, Value | None] = {}
        self._marked: frozenset[str] = frozenset()
        self._pulse_alarm: Alarm | None = None
        self._last_paths: tuple[str, ...] = ()
        self._build()
        self.timer.timer_did_change.connect(self._show_timer)
        self.timer.timer_did_stop.connect(self._timer_stopped)
        self.timer.timer_did_finish.connect(self._timer_finished)
        self.metronome.metronome_did_tick.connect(self._beat)
        self.counter.count_did_change.connect(self._counted)
        editor.visit_did_load.connect(self._visit_loaded)
        self.show_test(0)

    # --- which test ----------------------------------------------------------------------------

    @property
    def test(self) -> RunnerTest:
        """The test shown now."""
        return self.plan.tests[self.index]

    def show_test(self, index: int) -> None:
        """Show the test at ``index`` of the plan (clamped); clocks and beat stop, counts start at 0."""
        self.index = max(0, min(index, len(self.plan.tests) - 1))
        test = self.test
        self.metronome.stop()
        self.timer.configure(test.timer or TimerKind.STOPWATCH, test.duration_ms)
        self.counter.configure(test.sided)
        self._before = {}
        symptom_value = self.entry.value(test.symptom_list.path) if test.symptom_list else None
        self._marked = marked_in(test, symptom_value)
        if test.symptom_fields:
            self._marked = frozenset(
                s for s, spec in test.symptom_fields.items() if self.entry.value(spec.path)
            )
        position = self.plan.position_title(test.position)
        self.position_label.setText(f"{position} · test {self.index + 1} of {len(self.plan.tests)}")
        self.title_label.setText(test.title)
        self.instructions.setText(test.instructions)
        self.read_only_label.setVisible(not self.entry.writable())
        for button in (self.left_button, self.right_button):
            button.setVisible(test.sided)
        self.timer_readout.setVisible(test.timer is not None)
        self.timer_readout.caption.setText(
            f"Countdown of {format_clock(test.duration_ms or 0)}"
            if test.timer is TimerKind.COUNTDOWN
            else "Stopwatch"
        )
        self.count_readout.setVisible(test.count_field is not None)
        self.beat_panel.setVisible(test.metronome_bpm is not None)
        self.beat_button.setVisible(test.metronome_bpm is not None)
        self.sound_button.setVisible(test.metronome_bpm is not None)
        if test.metronome_bpm is not None:
            self.metronome.set_bpm(test.metronome_bpm)
        self.start_button.setVisible(test.timer is not None)
        for button in (self.rep_button, self.undo_button):
            button.setVisible(test.count_field is not None)
        self.previous_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.plan.tests) - 1)
        self.error_label.clear()
        self._last_paths = ()
        self._show_side()
        self._show_symptoms()
        self._show_timer()
        self._show_count()
        self._show_beat()
        self._show_recorded()
        self.test_did_change.emit(test.id)

    @Slot()
    def next_test(self) -> None:
        """Go to the next test (PgDown)."""
        self.show_test(self.index + 1)

    @Slot()
    def previous_test(self) -> None:
        """Go to the previous test (PgUp)."""
        self.show_test(self.index - 1)

    def show_test_id(self, test_id: str) -> None:
        """Show the test with this id (the editor's battery can open the runner at its test)."""
        for index, test in enumerate(self.plan.tests):
            if test.id == test_id:
                self.show_test(index)
                return

    # --- the side ------------------------------------------------------------------------------

    @Slot()
    def choose_left(self) -> None:
        """Count and time the left side (←)."""
        self._choose(Side.LEFT)

    @Slot()
    def choose_right(self) -> None:
        """Count and time the right side (→)."""
        self._choose(Side.RIGHT)

    def _choose(self, side: Side) -> None:
        if self.test.sided and self.counter.side is not side:
            self.timer.reset()
            self.counter.set_side(side)
            self._show_count()
            self._show_recorded()
        self._show_side()

    def _show_side(self) -> None:
        """The side being measured: filled button with a dot (shape and words, not colour alone)."""
        side = self.counter.side
        self.left_button.setChecked(side is Side.LEFT)
        self.right_button.setChecked(side is Side.RIGHT)
        self.left_button.setText("● Left — measuring" if side is Side.LEFT else "◀ Left")
        self.right_button.setText("● Right — measuring" if side is Side.RIGHT else "Right ▶")

    # --- timer ---------------------------------------------------------------------------------

    @Slot()
    def toggle_timer(self) -> None:
        """Start or stop the clock (Enter); a test without a clock starts / stops its beat."""
        if self.test.timer is not None:
            self.timer.toggle()
        elif self.test.metronome_bpm is not None:
            self.toggle_metronome()

    @Slot()
    def _show_timer(self) -> None:
        test = self.test
        hundredths = test.decimals >= 2 and test.time_field is not None and test.time_field.unit == "s"
        shown = self.timer.shown_ms()
        self.timer_readout.show_value(
            format_clock(shown, hundredths=hundredths), f"{shown / 1000:.1f} seconds"
        )
        running = self.timer.running
        self.start_button.setText("Stop  (Enter)" if running else "Start  (Enter)")
        if running:
            self.timer_readout.note.setText("running")
        elif self.timer.elapsed_ms() == 0:
            self.timer_readout.note.setText("press Enter to start")

    @Slot(float)
    def _timer_stopped(self, elapsed_ms: float) -> None:
        side = self.counter.side
        self._enter(time_entry(self.test, side, elapsed_ms))
        self.timer_readout.note.setText(f"measured {format_clock(elapsed_ms)}")
        if self.test.sided and side is Side.LEFT and not self._recorded_right():
            self._choose_after_stop()
            self.timer_readout.note.setText(f"left measured {format_clock(elapsed_ms)} — now the right")

    def _choose_after_stop(self) -> None:
        self.timer.reset()
        self.counter.set_side(Side.RIGHT)
        self._show_side()
        self._show_count()
        self._show_recorded()

    def _recorded_right(self) -> bool:
        spec = self.test.time_field
        return spec is not None and f"{spec.path}.right" in self._before

    @Slot(float)
    def _timer_finished(self, _elapsed_ms: float) -> None:
        self.sound.play()  # the end of a countdown is heard as well as seen

    # --- counting ------------------------------------------------------------------------------

    @Slot()
    def add_rep(self) -> None:
        """Count one rep on the side being counted (Space, or a click anywhere)."""
        if self.test.count_field is not None:
            self.counter.add(1)

    @Slot()
    def take_rep_back(self) -> None:
        """Take back a rep counted by mistake (Backspace)."""
        if self.test.count_field is not None and self.counter.count() > 0:
            self.counter.add(-1)

    @Slot()
    def restart_side(self) -> None:
        """Restart the side: clock and count to zero, its fields back to what they held before (R)."""
        self.timer.reset()
        test, side = self.test, self.counter.side
        paths = [*time_entry(test, side, 0), *count_entry(test, side, 0)]
        restore = {path: self._before[path] for path in paths if path in self._before}
        for path in restore:
            del self._before[path]
        if test.count_field is not None:
            self.counter.configure(test.sided)
            self.counter.set_side(side)
        self._write(restore)
        self._show_count()

    @Slot(object, int)
    def _counted(self, side: Side | None, count: int) -> None:
        self._enter(count_entry(self.test, side, count))
        self._show_count()

    def _show_count(self) -> None:
        side = self.counter.side
        self.count_readout.show_value(str(self.counter.count()), f"{self.counter.count()} repetitions")
        word = SIDE_WORD[side]
        self.count_readout.caption.setText(f"Reps — {word}" if word else "Reps")

    # --- keys, clicks, lifetime ----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """The runner's keys (see the module docstring); anything else goes the usual way."""
        key = Qt.Key(event.key())
        actions = {
            Qt.Key.Key_Space: self._space,
            Qt.Key.Key_Return: self.toggle_timer,
            Qt.Key.Key_Enter: self.toggle_timer,
            Qt.Key.Key_Backspace: self.take_rep_back,
            Qt.Key.Key_Minus: self.take_rep_back,
            Qt.Key.Key_Left: self.choose_left,
            Qt.Key.Key_Right: self.choose_right,
            Qt.Key.Key_B: self.toggle_metronome,
            Qt.Key.Key_M: self.toggle_sound,
            Qt.Key.Key_R: self.restart_side,
            Qt.Key.Key_PageDown: self.next_test,
            Qt.Key.Key_PageUp: self.previous_test,
            Qt.Key.Key_Escape: self.close,
        }
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            super().keyPressEvent(event)
            return
        if key in actions:
            actions[key]()
            return
        letter = event.text().upper()
        for symptom in (*self.plan.symptoms, *([self.plan.no_symptoms] if self.plan.no_symptoms else [])):
            if letter == symptom.key:
                self.toggle_symptom(symptom.id)
                return
        super().keyPressEvent(event)

    def _space(self) -> None:
        if self.test.count_field is not None:
            self.add_rep()
        else:
            self.toggle_timer()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """A click anywhere that is not a button counts a rep (hands busy, a big target)."""
        if event.button() is Qt.MouseButton.LeftButton and self.test.count_field is not None:
            self.add_rep()
            event.accept()
            return
        super().mousePressEvent(event)

    @Slot(object)
    def _visit_loaded(self, _record: object) -> None:
        """Another visit opened in the editor: this runner belonged to the previous one, so it closes."""
        if self.entry.editor.visit_id != self.entry.visit_id:
            self.close()
        else:
            self._show_recorded()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Stop every clock and beat before the window goes."""
        self.metronome.stop()
        self.timer.reset()
        if self._pulse_alarm is not None:
            self._pulse_alarm.cancel()
        super().closeEvent(event)


def open_runner(editor: VisitEditor, *, clock: Clock | None = None, audio: bool = True) -> RunnerWindow:
    """Open the test runner over the editor's open visit: a non-modal window, deleted when closed.

    Args:
        editor: the visit editor whose fields receive the values.
        clock: the time source (default: the real clock; tests pass a manual one).
        audio: False to use the system beep rather than Qt Multimedia for the tick.
    """
    window = RunnerWindow(editor, clock=clock, audio=audio)
    battery = editor.current_form_id()
    for test in window.plan.tests:  # open at the first test of the battery she is on, if any
        measured = (spec.form_id for spec in (test.time_field, test.count_field) if spec is not None)
        if battery in measured:
            window.show_test_id(test.id)
            break
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    window.setFocus()
    return window
