"""Tests for the excepthook: a bug in a slot is logged to a dated file and the clinician is told."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from clinic_app.ui import errors


class _Emitter(QObject):
    """A signal whose slot has a bug."""

    poked = Signal()

    def broken_slot(self) -> None:
        """Raise like a real bug would."""
        raise ZeroDivisionError("a bug in a slot")


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[QWidget | None, Path]]:
    """Replace the crash dialog with a recorder."""
    calls: list[tuple[QWidget | None, Path]] = []

    def record(parent: QWidget | None, log_file: Path) -> None:
        calls.append((parent, log_file))

    monkeypatch.setattr(errors, "show_crash_dialog", record)
    return calls


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_is_logged_and_shown(
    qtbot: QtBot, tmp_path: Path, shown: list[tuple[QWidget | None, Path]]
) -> None:
    """Raising inside a slot writes the traceback to today's crash log and calls the dialog function."""
    parent = QWidget()
    qtbot.addWidget(parent)
    emitter = _Emitter()
    emitter.poked.connect(emitter.broken_slot)
    hook = errors.install_excepthook(tmp_path / "logs", lambda: parent)
    try:
        QTimer.singleShot(0, emitter.poked.emit)
        qtbot.waitUntil(lambda: bool(shown))
    finally:
        hook.uninstall()
    log_file = errors.crash_log_file(tmp_path / "logs")
    assert shown == [(parent, log_file)]
    text = log_file.read_text(encoding="utf-8")
    assert "ZeroDivisionError: a bug in a slot" in text
    assert "broken_slot" in text
    assert sys.excepthook is not hook


def test_hook_called_directly_appends_to_the_same_dated_file(
    qtbot: QtBot, tmp_path: Path, shown: list[tuple[QWidget | None, Path]]
) -> None:
    """Two failures on one day go to one file, each with its own traceback."""
    hook = errors.install_excepthook(tmp_path, lambda: None)
    try:
        for message in ("first", "second"):
            try:
                raise RuntimeError(message)
            except RuntimeError as error:
                hook(type(error), error, error.__traceback__)
    finally:
        hook.uninstall()
    text = errors.crash_log_file(tmp_path).read_text(encoding="utf-8")
    assert "RuntimeError: first" in text
    assert "RuntimeError: second" in text
    assert len(shown) == 2


def test_dialog_text_mentions_the_journal_and_the_log(tmp_path: Path) -> None:
    """The message says it is a bug, that typed values are kept, and where the log is."""
    text = errors.crash_message(tmp_path / "crash.log")
    assert "recovery journal" in text
    assert str(tmp_path / "crash.log") in text


def test_keyboard_interrupt_goes_to_the_previous_hook(
    qtbot: QtBot, tmp_path: Path, shown: list[tuple[QWidget | None, Path]]
) -> None:
    """Ctrl+C is not a bug: no log, no dialog, the previous hook handles it."""
    seen: list[type[BaseException]] = []
    reporter = errors.CrashReporter(tmp_path, lambda: None, lambda kind, error, trace: seen.append(kind))
    reporter(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt]
    assert not shown
    assert not errors.crash_log_file(tmp_path).exists()


def test_logging_goes_to_a_rotating_file(tmp_path: Path) -> None:
    """configure_logging sends log records to the log folder, once however often it is called."""
    handler = errors.configure_logging(tmp_path)
    try:
        assert errors.configure_logging(tmp_path) is handler
        logging.getLogger("clinic_app.test").warning("written to the file")
        handler.flush()
        assert "written to the file" in (tmp_path / errors.LOG_FILE_NAME).read_text(encoding="utf-8")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_default_log_folder_is_per_user(user_folders: Path) -> None:
    """The log folder is in the per-user state area, never beside the clinic database."""
    assert errors.default_log_folder().is_relative_to(user_folders)
