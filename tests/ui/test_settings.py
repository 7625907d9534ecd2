"""Tests for the window settings: declared defaults, typed round-trip, unreadable values."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from clinic_app.ui.settings import (
    IDLE_LOCK_MINUTES,
    LAST_CLINICIAN_ID,
    SETTINGS,
    UI_SCALE,
    WINDOW_GEOMETRY,
    WindowSettings,
)


def _store(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    """The settings file of one test."""
    return tmp_path / "settings.ini"


def test_defaults_when_nothing_is_stored(ini: Path) -> None:
    """An empty settings file gives the declared defaults."""
    settings = WindowSettings(_store(ini))
    assert settings.idle_lock_minutes == 10.0
    assert settings.ui_scale == 1.0
    assert settings.last_clinician_id == ""
    assert settings.window_geometry.isEmpty()
    assert settings.window_state.isEmpty()


def test_every_setting_is_declared_once_with_help() -> None:
    """The declaration table has unique keys and says what each setting means."""
    keys = [setting.key for setting in SETTINGS]
    assert len(keys) == len(set(keys))
    assert all(setting.help for setting in SETTINGS)
    assert {IDLE_LOCK_MINUTES, UI_SCALE, LAST_CLINICIAN_ID, WINDOW_GEOMETRY} <= set(SETTINGS)


def test_values_round_trip_through_the_file(ini: Path) -> None:
    """What is set is read back with its type by a fresh store on the same file."""
    first = WindowSettings(_store(ini))
    first.idle_lock_minutes = 2.5
    first.ui_scale = 1.25
    first.last_clinician_id = "C-0001"
    first.window_geometry = QByteArray(b"\x01\x02geometry")
    first.sync()
    second = WindowSettings(_store(ini))
    assert second.idle_lock_minutes == 2.5
    assert isinstance(second.idle_lock_minutes, float)
    assert second.ui_scale == 1.25
    assert second.last_clinician_id == "C-0001"
    assert bytes(second.window_geometry.data()) == b"\x01\x02geometry"


def test_unreadable_value_falls_back_to_the_default(ini: Path) -> None:
    """A hand-edited value that is not a number gives the default, not a crash."""
    ini.write_text("[security]\nidle_lock_minutes=soon\n[appearance]\nui_scale=9\n", encoding="utf-8")
    settings = WindowSettings(_store(ini))
    assert settings.idle_lock_minutes == 10.0
    assert settings.ui_scale == 2.0  # clamped to the allowed range


def test_reset_restores_the_default(ini: Path) -> None:
    """Forgetting a stored value brings the default back."""
    settings = WindowSettings(_store(ini))
    settings.idle_lock_minutes = 0
    assert settings.idle_lock_minutes == 0.0
    settings.reset(IDLE_LOCK_MINUTES)
    assert settings.get(IDLE_LOCK_MINUTES) == 10.0
