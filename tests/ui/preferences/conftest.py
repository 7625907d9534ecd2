"""Preferences fixtures: file dialogs refused unless answered, the window's settings in the test folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def no_unexpected_file_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file dialog nobody answers would hang the run: each fails the test unless patched."""
    from clinic_app.ui.reports import dialogs

    def refuse(name: str):
        def unexpected(*args: object, **kwargs: object) -> object:
            raise AssertionError(f"unexpected dialog {name}")

        return unexpected

    for name in ("ask_printer", "ask_save_path", "ask_folder", "ask_open_picture"):
        monkeypatch.setattr(dialogs, name, refuse(name))


@pytest.fixture
def window_settings(tmp_path: Path):
    """The window's own settings store as an ini file in the test folder."""
    from PySide6.QtCore import QSettings

    from clinic_app.ui.settings import WindowSettings

    return WindowSettings(QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def main_window(qtbot):
    """A stand-in main window the dialog opens over."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    return window
