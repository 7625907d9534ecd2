"""Time for the runner's tools, injectable: a monotonic millisecond source plus one-shot alarms.

Every tool (countdown, stopwatch, metronome, the pulse) asks a :class:`Clock` what time it is and
to call it back later; none reads the system clock or builds a timer itself. The window runs on
:class:`QtClock` (``QElapsedTimer`` + precise single-shot ``QTimer``); tests and screenshots drive a
:class:`ManualClock` forward by hand, so a fake minute passes in microseconds and nothing sleeps.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Slot


class Alarm(Protocol):
    """A pending call-back; :meth:`cancel` makes sure it never runs."""

    def cancel(self) -> None:
        """Forget the call-back (harmless when it already ran)."""


class Clock(Protocol):
    """Where the runner's tools get their time from."""

    def now_ms(self) -> float:
        """Milliseconds on a monotonic clock (only differences mean anything)."""

    def call_at(self, due_ms: float, callback: Callable[[], None]) -> Alarm:
        """Call ``callback`` once, as soon as :meth:`now_ms` reaches ``due_ms``."""


class _QtAlarm(QObject):
    """One precise single-shot timer that calls back once, then deletes itself."""

    def __init__(self, parent: QObject, delay_ms: int, callback: Callable[[], None]) -> None:
        super().__init__(parent)
        self._callback: Callable[[], None] | None = callback
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # ±1 ms instead of CoarseTimer's 5 %
        self._timer.timeout.connect(self._fire)
        self._timer.start(max(0, delay_ms))

    @Slot()
    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        self.deleteLater()
        if callback is not None:
            callback()

    def cancel(self) -> None:
        """Stop the timer; the call-back never runs."""
        self._callback = None
        self._timer.stop()
        self.deleteLater()


class QtClock(QObject):
    """The real clock: ``QElapsedTimer`` for now, precise ``QTimer`` s for alarms (children of it)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._elapsed = QElapsedTimer()
        self._elapsed.start()

    def now_ms(self) -> float:
        """Milliseconds since this clock was made, monotonic, to the nanosecond the OS offers."""
        return self._elapsed.nsecsElapsed() / 1_000_000

    def call_at(self, due_ms: float, callback: Callable[[], None]) -> Alarm:
        """Call ``callback`` once at ``due_ms`` (rounded to the millisecond Qt timers work in)."""
        return _QtAlarm(self, round(due_ms - self.now_ms()), callback)


class _ManualAlarm:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class ManualClock:
    """A clock that moves only when told to (tests, screenshots): :meth:`advance` runs what falls due."""

    def __init__(self, start_ms: float = 0.0) -> None:
        self._now = start_ms
        self._order = itertools.count()
        self._pending: list[tuple[float, int, _ManualAlarm, Callable[[], None]]] = []

    def now_ms(self) -> float:
        """The time this clock was moved to."""
        return self._now

    def call_at(self, due_ms: float, callback: Callable[[], None]) -> Alarm:
        """Queue ``callback`` for ``due_ms``; it runs inside the :meth:`advance` that reaches it."""
        alarm = _ManualAlarm()
        heapq.heappush(self._pending, (max(due_ms, self._now), next(self._order), alarm, callback))
        return alarm

    def advance(self, ms: float) -> None:
        """Move time forward by ``ms``, running each alarm at its own due time, in order.

        Alarms that the call-backs set on the way (the metronome's next beat) run too when they
        fall inside the step.
        """
        target = self._now + ms
        while self._pending and self._pending[0][0] <= target:
            due, _, alarm, callback = heapq.heappop(self._pending)
            self._now = due
            if not alarm.cancelled:
                callback()
        self._now = target

    def pending(self) -> int:
        """How many alarms are still waiting (cancelled ones excluded)."""
        return sum(1 for item in self._pending if not item[2].cancelled)
