"""Typed storage errors, each carrying a message a physiotherapist can act on.

The command line and the GUI show ``str(error)`` as it is, so every message names what happened and
what to do next, and none of them leaks a password or a stack trace.
"""

from __future__ import annotations

import datetime as dt


class StorageError(Exception):
    """Base class of every storage problem the user must act on (exit code 1 on the command line)."""


class NotFoundError(StorageError):
    """A record asked for by id does not exist (or was never created on this database)."""

    def __init__(self, entity: str, entity_id: str) -> None:
        super().__init__(f"No {entity} with id '{entity_id}' exists in this clinic database.")
        self.entity = entity
        self.entity_id = entity_id


class ConflictError(StorageError):
    """A save was made against an older version of a record that someone else changed meanwhile.

    Raised instead of overwriting: the caller must reload and re-apply its edits.
    """

    def __init__(
        self,
        entity: str,
        entity_id: str,
        changed_by: str,
        changed_at: dt.datetime | None,
        expected_version: int,
        current_version: int,
    ) -> None:
        when = (
            changed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if changed_at else "an unknown time"
        )
        super().__init__(
            f"This {entity} was changed on another workstation by {changed_by} at {when}; "
            "reload to see their changes. Nothing was saved."
        )
        self.entity = entity
        self.entity_id = entity_id
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.expected_version = expected_version
        self.current_version = current_version


class ReadOnlyError(StorageError):
    """A change was attempted on a record that is read-only (a signed or amended visit)."""


class AuthenticationError(StorageError):
    """A clinician's password did not match; nothing was changed."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer version of RunReady Clinic than this one."""

    def __init__(self, found: str, known: tuple[str, ...]) -> None:
        super().__init__(
            f"This clinic database uses schema revision '{found}', which is newer than this copy of "
            "RunReady Clinic understands (it knows up to "
            f"'{known[-1] if known else 'none'}'). Install the newer version of the app that created the "
            "database; the database was left unchanged."
        )
        self.found = found
        self.known = known


class DatabaseUrlError(StorageError):
    """A database URL (argument, environment variable or setting) cannot be used; nothing was opened.

    The message is one line and never contains the password or any other secret of the URL.
    """


class DamagedDatabaseError(StorageError):
    """The database reported damage earlier in this run; no further writes are attempted on it."""
