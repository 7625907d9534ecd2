"""Tests for the window's composition root: no-display message, first start on the demo clinic,
the context and window seam, and an orderly run from start to quit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from clinic_app.services import patients
from clinic_app.services.clinic import Database, database_label, explain_failure
from clinic_app.services.demo import is_complete_demo
from clinic_app.services.session import SignedIn, sign_in
from clinic_app.ui import app as app_module
from clinic_app.ui import ask, startup
from clinic_app.ui.context import AppContext
from clinic_app.ui.settings import WindowSettings
from clinic_app.ui.tasks import SyncTaskRunner, TaskRunner

from .conftest import DEMO_PASSWORD


class StubWindow(QMainWindow):
    """Stands in for MainWindow: takes the context, can lock and unlock."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.locked = False

    def lock(self) -> None:
        """Pretend to hide patient data."""
        self.locked = True

    def unlock(self, user: SignedIn) -> None:
        """Pretend to show it again."""
        self.locked = False


@pytest.fixture(autouse=True)
def offscreen_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run the window offscreen on purpose (the real app refuses an unseen window)."""
    monkeypatch.setattr(app_module, "check_display", lambda: None)


@pytest.fixture
def settings(tmp_path: Path) -> WindowSettings:
    """Window settings in an ini file of the test."""
    return WindowSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def test_no_display_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """Without DISPLAY/WAYLAND_DISPLAY/QT_QPA_PLATFORM the app says so in one line, exit 1, no Qt abort."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "clinic_app"], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("RunReady Clinic needs a display: none was found (DISPLAY is not set).")
    assert "xvfb-run" in lines[0]
    assert "Aborted" not in done.stderr
    assert "qt.qpa" not in done.stderr


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", "DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", "DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", "DISPLAY is not set"),
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", "WAYLAND_DISPLAY is not set"),
        ({"DISPLAY": "remotehost:0"}, "linux", None),
        ({"DISPLAY": ":97"}, "linux", "no X server answers on DISPLAY=:97"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": "remotehost:1"}, "linux", None),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", "QT_QPA_PLATFORM=offscreen"),
        ({"QT_QPA_PLATFORM": "minimal", "DISPLAY": ":0"}, "win32", "QT_QPA_PLATFORM=minimal"),
        ({"QT_QPA_PLATFORM": "vnc"}, "linux", None),
        ({}, "win32", None),
        ({}, "darwin", None),
    ],
)
def test_display_check(environ: dict[str, str], platform: str, expected: str | None) -> None:
    """The display check names what is missing, refuses offscreen, and passes other platforms."""
    problem = startup.display_problem(environ, platform)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem


def test_first_start_on_the_default_file_builds_the_demo(user_folders: Path) -> None:
    """With no --database and an empty default file, the window opens on the demo clinic."""
    db = startup.open_window_clinic(None)
    try:
        assert is_complete_demo(db)
        assert startup.demo_password(db) == DEMO_PASSWORD
        again = startup.open_window_clinic(None)  # second start keeps what is there
        again.dispose()
    finally:
        db.dispose()


def test_named_empty_database_gets_no_demo(tmp_path: Path) -> None:
    """A database named with --database is never filled with demo data."""
    url = f"sqlite:///{tmp_path}/mine.sqlite3"
    db = startup.open_window_clinic(url)
    try:
        assert patients.list_clinicians(db) == []
        assert startup.demo_password(db) is None
    finally:
        db.dispose()


def test_seam_builds_context_and_window_on_the_demo(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, settings: WindowSettings
) -> None:
    """build_context and start_window assemble a signed-in window without exec(); closing saves geometry."""
    clinician = patients.list_clinicians(demo_db)[0]
    user = sign_in(demo_db, clinician.id, DEMO_PASSWORD)
    url = f"sqlite:///{tmp_path}/clinic.sqlite3"
    settings.idle_lock_minutes = 3
    ctx = app_module.build_context(demo_db, url=url, user=user, tasks=SyncTaskRunner(), settings=settings)
    assert ctx.database_label == str(tmp_path / "clinic.sqlite3")
    assert ctx.user == user
    assert ctx.actor_id == str(clinician.id)
    assert ctx.idle_lock_minutes == 3
    window = app_module.start_window(ctx, settings=settings, window_factory=StubWindow)
    qtbot.addWidget(window)
    assert isinstance(window, StubWindow)
    assert window.ctx is ctx
    assert window.isVisible()
    window.close()
    assert not settings.window_geometry.isEmpty()


def test_database_label_hides_a_password() -> None:
    """The label shown in the window never contains a server password."""
    label = database_label("postgresql://clinic:s3cret@db.example:5432/runready")
    assert "s3cret" not in label
    assert "db.example" in label


def test_run_starts_signs_in_and_quits_in_order(
    qtbot: QtBot,
    demo_template: Path,
    tmp_path: Path,
    settings: WindowSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """run() opens the clinic, signs in, shows the window, and on quit shuts the worker down (exit 0)."""
    target = tmp_path / "run.sqlite3"
    shutil.copy2(demo_template, target)
    seen: dict[str, object] = {}

    def fake_sign_in(db: Database, tasks: TaskRunner, store: WindowSettings, *, url: str | None) -> SignedIn:
        seen["tasks"] = tasks
        return sign_in(db, patients.list_clinicians(db)[0].id, DEMO_PASSWORD)

    def fake_loop(app: QApplication) -> int:
        shown = [w for w in app.topLevelWidgets() if isinstance(w, StubWindow) and w.isVisible()]
        seen["shown"] = shown
        return 0

    def factory() -> type[StubWindow]:
        return StubWindow

    monkeypatch.setattr(app_module, "WindowSettings", lambda: settings)
    monkeypatch.setattr(app_module, "sign_in_interactively", fake_sign_in)
    monkeypatch.setattr(app_module, "event_loop", fake_loop)
    monkeypatch.setattr(app_module, "default_window_factory", factory)
    hook_before = sys.excepthook
    assert app_module.run(["--database", f"sqlite:///{target}"]) == 0
    assert sys.excepthook is hook_before
    shown = seen["shown"]
    assert isinstance(shown, list) and len(shown) == 1
    assert shown[0].ctx.database_label == str(target)
    tasks = seen["tasks"]
    assert isinstance(tasks, TaskRunner)
    with pytest.raises(RuntimeError):
        tasks.run_query(lambda: None)  # shut down: takes no more work


def test_run_quits_quietly_when_sign_in_is_cancelled(
    qtbot: QtBot,
    demo_template: Path,
    tmp_path: Path,
    settings: WindowSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Choosing Quit at sign-in ends the app with exit code 0 and no window."""
    target = tmp_path / "run.sqlite3"
    shutil.copy2(demo_template, target)
    monkeypatch.setattr(app_module, "WindowSettings", lambda: settings)
    monkeypatch.setattr(app_module, "sign_in_interactively", lambda *args, **kwargs: None)

    def no_window(ctx: AppContext, **kwargs: object) -> QMainWindow:
        raise AssertionError("no window after a cancelled sign-in")

    monkeypatch.setattr(app_module, "start_window", no_window)
    assert app_module.run(["--database", f"sqlite:///{target}"]) == 0


def test_run_explains_a_database_it_cannot_open(
    qtbot: QtBot, tmp_path: Path, settings: WindowSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that is not a clinic database is explained in a message box, and the app exits 1."""
    bad = tmp_path / "not-a-database.sqlite3"
    bad.write_bytes(b"this is a letter, not a database" * 100)
    errors: list[tuple[str, str]] = []

    def record(parent: QWidget | None, title: str, text: str) -> None:
        errors.append((title, text))

    monkeypatch.setattr(app_module, "WindowSettings", lambda: settings)
    monkeypatch.setattr(ask, "show_error", record)
    assert app_module.run(["--database", f"sqlite:///{bad}"]) == 1
    assert len(errors) == 1
    assert "not-a-database.sqlite3" in errors[0][1]


def test_offscreen_is_refused_instead_of_an_unseen_window(tmp_path: Path) -> None:
    """QT_QPA_PLATFORM=offscreen gives one line and exit 1: a sign-in nobody can see would wait forever."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "clinic_app"], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr


def test_opening_runs_off_the_gui_thread_and_reports_failures(qtbot, tmp_path: Path) -> None:
    """The clinic opens on a worker behind a progress window; a file that is no database raises."""
    db = startup.open_with_progress(f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    try:
        assert db.is_sqlite
    finally:
        db.dispose()
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(Exception) as caught:
        startup.open_with_progress(f"sqlite:///{bad}")
    assert explain_failure(caught.value, f"sqlite:///{bad}")


def test_the_database_saved_in_preferences_is_used_after_the_flag_and_the_environment(tmp_path: Path) -> None:
    """--database wins, then CLINIC_APP_DATABASE_URL; otherwise the URL saved in the preferences."""
    import dataclasses

    from clinic_app.services import preferences

    assert startup.chosen_database(None, environ={}) is None
    saved = f"sqlite:///{tmp_path / 'shared.db'}"
    preferences.save(dataclasses.replace(preferences.load(), database_url=saved))
    assert startup.chosen_database(None, environ={}) == saved
    assert startup.chosen_database("sqlite:///other.db", environ={}) == "sqlite:///other.db"
    from_env = {"CLINIC_APP_DATABASE_URL": "sqlite:///env.db"}
    assert startup.chosen_database(None, environ=from_env) is None  # open_clinic reads the environment
