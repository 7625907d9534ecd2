"""The recovery journal: what the clinician typed into a visit and has not saved yet.

The editor writes the visit's complete set of typed values here a moment after every change, so a
crash, a power cut or a killed process loses at most those few seconds. The file is written to a
temporary name in the same folder, flushed to disk and renamed over the old one, so a kill in the
middle leaves the previous journal intact. A successful save removes the entry; the next start lists
what is left and offers to restore it. The journal lives in the per-user state folder, never beside
the clinic database, and it only ever holds JSON text (no file it writes can replace a database).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from clinic_app.domain.model import Value

APP_NAME = "RunReady Clinic"
FORMAT = "runready-journal/1"
MAX_JOURNAL_BYTES = 2_000_000
"""A journal larger than this is not one the editor wrote; it is ignored, not loaded."""

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def default_journal_folder() -> Path:
    """Return the per-user folder for recovery journals (created on first write)."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "journal"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """Unsaved values of one visit.

    Attributes:
        visit_id: the visit they belong to.
        patient_id: whose visit it is (to open her file on restore).
        version: the visit version the typing started from (a save after restore checks it).
        clinician_id: who typed them.
        written_at: when the journal was last written (UTC).
        values: the complete set of typed values by path; None marks a field she emptied.
    """

    visit_id: str
    patient_id: str
    version: int
    clinician_id: str
    written_at: dt.datetime
    values: Mapping[str, Value | None]


class DraftJournal:
    """Write, list and discard recovery journal entries in one folder (one file per visit)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_journal_folder()

    def _file(self, visit_id: str) -> Path:
        if not _SAFE_ID.match(visit_id):
            raise ValueError(f"Not a visit id: {visit_id!r}")
        return self.folder / f"{visit_id}.json"

    def write(
        self,
        visit_id: str,
        *,
        patient_id: str,
        version: int,
        clinician_id: str,
        values: Mapping[str, Value | None],
        now: dt.datetime | None = None,
    ) -> Path:
        """Write the visit's typed values atomically (temporary file, flush, fsync, rename).

        Returns:
            The journal file.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._file(visit_id)
        document = {
            "format": FORMAT,
            "visit_id": visit_id,
            "patient_id": patient_id,
            "version": version,
            "clinician_id": clinician_id,
            "written_at": (now or dt.datetime.now(dt.UTC)).isoformat(),
            "values": {path: _to_json(value) for path, value in values.items()},
        }
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        with partial.open("w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(target)
        return target

    def read(self, visit_id: str) -> JournalEntry | None:
        """Return the journal of one visit, or None when there is none (or it is unreadable)."""
        return _load(self._file(visit_id))

    def pending(self) -> list[JournalEntry]:
        """Return every readable journal entry, oldest first."""
        if not self.folder.is_dir():
            return []
        entries = [_load(path) for path in sorted(self.folder.glob("*.json"))]
        found = [entry for entry in entries if entry is not None]
        return sorted(found, key=lambda entry: entry.written_at)

    def discard(self, visit_id: str) -> None:
        """Remove the journal of a visit (after a save, or when the clinician declines to restore)."""
        self._file(visit_id).unlink(missing_ok=True)


def _to_json(value: Value | None) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _from_json(value: Any) -> Value | None:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _load(path: Path) -> JournalEntry | None:
    """Read one journal file; anything that is not a journal the editor wrote is ignored."""
    try:
        if path.stat().st_size > MAX_JOURNAL_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or not isinstance(data.get("values"), dict):
            return None
        return JournalEntry(
            visit_id=str(data["visit_id"]),
            patient_id=str(data["patient_id"]),
            version=int(data["version"]),
            clinician_id=str(data["clinician_id"]),
            written_at=dt.datetime.fromisoformat(str(data["written_at"])),
            values={str(k): _from_json(v) for k, v in data["values"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
