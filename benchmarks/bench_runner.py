"""Benchmark the runner's metronome (run by hand: ``python benchmarks/bench_runner.py [--ticks N]``).

Target (issue 12): print the metronome's tick jitter — the standard deviation of the interval between
ticks over 60 ticks at 60 bpm — beside the interval. The baseline, in the same run and the same
event loop, is a bare repeating ``QTimer`` at the same 1000 ms interval (Qt's default timer type).
Both run at once, so a busy machine weighs on both alike; one run takes about a minute. The
metronome is the window's own: :class:`Metronome` on :class:`QtClock` (beats scheduled at absolute
times on precise single-shot timers). Not a test: nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from clinic_app.ui.session.clock import QtClock
from clinic_app.ui.session.tools import Metronome


class Stamps:
    """Wall-clock (perf_counter) times of each call, in ms."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def mark(self, *_args: object) -> None:
        """Record now."""
        self.times.append(time.perf_counter() * 1000)

    def intervals(self) -> list[float]:
        """Time between consecutive calls."""
        return [b - a for a, b in zip(self.times, self.times[1:], strict=False)]


def describe(name: str, stamps: Stamps, origin: float, period: float) -> str:
    gaps = stamps.intervals()
    drift = stamps.times[-1] - origin - len(stamps.times) * period
    return (
        f"{name:<34} ticks {len(stamps.times):>3}  interval mean {statistics.fmean(gaps):8.2f} ms  "
        f"jitter (sd) {statistics.stdev(gaps):6.2f} ms  worst {max(abs(g - period) for g in gaps):6.2f} ms  "
        f"drift after the last tick {drift:+7.2f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ticks", type=int, default=60, help="ticks to time (default 60)")
    parser.add_argument("--bpm", type=int, default=60, help="tempo (default 60)")
    args = parser.parse_args(argv)
    app = QCoreApplication.instance() or QCoreApplication(["bench-runner"])
    period = 60_000 / args.bpm
    clock = QtClock()
    metronome = Metronome(clock, args.bpm)
    ours, bare = Stamps(), Stamps()
    metronome.metronome_did_tick.connect(ours.mark)
    baseline = QTimer()
    baseline.setInterval(round(period))
    baseline.timeout.connect(bare.mark)
    loop = QEventLoop()

    def check() -> None:
        if len(ours.times) >= args.ticks and len(bare.times) >= args.ticks:
            metronome.stop()
            baseline.stop()
            loop.quit()

    metronome.metronome_did_tick.connect(check)
    baseline.timeout.connect(check)
    origin = time.perf_counter() * 1000
    metronome.start()
    baseline.start()
    loop.exec()
    ours.times, bare.times = ours.times[: args.ticks], bare.times[: args.ticks]
    print(f"{args.ticks} ticks at {args.bpm} bpm (interval {period:.0f} ms), both in one event loop")
    print(describe("baseline: bare QTimer (repeating)", bare, origin, period))
    print(describe("runner: Metronome on QtClock", ours, origin, period))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
