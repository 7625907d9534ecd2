"""The import's dry run runs on the worker thread with a progress bar and can be cancelled (pytest-qt)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clinic_app.exchange.errors import ExchangeCancelled
from clinic_app.services import exchange
from clinic_app.ui import ask
from clinic_app.ui.exchange import dialogs
from clinic_app.ui.tasks import TaskRunner


@pytest.fixture
def threaded(ctx: Any) -> Iterator[Any]:
    """The test context with the real worker thread instead of the synchronous runner."""
    inline, ctx.tasks = ctx.tasks, TaskRunner()
    yield ctx
    ctx.tasks.shutdown()
    ctx.tasks = inline


def test_dry_run_shows_progress_then_the_preview(
    qtbot: QtBot, threaded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dry run fills its progress bar on the worker, closes, then the preview shows the plan."""
    bundle = tmp_path / "own.rrbundle"
    exchange.export_bundle(threaded.db, bundle)
    seen: dict[str, Any] = {}
    monkeypatch.setattr(dialogs, "choose_import_path", lambda parent: str(bundle))

    def look(dialog: Any) -> bool:
        qtbot.addWidget(dialog)
        seen["plan"] = dialog.plan
        return False  # the user closes the preview: nothing is imported

    monkeypatch.setattr(ask, "run_dialog", look)
    dry_run = dialogs.import_into_window(None, threaded)
    assert dry_run is not None
    qtbot.addWidget(dry_run)
    assert dry_run.isVisible() and dry_run.running
    qtbot.waitUntil(lambda: "plan" in seen, timeout=30_000)
    assert seen["plan"].visits_unchanged > 0
    assert dry_run.progress.value() == dry_run.progress.maximum() > 0
    assert not dry_run.isVisible() and not dry_run.running


def test_cancel_stops_the_dry_run_and_shows_no_preview(
    qtbot: QtBot, threaded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel while the worker checks records: the service sees the flag, the window closes, no preview."""
    bundle = tmp_path / "own.rrbundle"
    exchange.export_bundle(threaded.db, bundle)
    worker: dict[str, str] = {}

    def slow_plan(db: Any, path: Path, **options: Any) -> Any:
        worker["thread"] = threading.current_thread().name
        pause = threading.Event()
        for done in range(1, 4000):
            if options["cancelled"]():
                raise ExchangeCancelled("Cancelled; nothing was written.")
            options["progress"](done, 4000)
            pause.wait(0.005)
        raise AssertionError("the dry run was never cancelled")

    monkeypatch.setattr(exchange, "plan_import", slow_plan)
    monkeypatch.setattr(dialogs, "choose_import_path", lambda parent: str(bundle))
    dry_run = dialogs.import_into_window(None, threaded)
    assert dry_run is not None
    qtbot.addWidget(dry_run)
    # The bar moves while the GUI thread keeps handling events: the check is not on this thread.
    qtbot.waitUntil(lambda: dry_run.progress.value() >= 3, timeout=10_000)
    assert worker["thread"] != threading.current_thread().name
    with qtbot.waitSignal(dry_run.dry_run_was_cancelled, timeout=10_000):
        qtbot.mouseClick(dry_run.cancel_button, Qt.MouseButton.LeftButton)
        assert dry_run.label.text() == "Cancelling…"
    assert not dry_run.isVisible() and not dry_run.running
    assert dry_run.progress.value() < 4000


def test_a_refused_bundle_closes_the_dry_run_and_says_why(
    qtbot: QtBot, threaded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that is not a bundle ends the dry run with the refusal's message."""
    other = tmp_path / "notes.rrbundle"
    other.write_text("not a bundle")
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "choose_import_path", lambda parent: str(other))
    monkeypatch.setattr(ask, "show_error", lambda parent, title, text: errors.append(text))
    dry_run = dialogs.import_into_window(None, threaded)
    assert dry_run is not None
    qtbot.addWidget(dry_run)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "notes.rrbundle" in errors[0] and not dry_run.isVisible()
