"""Preferences' "Test connection": could the clinic open this database? Reading only, in words.

The same read-only preflight as :func:`clinic_app.services.clinic.open_clinic`
(:func:`clinic_app.storage.diagnose.check_database`): nothing is created, migrated or written, and a
refusal is the message a failed start would show, with any password hidden.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from clinic_app.services.clinic import explain_failure
from clinic_app.services.errors import StorageError
from clinic_app.storage.database import DATABASE_URL_ENV, default_database_path, resolve_database_url
from clinic_app.storage.diagnose import check_database

BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True, slots=True)
class ConnectionCheck:
    """What the check found: whether the clinic could use that database, and the sentence to show."""

    ok: bool
    message: str


def check_connection(url: str) -> ConnectionCheck:
    """Check whether the database at ``url`` could be the clinic's, without writing anything.

    Args:
        url: a ``sqlite:///`` or ``postgresql://`` URL; empty for the default clinic file. A password
            in it is used for the check and never shown.
    """
    default = default_database_path()
    if not url and not os.environ.get(DATABASE_URL_ENV) and not default.parent.is_dir():
        return ConnectionCheck(
            True, f"This computer's clinic file {default} will be created at the next start."
        )
    try:
        resolved = resolve_database_url(url or None)
        if resolved.get_backend_name() not in BACKENDS:
            return ConnectionCheck(
                False,
                "The clinic database is a SQLite file or a PostgreSQL server (postgresql://user@host/db).",
            )
        status = check_database(resolved)
    except StorageError as exc:
        return ConnectionCheck(False, str(exc))
    except Exception as exc:
        message = explain_failure(exc, url or None)
        if message is None:
            raise
        return ConnectionCheck(False, message)
    if not status.exists:
        found = "There is no clinic there yet; the app would create a new, empty one at the next start."
    elif status.at_head:
        found = "It holds a clinic database of this version of the app."
    else:
        found = "It holds a clinic database of an earlier version; it would be updated (after a backup)."
    warnings = "".join(f" {warning}" for warning in status.warnings)
    return ConnectionCheck(True, f"Connected to {status.shown_url}. {found}{warnings}")
