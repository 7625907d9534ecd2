"""The composition root of the desktop window: from the command line to an orderly quit.

:func:`run` does, in order: read the options, check that there is a display (one clear line instead
of Qt's abort trace), create the ``QApplication``, install the excepthook and the log file, open the
clinic (the demo clinic on the default file's first start), ask who is working (:class:`SignInDialog`),
build the :class:`~clinic_app.ui.context.AppContext` and the main window, run the event loop, and on
quit wait for pending saves before closing the database.

The pieces after the ``QApplication`` are separate functions (:func:`open_window_clinic`,
:func:`build_context`, :func:`start_window`) so tests build the whole window without ``exec()``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# The services (and SQLAlchemy under them) come before Qt on purpose: once PySide6 is imported, it
# reads the source of every module imported after it (the check for ``from __feature__ import``), which
# for SQLAlchemy's ~300 modules was about 0.15 s of every cold start.
from clinic_app.services import patients, preferences
from clinic_app.services.clinic import Database, database_label, explain_failure, forms, open_clinic
from clinic_app.services.demo import build_demo, is_demo, load_demo_spec
from clinic_app.services.journal import DraftJournal
from clinic_app.services.session import SignedIn

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

DATABASE_URL_ENV = "CLINIC_APP_DATABASE_URL"
"""The environment variable :func:`~clinic_app.services.clinic.open_clinic` reads (named for the check
whether the default file is in use)."""

COMMAND_LINE_HINT = "Use the command line, e.g. 'python -m clinic_app overview', or run under xvfb-run."

WindowFactory = Callable[[AppContext], QMainWindow]


# --- before Qt ---------------------------------------------------------------------------------------


HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal"})
"""Qt platforms that draw nowhere: a window there waits for a password nobody can type."""


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Return the one-line message when no window can be shown, or None when a display is there.

    On Linux the xcb and wayland platforms need ``DISPLAY`` / ``WAYLAND_DISPLAY``; on any system
    ``QT_QPA_PLATFORM=offscreen`` (or ``minimal``) is refused, because the sign-in would wait
    forever, unseen. Windows and macOS otherwise always have their display; other Qt platforms
    (``vnc``, ``eglfs`` …) are left to Qt.
    """
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    requested = [
        part.split(":")[0].strip().lower() for part in environ.get("QT_QPA_PLATFORM", "").split(";")
    ]
    requested = [name for name in requested if name]
    if requested and requested[0] in HEADLESS_PLATFORMS:
        return (
            f"RunReady Clinic's window cannot be seen on the '{requested[0]}' Qt platform "
            f"(QT_QPA_PLATFORM={environ.get('QT_QPA_PLATFORM')}). Unset it. {COMMAND_LINE_HINT}"
        )
    if not platform.startswith("linux"):
        return None
    has_x = bool(environ.get("DISPLAY")) and _local_x_server_answers(environ.get("DISPLAY", ""))
    has_wayland = bool(environ.get("WAYLAND_DISPLAY"))
    if not requested:
        if has_x or has_wayland:
            return None
        missing = _x_missing(environ)
    else:
        for name in requested:
            if name not in ("xcb", "wayland", "wayland-egl"):
                return None
            if (name == "xcb" and has_x) or (name.startswith("wayland") and has_wayland):
                return None
        only_wayland = all(name.startswith("wayland") for name in requested)
        missing = "WAYLAND_DISPLAY is not set" if only_wayland else "DISPLAY is not set"
    return f"RunReady Clinic needs a display: none was found ({missing}). {COMMAND_LINE_HINT}"


def check_display() -> str | None:
    """The display check of this process (tests that run the window offscreen replace it)."""
    return display_problem()


def _x_missing(environ: Mapping[str, str]) -> str:
    """Say why X cannot be used: no DISPLAY, or no server behind it."""
    display = environ.get("DISPLAY", "")
    return f"no X server answers on DISPLAY={display}" if display else "DISPLAY is not set"


def _local_x_server_answers(display: str) -> bool:
    """False when DISPLAY names a local X server (``:0``) whose socket does not exist.

    Qt aborts with a trace when it cannot reach the X server; a local display is checked through its
    socket in ``/tmp/.X11-unix``. A remote display (``host:0``) is assumed to answer.
    """
    host, _, rest = display.partition(":")
    number = rest.split(".", 1)[0]
    if host not in ("", "unix") or not number.isdigit():
        return True
    return Path(f"/tmp/.X11-unix/X{number}").exists()


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the window's options (``--database URL``)."""
    parser = argparse.ArgumentParser(
        prog="python -m clinic_app", description="Start the RunReady Clinic window."
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help=f"database URL (default: {DATABASE_URL_ENV}, then the per-user clinic file)",
    )
    return parser.parse_args(list(argv) if argv is not None else sys.argv[1:])


# --- the pieces ------------------------------------------------------------------------------------


def uses_default_database(url: str | None, environ: Mapping[str, str] | None = None) -> bool:
    """True when neither ``--database`` nor the environment names a database: the per-user file."""
    environ = os.environ if environ is None else environ
    return not url and not environ.get(DATABASE_URL_ENV)


def chosen_database(url: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """``--database``, else the environment's URL, else the one saved in Preferences → Database.

    A database chosen in the preferences counts as named: it is never filled with the demo clinic.
    """
    environ = os.environ if environ is None else environ
    if url or environ.get(DATABASE_URL_ENV):
        return url
    return preferences.load().database_url or None


def open_window_clinic(url: str | None) -> Database:
    """Open the clinic; on the default file's first start (no clinicians yet) build the demo clinic.

    A database named explicitly is never filled with demo data: an empty one shows the sign-in's
    "no clinician profiles yet" message instead.

    Raises:
        Exception: whatever :func:`~clinic_app.services.clinic.open_clinic` raises; see
            :func:`~clinic_app.services.clinic.explain_failure`.
    """
    db = open_clinic(url)
    try:
        if uses_default_database(url) and not patients.list_clinicians(db):
            build_demo(db)
    except BaseException:
        db.dispose()
        raise
    return db


def open_with_progress(url: str | None) -> Database:
    """Open the clinic off the GUI thread, with a "Opening the clinic…" window if it takes a while.

    The first start builds the demo clinic (a few seconds) and a migration can take as long; a
    blank screen for that long looks like a hang. The work runs on a one-off worker thread; a local
    event loop keeps the progress window painted until it is done.

    Raises:
        Exception: whatever :func:`open_window_clinic` raised.
    """
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QProgressDialog

    runner = TaskRunner()
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def done(result: object, key: str) -> None:
        outcome[key] = result
        loop.quit()

    progress = QProgressDialog("Opening the clinic… (the first start prepares the demo clinic)", "", 0, 0)
    progress.setWindowTitle(APPLICATION_NAME)
    progress.setCancelButton(None)  # Qt accepts None: no cancel button
    progress.setMinimumDuration(300)
    runner.run_query(
        functools.partial(open_window_clinic, url),
        success=functools.partial(done, key="db"),
        failure=functools.partial(done, key="error"),
    )
    if not outcome:
        loop.exec()
    progress.close()
    progress.deleteLater()
    runner.shutdown()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    db = outcome["db"]
    assert isinstance(db, Database)
    return db


def demo_password(db: Database) -> str | None:
    """The demo clinic's password, to show at sign-in, or None when this is not the demo clinic."""
    spec = load_demo_spec()
    return str(spec["demo"]["password"]) if is_demo(db, spec) else None


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
            ctx = build_context(db, url=url, user=user, tasks=tasks, settings=settings,
                                log_folder=log_folder)
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
