"""Window test fixtures: the demo clinic (built once, copied per test), a signed-in context on a
synchronous task runner, per-user folders in the test's own directory, and a check that no test
leaves a thread running (STYLE.md habit 10).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6

from clinic_app.services import patients
from clinic_app.services.clinic import Database, open_clinic
from clinic_app.services.demo import build_demo
from clinic_app.services.journal import DraftJournal
from clinic_app.services.session import sign_in

DEMO_PASSWORD = "runready-demo"


@pytest.fixture(autouse=True)
def user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every per-user folder (data, state, config, logs) into the test's own directory."""
    home = tmp_path / "home"
    for name, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CLINIC_APP_DATABASE_URL", raising=False)
    return home


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a thread of ours running (a database worker nobody shut down)."""
    before = {thread.ident for thread in threading.enumerate()}
    yield
    leaked = [
        thread.name
        for thread in threading.enumerate()
        if thread.ident not in before and thread.is_alive() and thread.name.startswith("clinic-")
    ]
    assert not leaked, f"threads left running: {leaked}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Before pytest-qt closes the test's widgets, forget those whose C++ side is already gone."""
    registered = getattr(item, "qt_widgets", None)
    if registered:
        item.qt_widgets = [  # type: ignore[attr-defined]
            (ref, before_close)
            for ref, before_close in registered
            if (widget := ref()) is None or shiboken6.isValid(widget)
        ]
    return (yield)


@pytest.fixture(autouse=True)
def widgets_live_until_closed(qtbot: Any) -> Iterator[None]:
    """Hold every widget given to ``qtbot.addWidget`` until pytest-qt has closed it at teardown.

    pytest-qt keeps only a weak reference. A test's window is otherwise held by nothing but its own
    reference cycles once the test function returns, while its C++ side lives on and its timers
    still fire (the idle-time page build). The cyclic garbage collector then clears the Python
    objects of a window Qt is still laying out: seen as "'FlowLayout' object has no attribute
    '_items'" and as a segmentation fault in a fresh-clone run. The running app holds its window
    for its whole life, so this is the test's job, not the window's. A widget Qt deleted itself
    (closed with delete-on-close) is dropped before pytest-qt closes the rest
    (:func:`pytest_runtest_teardown`).
    """
    kept: list[object] = []
    add_widget = qtbot.addWidget

    def add_and_keep(widget: object, *, before_close_func: Any = None) -> None:
        kept.append(widget)
        add_widget(widget, before_close_func=before_close_func)

    qtbot.addWidget = add_and_keep
    yield
    kept.clear()  # runs after pytest-qt's teardown hook has closed the widgets


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clinic built once for the session; tests copy the file."""
    path = tmp_path_factory.mktemp("demo-template") / "clinic.sqlite3"
    db = open_clinic(f"sqlite:///{path}")
    try:
        build_demo(db)
    finally:
        db.dispose()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the demo clinic, open."""
    target = tmp_path / "clinic.sqlite3"
    shutil.copy2(demo_template, target)
    db = open_clinic(f"sqlite:///{target}")
    yield db
    db.dispose()


@pytest.fixture
def ctx(demo_db: Database, tmp_path: Path) -> Iterator[object]:
    """An AppContext on the demo clinic, signed in as its first clinician, with a synchronous runner."""
    from clinic_app.ui.context import AppContext
    from clinic_app.ui.tasks import SyncTaskRunner

    clinician = patients.list_clinicians(demo_db)[0]
    context = AppContext(
        db=demo_db,
        tasks=SyncTaskRunner(),
        journal=DraftJournal(tmp_path / "journal"),
        database_label=str(tmp_path / "clinic.sqlite3"),
        user=sign_in(demo_db, clinician.id, DEMO_PASSWORD),
        log_folder=tmp_path / "logs",
    )
    yield context
    context.tasks.shutdown()


@pytest.fixture(autouse=True)
def no_unexpected_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal question nobody answers would hang the run: every one fails the test unless patched."""
    from clinic_app.ui import ask

    def refuse(name: str):
        def unexpected(*args: object, **kwargs: object) -> object:
            shown = " | ".join(str(a) for a in args[1:3]) if len(args) > 1 else type(args[0]).__name__
            raise AssertionError(f"unexpected modal {name}: {shown}")

        return unexpected

    for name in ("ask_password", "ask_text", "confirm", "choose", "show_error", "show_info", "run_dialog"):
        monkeypatch.setattr(ask, name, refuse(name))
