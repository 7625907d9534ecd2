"""Create or upgrade the clinic database schema with the Alembic revisions shipped in the package.

Called once at start-up, after :func:`clinic_app.storage.database.open_database`. It refuses a database
written by a newer app, copies an existing SQLite file (online backup API) before any pending upgrade,
and runs every revision in one transaction. It never calls ``create_all`` on a live database.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from clinic_app.storage.errors import SchemaTooNewError, StorageError

SCRIPT_LOCATION = "clinic_app.storage:migrations"
"""Package-resource form of the migrations folder, so an installed wheel or bundle finds it."""


@dataclass(frozen=True, slots=True)
class MigrationOutcome:
    """What :func:`migrate` did.

    Attributes:
        from_revision: schema revision before (None for a new, empty database).
        to_revision: schema revision after.
        backup: the copy made of the SQLite file before upgrading, when one was made.
    """

    from_revision: str | None
    to_revision: str | None
    backup: Path | None = None

    @property
    def upgraded(self) -> bool:
        """True when at least one revision was applied."""
        return self.from_revision != self.to_revision


def alembic_config() -> Config:
    """Return an Alembic configuration pointing at the packaged migrations (no ini file needed)."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def known_revisions() -> tuple[str, ...]:
    """Return every revision this app knows, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return tuple(reversed([rev.revision for rev in script.walk_revisions()]))


def head_revision() -> str:
    """Return the newest revision this app knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StorageError("The app was installed without its database migrations; reinstall it.")
    return head


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision recorded in the database (None when it has none yet)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_revision(engine: Engine) -> str | None:
    """Return the database's revision after checking this app can work with it.

    Raises:
        SchemaTooNewError: the database was written by a newer app.
        StorageError: the database holds tables but is not a RunReady Clinic database.
    """
    found = current_revision(engine)
    known = known_revisions()
    if found is not None and found not in known:
        raise SchemaTooNewError(found, known)
    if found is None:
        tables = set(inspect(engine).get_table_names())
        if tables:
            raise StorageError(
                "This database already holds tables that RunReady Clinic did not create "
                f"({', '.join(sorted(tables)[:5])}). Choose an empty database or a RunReady Clinic file; "
                "nothing was changed."
            )
    return found


def migrate(
    engine: Engine, *, target: str = "head", backup: bool = True, now: dt.datetime | None = None
) -> MigrationOutcome:
    """Bring the schema up to ``target``, backing up an existing SQLite file first.

    Args:
        engine: an engine from :func:`clinic_app.storage.database.open_database`.
        target: revision to reach (tests use ``"0001"`` to build an old database).
        backup: copy an existing SQLite file before upgrading it (always on in the app).
        now: timestamp used in the backup file name (tests pass a fixed one).

    Returns:
        What was done.

    Raises:
        SchemaTooNewError: the database is newer than this app.
        StorageError: the database is not a RunReady Clinic database.
    """
    found = check_revision(engine)
    wanted = head_revision() if target == "head" else target
    if found == wanted:
        return MigrationOutcome(found, found)
    copy: Path | None = None
    database = engine.url.database
    if (
        backup
        and found is not None
        and engine.url.get_backend_name() == "sqlite"
        and database not in (None, "", ":memory:")
    ):
        stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
        source = Path(str(database))
        copy = source.with_name(f"{source.name}.before-{wanted}-{stamp}.bak")
        snapshot_sqlite(source, copy)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)
    return MigrationOutcome(found, current_revision(engine), copy)


def snapshot_sqlite(source: Path, destination: Path) -> None:
    """Copy a live SQLite database page by page with the online backup API.

    The copy is consistent even while other connections write (they are not blocked for long), and
    the destination is written to a temporary name first so a crash never leaves a half copy.

    Args:
        source: the database file.
        destination: the copy to create (must not exist).
    """
    if destination.exists():
        raise StorageError(f"Refusing to overwrite the existing backup {destination}.")
    partial = destination.with_name(destination.name + ".partial")
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(destination)
