"""The test runner's beat: the metronome, its tick sound and the pulse that lights on each beat.

:class:`RunnerBeat` is the metronome part of :class:`~clinic_app.ui.session.window.RunnerWindow`:
B starts or stops the beat, M sounds it or keeps it silent (the pulse still shows every beat).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from clinic_app.assessment.runner import RunnerTest
from clinic_app.ui.session.clock import Alarm, Clock
from clinic_app.ui.session.layout import RunnerLayout
from clinic_app.ui.session.sound import TickSound
from clinic_app.ui.session.tools import Metronome

PULSE_MS = 150
"""How long the pulse stays lit after a beat."""

if TYPE_CHECKING:
    _RunnerBase = RunnerLayout  # the type checker sees the window this mixin is part of
else:
    _RunnerBase = object


class RunnerBeat(_RunnerBase):
    """Metronome, tick sound and pulse of the test runner (a mixin of the window)."""

    clock: Clock
    metronome: Metronome
    sound: TickSound
    _pulse_alarm: Alarm | None

    if TYPE_CHECKING:  # the window's own

        @property
        def test(self) -> RunnerTest: ...  # noqa: D102

    @Slot()
    def toggle_metronome(self) -> None:
        """Start or stop the beat (B)."""
        if self.test.metronome_bpm is None:
            return
        self.metronome.toggle()
        self._show_beat()

    @Slot()
    def toggle_sound(self) -> None:
        """Sound the beat or keep it silent, pulse only (M)."""
        self.sound.muted = not self.sound.muted
        self._show_beat()

    @Slot(int)
    def _beat(self, number: int) -> None:
        self.sound.play()
        self.pulse.set_lit(True)
        if self._pulse_alarm is not None:
            self._pulse_alarm.cancel()
        self._pulse_alarm = self.clock.call_at(self.clock.now_ms() + PULSE_MS, self._dim)
        self.beat_label.setText(f"{self.metronome.bpm} bpm · beat {number}")

    def _dim(self) -> None:
        self._pulse_alarm = None
        self.pulse.set_lit(False)

    def _show_beat(self) -> None:
        running = self.metronome.running
        self.beat_button.setChecked(running)
        self.beat_button.setText("Stop the beat  (B)" if running else "Start the beat  (B)")
        self.sound_button.setText("Sound off  (M)" if self.sound.muted else "Sound on  (M)")
        if not running:
            self.beat_label.setText(f"{self.metronome.bpm} bpm · press B")
            self.pulse.set_lit(False)
