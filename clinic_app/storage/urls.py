"""Choose the clinic database's URL, check it before anything is opened, and show it without secrets.

The URL comes from the command line, ``CLINIC_APP_DATABASE_URL``, the saved setting or the default
SQLite file in the per-user data folder, in that order. Only SQLite and PostgreSQL with their one
tested driver are accepted; a password is never shown and never written to the settings.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from clinic_app.storage.errors import DatabaseUrlError, StorageError

APP_NAME = "RunReady Clinic"
DATABASE_URL_ENV = "CLINIC_APP_DATABASE_URL"
"""Environment variable naming the database URL; wins over the saved setting and the default."""
DATABASE_PASSWORD_ENV = "CLINIC_APP_DATABASE_PASSWORD"
"""Environment variable holding a PostgreSQL password, so the saved URL never contains one."""
DEFAULT_FILE_NAME = "clinic.sqlite3"


def default_database_path() -> Path:
    """Return the default SQLite file in the per-user data folder (the folder is not created)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DEFAULT_FILE_NAME


SUPPORTED_DRIVERS: dict[str, tuple[str, str]] = {
    "sqlite": ("pysqlite", "sqlite3"),
    "postgresql": ("psycopg", "psycopg"),
}
"""Per backend: the one SQLAlchemy driver the app is built and tested with, and its Python module."""
SECRET_QUERY_KEYS = ("password", "passwd", "pwd", "secret", "token", "sslpassword", "key")
"""Query options whose value is masked wherever a URL is shown (any key containing one of these)."""
_URL_SHAPES = "write it as sqlite:///PATH/clinic.sqlite3 or postgresql://USER@HOST/DATABASE"


def is_secret_option(name: str) -> bool:
    """True when the URL query option ``name`` may carry a secret (its value is never shown)."""
    lowered = name.lower()
    return any(word in lowered for word in SECRET_QUERY_KEYS)


def masked_url(url: URL) -> str:
    """Render ``url`` with its password and every secret query option replaced by ``***``."""
    query = {
        key: ("***" if is_secret_option(key) or _SECRET_INSIDE.search(str(value)) else value)
        for key, value in url.query.items()
    }
    return url.set(query=query).render_as_string(hide_password=True).replace("%2A%2A%2A", "***")


_SECRET_INSIDE = re.compile(r"(?:pass|pwd|secret|token|key)[^=&;#]*=", re.IGNORECASE)
_SECRET_IN_TEXT = re.compile(r"([?&;][^=&;#]*(?:pass|pwd|secret|token|key)[^=&;#]*=)[^&;#]*", re.IGNORECASE)


def masked_text(text: str) -> str:
    """Mask what looks like a password or secret option in a URL that could not be parsed.

    Everything after the first ``:`` of a user part (the text between the last ``/`` before an
    ``@`` and that ``@``) is a password, however broken the rest of the URL is.
    """
    at = text.rfind("@")
    while at > 0:  # every '@', right to left: a broken URL may have several
        start = text.rfind("/", 0, at) + 1
        colon = text.find(":", start, at)
        if colon >= 0:
            text = f"{text[: colon + 1]}***{text[at:]}"
            at = colon
        at = text.rfind("@", 0, at)
    return _SECRET_IN_TEXT.sub(r"\1***", text)


def _shown_raw(text: str, limit: int = 120) -> str:
    """A raw URL for a one-line message: secrets masked, control characters escaped, length capped."""
    shown = masked_text(text).encode("unicode_escape").decode("ascii")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def resolve_database_url(url: str | URL | None = None, *, setting: str | None = None) -> URL:
    """Choose the database URL: explicit argument, then the environment, then the setting, then the default.

    A PostgreSQL password is never expected in the saved setting: when the URL has none, it is taken
    from ``CLINIC_APP_DATABASE_PASSWORD`` (or left to libpq, which reads ``~/.pgpass``). The URL is
    checked before anything is opened (:func:`check_url`).

    Args:
        url: a URL given on the command line or by a test.
        setting: the URL saved in the app's settings (without a password).

    Returns:
        The URL to open; ``postgresql://`` is mapped to the psycopg 3 driver.

    Raises:
        DatabaseUrlError: the URL cannot be parsed, names another kind of database or a driver that
            is not installed, or an in-memory SQLite database (whose data would vanish on quit).
    """
    chosen = url or os.environ.get(DATABASE_URL_ENV) or setting
    if not chosen:
        return URL.create("sqlite", database=str(default_database_path()))
    parsed = parse_url(chosen)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    check_url(parsed)
    if parsed.get_backend_name() == "postgresql" and parsed.password is None:
        password = os.environ.get(DATABASE_PASSWORD_ENV)
        if password:
            parsed = parsed.set(password=password)
    return parsed


def parse_url(text: str | URL) -> URL:
    """Parse a database URL, turning every parser complaint into one :class:`DatabaseUrlError` line."""
    if isinstance(text, URL):
        return text
    if "\x00" in text:
        raise DatabaseUrlError(
            f"The database URL '{_shown_raw(text)}' contains a NUL character; {_URL_SHAPES}."
        )
    try:
        parsed = make_url(text)
        parsed.get_backend_name()
        _ = parsed.port  # an unreadable port raises here rather than at connection time
    except (ArgumentError, ValueError, TypeError) as exc:
        shown = _shown_raw(text)
        raise DatabaseUrlError(f"The database URL '{shown}' cannot be read; {_URL_SHAPES}.") from exc
    return parsed


def check_url(url: URL) -> None:
    """Refuse a URL this app cannot use, with a one-line message naming what is wrong.

    Raises:
        DatabaseUrlError: unsupported kind of database, unsupported or missing driver, in-memory SQLite,
            a port out of range.
    """
    backend = url.get_backend_name()
    shown = masked_url(url)
    if backend not in SUPPORTED_DRIVERS:
        raise DatabaseUrlError(
            f"The database URL '{shown}' names a '{backend}' database; RunReady Clinic works with "
            "SQLite and PostgreSQL only."
        )
    driver, module = SUPPORTED_DRIVERS[backend]
    if url.get_driver_name() != driver:
        raise DatabaseUrlError(
            f"The database URL '{shown}' asks for the driver '{url.get_driver_name()}'; RunReady Clinic "
            f"uses '{driver}' ({backend}+{driver}:// or just {backend}://)."
        )
    if importlib.util.find_spec(module) is None:
        raise DatabaseUrlError(
            f"The database driver '{module}' for '{shown}' is not installed; reinstall RunReady Clinic."
        )
    if backend == "sqlite" and (url.host or url.username or url.password or url.port):
        raise DatabaseUrlError(
            f"The database URL '{shown}' names a host or user, but a SQLite database is a file: "
            "write sqlite:///PATH/clinic.sqlite3 (three slashes, then the path)."
        )
    if backend == "sqlite" and _in_memory(url):
        raise DatabaseUrlError(
            f"The database URL '{shown}' is an in-memory database: everything would vanish when the app "
            "closes. Give a file, e.g. sqlite:///PATH/clinic.sqlite3."
        )
    if backend == "sqlite" and url.query:
        raise DatabaseUrlError(
            f"The database URL '{shown}' has options ({', '.join(sorted(url.query))}); a SQLite clinic "
            "URL takes none: write sqlite:///PATH/clinic.sqlite3."
        )
    if url.port is not None and not 0 < url.port < 65536:
        raise DatabaseUrlError(f"The database URL '{shown}' has the port {url.port}; a port is 1 to 65535.")


def _in_memory(url: URL) -> bool:
    """True for every spelling of an in-memory SQLite database."""
    database = url.database or ""
    mode = url.query.get("mode")
    return (
        database in ("", ":memory:")
        or database.startswith("file::memory:")
        or "mode=memory" in database
        or mode == "memory"
        or (isinstance(mode, tuple) and "memory" in mode)
    )


def url_for_settings(url: str | URL) -> str:
    """Return the form of ``url`` that may be written to the settings file: without its password.

    Args:
        url: the URL the user typed, possibly with a password.

    Returns:
        The same URL with the password (and any secret query option) removed.
    """
    parsed = parse_url(url)
    # URL.set(password=None) means "leave unchanged", so the URL is rebuilt without one.
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query={key: value for key, value in parsed.query.items() if not is_secret_option(key)},
    )
    return bare.render_as_string(hide_password=False)


def shown_url(url: str | URL) -> str:
    """Render ``url`` (or a plain file path) for a message or a log, never with a secret in it.

    SQLite is shown as its file; any other URL with its password and every secret query option
    masked; a URL that cannot be parsed is masked as text.
    """
    if isinstance(url, str) and "://" not in url:
        return masked_text(url)
    try:
        parsed = parse_url(url)
    except StorageError:
        return masked_text(str(url))
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database or ":memory:")
    return masked_url(parsed)


def sqlite_file(url: str | URL) -> Path | None:
    """Return the file of a SQLite URL, or None for PostgreSQL and in-memory databases."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)
