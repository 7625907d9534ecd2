"""Exchange test fixtures: an empty migrated clinic and the demo clinic, each built once and copied per test.

Migrating and building the demo take seconds; a file copy takes milliseconds, so every test (and
every hypothesis example) still gets a database of its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import build_demo
from clinic_app.services.session import SignedIn, sign_in
from clinic_app.storage.database import Database

DEMO_PASSWORD = "runready-demo"


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty clinic file to copy."""
    path = tmp_path_factory.mktemp("templates") / "empty.sqlite3"
    open_clinic(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo clinic (every readiness outcome, signed visits, amendments, decisions) to copy."""
    path = tmp_path_factory.mktemp("templates") / "demo.sqlite3"
    db = open_clinic(f"sqlite:///{path}")
    build_demo(db)
    db.dispose()
    return path


@pytest.fixture
def open_copy(tmp_path: Path) -> Iterator[Callable[[Path, str], Database]]:
    """Open a private copy of a template clinic (closed after the test)."""
    opened: list[Database] = []

    def make(template: Path, name: str) -> Database:
        target = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(template, target)
        db = open_clinic(f"sqlite:///{target}")
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.dispose()


@pytest.fixture
def demo(open_copy: Callable[[Path, str], Database], demo_template: Path) -> Database:
    """A private copy of the demo clinic."""
    return open_copy(demo_template, "demo")


@pytest.fixture
def empty(open_copy: Callable[[Path, str], Database], empty_template: Path) -> Database:
    """A private, empty clinic."""
    return open_copy(empty_template, "empty")


def demo_user(db: Database) -> SignedIn:
    """Sign in the first demo clinician (whose password every demo profile shares)."""
    from clinic_app.services.patients import list_clinicians

    return sign_in(db, str(list_clinicians(db)[0].id), DEMO_PASSWORD)
