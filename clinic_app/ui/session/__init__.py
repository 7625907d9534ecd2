"""The test runner: one test at a time in big type, with a timer, a rep counter and a metronome."""

from __future__ import annotations
