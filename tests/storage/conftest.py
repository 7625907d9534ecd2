"""Storage test fixtures: SQLite helpers (the PostgreSQL server fixtures are in ``tests/conftest.py``)."""

from __future__ import annotations

import contextlib
import os
import pwd
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """Path of a SQLite database file (not yet created) in the test's own folder."""
    return tmp_path / "clinic.sqlite3"


FAKE_REVISIONS = ("0001base", "0002next")
"""Revision ids used by the stand-in databases below (tests pass them as ``known``)."""


def _make_stand_in_database(path: Path, *, revision: str = FAKE_REVISIONS[-1], patients: int = 3) -> Path:
    """Create a small SQLite file shaped like a clinic database: an Alembic revision and a few rows.

    Backup, restore and diagnosis only look at the file, the revision and row counts, so their tests
    do not need the full schema.
    """
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        conn.execute("CREATE TABLE patient (id INTEGER PRIMARY KEY, family_name TEXT NOT NULL)")
        rows = [(f"P{i}",) for i in range(patients)]
        conn.executemany("INSERT INTO patient (family_name) VALUES (?)", rows)
    conn.close()
    return path


@pytest.fixture
def stand_in_db(tmp_path: Path) -> Path:
    """A stand-in clinic database (revision ``FAKE_REVISIONS[-1]``, three patients) in the test folder."""
    return _make_stand_in_database(tmp_path / "clinic.sqlite3")


@pytest.fixture
def make_stand_in() -> Callable[..., Path]:
    """Factory for more stand-in databases: ``make_stand_in(path, revision=..., patients=...)``."""
    return _make_stand_in_database


@contextlib.contextmanager
def _unprivileged(tmp_path: Path) -> Iterator[None]:
    """Run the body as the unprivileged ``nobody`` user when the tests run as root.

    Root ignores file permissions, so read-only files and folders only behave as read-only for an
    ordinary user. The effective ids are switched (and restored afterwards), so the process keeps its
    imports; the test folder's ancestors get traverse rights for ``nobody``.
    """
    if os.geteuid() != 0:
        yield
        return
    nobody = pwd.getpwnam("nobody")
    for folder in [tmp_path, *tmp_path.parents]:
        if folder == Path("/"):
            break
        folder.chmod(folder.stat().st_mode | stat.S_IXOTH)
    os.setegid(nobody.pw_gid)
    os.seteuid(nobody.pw_uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def _owner_is_nobody(path: Path) -> None:
    """Give ``path`` to ``nobody`` when running as root, so it is writable inside :func:`unprivileged`."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(path, nobody.pw_uid, nobody.pw_gid)


@dataclass(frozen=True)
class Unprivileged:
    """Helpers for read-only tests (see :func:`_unprivileged`), handed out by the ``as_nobody`` fixture."""

    run: Callable[[Path], contextlib.AbstractContextManager[None]]
    give: Callable[[Path], None]


@pytest.fixture
def as_nobody() -> Unprivileged:
    """``as_nobody.run(tmp_path)`` drops to ``nobody`` when root; ``.give(path)`` hands a file over."""
    return Unprivileged(run=_unprivileged, give=_owner_is_nobody)
