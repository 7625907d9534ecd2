"""PostgreSQL tests against the real server that the test run starts (see tests/storage/conftest.py)."""

from __future__ import annotations

import psycopg
import pytest

pytestmark = pytest.mark.postgres


def _plain(url: str) -> str:
    """The libpq form of a SQLAlchemy URL, for direct psycopg connections."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_server_answers_queries(pg_url: str) -> None:
    """The test server is a real PostgreSQL that runs SQL."""
    with psycopg.connect(_plain(pg_url)) as conn:
        row = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()
    assert row is not None and row[0] >= 140000


def test_each_test_gets_an_empty_database(pg_database_url: str) -> None:
    """A per-test database starts with no tables, so tests cannot see each other's rows."""
    with psycopg.connect(_plain(pg_database_url)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert row == (0,)
