"""A worker thread for report work that must not wait behind (or hold up) the database worker.

Printing a long report or building a batch takes seconds; on the one database worker it would delay
every save. :class:`ReportWorker` runs such jobs on a thread of its own and hands the outcome back to
the GUI thread through a queued signal, like :class:`clinic_app.ui.tasks.TaskRunner`. Jobs never touch
a widget; ``progress`` may be called from the job and arrives on the GUI thread.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class ReportWorker(QObject):
    """One background thread for print jobs and batches; outcomes arrive on the GUI thread.

    Signals:
        job_did_progress(done, total): emitted from a job through :meth:`progress`, delivered queued.
        job_did_finish(): a job's success or failure handler has run.
    """

    job_did_progress = Signal(int, int)
    job_did_finish = Signal()
    _delivered = Signal(object, object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="clinic-reports"
        )
        self._running = 0
        self._delivered.connect(self._deliver)

    @property
    def busy(self) -> bool:
        """True while a job is queued or running."""
        return self._running > 0

    def run(self, job: Callable[[], Any], *, success: Success, failure: Failure) -> None:
        """Run ``job()`` on the worker; call ``success(result)`` or ``failure(error)`` on the GUI thread."""
        if self._executor is None:
            raise RuntimeError("The report worker has been shut down.")
        self._running += 1
        future = self._executor.submit(job)
        future.add_done_callback(functools.partial(self._finished_off_thread, success, failure))

    def progress(self, done: int, total: int) -> None:
        """Report progress from inside a job (thread-safe: the signal is queued to the GUI thread)."""
        self.job_did_progress.emit(done, total)

    def shutdown(self) -> None:
        """Wait for the running job and stop the thread (a closing window never leaves it behind)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _finished_off_thread(self, success: Success, failure: Failure, future: Future[Any]) -> None:
        error = future.exception() if not future.cancelled() else None
        result = None if error is not None or future.cancelled() else future.result()
        self._delivered.emit(success, failure, result, error)

    @Slot(object, object, object, object)
    def _deliver(self, success: Success, failure: Failure, result: Any, error: BaseException | None) -> None:
        self._running -= 1
        try:
            if error is not None:
                failure(error)
            else:
                success(result)
        finally:
            self.job_did_finish.emit()


class ReplyGuard:
    """Holds a closing dialog back from deletion until its database-worker replies have arrived.

    A dialog that asked the database worker for something (build, save, record) and is closed before
    the reply would otherwise be called back after Qt deleted it. :meth:`handlers` wraps a
    success/failure pair; after :meth:`close` the replies are dropped (the work itself, such as
    keeping a report record, still completes) and the dialog is deleted once none is outstanding.
    """

    def __init__(self, widget: QObject) -> None:
        self._widget = widget
        self._pending = 0
        self._closing = False

    @property
    def closing(self) -> bool:
        """True once the dialog has closed."""
        return self._closing

    def handlers(self, success: Success, failure: Failure) -> dict[str, Any]:
        """Return ``success=`` and ``failure=`` for ``run_query`` / ``run_op`` (one reply expected)."""
        self._pending += 1
        return {
            "success": functools.partial(self._reply, success),
            "failure": functools.partial(self._reply, failure),
        }

    def close(self) -> None:
        """The dialog closed: drop further replies and delete it when none is outstanding.

        The check runs on the next event-loop turn, after a report-worker outcome already queued (a
        finished print job, which may still ask for its report record to be kept).
        """
        if not self._closing:
            self._closing = True
            QTimer.singleShot(0, self._delete_when_idle)

    def _delete_when_idle(self) -> None:
        if self._pending == 0 and shiboken6.isValid(self._widget):
            self._widget.deleteLater()

    def _reply(self, handler: Callable[[Any], None], value: Any) -> None:
        self._pending -= 1
        if self._closing:
            self._delete_when_idle()
            return
        handler(value)
