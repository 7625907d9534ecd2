"""Test-wide configuration: headless Qt, and the real PostgreSQL server that the test run starts.

The PostgreSQL server is Debian's (``/usr/lib/postgresql/<version>/bin``), started once per session
through pytest-postgresql's ``PostgreSQLExecutor`` when a test first asks for it (storage tests, and
the window's two-workstation tests). ``pg_ctl`` refuses to run as root, and CI runs the tests as root,
so the executor is pointed at ``scripts/pg_ctl_as_postgres.sh``, which runs the real ``pg_ctl`` as the
``postgres`` user. Tests that need the server are marked ``postgres`` and are never skipped: when the
server cannot start, they fail with a message that says why and what to install.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from pytest_postgresql.executors import PostgreSQLExecutor

# Qt must never try to open a display in tests; set before any PySide6 import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests are seeded (the same cases on every run, so a CI failure reproduces locally) and are
# judged on their outcome, not on how fast a busy machine generates inputs.
hypothesis_settings.register_profile(
    "clinic",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    print_blob=True,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "clinic"))

REPO_ROOT = Path(__file__).resolve().parents[1]
PG_CTL_WRAPPER = REPO_ROOT / "scripts" / "pg_ctl_as_postgres.sh"


def _debian_pg_bindir() -> Path | None:
    """Newest ``/usr/lib/postgresql/<version>/bin`` holding a ``pg_ctl``, if any."""
    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "pg_ctl").exists()]
    if not candidates:
        return None
    return max(candidates, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else -1)


_BINDIR = _debian_pg_bindir()
if _BINDIR is not None:
    # The wrapper reads this to find the real pg_ctl; set once, before the server starts.
    os.environ.setdefault("RUNREADY_PG_BINDIR", str(_BINDIR))

# A socket folder every user can write to, short enough for the 107-byte socket path limit.
_SOCKET_DIR = tempfile.gettempdir()

_database_numbers = itertools.count(1)


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgreSQLExecutor]:
    """The PostgreSQL server of this test run; fails (never skips) with a clear reason if it cannot start.

    The data folder lives in its own ``runready-pg-*`` temporary folder rather than under pytest's
    ``pytest-of-<user>``: every pytest start resets that folder to mode 0700, which would cut the
    ``postgres`` user off from a server that another, concurrent test session is still running.
    """
    if _BINDIR is None:
        pytest.fail(
            "PostgreSQL tests need Debian's server binaries in /usr/lib/postgresql/<version>/bin; "
            "install the 'postgresql' package (the README test command does this when missing).",
            pytrace=False,
        )
    folder = Path(tempfile.mkdtemp(prefix="runready-pg-"))
    server = PostgreSQLExecutor(
        executable=str(PG_CTL_WRAPPER),
        host="127.0.0.1",
        port=_free_port(),
        datadir=str(folder / "data"),
        unixsocketdir=_SOCKET_DIR,
        logfile=str(folder / "server.log"),
        startparams="-w",
        dbname="runready_tests",
        user="postgres",
    )
    try:
        server.start()
    except Exception as exc:  # pg_ctl, mirakuru and the plugin raise unrelated types; all mean "no server"
        log = folder / "server.log"
        tail = log.read_text(errors="replace")[-800:] if log.is_file() else "(no server log)"
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(
            f"The PostgreSQL test server did not start ({type(exc).__name__}: {exc}). "
            f"pg_ctl wrapper: {PG_CTL_WRAPPER}; binaries: {_BINDIR}. As root the wrapper runs pg_ctl as "
            f"the 'postgres' user via runuser; check that this user exists. Server log: {tail}",
            pytrace=False,
        )
    _wait_until_ready(server)
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop()
        _keep_server_log(folder / "server.log", tmp_path_factory.getbasetemp())
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_ready(server: PostgreSQLExecutor, seconds: float = 30.0) -> None:
    """Wait until the server accepts queries: the executor returns once the port is open, which was
    seen a few milliseconds before the end of start-up ("the database system is starting up").
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            with _admin_connection(server) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _keep_server_log(log: Path, basetemp: Path) -> None:
    """Copy the server's log next to the test folders before its folder is deleted, for diagnosis."""
    if log.is_file():
        shutil.copyfile(log, basetemp / "postgresql-server.log")


def _url(server: PostgreSQLExecutor, dbname: str) -> str:
    """SQLAlchemy URL (psycopg 3 driver) for one database on the test server."""
    return f"postgresql+psycopg://{server.user}@{server.host}:{server.port}/{dbname}"


def _admin_connection(server: PostgreSQLExecutor) -> psycopg.Connection[tuple[object, ...]]:
    """Autocommit connection to the maintenance database, for CREATE/DROP DATABASE."""
    return psycopg.connect(
        host=server.host, port=server.port, user=server.user, dbname="postgres", autocommit=True
    )


@pytest.fixture(scope="session")
def pg_url(pg_server: PostgreSQLExecutor) -> str:
    """URL of the server's maintenance database; use ``pg_database_url`` for a database to write in."""
    return _url(pg_server, "postgres")


@pytest.fixture
def pg_database_url(pg_server: PostgreSQLExecutor) -> Iterator[str]:
    """URL of a fresh, empty database for one test, dropped afterwards even if connections remain."""
    name = f"runready_t{os.getpid()}_{next(_database_numbers)}"
    with _admin_connection(pg_server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _url(pg_server, name)
    with _admin_connection(pg_server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

