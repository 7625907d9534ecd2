"""Hostile database URLs: every one gives a one-line message naming the problem, exit 1, no secret shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, seed, settings
from hypothesis import strategies as st

from clinic_app.cli.main import main
from clinic_app.services.clinic import database_label
from clinic_app.storage.database import DATABASE_URL_ENV
from clinic_app.storage.errors import DatabaseUrlError

SECRET = "Zq9-s3cr3t"
CASES = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

schemes = st.sampled_from(
    [
        "sqlite",
        "sqlite+pysqlite",
        "sqlite+pysqlcipher",
        "postgresql",
        "postgres",
        "postgresql+psycopg",
        "postgresql+pg8000",
        "postgresql+asyncpg",
        "mysql",
        "mssql+pyodbc",
        "oracle",
        "foo",
        "",
        "sqlite3",
        "http",
    ]
)
hosts = st.sampled_from(
    ["", "127.0.0.1:1", "127.0.0.1:99999", "[::1", "h:abc", "@@", "127.0.0.1:0", "%zz"]
)
paths = st.sampled_from(
    [
        "",
        "/",
        "/:memory:",
        "/nonexistent-runready/db",
        "//",
        "/file::memory:",
        "/x?mode=memory",
        "/\x00x",
    ]
)
queries = st.sampled_from(
    [
        "",
        f"?password={SECRET}",
        "?sslmode=bogus",
        f"?sslpassword={SECRET}&connect_timeout=1",
        "?mode=memory",
        "?connect_timeout=abc",
        "?options=-c%20x",
    ]
)


def _secret_is_a_file_name(url: str) -> bool:
    """True when the 'secret' sits in a SQLite file path (``sqlite:///user:pw@``): a name, shown as such."""
    return ":///" in url and SECRET in url.split(":///", 1)[1].split("?", 1)[0]


@st.composite
def hostile_urls(draw: st.DrawFn) -> str:
    """URL-shaped text: real schemes and drivers, broken hosts and ports, secrets in two places."""
    user = draw(st.sampled_from(["", "physio@", f"physio:{SECRET}@", ":@", "a:b:c@"]))
    text = f"{draw(schemes)}://{user}{draw(hosts)}{draw(paths)}{draw(queries)}"
    if draw(st.booleans()):
        text = text.replace("://", draw(st.sampled_from([":/", ":///", "//", " ://"])), 1)
    return text + draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=3))


@seed(11)
@CASES
@given(url=hostile_urls())
def test_a_hostile_url_is_refused_in_one_line(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Overview with any such URL exits 1 with one line naming the URL problem, and never shows the secret."""
    monkeypatch.chdir(tmp_path)  # a relative SQLite path is a file here, never in the checkout
    code = main(["overview", "--database", url])
    captured = capsys.readouterr()
    if not _secret_is_a_file_name(url):
        assert SECRET not in captured.out + captured.err
    assert "Traceback" not in captured.err and "Unexpected error" not in captured.err
    if code == 0:  # only a usable file URL may open; it must then be a real file, never in-memory
        assert "database:" in captured.out and ":memory:" not in captured.out
        return
    assert code == 1
    assert len(captured.err.strip().splitlines()) == 1
    assert any(
        word in captured.err
        for word in ("database URL", "database server", "driver", "folder", "file", "could not be used")
    )


@seed(12)
@CASES
@given(url=hostile_urls())
def test_the_window_label_never_raises_nor_shows_a_secret(url: str) -> None:
    """database_label (title bar, sign-in) masks secrets of any URL, usable or not."""
    if not _secret_is_a_file_name(url):
        assert SECRET not in database_label(url)


@seed(13)
@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(url=hostile_urls())
def test_the_environment_variable_is_checked_the_same_way(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """CLINIC_APP_DATABASE_URL gets the same refusals as --database (patients, a read-only command)."""
    assume("\x00" not in url)  # an environment variable cannot hold NUL
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    code = main(["patients"])
    captured = capsys.readouterr()
    if not _secret_is_a_file_name(url):
        assert SECRET not in captured.out + captured.err
    assert "Traceback" not in captured.err and "Unexpected error" not in captured.err
    assert code in (0, 1)


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:?cache=shared"]
)
def test_in_memory_sqlite_is_refused(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An in-memory database would lose everything on quit, so it is refused."""
    assert main(["overview", "--database", url]) == 1
    assert "in-memory" in capsys.readouterr().err


def test_a_url_error_is_a_storage_error() -> None:
    """The URL refusal is caught wherever storage problems are (window start-up included)."""
    from clinic_app.storage.database import resolve_database_url

    with pytest.raises(DatabaseUrlError, match="mysql"):
        resolve_database_url("mysql://u:p@h/db")
