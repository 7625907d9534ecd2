"""The runner's three tools — a countdown or stopwatch, a metronome, a rep counter per side.

Each takes its time from a :class:`~clinic_app.ui.session.clock.Clock`, so tests move a manual clock
and the tools behave exactly as they do on the real one. None of them knows a field or a form: the
window turns their readings into values with :mod:`clinic_app.assessment.runner`.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Signal

from clinic_app.assessment.runner import TimerKind
from clinic_app.domain.enums import Side
from clinic_app.ui.session.clock import Alarm, Clock

REFRESH_MS = 100
"""How often a running timer asks to be redrawn (tenths of a second are shown)."""


class TimerTool(QObject):
    """A countdown (stops itself at zero) or a stopwatch; every start is a new measurement.

    Signals:
        timer_did_change(): redraw (started, stopped, reset, and every :data:`REFRESH_MS` meanwhile).
        timer_did_stop(float): the measurement ended (stopped by hand or the countdown finished), in ms.
        timer_did_finish(float): the countdown reached zero (its duration, in ms).
    """

    timer_did_change = Signal()
    timer_did_stop = Signal(float)
    timer_did_finish = Signal(float)

    def __init__(self, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.kind: TimerKind = TimerKind.STOPWATCH
        self.duration_ms: float | None = None
        self._started: float | None = None
        self._elapsed = 0.0
        self._alarms: list[Alarm] = []

    def configure(self, kind: TimerKind, duration_ms: float | None) -> None:
        """Become a countdown of ``duration_ms`` or a stopwatch (stops and clears any measurement)."""
        self._cancel()
        self.kind, self.duration_ms = kind, duration_ms
        self._started, self._elapsed = None, 0.0
        self.timer_did_change.emit()

    @property
    def running(self) -> bool:
        """True while the clock is running."""
        return self._started is not None

    def elapsed_ms(self) -> float:
        """Time measured so far (a countdown never passes its duration)."""
        elapsed = self._elapsed
        if self._started is not None:
            elapsed = self._clock.now_ms() - self._started
        if self.kind is TimerKind.COUNTDOWN and self.duration_ms is not None:
            elapsed = min(elapsed, self.duration_ms)
        return elapsed

    def shown_ms(self) -> float:
        """What the display shows: time left on a countdown, time elapsed on a stopwatch."""
        if self.kind is TimerKind.COUNTDOWN and self.duration_ms is not None:
            return max(0.0, self.duration_ms - self.elapsed_ms())
        return self.elapsed_ms()

    def start(self) -> None:
        """Start a new measurement from zero (nothing happens while one runs)."""
        if self.running:
            return
        now = self._clock.now_ms()
        self._started, self._elapsed = now, 0.0
        self._alarms = [self._clock.call_at(now + REFRESH_MS, self._refresh)]
        if self.kind is TimerKind.COUNTDOWN and self.duration_ms is not None:
            self._alarms.append(self._clock.call_at(now + self.duration_ms, self._finish))
        self.timer_did_change.emit()

    def stop(self) -> None:
        """End the measurement now and announce what it measured."""
        if not self.running:
            return
        self._elapsed = self.elapsed_ms()
        self._started = None
        self._cancel()
        self.timer_did_change.emit()
        self.timer_did_stop.emit(self._elapsed)

    def toggle(self) -> None:
        """Start when stopped, stop when running (the one big button)."""
        if self.running:
            self.stop()
        else:
            self.start()

    def reset(self) -> None:
        """Stop without announcing a measurement and show zero (or the full countdown)."""
        self._cancel()
        self._started, self._elapsed = None, 0.0
        self.timer_did_change.emit()

    def _refresh(self) -> None:
        if self._started is None:
            return
        now = self._clock.now_ms()
        # Redraw on the next tenth after now, so a late refresh never shifts the later ones.
        step = math.floor((now - self._started) / REFRESH_MS) + 1
        self._alarms[0] = self._clock.call_at(self._started + step * REFRESH_MS, self._refresh)
        self.timer_did_change.emit()

    def _finish(self) -> None:
        if self._started is None or self.duration_ms is None:
            return
        self._elapsed = self.duration_ms
        self._started = None
        self._cancel()
        self.timer_did_change.emit()
        self.timer_did_finish.emit(self._elapsed)
        self.timer_did_stop.emit(self._elapsed)

    def _cancel(self) -> None:
        for alarm in self._alarms:
            alarm.cancel()
        self._alarms = []


class Metronome(QObject):
    """A steady beat: beat *n* is due at start + *n* × period, so errors never add up over a minute.

    The first beat comes one period after :meth:`start` (she starts on "go", moves on the beat). A
    beat the event loop could not deliver in time is skipped rather than played in a burst.

    Signals:
        metronome_did_tick(int): a beat, numbered from 1 since the start.
    """

    metronome_did_tick = Signal(int)

    def __init__(self, clock: Clock, bpm: int = 60, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.bpm = bpm
        self.beats = 0
        self._origin: float | None = None
        self._alarm: Alarm | None = None

    @property
    def period_ms(self) -> float:
        """Milliseconds between beats."""
        return 60_000 / self.bpm

    @property
    def running(self) -> bool:
        """True while beating."""
        return self._origin is not None

    def set_bpm(self, bpm: int) -> None:
        """Change the tempo (a running metronome restarts at the new one)."""
        was_running = self.running
        self.stop()
        self.bpm = bpm
        if was_running:
            self.start()

    def start(self) -> None:
        """Start beating (beat 1 one period from now)."""
        if self.running:
            return
        self._origin = self._clock.now_ms()
        self.beats = 0
        self._alarm = self._clock.call_at(self._origin + self.period_ms, self._beat)

    def stop(self) -> None:
        """Stop beating."""
        if self._alarm is not None:
            self._alarm.cancel()
        self._alarm = None
        self._origin = None

    def toggle(self) -> None:
        """Start when stopped, stop when running."""
        if self.running:
            self.stop()
        else:
            self.start()

    def _beat(self) -> None:
        if self._origin is None:
            return
        due_index = math.floor((self._clock.now_ms() - self._origin) / self.period_ms + 1e-9)
        self.beats = max(self.beats + 1, due_index)  # a skipped beat still counts in the numbering
        self._alarm = self._clock.call_at(self._origin + (self.beats + 1) * self.period_ms, self._beat)
        self.metronome_did_tick.emit(self.beats)


class RepCounter(QObject):
    """Reps counted per side (or once, for a test that is not sided), with the side being counted.

    Signals:
        count_did_change(object, int): the side (None for a one-off test) and its new count.
    """

    count_did_change = Signal(object, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.side: Side | None = None
        self._counts: dict[Side | None, int] = {}

    def configure(self, sided: bool) -> None:
        """Clear every count; a sided test starts on the left."""
        self._counts = {}
        self.side = Side.LEFT if sided else None

    def count(self, side: Side | None = None) -> int:
        """The count of ``side`` (default: the side being counted)."""
        return self._counts.get(side if side is not None else self.side, 0)

    def counted(self, side: Side | None) -> bool:
        """True once anything was counted (or set) on ``side``."""
        return side in self._counts

    def set_side(self, side: Side | None) -> None:
        """Count on ``side`` from now on (ignored for a one-off test)."""
        if self.side is not None and side is not None:
            self.side = side

    def add(self, step: int = 1) -> None:
        """Count one more rep (or ``step``; never below zero)."""
        value = max(0, self.count() + step)
        self._counts[self.side] = value
        self.count_did_change.emit(self.side, value)

    def reset_side(self) -> None:
        """Put the side being counted back to zero (a restart of that side)."""
        self._counts[self.side] = 0
        self.count_did_change.emit(self.side, 0)
