"""What happens when the window hits a bug: the traceback goes to a log file, then a calm dialog.

PySide prints an exception raised in a slot to stderr and carries on, which nobody sees in an
installed app (STYLE.md, pitfall 5). :func:`install_excepthook` replaces ``sys.excepthook`` so that
every such exception is written, with its traceback, to a dated file in the per-user log folder and
the clinician is told that something went wrong, that what she typed is kept in the recovery journal,
and where the log is. :func:`configure_logging` sends the ``logging`` records of the whole app to a
rotating file in the same folder.

The dialog is shown through :func:`show_crash_dialog`, a module function that tests replace.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QMessageBox, QWidget

APP_NAME = "RunReady Clinic"
LOG_FILE_NAME = "runready-clinic.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5

log = logging.getLogger(__name__)

ParentGetter = Callable[[], QWidget | None]
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def default_log_folder() -> Path:
    """Return the per-user log folder (created when the first log is written)."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def configure_logging(log_folder: Path, *, level: int = logging.INFO) -> logging.Handler:
    """Send the app's log records to a rotating file in ``log_folder``.

    Calling it again for the same folder adds no second handler.

    Returns:
        The file handler (remove it from the root logger and close it to stop).
    """
    log_folder.mkdir(parents=True, exist_ok=True)
    target = log_folder / LOG_FILE_NAME
    root = logging.getLogger()
    for existing in root.handlers:
        same_file = getattr(existing, "baseFilename", None) == os.path.abspath(target)
        if isinstance(existing, logging.handlers.RotatingFileHandler) and same_file:
            return existing
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    return handler


def crash_log_file(log_folder: Path, today: dt.date | None = None) -> Path:
    """Return the dated file a traceback of ``today`` goes to (``crash-2026-12-02.log``)."""
    return log_folder / f"crash-{(today or dt.date.today()).isoformat()}.log"


def crash_message(log_file: Path) -> str:
    """Return what the dialog tells the clinician after a bug."""
    return (
        "Something went wrong inside RunReady Clinic. This is a fault in the program, not something "
        "you did.\n\n"
        "The values you typed into an open visit are kept in the recovery journal; if you restart the "
        "app, it offers to restore them. Saved visits are not affected.\n\n"
        f"The details were written to:\n{log_file}\n\n"
        "Please send that file to whoever looks after the app."
    )


def show_crash_dialog(parent: QWidget | None, log_file: Path) -> None:
    """Tell the clinician a bug happened and where the details are (tests replace this function)."""
    box = QMessageBox(QMessageBox.Icon.Critical, "RunReady Clinic — something went wrong",
                      crash_message(log_file), QMessageBox.StandardButton.Ok, parent)
    box.exec()


class CrashReporter:
    """The installed ``sys.excepthook``: log the traceback, then show the dialog (once at a time)."""

    def __init__(self, log_folder: Path, parent_getter: ParentGetter, previous: ExceptHook) -> None:
        self.log_folder = log_folder
        self.parent_getter = parent_getter
        self.previous = previous
        self.last_log_file: Path | None = None
        self._showing = False

    def __call__(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        """Handle an uncaught exception."""
        if issubclass(kind, KeyboardInterrupt):
            self.previous(kind, error, trace)
            return
        text = "".join(traceback.format_exception(kind, error, trace))
        log_file = self.write(text)
        log.error("Uncaught exception (details in %s)", log_file, exc_info=(kind, error, trace))
        if not self._can_show_dialog():
            print(text, file=sys.stderr)
            return
        self._showing = True
        try:
            parent = self.parent_getter()
            # Looked up on the module at call time, so tests can replace it.
            sys.modules[__name__].show_crash_dialog(parent, log_file)
        finally:
            self._showing = False

    def write(self, text: str) -> Path:
        """Append a dated, timestamped traceback to today's crash log; return the file."""
        log_file = crash_log_file(self.log_folder)
        try:
            self.log_folder.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
            with log_file.open("a", encoding="utf-8") as out:
                out.write(f"=== {stamp} ===\n{text}\n")
        except OSError as problem:
            print(f"Could not write the crash log {log_file}: {problem}\n{text}", file=sys.stderr)
        self.last_log_file = log_file
        return log_file

    def uninstall(self) -> None:
        """Put the previous ``sys.excepthook`` back (when this one is still installed)."""
        if sys.excepthook is self:
            sys.excepthook = self.previous

    def _can_show_dialog(self) -> bool:
        """A dialog needs the GUI thread of a running application, and not a second one on top."""
        app = QCoreApplication.instance()
        if app is None or self._showing:
            return False
        return QThread.currentThread() is app.thread()


def install_excepthook(log_folder: Path, parent_getter: ParentGetter) -> CrashReporter:
    """Install the app's ``sys.excepthook``.

    Args:
        log_folder: where the dated crash logs go (usually :func:`default_log_folder`).
        parent_getter: returns the widget the dialog opens over (the main window once it exists).

    Returns:
        The installed hook; ``uninstall()`` restores the previous one.
    """
    reporter = CrashReporter(log_folder, parent_getter, sys.excepthook)
    sys.excepthook = reporter
    return reporter
