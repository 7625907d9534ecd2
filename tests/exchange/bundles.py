"""Helpers that take a bundle apart and put it back together (with or without honest checksums)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clinic_app.exchange.archive import MANIFEST


def read_parts(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Return the manifest and every other entry's bytes."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        entries = {name: archive.read(name) for name in archive.namelist() if name != MANIFEST}
    return manifest, entries


def records(data: bytes) -> list[dict[str, Any]]:
    """Parse a JSON Lines entry."""
    return [json.loads(line) for line in data.splitlines()]


def lines(items: list[dict[str, Any]]) -> bytes:
    """Encode records as a JSON Lines entry."""
    return b"".join(json.dumps(item, ensure_ascii=False).encode() + b"\n" for item in items)


def write_parts(
    path: Path, manifest: dict[str, Any], entries: dict[str, bytes], *, honest: bool = True
) -> Path:
    """Write a bundle; ``honest`` recomputes the manifest's sizes and checksums first."""
    manifest = json.loads(json.dumps(manifest))
    if honest:
        manifest["entries"] = {
            name: {
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
                "records": data.count(b"\n"),
            }
            for name, data in entries.items()
        }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        archive.writestr(MANIFEST, json.dumps(manifest))
    return path


def edit_records(
    source: Path, target: Path, entry: str, edit: Callable[[list[dict[str, Any]]], None]
) -> Path:
    """Copy a bundle with one entry's records edited in place, checksums made to match."""
    manifest, entries = read_parts(source)
    items = records(entries[entry])
    edit(items)
    entries[entry] = lines(items)
    return write_parts(target, manifest, entries)
