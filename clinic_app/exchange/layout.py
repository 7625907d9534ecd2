"""The names a native bundle may hold: its format, schema version, manifest, record and report entries.

Shared by the writer and the reader, and the one place that says which entry names are the bundle's
own: anything else is refused before a byte of it is read.
"""

from __future__ import annotations

import re

from clinic_app.exchange.errors import BundleError

FORMAT = "runready-clinic-bundle"
SCHEMA_VERSION = 1
"""The bundle schema this app writes; it reads this one and every older one."""
MANIFEST = "manifest.json"
RECORD_ENTRIES = ("clinicians.jsonl", "patients.jsonl", "deliveries.jsonl", "visits.jsonl", "audit.jsonl")
"""The record entries, in the order they are written and imported (references point backwards)."""
REPORT_NAME = re.compile(r"reports/[0-9a-f]{64}\.pdf")
"""A report PDF's entry: named by its SHA-256."""


_SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")


def check_entry_name(name: str) -> None:
    """Refuse an entry name that is not one of the bundle's own.

    Raises:
        BundleError: an absolute path, ``..``, a backslash or drive letter (path traversal), or a name
            this app never writes.
    """
    parts = name.split("/")
    if (
        not _SAFE_NAME.fullmatch(name)
        or name.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise BundleError(
            f"The bundle holds an unsafe entry name {name!r} (path traversal?).", problem="unsafe_name"
        )
    if name != MANIFEST and name not in RECORD_ENTRIES and not REPORT_NAME.fullmatch(name):
        raise BundleError(f"The bundle holds an unknown entry {name!r}.", problem="unsafe_name")
