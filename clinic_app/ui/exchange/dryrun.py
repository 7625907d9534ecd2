"""The import's dry run as a small window: a progress bar over the bundle's records and Cancel.

The dry run reads and checks every record of the bundle (tens of seconds for a large clinic), so it
runs on the database worker (``ctx.tasks``) like every service call; progress comes back through a
queued signal and Cancel sets a thread-safe flag the service polls between records. The window is
opened with ``open()`` (window-modal, no nested event loop), and the outcome arrives through the
callbacks: the plan, or the error; a cancelled dry run calls neither and just closes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from clinic_app.exchange.errors import ExchangeCancelled
from clinic_app.exchange.plan import ImportPlan
from clinic_app.services import exchange
from clinic_app.ui.context import AppContext


class _Relay(QObject):
    """Carries progress from the worker thread to the GUI thread (a queued signal)."""

    progress_did_change = Signal(int, int)


class DryRunDialog(QDialog):
    """Checks a bundle against the clinic on the worker, with progress and Cancel.

    Signals:
        plan_did_finish(plan): the dry run ended with a plan (the dialog has closed).
        dry_run_did_fail(message): the bundle was refused (the dialog has closed).
        dry_run_was_cancelled(): the user cancelled; nothing follows.
    """

    plan_did_finish = Signal(object)
    dry_run_did_fail = Signal(str)
    dry_run_was_cancelled = Signal()

    def __init__(self, ctx: AppContext, path: Path, password: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import: checking the bundle")
        self._ctx, self._path, self._password = ctx, path, password
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        self._relay.progress_did_change.connect(self._show_progress)
        self.running = False
        self.label = QLabel(f"Checking {path.name} against this clinic (nothing is written)…", self)
        self.label.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        """Run the dry run on the worker; the dialog closes when it ends."""
        self.running = True
        run: Callable[[], ImportPlan] = functools.partial(
            exchange.plan_import,
            self._ctx.db,
            self._path,
            password=self._password,
            progress=self._report,
            cancelled=self._cancel.is_set,
        )
        self._ctx.tasks.run_query(run, success=self._done, failure=self._failed, label="Checking the bundle…")

    def cancel(self) -> None:
        """Ask the running dry run to stop (it stops at its next record)."""
        if not self.running:
            self.reject()
            return
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling…")

    def reject(self) -> None:
        """Escape or the close button cancel a running dry run rather than leave it unseen."""
        if self.running:
            self.cancel()
            return
        super().reject()

    def _report(self, done: int, total: int) -> None:
        """Runs on the worker: hand the count to the GUI thread."""
        self._relay.progress_did_change.emit(done, total)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _done(self, plan: ImportPlan) -> None:
        self.running = False
        self.progress.setRange(0, max(self.progress.maximum(), 1))
        self.progress.setValue(self.progress.maximum())
        self.accept()
        self.plan_did_finish.emit(plan)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        super().reject()
        if isinstance(error, ExchangeCancelled):
            self.dry_run_was_cancelled.emit()
        else:
            self.dry_run_did_fail.emit(str(error))
