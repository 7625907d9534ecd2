"""Tests for the idle lock timer: it fires after the interval, input restarts it, 0 turns it off."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from clinic_app.ui.idle import IdleWatcher

TINY = 0.05 / 60  # 50 ms, in minutes


def _key_press() -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")


def test_fires_after_the_interval(qtbot: QtBot) -> None:
    """Without input, idle_did_expire is emitted once the interval has passed."""
    watcher = IdleWatcher(TINY)
    with qtbot.waitSignal(watcher.idle_did_expire, timeout=2000):
        pass
    watcher.uninstall()


def test_input_anywhere_restarts_the_countdown(qtbot: QtBot) -> None:
    """A key press on any widget of the application restarts the timer (application event filter)."""
    watcher = IdleWatcher(10)
    edit = QLineEdit()
    qtbot.addWidget(edit)
    watcher.stop()
    assert not watcher.active
    QCoreApplication.sendEvent(edit, _key_press())
    assert watcher.active
    watcher.uninstall()
    watcher.stop()
    QCoreApplication.sendEvent(edit, _key_press())
    assert not watcher.active


def test_zero_minutes_never_locks(qtbot: QtBot) -> None:
    """set_minutes(0) turns the lock off: no timer, no signal, input does not start it."""
    watcher = IdleWatcher(TINY)
    watcher.set_minutes(0)
    assert not watcher.active
    assert watcher.eventFilter(watcher, _key_press()) is False
    assert not watcher.active
    with qtbot.assertNotEmitted(watcher.idle_did_expire, wait=150):
        pass
    watcher.uninstall()


def test_set_minutes_changes_the_interval(qtbot: QtBot) -> None:
    """A new interval applies at once, and the filter never swallows the event."""
    watcher = IdleWatcher(0, watch_application=False)
    watcher.set_minutes(TINY)
    assert watcher.minutes == TINY
    assert watcher.active
    with qtbot.waitSignal(watcher.idle_did_expire, timeout=2000):
        pass
