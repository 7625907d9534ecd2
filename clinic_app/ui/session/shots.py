"""Screenshots of the test runner for ``python -m clinic_app.ui.screenshots`` (``80-runner-…`` PNGs).

The runner runs on a manual clock here, so every shot shows the same moment of the test: a beat
just sounded, a countdown part-way, a refused value with the editor's message. What it enters is
discarded afterwards, so the later shots see the visit as stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from clinic_app.ui.session.clock import ManualClock
from clinic_app.ui.session.window import open_runner


def runner_shots(window: Any, summary: Any, shot: Callable[..., None]) -> None:
    """Shoot the runner on a draft visit of the demo clinic: metronome, countdown, symptoms, refusal."""
    draft = next(o for o in summary.outcomes if not o.signed)
    window.open_visit("", draft.visit_id)
    clock = ManualClock()
    runner = open_runner(window.editor, clock=clock, audio=False)

    runner.show_test_id("s1_calf_raise")
    for _ in range(14):
        QTest.keyClick(runner, Qt.Key.Key_Space)
    QTest.keyClick(runner, Qt.Key.Key_B)
    clock.advance(14_050)  # 50 ms after beat 14: the pulse is lit
    shot("80-runner-calf-raise-metronome", runner)
    QTest.keyClick(runner, Qt.Key.Key_B)

    runner.show_test_id("l2_balance")
    QTest.keyClick(runner, Qt.Key.Key_Return)
    clock.advance(6_400)
    shot("81-runner-balance-countdown", runner)
    QTest.keyClick(runner, Qt.Key.Key_Return)

    runner.show_test_id("l1_walk")
    QTest.keyClick(runner, Qt.Key.Key_Return)
    clock.advance(12 * 60_000 + 20_000)
    QTest.keyClick(runner, Qt.Key.Key_Return)
    QTest.keyClick(runner, Qt.Key.Key_L)
    shot("82-runner-walk-stopped-with-leakage", runner)

    runner.show_test_id("perfect_endurance")
    QTest.keyClick(runner, Qt.Key.Key_Return)
    clock.advance(12_300)
    QTest.keyClick(runner, Qt.Key.Key_Return)
    shot("83-runner-refused-value-editor-message", runner)

    runner.close()
    window.editor.discard_changes()
