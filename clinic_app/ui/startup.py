"""Before the window: can one be shown, which clinic it opens, and opening it without a blank screen.

:func:`~clinic_app.ui.app.run` asks these first: :func:`check_display` (one clear line instead of
Qt's abort trace when there is no display), :func:`parse_arguments`, :func:`chosen_database` (the
command line, the environment, then Preferences → Database) and :func:`open_with_progress`, which
opens the clinic off the GUI thread and fills the default file with the demo clinic on its first
start. Everything after the ``QApplication`` is built stays in :mod:`clinic_app.ui.app`.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

# The services (and SQLAlchemy under them) come before Qt on purpose; see clinic_app.ui.app.
from clinic_app.services import patients, preferences
from clinic_app.services.clinic import Database, open_clinic
from clinic_app.services.demo import build_demo, is_demo, load_demo_spec

# isort: split
from clinic_app.ui.settings import APPLICATION_NAME
from clinic_app.ui.tasks import TaskRunner

DATABASE_URL_ENV = "CLINIC_APP_DATABASE_URL"
"""The environment variable :func:`~clinic_app.services.clinic.open_clinic` reads (named for the check
whether the default file is in use)."""

COMMAND_LINE_HINT = "Use the command line, e.g. 'python -m clinic_app overview', or run under xvfb-run."


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
    requested = [part.split(":")[0].strip().lower() for part in environ.get("QT_QPA_PLATFORM", "").split(";")]
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
