"""Hostile-input fixtures: one demo clinic file per session, a short busy timeout for lock cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import build_demo
from clinic_app.storage import database


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo clinic file built once per session (copied by tests that change things)."""
    path = tmp_path_factory.mktemp("hostile-demo") / "clinic.sqlite3"
    db = open_clinic(f"sqlite:///{path}")
    try:
        build_demo(db)
    finally:
        db.dispose()
    return path


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A held lock fails after 0.3 s instead of 10 s, so lock cases stay fast."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
