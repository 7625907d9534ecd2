"""The composition root of the desktop window: from the command line to an orderly quit.

:func:`run` does, in order: read the options, check that there is a display (one clear line instead
of Qt's abort trace), create the ``QApplication``, install the excepthook and the log file, open the
clinic (the demo clinic on the default file's first start), ask who is working (:class:`SignInDialog`),
build the :class:`~clinic_app.ui.context.AppContext` and the main window, run the event loop, and on
quit wait for pending saves before closing the database.

What comes before the window (the display check, the options, which database, opening it) is
:mod:`clinic_app.ui.startup`. The pieces after the ``QApplication`` are separate functions
(:func:`build_context`, :func:`start_window`) so tests build the whole window without ``exec()``.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

# The services (and SQLAlchemy under them) come before Qt on purpose: once PySide6 is imported, it
# reads the source of every module imported after it (the check for ``from __feature__ import``), which
# for SQLAlchemy's ~300 modules was about 0.15 s of every cold start.
from clinic_app.services.clinic import Database, database_label, explain_failure, forms
from clinic_app.services.journal import DraftJournal
from clinic_app.services.session import SignedIn

# Also before Qt: its own services (patients, preferences, the demo clinic) load first.
from clinic_app.ui.startup import (
    check_display,
    chosen_database,
    demo_password,
    open_with_progress,
    parse_arguments,
)

# isort: split
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.errors import CrashReporter, configure_logging, default_log_folder, install_excepthook
from clinic_app.ui.settings import APPLICATION_NAME, ORGANISATION_NAME, WindowSettings
from clinic_app.ui.signin import SignInDialog
from clinic_app.ui.tasks import TaskRunner

WindowFactory = Callable[[AppContext], QMainWindow]


def build_context(
    db: Database,
    *,
    url: str | None,
    user: SignedIn | None,
    tasks: TaskRunner | None = None,
    journal: DraftJournal | None = None,
    settings: WindowSettings | None = None,
    log_folder: Path | None = None,
) -> AppContext:
    """Assemble what every part of the window shares.

    Args:
        db: the open clinic.
        url: the ``--database`` argument (for the label; password never shown).
        user: the signed-in clinician.
        tasks: the database worker (a new :class:`TaskRunner` by default; tests pass a SyncTaskRunner).
        journal: the recovery journal (the per-user state folder by default).
        settings: where the idle-lock interval is read.
        log_folder: where crash logs go.
    """
    return AppContext(
        db=db,
        tasks=tasks if tasks is not None else TaskRunner(),
        journal=journal if journal is not None else DraftJournal(),
        database_label=database_label(url),
        user=user,
        idle_lock_minutes=(settings or WindowSettings()).idle_lock_minutes,
        log_folder=log_folder,
    )


def default_window_factory() -> WindowFactory:
    """Return ``clinic_app.ui.mainwindow.MainWindow``.

    Imported by name when the window starts: the main window is the largest module of the window
    and tests of the shell pass their own factory.
    """
    module = importlib.import_module("clinic_app.ui.mainwindow")
    factory: WindowFactory = module.MainWindow
    return factory


class _GeometryKeeper(QObject):
    """Save the window's size, position and docks to the settings when it closes."""

    def __init__(self, window: QMainWindow, settings: WindowSettings) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """On the window's close event, store its geometry; never consume the event."""
        window: QMainWindow | None = getattr(self, "_window", None)  # None while Qt tears down
        if window is not None and watched is window and event.type() == QEvent.Type.Close:
            self._settings.window_geometry = window.saveGeometry()
            self._settings.window_state = window.saveState()
            self._settings.sync()
        return False


def start_window(
    ctx: AppContext,
    *,
    settings: WindowSettings | None = None,
    window_factory: WindowFactory | None = None,
    show: bool = True,
) -> QMainWindow:
    """Build the main window for ``ctx``, restore its saved geometry and show it.

    The main window arms its own idle lock (:class:`~clinic_app.ui.idle.IdleWatcher`) from
    ``ctx.idle_lock_minutes``; its size, position and docks are saved here when it closes.

    Args:
        ctx: the shared state, signed in.
        settings: where the geometry is kept (the user's settings by default).
        window_factory: builds the window (``MainWindow`` by default; tests pass a stub).
        show: False keeps it hidden (tests, screenshots).
    """
    settings = settings or WindowSettings()
    window = (window_factory or default_window_factory())(ctx)
    geometry = settings.window_geometry
    if geometry.isEmpty() or not window.restoreGeometry(geometry):
        window.resize(1280, 800)
    state = settings.window_state
    if not state.isEmpty():
        window.restoreState(state)
    window.installEventFilter(_GeometryKeeper(window, settings))
    if show:
        window.show()
    return window


WINDOW_WARM_UP_MS = 150
"""How long after the sign-in dialog opens :func:`prepare_window` runs: once it has been painted."""


def prepare_window() -> None:
    """Import the main window and read the forms while the clinician types her password.

    Both are needed to build the window (~0.1 s together) and neither needs her: done while the
    dialog waits, they no longer come between pressing Enter and the window. Nothing is shown.
    """
    default_window_factory()
    forms()


def sign_in_interactively(
    db: Database, tasks: TaskRunner, settings: WindowSettings, *, url: str | None
) -> SignedIn | None:
    """Show the sign-in dialog; return the clinician, or None when she chose Quit."""
    dialog = SignInDialog(
        db, tasks, preferred_id=settings.last_clinician_id, database_label=database_label(url)
    )
    password = demo_password(db)
    if password is not None:
        dialog.set_hint(f"Demo clinic: every profile's password is '{password}'.")
    warm_up = QTimer(dialog)  # a child timer: it dies with the dialog
    warm_up.setSingleShot(True)
    warm_up.timeout.connect(prepare_window)
    warm_up.start(WINDOW_WARM_UP_MS)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    user = dialog.signed_in if accepted else None
    dialog.deleteLater()
    if user is not None:
        settings.last_clinician_id = user.clinician_id
    return user


def _apply_ui_scale(app: QApplication, scale: float) -> None:
    """Scale the application font (Qt's scaling environment variables stay the user's own)."""
    if abs(scale - 1.0) < 0.01:
        return
    font = app.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    app.setFont(font)


# --- run ---------------------------------------------------------------------------------------------


def application_icon() -> QIcon:
    """The app's icon (taskbar, title bar, About), drawn from the SVG shipped in ``ui/icons``."""
    return QIcon(str(Path(__file__).resolve().parent / "icons" / "runready-clinic.svg"))


def event_loop(app: QApplication) -> int:
    """Run the application's event loop until the window closes (tests replace this)."""
    return int(app.exec())


def run(argv: Sequence[str] | None = None) -> int:
    """Start the desktop window and return the process exit code (0 normal quit, 1 cannot start)."""
    args = parse_arguments(argv)
    problem = check_display()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "runready-clinic"])
    assert isinstance(app, QApplication)
    app.setApplicationName(APPLICATION_NAME)
    app.setOrganizationName(ORGANISATION_NAME)
    app.setApplicationDisplayName(APPLICATION_NAME)
    app.setDesktopFileName("runready-clinic")  # matches packaging/linux/runready-clinic.desktop
    app.setWindowIcon(application_icon())

    settings = WindowSettings()
    _apply_ui_scale(app, settings.ui_scale)
    log_folder = default_log_folder()
    log_handler = configure_logging(log_folder)

    def crash_parent() -> QWidget | None:
        return QApplication.activeWindow()

    reporter: CrashReporter = install_excepthook(log_folder, crash_parent)
    url = chosen_database(args.database)
    try:
        try:
            db = open_with_progress(url)
        except Exception as error:
            message = explain_failure(error, url)
            if message is None:
                raise
            ask.show_error(None, "RunReady Clinic cannot open the clinic", message)
            return 1
        tasks = TaskRunner()
        try:
            user = sign_in_interactively(db, tasks, settings, url=url)
            if user is None:
                return 0
            ctx = build_context(db, url=url, user=user, tasks=tasks, settings=settings, log_folder=log_folder)
            window = start_window(ctx, settings=settings)
            restore = getattr(window, "restore_journal", None)
            if restore is not None:
                QTimer.singleShot(0, restore)  # offer values typed before a crash, once the window shows
            code = event_loop(app)
            window.deleteLater()
            return code
        finally:
            tasks.shutdown()  # pending saves finish before the database closes
            db.dispose()
            settings.sync()
    finally:
        reporter.uninstall()
        logging.getLogger().removeHandler(log_handler)
        log_handler.close()
