"""Report-window fixtures: the file and print dialogs refused unless a test answers them, demo visits."""

from __future__ import annotations

import io

import pypdf
import pytest

from clinic_app.domain.enums import VisitStatus
from clinic_app.services import patients


@pytest.fixture(autouse=True)
def no_unexpected_file_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A print or file dialog nobody answers would hang the run: each fails the test unless patched."""
    from clinic_app.ui.reports import dialogs

    def refuse(name: str):
        def unexpected(*args: object, **kwargs: object) -> object:
            raise AssertionError(f"unexpected dialog {name}")

        return unexpected

    for name in ("ask_printer", "ask_save_path", "ask_folder", "ask_open_picture"):
        monkeypatch.setattr(dialogs, name, refuse(name))


def demo_visits(db: object, status: VisitStatus) -> list[str]:
    """Ids of the demo clinic's visits with ``status``."""
    found: list[str] = []
    for patient in patients.search_patients(db, "", limit=500):  # type: ignore[arg-type]
        found.extend(v.id for v in patients.open_patient(db, patient.id).visits if v.status is status)  # type: ignore[arg-type]
    return found


@pytest.fixture
def signed_visit(demo_db: object) -> str:
    """A signed visit of the demo clinic."""
    return demo_visits(demo_db, VisitStatus.SIGNED)[0]


@pytest.fixture
def draft_visit(demo_db: object) -> str:
    """An unsigned visit of the demo clinic."""
    return demo_visits(demo_db, VisitStatus.DRAFT)[0]


@pytest.fixture
def read_pages():
    """A function giving the pages of a PDF (bytes), read with pypdf."""

    def pages(data: bytes) -> list[pypdf.PageObject]:
        return list(pypdf.PdfReader(io.BytesIO(data)).pages)

    return pages


@pytest.fixture
def main_window(qtbot):
    """A stand-in main window the report dialogs open over (held for the whole test)."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window
