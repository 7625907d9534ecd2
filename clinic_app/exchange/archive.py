"""The native bundle as a file: a ZIP of JSON Lines entries and a manifest with a SHA-256 per entry.

Writing streams one record at a time into the archive, so memory does not grow with the clinic.
Reading trusts nothing: before a single record is handed on, the archive's names, sizes, compression
ratios and manifest are checked, and every entry's bytes are hashed as they are read and compared
with the manifest when the entry ends. The archive is never extracted to disk, but names that could
escape a folder (``..``, absolute paths, backslashes, drive letters) are refused all the same, since
another tool might extract it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from clinic_app.exchange.errors import BundleError
from clinic_app.exchange.recordjson import RecordJsonError, decode_line

FORMAT = "runready-clinic-bundle"
SCHEMA_VERSION = 1
"""The bundle schema this app writes; it reads this one and every older one."""
MANIFEST = "manifest.json"
RECORD_ENTRIES = ("clinicians.jsonl", "patients.jsonl", "deliveries.jsonl", "visits.jsonl", "audit.jsonl")
"""The record entries, in the order they are written and imported (references point backwards)."""
_REPORT_NAME = re.compile(r"reports/[0-9a-f]{64}\.pdf")


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


@dataclass(slots=True)
class _EntryState:
    sha256: Any
    size: int = 0
    records: int = 0


class BundleWriter:
    """Write a bundle: ``with BundleWriter(path, meta) as w: w.add_records(name, records)``.

    The manifest (written last) lists every entry's SHA-256, size and record count beside ``meta``
    (app, schema and protocol versions, created-at, the selection).
    """

    def __init__(self, path: Path, meta: Mapping[str, Any], *, compresslevel: int = 4) -> None:
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._meta = dict(meta)
        self._entries: dict[str, _EntryState] = {}

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self._write_manifest()
        self._zip.close()

    def add_records(self, name: str, records: Iterator[Mapping[str, Any]]) -> int:
        """Write one JSON Lines entry from ``records``; return how many were written."""
        state = _EntryState(hashlib.sha256())
        encode = _ENCODER.encode
        with self._zip.open(name, "w", force_zip64=True) as out:
            buffer: list[str] = []
            for record in records:
                buffer.append(encode(record))
                state.records += 1
                if len(buffer) >= 256:
                    self._flush(out, buffer, state)
            self._flush(out, buffer, state)
        self._entries[name] = state
        return state.records

    def add_file(self, name: str, content: bytes) -> None:
        """Write one binary entry (a report PDF), stored as it is.

        A PDF is compressed already: deflating the app's reports saved 7 % of their size at 1.5 ms
        a file, which on a clinic of 10,000 reports would have added 15 s to the export.
        """
        self._zip.writestr(name, content, compress_type=zipfile.ZIP_STORED)
        self._entries[name] = _EntryState(hashlib.sha256(content), len(content), 1)

    @staticmethod
    def _flush(out: IO[bytes], buffer: list[str], state: _EntryState) -> None:
        if not buffer:
            return
        chunk = ("\n".join(buffer) + "\n").encode("utf-8")
        buffer.clear()
        state.sha256.update(chunk)
        state.size += len(chunk)
        out.write(chunk)

    def _write_manifest(self) -> None:
        entries = {
            name: {"sha256": s.sha256.hexdigest(), "size": s.size, "records": s.records}
            for name, s in self._entries.items()
        }
        manifest = {"format": FORMAT, "schema_version": SCHEMA_VERSION, **self._meta, "entries": entries}
        self._zip.writestr(
            MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        )


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, allow_nan=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class EntryInfo:
    """One entry as the manifest declares it."""

    sha256: str
    size: int
    records: int


@dataclass(slots=True)
class BundleReader:
    """An opened, checked bundle: read its manifest, then stream its entries' records.

    Use :func:`open_bundle`; close it (or use it as a context manager) when done.
    """

    path: Path
    manifest: dict[str, Any]
    entries: dict[str, EntryInfo]
    checksum: str
    """SHA-256 of the whole file, as recorded in the audit trail of an import."""
    limits: Limits
    _zip: zipfile.ZipFile = field(repr=False)

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the archive."""
        self._zip.close()

    @property
    def schema_version(self) -> int:
        """The schema version the bundle was written with."""
        return int(self.manifest["schema_version"])

    def report_names(self) -> list[str]:
        """The report PDFs the bundle carries."""
        return sorted(name for name in self.entries if name.startswith("reports/"))

    def records(self, name: str, *, checked: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield ``(line number, record)`` of one JSON Lines entry, checking its SHA-256 at the end.

        Each line is decoded strictly (:func:`clinic_app.exchange.recordjson.decode_line`). With
        ``checked`` (a second pass over an entry this reader already read strictly) the strict
        refusals are not repeated: the entry's SHA-256, verified again at its end, proves the bytes
        are the ones checked.

        Raises:
            BundleError: a line is not a JSON object, is too long, or the entry's bytes do not match
                the manifest (size or SHA-256). Records already yielded must then be discarded.
        """
        info = self.entries.get(name)
        if info is None:
            return
        digest = hashlib.sha256()
        size = 0
        with self._open(name) as raw:
            line_no = 0
            while True:
                line = _read_line(raw, name, self.limits.max_line_bytes + 1)
                if not line:
                    break
                line_no += 1
                size += len(line)
                digest.update(line)
                if size > info.size:
                    raise BundleError(f"{name} is longer than its manifest says.", problem="checksum")
                if len(line) > self.limits.max_line_bytes:
                    raise BundleError(
                        f"{name} line {line_no} is too long to be a record.", problem="too_large"
                    )
                yield line_no, _parse_line(name, line_no, line, checked)
        if size != info.size or digest.hexdigest() != info.sha256:
            raise BundleError(
                f"{name} does not match the SHA-256 in the manifest: the bundle was changed or damaged "
                "after it was written.",
                problem="checksum",
            )

    def read_file(self, name: str) -> bytes:
        """Return one binary entry, checked against the manifest.

        Raises:
            BundleError: missing, oversized or not matching its SHA-256.
        """
        info = self.entries.get(name)
        if info is None:
            raise BundleError(f"The bundle has no entry {name}.", problem="missing")
        with self._open(name) as raw:
            try:
                content = raw.read(info.size + 1)
            except _DAMAGE as exc:
                raise _damaged(name, exc) from None
        if len(content) != info.size or hashlib.sha256(content).hexdigest() != info.sha256:
            raise BundleError(f"{name} does not match the SHA-256 in the manifest.", problem="checksum")
        return content

    def _open(self, name: str) -> IO[bytes]:
        try:
            return self._zip.open(name)
        except _DAMAGE as exc:
            raise BundleError(f"{name} cannot be read: {exc}.", problem="not_a_bundle") from exc


_DAMAGE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError)
"""What the ZIP reader raises on damaged compressed data (a bad CRC is a BadZipFile)."""


def _damaged(name: str, exc: BaseException) -> BundleError:
    return BundleError(f"{name} is damaged and cannot be unpacked ({exc}).", problem="not_a_bundle")


def _read_line(raw: IO[bytes], name: str, limit: int) -> bytes:
    try:
        return raw.readline(limit)
    except _DAMAGE as exc:
        raise _damaged(name, exc) from None


def _parse_line(name: str, line_no: int, line: bytes, checked: bool = False) -> dict[str, Any]:
    try:
        value = decode_line(line, checked=checked)
    except RecordJsonError as exc:
        raise BundleError(
            f"{name} line {line_no} is not a strict JSON record: {exc}.", problem="record"
        ) from None
    if not isinstance(value, dict):
        raise BundleError(f"{name} line {line_no} is not a JSON object.", problem="record")
    return value


def open_bundle(path: Path, *, limits: Limits | None = None) -> BundleReader:
    """Open a bundle and check everything that can be checked before reading records.

    Args:
        path: the bundle file (already decrypted, when it was encrypted).
        limits: size limits (the defaults suit any real clinic).

    Returns:
        The reader, with the manifest parsed and the entry list checked.

    Raises:
        BundleError: not a ZIP or truncated, an unsafe, duplicate or unknown entry name, an entry not
            in the manifest (or the reverse), an oversized or over-compressed entry, a newer schema,
            or a malformed manifest.
    """
    limits = limits or Limits()
    checksum = file_sha256(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        # NotImplementedError: a central directory claiming a ZIP version (or a feature) that the
        # reader lacks, as a flipped byte can make it.
        raise BundleError(
            f"{path.name} is not a RunReady Clinic bundle, or it is truncated ({exc}).",
            problem="not_a_bundle",
        ) from None
    try:
        manifest, entries = _check_archive(archive, limits)
    except BaseException:
        archive.close()
        raise
    return BundleReader(path, manifest, entries, checksum, limits, archive)


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a whole file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> tuple[dict[str, Any], dict[str, EntryInfo]]:
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
        if _REPORT_NAME.fullmatch(name):
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
    if name != MANIFEST and name not in RECORD_ENTRIES and not _REPORT_NAME.fullmatch(name):
        raise BundleError(f"The bundle holds an unknown entry {name!r}.", problem="unsafe_name")


def _read_manifest(archive: zipfile.ZipFile, limits: Limits) -> dict[str, Any]:
    info = archive.getinfo(MANIFEST)
    if info.file_size > limits.max_manifest_bytes:
        raise BundleError("The bundle's manifest is too large.", problem="too_large")
    try:
        with archive.open(info) as raw:
            text = raw.read(limits.max_manifest_bytes + 1)
        manifest = decode_line(text)
    except (*_DAMAGE, RecordJsonError) as exc:
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
