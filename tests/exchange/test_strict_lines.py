"""Bundle lines are decoded with the visit files' strict rules: duplicate keys, lone surrogates, NaN."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from clinic_app.exchange.archive import MANIFEST
from clinic_app.exchange.recordjson import RecordJsonError, decode_line
from clinic_app.services import exchange
from clinic_app.storage.database import Database
from tests.exchange.bundles import read_parts, write_parts
from tests.exchange.test_hostile import refused


@pytest.fixture
def bundle(demo: Database, tmp_path: Path) -> Path:
    """The whole demo clinic as a bundle."""
    path = tmp_path / "demo.rrbundle"
    exchange.export_bundle(demo, path)
    return path


def _first_line_edited(bundle: Path, target: Path, entry: str, old: bytes, new: bytes) -> Path:
    """Copy the bundle with ``old`` replaced by ``new`` once in the entry's first line (checksums honest)."""
    manifest, entries = read_parts(bundle)
    first, _, rest = entries[entry].partition(b"\n")
    assert old in first
    entries[entry] = first.replace(old, new, 1) + b"\n" + rest
    return write_parts(target, manifest, entries)


def test_duplicate_key_in_a_visit_is_refused(
    empty: Database, demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """A visit line that gives ``status`` twice is refused by name, not read with the last one winning."""
    edited = _first_line_edited(
        bundle, tmp_path / "dup.rrbundle", "visits.jsonl", b'{"', b'{"status":"draft","'
    )
    error = refused(empty, demo, edited)
    assert error.problem == "record"
    assert "visits.jsonl line 1" in str(error) and '"status" appears twice' in str(error)


def test_lone_surrogate_in_a_patient_is_refused(
    empty: Database, demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """A name holding an escaped lone surrogate is refused before anything is written."""
    edited = _first_line_edited(
        bundle, tmp_path / "sur.rrbundle", "patients.jsonl", b'"family_name":"', b'"family_name":"\\ud800'
    )
    error = refused(empty, demo, edited)
    assert "patients.jsonl line 1" in str(error) and "lone surrogate" in str(error)


def test_manifest_with_a_duplicate_key_is_refused(
    empty: Database, demo: Database, bundle: Path, tmp_path: Path
) -> None:
    """A manifest that lists ``entries`` twice (which one would count?) is not a bundle."""
    manifest, entries = read_parts(bundle)
    target = write_parts(tmp_path / "m.rrbundle", manifest, entries)
    with zipfile.ZipFile(target) as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    text = json.dumps(manifest)
    items[MANIFEST] = ('{"entries": {}, ' + text[1:]).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in items.items():
            archive.writestr(name, data)
    error = refused(empty, demo, target)
    assert error.problem == "not_a_bundle" and "appears twice" in str(error)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (b'{"a": NaN}', "NaN is not a number"),
        (b'{"a": 1, "a": 2}', '"a" appears twice'),
        (b'{"a": "\\udc00"}', "lone surrogate"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b'{"a": ' + b"9" * 5000 + b"}", "not usable JSON"),
        (b"[" * 100_000, "nested far too deeply"),
    ],
)
def test_decode_line_names_the_problem(line: bytes, words: str) -> None:
    """Each strict refusal says what is wrong in words."""
    with pytest.raises(RecordJsonError, match=words):
        decode_line(line)


def test_decode_line_keeps_real_text_and_the_checked_pass_agrees() -> None:
    """A surrogate pair (an emoji) is text, and the checked pass decodes the same record."""
    line = b'{"name": "\\ud83c\\udfc3 Ana", "n": [1, 2.5, true]}'
    assert decode_line(line) == decode_line(line, checked=True) == {"name": "🏃 Ana", "n": [1, 2.5, True]}
