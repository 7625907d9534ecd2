"""Hostile and broken archives get a clear error naming the problem and write nothing."""

from __future__ import annotations

import json
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clinic_app.exchange.archive import SCHEMA_VERSION
from clinic_app.exchange.errors import BundleError
from clinic_app.services import exchange
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Database
from tests.exchange.bundles import lines, read_parts, records, write_parts
from tests.exchange.conftest import demo_user


@pytest.fixture
def bundle(demo: Database, tmp_path: Path) -> Path:
    """The whole demo clinic as a bundle."""
    path = tmp_path / "demo.rrbundle"
    exchange.export_bundle(demo, path)
    return path


def refused(empty: Database, demo: Database, path: Path) -> BundleError:
    """Import ``path`` into the empty clinic, expect a refusal, check nothing was written."""
    user = demo_user(demo)
    with empty.reads.begin() as session:
        before = store.count_rows(session)
    with pytest.raises(BundleError) as caught:
        exchange.import_bundle(empty, path, user)
    with empty.reads.begin() as session:
        assert store.count_rows(session) == before
    assert str(caught.value)
    return caught.value


def _zip(path: Path, items: list[tuple[str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in items:
                archive.writestr(name, data)
    return path


def test_truncated_file(empty: Database, demo: Database, bundle: Path, tmp_path: Path) -> None:
    """A bundle cut short is not read."""
    cut = tmp_path / "cut.rrbundle"
    cut.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    assert refused(empty, demo, cut).problem == "not_a_bundle"


def test_not_a_zip(empty: Database, demo: Database, tmp_path: Path) -> None:
    """Any other file is refused with the file's name."""
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    assert "notes.txt" in str(refused(empty, demo, other))


def test_zip_claiming_an_unknown_version(
    empty: Database, demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """A directory entry claiming a ZIP version the reader lacks (a flipped byte) is refused, no crash."""
    data = bytearray(bundle.read_bytes())
    end = data.rfind(b"PK\x05\x06")  # the end record gives the central directory's offset
    directory = int.from_bytes(data[end + 16 : end + 20], "little")
    assert data[directory : directory + 4] == b"PK\x01\x02"
    data[directory + 6] = 64  # "version needed to extract": 6.4
    flipped = tmp_path / "flipped.rrbundle"
    flipped.write_bytes(bytes(data))
    assert refused(empty, demo, flipped).problem == "not_a_bundle"


def test_wrong_checksum(empty: Database, demo: Database, bundle: Path, tmp_path: Path) -> None:
    """A record changed after writing (manifest left alone) fails its SHA-256, and nothing is kept."""
    manifest, entries = read_parts(bundle)
    items = records(entries["visits.jsonl"])
    items[-1]["version"] += 1
    data = lines(items)
    entries["visits.jsonl"] = data
    manifest["entries"]["visits.jsonl"]["size"] = len(data)
    error = refused(empty, demo, write_parts(tmp_path / "t.rrbundle", manifest, entries, honest=False))
    assert error.problem == "checksum" and "visits.jsonl" in str(error)


def test_newer_schema(empty: Database, demo: Database, bundle: Path, tmp_path: Path) -> None:
    """A bundle from a newer schema is refused, saying which version and what to do."""
    manifest, entries = read_parts(bundle)
    manifest["schema_version"] = SCHEMA_VERSION + 1
    error = refused(empty, demo, write_parts(tmp_path / "new.rrbundle", manifest, entries))
    assert error.problem == "too_new" and "Install the newer app" in str(error)


@pytest.mark.parametrize(
    "name", ["../visits.jsonl", "/etc/passwd", "reports\\..\\x.pdf", "C:/x.jsonl", "a/./b", "evil.sh"]
)
def test_path_traversal_and_unknown_names(
    empty: Database, demo: Database, bundle: Path, tmp_path: Path, name: str
) -> None:
    """Entry names that could leave a folder, or that the app never writes, are refused."""
    manifest, entries = read_parts(bundle)
    entries[name] = b"{}\n"
    error = refused(empty, demo, write_parts(tmp_path / "evil.rrbundle", manifest, entries))
    assert error.problem == "unsafe_name"


def test_duplicate_entries(empty: Database, demo: Database, bundle: Path, tmp_path: Path) -> None:
    """An archive holding the same name twice is refused."""
    manifest, entries = read_parts(bundle)
    items = [(name, data) for name, data in entries.items()] + [("visits.jsonl", b"")]
    items.append(("manifest.json", json.dumps(manifest).encode()))
    assert refused(empty, demo, _zip(tmp_path / "dup.rrbundle", items)).problem == "duplicate"


def test_zip_bomb(empty: Database, demo: Database, bundle: Path, tmp_path: Path) -> None:
    """An entry compressed far beyond what records compress to is refused before it is read."""
    manifest, entries = read_parts(bundle)
    entries["audit.jsonl"] = b" " * (64 * 1024 * 1024)
    error = refused(empty, demo, write_parts(tmp_path / "bomb.rrbundle", manifest, entries))
    assert error.problem == "too_large"


def test_entry_missing_from_manifest(empty: Database, demo: Database, bundle: Path, tmp_path: Path) -> None:
    """An archive whose entries and manifest disagree is refused."""
    manifest, entries = read_parts(bundle)
    del manifest["entries"]["audit.jsonl"]
    error = refused(empty, demo, write_parts(tmp_path / "m.rrbundle", manifest, entries, honest=False))
    assert error.problem == "checksum" and "audit.jsonl" in str(error)


def _edited(bundle: Path, tmp_path: Path, entry: str, edit: Callable[[list[dict[str, Any]]], None]) -> Path:
    manifest, entries = read_parts(bundle)
    items = records(entries[entry])
    edit(items)
    entries[entry] = lines(items)
    return write_parts(tmp_path / "edited.rrbundle", manifest, entries)


def test_malformed_record_names_entry_and_line(
    empty: Database, demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """A record with a wrong type is refused with its entry, line and key."""
    path = _edited(bundle, tmp_path, "visits.jsonl", lambda items: items[1].update(version="two"))
    error = refused(empty, demo, path)
    assert error.problem == "record" and "visits.jsonl line 2: version" in str(error)


def test_broken_reference(empty: Database, demo: Database, bundle: Path, tmp_path: Path) -> None:
    """A visit of a patient the bundle does not hold is refused, after which nothing is written."""
    path = _edited(bundle, tmp_path, "visits.jsonl", lambda items: items[-1].update(patient_id="P-NOBODY"))
    error = refused(empty, demo, path)
    assert error.problem in ("reference", "record") and "P-NOBODY" in str(error)


def test_failure_late_in_the_import_rolls_everything_back(
    empty: Database, demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """A problem in the last entry (the audit trail) leaves the clinic as it was: all or nothing."""
    path = _edited(bundle, tmp_path, "audit.jsonl", lambda items: items[-1].update(entity_id="V-NOWHERE"))
    assert refused(empty, demo, path).problem == "reference"
