"""What a native bundle must pass before one record is read: its entry list, sizes, ratios, manifest.

A zip bomb, a hostile name, an entry the manifest does not list (or the reverse), a newer schema or a
malformed manifest is refused here from the ZIP's central directory and the manifest alone.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic_app.exchange.errors import BundleError
from clinic_app.exchange.layout import FORMAT, MANIFEST, REPORT_NAME, SCHEMA_VERSION, check_entry_name
from clinic_app.exchange.recordjson import RecordJsonError, decode_line


@dataclass(frozen=True, slots=True)
class Limits:
    """What a bundle may hold before it is refused as oversized (a zip bomb) or hostile."""

    max_total_bytes: int = 4 * 1024**3
    """Sum of the uncompressed sizes of every record entry."""
    max_ratio: float = 200.0
    """Uncompressed ÷ compressed size of one record entry larger than :attr:`ratio_floor`."""
    ratio_floor: int = 1024 * 1024
    max_report_ratio: float = 10.0
    """Uncompressed ÷ compressed size of a report PDF, of any size. A PDF hardly compresses (this app
    stores them as they are), so the PDFs together unpack to at most this many times the bundle's own
    size; they are not counted in :attr:`max_total_bytes`, which a clinic's PDFs alone could pass."""
    max_entries: int = 100_000
    max_line_bytes: int = 32 * 1024 * 1024
    max_manifest_bytes: int = 32 * 1024 * 1024
    """The manifest lists every entry (about 150 bytes each): room for :attr:`max_entries`."""


@dataclass(frozen=True, slots=True)
class EntryInfo:
    """One entry as the manifest declares it."""

    sha256: str
    size: int
    records: int


DAMAGE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError)
"""What the ZIP reader raises on damaged compressed data (a bad CRC is a BadZipFile)."""


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> tuple[dict[str, Any], dict[str, EntryInfo]]:
    """Check an opened archive's entry list and manifest; return the manifest and its entries.

    Raises:
        BundleError: see :func:`clinic_app.exchange.reader.open_bundle`.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise BundleError(
            f"The bundle has {len(infos)} entries, more than any clinic writes.", problem="too_large"
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        check_entry_name(name)
        if name in seen:
            raise BundleError(
                f"The bundle holds {name} twice; it was not written by this app.", problem="duplicate"
            )
        seen.add(name)
        if info.flag_bits & 0x1:
            raise BundleError(
                f"{name} is encrypted inside the ZIP, which this app never does.", problem="encrypted"
            )
        if REPORT_NAME.fullmatch(name):
            if info.file_size > limits.max_report_ratio * max(info.compress_size, 1):
                raise BundleError(
                    f"{name} is compressed more than a PDF can be (a zip bomb?).", problem="too_large"
                )
            continue
        total += info.file_size
        if total > limits.max_total_bytes:
            raise BundleError(
                "The bundle unpacks to more than the size limit (a zip bomb?).", problem="too_large"
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise BundleError(
                f"{name} is compressed more than real records can be (a zip bomb?).", problem="too_large"
            )
    if MANIFEST not in seen:
        raise BundleError(
            "The bundle has no manifest.json; it is not a RunReady Clinic bundle.", problem="not_a_bundle"
        )
    manifest = _read_manifest(archive, limits)
    entries = _manifest_entries(manifest)
    listed = set(entries)
    present = seen - {MANIFEST}
    if listed != present:
        extra = sorted(present - listed)
        missing = sorted(listed - present)
        what = (
            f"entries not in the manifest: {', '.join(extra)}" if extra else f"missing: {', '.join(missing)}"
        )
        raise BundleError(f"The bundle does not match its manifest ({what}).", problem="checksum")
    sizes = {info.filename: info.file_size for info in infos}
    for name, entry in entries.items():
        if sizes[name] != entry.size:
            raise BundleError(f"{name} has a different size than its manifest says.", problem="checksum")
    return manifest, entries


def _read_manifest(archive: zipfile.ZipFile, limits: Limits) -> dict[str, Any]:
    info = archive.getinfo(MANIFEST)
    if info.file_size > limits.max_manifest_bytes:
        raise BundleError("The bundle's manifest is too large.", problem="too_large")
    try:
        with archive.open(info) as raw:
            text = raw.read(limits.max_manifest_bytes + 1)
        manifest = decode_line(text)
    except (*DAMAGE, RecordJsonError) as exc:
        raise BundleError(f"The bundle's manifest cannot be read ({exc}).", problem="not_a_bundle") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError("manifest.json does not describe a RunReady Clinic bundle.", problem="not_a_bundle")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError("manifest.json has no valid schema_version.", problem="not_a_bundle")
    if version > SCHEMA_VERSION:
        app = manifest.get("app") if isinstance(manifest.get("app"), dict) else {}
        made_by = app.get("version", "a newer version") if isinstance(app, dict) else "a newer version"
        raise BundleError(
            f"This bundle uses schema version {version}, written by RunReady Clinic {made_by}; this copy "
            f"reads up to version {SCHEMA_VERSION}. "
            "Install the newer app to import it. Nothing was imported.",
            problem="too_new",
        )
    created = manifest.get("created_at")
    if not isinstance(created, str) or not _is_aware_timestamp(created):
        raise BundleError("manifest.json has no valid created_at.", problem="not_a_bundle")
    return manifest


def _manifest_entries(manifest: Mapping[str, Any]) -> dict[str, EntryInfo]:
    raw = manifest.get("entries")
    if not isinstance(raw, dict):
        raise BundleError("manifest.json lists no entries.", problem="not_a_bundle")
    entries: dict[str, EntryInfo] = {}
    for name, item in raw.items():
        check_entry_name(name)
        if name == MANIFEST or not isinstance(item, dict):
            raise BundleError(f"manifest.json describes {name!r} wrongly.", problem="not_a_bundle")
        sha, size, records = item.get("sha256"), item.get("size", -1), item.get("records", -1)
        if (
            not isinstance(sha, str)
            or not re.fullmatch(r"[0-9a-f]{64}", sha)
            or not _count(size)
            or not _count(records)
        ):
            raise BundleError(f"manifest.json describes {name!r} wrongly.", problem="not_a_bundle")
        entries[name] = EntryInfo(sha, size, records)
    return entries


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_aware_timestamp(text: str) -> bool:
    try:
        return dt.datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False
