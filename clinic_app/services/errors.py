"""Errors the services raise, in one place for the GUI and the command line.

Input problems are :class:`ValidationFailed` (exit code 2, each message routed to its field); storage
problems are :class:`~clinic_app.storage.errors.StorageError` subclasses, re-exported here so callers
need not import the storage package (exit code 1).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from clinic_app.domain.errors import FieldError
from clinic_app.storage.errors import AuthenticationError as AuthenticationError
from clinic_app.storage.errors import ConflictError as ConflictError
from clinic_app.storage.errors import NotFoundError as NotFoundError
from clinic_app.storage.errors import ReadOnlyError as ReadOnlyError
from clinic_app.storage.errors import SchemaTooNewError as SchemaTooNewError
from clinic_app.storage.errors import StorageError as StorageError


class ValidationFailed(ValueError):  # noqa: N818 (the name the team contract uses)
    """Input was refused before reaching the database; ``errors`` says what, field by field."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(sorted(errors))
        shown = "; ".join(str(error) for error in self.errors[:5])
        more = f" (and {len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        super().__init__(f"Nothing was saved: {shown}{more}")


class LockedOutError(AuthenticationError):
    """Too many wrong passwords in a row: the profile takes no password until ``until``.

    Attributes:
        clinician_name: whose profile is locked.
        until: when the next attempt is checked again.
        wait: how long that is from the refused attempt.
    """

    def __init__(
        self, clinician_name: str, until: dt.datetime, wait: dt.timedelta, *, just_locked: bool = False
    ) -> None:
        seconds = max(1, math.ceil(wait.total_seconds()))
        delay = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
        lead = (
            "That password is not right, and after several wrong passwords in a row"
            if just_locked
            else "After several wrong passwords in a row"
        )
        super().__init__(
            f"{lead} {clinician_name}'s profile is locked: try again in {delay}. "
            "Nothing was signed or changed."
        )
        self.clinician_name = clinician_name
        self.until = until
        self.wait = wait
