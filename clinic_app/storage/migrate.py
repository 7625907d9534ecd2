"""Create or upgrade the clinic database schema with the Alembic revisions shipped in the package.

Called once at start-up, after :func:`clinic_app.storage.database.open_database`. It refuses a database
written by a newer app, copies an existing SQLite file (online backup API) before any pending upgrade,
and runs every revision in one transaction. It never calls ``create_all`` on a live database.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import os
import re
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, insert, inspect, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:  # Alembic is imported only when a migration runs (about 0.3 s of every start)
    from alembic.config import Config

from clinic_app.storage.errors import SchemaTooNewError, StorageError
from clinic_app.storage.models import AuditRow

APPLICATION_ID = 0x52524331
"""SQLite ``PRAGMA application_id`` of a RunReady clinic file (ASCII "RRC1"), set by :func:`migrate`.

Files made before it was introduced carry 0 and are recognised by their schema revision instead.
"""
MIGRATION_LOCK_KEY = 0x52554E52
"""PostgreSQL advisory-lock key held while migrating (ASCII "RUNR")."""
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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(None|['\"]([^'\"]+)['\"])", re.MULTILINE)


@functools.cache
def known_revisions() -> tuple[str, ...]:
    """Return every revision this app knows, oldest first.

    Read from the revision files' own ``revision`` / ``down_revision`` lines rather than through
    Alembic, so a start on an up-to-date database never imports Alembic. A test checks the result
    against Alembic's own walk of the same folder.
    """
    folder = importlib.resources.files("clinic_app.storage.migrations").joinpath("versions")
    parent_of: dict[str, str | None] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        source = entry.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            raise StorageError(f"The database migration {entry.name} is damaged; reinstall the app.")
        parent_of[revision.group(1)] = down.group(2)
    chain: list[str] = []
    child_of = {parent: child for child, parent in parent_of.items()}
    current = child_of.get(None)
    while current is not None:
        chain.append(current)
        current = child_of.get(current)
    if len(chain) != len(parent_of):
        raise StorageError("The app's database migrations do not form one line; reinstall the app.")
    return tuple(chain)


def head_revision() -> str:
    """Return the newest revision this app knows."""
    revisions = known_revisions()
    if not revisions:
        raise StorageError("The app was installed without its database migrations; reinstall it.")
    return revisions[-1]


def _recorded_revision(connection: Connection) -> str | None:
    """Read the revision Alembic recorded (None when the table is missing or empty)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row is not None else None


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision recorded in the database (None when it has none yet)."""
    with engine.connect() as connection:
        return _recorded_revision(connection)


def check_revision(engine: Engine) -> str | None:
    """Return the database's revision after checking this app can work with it.

    Raises:
        SchemaTooNewError: the database was written by a newer app.
        StorageError: the database holds tables but is not a RunReady Clinic database.
    """
    known = known_revisions()
    with engine.connect() as connection:
        found = _recorded_revision(connection)
        if found is None:
            tables = set(inspect(connection).get_table_names())
            if "alembic_version" in tables:
                # Another workstation created the schema a moment ago; read what it recorded.
                found = _recorded_revision(connection)
            elif tables:
                raise StorageError(
                    "This database already holds tables that RunReady Clinic did not create "
                    f"({', '.join(sorted(tables)[:5])}). Choose an empty database or a RunReady Clinic "
                    "file; nothing was changed."
                )
    if found is not None and found not in known:
        raise SchemaTooNewError(found, known)
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
        _mark_application(engine)
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
        copy = snapshot_sqlite(
            source, source.with_name(f"{source.name}.before-{wanted}-{stamp}.bak"), unique=True
        )
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Workstations of a shared clinic may start together: one upgrades, the others wait here
            # and then find nothing left to do (SQLite's BEGIN IMMEDIATE already serialises this).
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, target)
        after = MigrationContext.configure(connection).get_current_revision()
        if before is not None and after != before:
            connection.execute(
                insert(AuditRow).values(
                    occurred_at=now or dt.datetime.now(dt.UTC),
                    actor_id="system",
                    action="migrate",
                    entity="database",
                    entity_id="schema",
                    before={"revision": before},
                    after={"revision": after, "backup": str(copy) if copy else None},
                )
            )
    _mark_application(engine)
    return MigrationOutcome(found, current_revision(engine), copy)


def _mark_application(engine: Engine) -> None:
    """Stamp a SQLite clinic file with :data:`APPLICATION_ID`, once.

    A file that cannot take it now (busy, read-only) keeps 0 and is still recognised by its revision.
    """
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.connect() as connection:
            current = connection.exec_driver_sql("PRAGMA application_id").scalar()
        if current == APPLICATION_ID:
            return
        with engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    except (SQLAlchemyError, sqlite3.Error, StorageError):
        return


@functools.cache
def schema_at(revision: str) -> dict[str, frozenset[str]]:
    """Return the tables and their columns that a clinic database at ``revision`` has.

    Built once per process by running the shipped migrations up to ``revision`` on an empty
    temporary file, so the answer is exactly what those migrations create (restore compares a backup
    against it).

    Raises:
        StorageError: ``revision`` is not one of the shipped migrations.
    """
    if revision not in known_revisions():
        raise StorageError(f"Schema revision '{revision}' is not one this app ships.")
    import tempfile

    from sqlalchemy import create_engine

    with tempfile.TemporaryDirectory(prefix="runready-schema-") as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'schema.sqlite3'}")
        try:
            migrate(engine, target=revision, backup=False)
            with engine.connect() as connection:
                inspector = inspect(connection)
                return {
                    table: frozenset(str(column["name"]) for column in inspector.get_columns(table))
                    for table in inspector.get_table_names()
                    if table != "alembic_version"
                }
        finally:
            engine.dispose()


def snapshot_sqlite(source: Path, destination: Path, *, unique: bool = False) -> Path:
    """Copy a live SQLite database page by page with the online backup API.

    The copy is consistent even while other connections write (they are not blocked for long). It is
    written under a private temporary name and then linked into place, so a crash never leaves a half
    copy under the final name and an existing file is never overwritten.

    Args:
        source: the database file.
        destination: the copy to create.
        unique: when ``destination`` exists, use ``<stem>-2<suffix>``, ``-3`` … instead of failing
            (two workstations upgrading in the same second keep both copies).

    Returns:
        The path of the copy.

    Raises:
        StorageError: ``destination`` exists and ``unique`` is False.
    """
    partial = destination.with_name(f"{destination.name}.{uuid.uuid4().hex}.partial")
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(partial))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    try:
        candidate, number = destination, 1
        while True:
            try:
                _link_or_move(partial, candidate)
                return candidate
            except FileExistsError:
                if not unique:
                    raise StorageError(f"Refusing to overwrite the existing backup {destination}.") from None
                number += 1
                candidate = destination.with_name(f"{destination.stem}-{number}{destination.suffix}")
    finally:
        partial.unlink(missing_ok=True)


def _link_or_move(partial: Path, destination: Path) -> None:
    """Put ``partial`` in place at ``destination`` without ever replacing an existing file.

    A hard link fails atomically when the name is taken; file systems without hard links (FAT
    drives, some network shares) fall back to a checked rename.
    """
    try:
        os.link(partial, destination)
    except FileExistsError:
        raise
    except OSError:
        if destination.exists():
            raise FileExistsError(destination) from None
        partial.replace(destination)
