"""Lock the window when nobody has touched it for a while (patient data must not sit on screen).

:class:`IdleWatcher` is installed as an application-wide event filter: every key press, mouse press,
mouse move or wheel turn restarts a single-shot timer; when the timer runs out it emits
``idle_did_expire`` once. The composition root connects that to the main window's ``lock()``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

ACTIVITY_EVENTS: frozenset[QEvent.Type] = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
"""Events that count as someone at the keyboard or mouse."""


class IdleWatcher(QObject):
    """Emit ``idle_did_expire`` after ``minutes`` without keyboard or mouse input.

    Signals:
        idle_did_expire(): the interval passed without input; emitted once until input restarts it.
    """

    idle_did_expire = Signal()

    def __init__(
        self, minutes: float = 10.0, parent: QObject | None = None, *, watch_application: bool = True
    ) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)
        self._installed_on: QCoreApplication | None = None
        self.set_minutes(minutes)
        if watch_application and QCoreApplication.instance() is not None:
            self.install()

    @property
    def minutes(self) -> float:
        """The interval in minutes (0: the watcher is off)."""
        return self._minutes

    @property
    def active(self) -> bool:
        """Whether the countdown is running."""
        return self._timer.isActive()

    def set_minutes(self, minutes: float) -> None:
        """Set the interval and restart the countdown; 0 (or less) turns the lock off."""
        self._minutes = max(0.0, float(minutes))
        self._timer.setInterval(max(1, round(self._minutes * 60_000)))
        self.restart()

    def restart(self) -> None:
        """Start counting again from now (after input, or when the window is unlocked)."""
        if self._minutes > 0:
            self._timer.start()
        else:
            self._timer.stop()

    def stop(self) -> None:
        """Stop counting (while the window is locked there is nothing to lock)."""
        self._timer.stop()

    def install(self, app: QCoreApplication | None = None) -> None:
        """Watch every event of the application (``QApplication.instance()`` by default)."""
        target = app or QCoreApplication.instance()
        if target is None:
            raise RuntimeError("IdleWatcher.install needs a running QApplication.")
        if self._installed_on is not None:
            self._installed_on.removeEventFilter(self)
        target.installEventFilter(self)
        self._installed_on = target

    def uninstall(self) -> None:
        """Stop watching the application's events."""
        if self._installed_on is not None:
            self._installed_on.removeEventFilter(self)
            self._installed_on = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Restart the countdown on input; never consume the event."""
        if event.type() in ACTIVITY_EVENTS and self._minutes > 0:
            self._timer.start()
        return False

    def _expire(self) -> None:
        self.idle_did_expire.emit()
