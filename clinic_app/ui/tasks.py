"""The one database worker: every service call the window makes runs here, off the GUI thread.

``run_op`` takes a callable that does the work (a service call with its arguments bound), runs it on a
single worker thread — SQLite locks the whole file, and one worker keeps saves in the order they were
made — and delivers the result or the error back on the GUI thread. A result that is a
:class:`~clinic_app.services.changes.Changes` is also announced with ``operation_did_execute`` so that
every view refreshes from what changed (STYLE.md habit 2). The callable must never touch a widget.

Tests use :class:`SyncTaskRunner`, which runs the callable inline and delivers the same way.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from clinic_app.services.changes import Changes

log = logging.getLogger(__name__)

BUSY_DELAY_MS = 300
"""A task that runs longer than this shows the busy indicator (shorter ones would only flicker)."""

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


@dataclass(slots=True)
class _Pending:
    """A task handed to the worker, with where its outcome goes."""

    op: Callable[[], Any]
    success: Success | None
    failure: Failure | None
    initiator: object
    label: str
    announce: bool


class TaskRunner(QObject):
    """Run service calls on one worker thread and deliver their outcome on the GUI thread.

    Signals:
        operation_did_execute(changes, initiator): a mutating operation finished; views refresh.
        busy_did_change(bool, label): a task has been running for ``BUSY_DELAY_MS`` / all are done.
        task_did_fail(error, label): a task failed and had no failure handler of its own.
    """

    operation_did_execute = Signal(object, object)
    busy_did_change = Signal(bool, str)
    task_did_fail = Signal(object, str)
    _delivered = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="clinic-db"
        )
        self._lock = threading.Lock()
        self._running = 0
        self._busy_label = ""
        self._busy_shown = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self._delivered.connect(self._deliver)

    @property
    def pending(self) -> int:
        """How many tasks are queued or running."""
        return self._running

    def run_op(
        self,
        op: Callable[[], Any],
        *,
        success: Success | None = None,
        failure: Failure | None = None,
        initiator: object = None,
        label: str = "",
    ) -> None:
        """Run a mutating operation; a ``Changes`` result is announced with ``operation_did_execute``.

        Args:
            op: the work, e.g. ``functools.partial(visits.save_results, db, …)``; no widgets.
            success: called on the GUI thread with the result.
            failure: called on the GUI thread with the exception; without one, ``task_did_fail``.
            initiator: passed along with the announcement (a view can skip its own change).
            label: what the busy indicator says ("Saving the visit…").
        """
        self._submit(_Pending(op, success, failure, initiator, label, announce=True))

    def run_query(
        self,
        op: Callable[[], Any],
        *,
        success: Success | None = None,
        failure: Failure | None = None,
        label: str = "",
    ) -> None:
        """Run a read on the worker; like :meth:`run_op` without the announcement."""
        self._submit(_Pending(op, success, failure, None, label, announce=False))

    def shutdown(self) -> None:
        """Stop taking work and wait for every queued task (quit never drops a save)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    # --- internals -------------------------------------------------------------------------------

    def _submit(self, task: _Pending) -> None:
        if self._executor is None:
            raise RuntimeError("The task runner has been shut down.")
        self._started(task.label)
        future = self._executor.submit(task.op)
        future.add_done_callback(functools.partial(self._finished_off_thread, task))

    def _finished_off_thread(self, task: _Pending, future: Future[Any]) -> None:
        """Runs on the worker: hand the outcome to the GUI thread through a queued signal."""
        error = future.exception()
        self._delivered.emit(task, None if error else future.result(), error)

    @Slot(object, object, object)
    def _deliver(self, task: _Pending, result: Any, error: BaseException | None) -> None:
        """Runs on the GUI thread: call the handlers, announce changes, update the busy state."""
        try:
            if error is not None:
                if task.failure is not None:
                    task.failure(error)
                else:
                    log.error("Task %r failed", task.label, exc_info=error)
                    self.task_did_fail.emit(error, task.label)
                return
            if task.success is not None:
                task.success(result)
            if task.announce and isinstance(result, Changes):
                self.operation_did_execute.emit(result, task.initiator)
        finally:
            self._ended()

    def _started(self, label: str) -> None:
        with self._lock:
            self._running += 1
        self._busy_label = label
        if not self._busy_timer.isActive() and not self._busy_shown:
            self._busy_timer.start()

    def _ended(self) -> None:
        with self._lock:
            self._running -= 1
            idle = self._running == 0
        if idle:
            self._busy_timer.stop()
            if self._busy_shown:
                self._busy_shown = False
                self.busy_did_change.emit(False, "")

    @Slot()
    def _show_busy(self) -> None:
        if self._running and not self._busy_shown:
            self._busy_shown = True
            self.busy_did_change.emit(True, self._busy_label)


class SyncTaskRunner(TaskRunner):
    """Runs every task inline on the calling thread: deterministic tests, same delivery order."""

    def _submit(self, task: _Pending) -> None:
        self._started(task.label)
        try:
            result = task.op()
        except Exception as error:
            self._deliver(task, None, error)
        else:
            self._deliver(task, result, None)

    def shutdown(self) -> None:
        """Nothing to wait for."""
