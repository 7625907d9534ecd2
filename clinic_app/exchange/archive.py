"""The native bundle as a file: a ZIP of JSON Lines entries and a manifest with a SHA-256 per entry.

The work is in four modules, each with one job, gathered here so callers see one face:

* :mod:`~clinic_app.exchange.layout` — the names a bundle may hold (format, schema, entries);
* :mod:`~clinic_app.exchange.writer` — writing: records streamed, PDFs stored, the manifest last;
* :mod:`~clinic_app.exchange.limits` — what a bundle must pass before one record is read (names,
  sizes, compression ratios, the manifest);
* :mod:`~clinic_app.exchange.reader` — reading: every entry's bytes hashed as they are read and
  compared with the manifest.

Reading trusts nothing. The archive is never extracted to disk, but names that could escape a folder
(``..``, absolute paths, backslashes, drive letters) are refused all the same, since another tool
might extract it.
"""

from __future__ import annotations

from clinic_app.exchange.layout import (
    FORMAT,
    MANIFEST,
    RECORD_ENTRIES,
    REPORT_NAME,
    SCHEMA_VERSION,
    check_entry_name,
)
from clinic_app.exchange.limits import EntryInfo, Limits
from clinic_app.exchange.reader import BundleReader, file_sha256, open_bundle
from clinic_app.exchange.writer import BundleWriter

__all__ = [
    "FORMAT",
    "MANIFEST",
    "RECORD_ENTRIES",
    "REPORT_NAME",
    "SCHEMA_VERSION",
    "BundleReader",
    "BundleWriter",
    "EntryInfo",
    "Limits",
    "check_entry_name",
    "file_sha256",
    "open_bundle",
]
