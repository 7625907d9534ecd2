"""The runner's clock, countdown, stopwatch, metronome and rep counter, driven by a manual clock."""

from __future__ import annotations

from clinic_app.assessment.runner import TimerKind
from clinic_app.domain.enums import Side
from clinic_app.ui.session.clock import ManualClock, QtClock
from clinic_app.ui.session.tools import Metronome, RepCounter, TimerTool


class _StalledOnce(ManualClock):
    """A manual clock whose first alarm runs ``stall_ms`` late."""

    def __init__(self, stall_ms: float) -> None:
        super().__init__()
        self.stall = stall_ms

    def call_at(self, due_ms, callback):
        due, self.stall = due_ms + self.stall, 0.0
        return super().call_at(due, callback)


def test_the_metronome_ticks_60_times_in_a_fake_minute_at_60_bpm(qtbot) -> None:
    """A minute of the manual clock at 60 bpm is exactly 60 beats, numbered 1 to 60."""
    clock = ManualClock()
    metronome = Metronome(clock, 60)
    beats: list[int] = []
    metronome.metronome_did_tick.connect(beats.append)
    metronome.start()
    clock.advance(60_000)
    assert beats == list(range(1, 61))


def test_the_metronome_follows_its_tempo_and_stops(qtbot) -> None:
    """At 90 bpm a minute holds 90 beats; after stop no beat comes and no alarm is left waiting."""
    clock = ManualClock()
    metronome = Metronome(clock, 90)
    beats: list[int] = []
    metronome.metronome_did_tick.connect(beats.append)
    metronome.start()
    clock.advance(60_000)
    metronome.stop()
    clock.advance(10_000)
    assert len(beats) == 90 and clock.pending() == 0


def test_a_late_beat_is_skipped_not_played_in_a_burst(qtbot) -> None:
    """When the loop was busy for 3.5 beats, one beat plays and the numbering catches up."""
    clock = _StalledOnce(2_500)  # the first beat is delivered 2.5 s late (a blocked event loop)
    metronome = Metronome(clock, 60)
    beats: list[int] = []
    metronome.metronome_did_tick.connect(beats.append)
    metronome.start()
    clock.advance(4_100)
    assert beats == [3, 4]


def test_the_countdown_finishes_at_its_duration(qtbot) -> None:
    """A 10 s countdown shows the time left, stops itself at zero and reports 10 000 ms once."""
    clock = ManualClock()
    timer = TimerTool(clock)
    timer.configure(TimerKind.COUNTDOWN, 10_000)
    finished: list[float] = []
    stopped: list[float] = []
    timer.timer_did_finish.connect(finished.append)
    timer.timer_did_stop.connect(stopped.append)
    timer.start()
    clock.advance(4_000)
    assert timer.shown_ms() == 6_000 and timer.running
    clock.advance(20_000)
    assert finished == [10_000] and stopped == [10_000]
    assert not timer.running and timer.shown_ms() == 0


def test_a_countdown_stopped_early_reports_the_time_reached(qtbot) -> None:
    """Stopped at 7.3 s, the balance countdown reports 7 300 ms and never finishes later."""
    clock = ManualClock()
    timer = TimerTool(clock)
    timer.configure(TimerKind.COUNTDOWN, 10_000)
    stopped: list[float] = []
    finished: list[float] = []
    timer.timer_did_stop.connect(stopped.append)
    timer.timer_did_finish.connect(finished.append)
    timer.start()
    clock.advance(7_300)
    timer.stop()
    clock.advance(10_000)
    assert stopped == [7_300] and finished == []


def test_the_stopwatch_counts_up_and_redraws_every_tenth(qtbot) -> None:
    """A stopwatch shows the time elapsed and asks for a redraw ten times a second while running."""
    clock = ManualClock()
    timer = TimerTool(clock)
    redraws: list[None] = []
    timer.timer_did_change.connect(lambda: redraws.append(None))
    timer.start()
    clock.advance(2_430)
    assert timer.shown_ms() == 2_430
    assert 24 <= len(redraws) <= 26
    timer.stop()
    assert timer.elapsed_ms() == 2_430


def test_the_rep_counter_counts_each_side_apart(qtbot) -> None:
    """Left and right keep their own counts; taking a rep back never goes below zero."""
    counter = RepCounter()
    counter.configure(sided=True)
    for _ in range(21):
        counter.add()
    counter.set_side(Side.RIGHT)
    for _ in range(3):
        counter.add()
    counter.add(-1)
    assert (counter.count(Side.LEFT), counter.count(Side.RIGHT)) == (21, 2)
    counter.add(-5)
    assert counter.count(Side.RIGHT) == 0


def test_the_qt_clock_is_monotonic_and_calls_back(qtbot) -> None:
    """The real clock moves forward and its alarm fires once (waited for, never slept)."""
    clock = QtClock()
    fired: list[float] = []
    before = clock.now_ms()
    clock.call_at(before + 20, lambda: fired.append(clock.now_ms()))
    cancelled = clock.call_at(before + 20, lambda: fired.append(-1.0))
    cancelled.cancel()
    qtbot.waitUntil(lambda: bool(fired), timeout=2_000)
    assert fired[0] >= before + 15 and -1.0 not in fired
