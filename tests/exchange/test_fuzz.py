"""Fuzzing: over 1,000 generated malformed or hostile bundles never crash the importer, never leave
partial data, and always end with a message that names the problem.

Each example starts from a small real bundle (two demo patients) and breaks it: a record's value
replaced by random JSON, a key removed or added, a line duplicated or dropped, the manifest changed,
an entry with a random name added, or the archive's bytes flipped or cut. The record-level breakages
get honest checksums, so the importer's record and reference checks are reached, not only the
checksum check. An import that still succeeds (a harmless change, such as a new name) is allowed.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.exchange.archive import RECORD_ENTRIES
from clinic_app.exchange.errors import BundleError
from clinic_app.services import exchange
from clinic_app.services.session import SignedIn
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Database
from tests.exchange.bundles import lines, read_parts, records, write_parts
from tests.exchange.conftest import demo_user

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@pytest.fixture
def setting(demo: Database, empty: Database, tmp_path: Path) -> tuple[Database, SignedIn, Path]:
    """The clinic to import into, the importing clinician, and a small real bundle to break."""
    from clinic_app.services.patients import search_patients

    chosen = [str(p.id) for p in search_patients(demo, "", limit=50)][:2]
    source = tmp_path / "small.rrbundle"
    exchange.export_bundle(demo, source, patient_ids=chosen)
    return empty, demo_user(demo), source


def _break_record(draw: st.DrawFn, entries: dict[str, bytes]) -> None:
    entry = draw(st.sampled_from([name for name in RECORD_ENTRIES if entries.get(name)]))
    items = records(entries[entry])
    index = draw(st.integers(0, len(items) - 1))
    item: dict[str, Any] = items[index]
    action = draw(st.sampled_from(["replace", "delete", "add", "duplicate", "drop", "nested"]))
    keys = sorted(item)
    if action == "replace":
        item[draw(st.sampled_from(keys))] = draw(json_values)
    elif action == "delete":
        del item[draw(st.sampled_from(keys))]
    elif action == "add":
        item[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    elif action == "duplicate":
        items.insert(index, json.loads(json.dumps(item)))
    elif action == "drop":
        del items[index]
    else:
        lists = [k for k in keys if isinstance(item[k], list) and item[k] and isinstance(item[k][0], dict)]
        if lists:
            inner = draw(st.sampled_from(lists))
            element = item[inner][0]
            element[draw(st.sampled_from(sorted(element)))] = draw(json_values)
        else:
            item[draw(st.sampled_from(keys))] = draw(json_values)
    entries[entry] = lines(items)


@st.composite
def hostile(draw: st.DrawFn, source: Path, folder: Path) -> Path:
    """One broken copy of ``source``."""
    manifest, entries = read_parts(source)
    kind = draw(st.sampled_from(["record", "record", "record", "manifest", "entry", "bytes", "garbage_line"]))
    target = folder / "hostile.rrbundle"
    if kind == "record":
        _break_record(draw, entries)
        return write_parts(target, manifest, entries)
    if kind == "garbage_line":
        entry = draw(st.sampled_from(RECORD_ENTRIES))
        entries[entry] = entries.get(entry, b"") + draw(st.binary(min_size=1, max_size=40)) + b"\n"
        return write_parts(target, manifest, entries)
    if kind == "manifest":
        key = draw(st.sampled_from(["schema_version", "format", "created_at", "entries", "app"]))
        manifest[key] = draw(json_values)
        return write_parts(target, manifest, entries, honest=False)
    if kind == "entry":
        name = draw(
            st.text(st.characters(codec="ascii"), min_size=1, max_size=20).filter(
                lambda n: "\x00" not in n and n.strip("/.")
            )
        )
        manifest_entries = dict(manifest["entries"])
        with zipfile.ZipFile(target, "w") as archive:
            for entry, data in entries.items():
                archive.writestr(entry, data)
            archive.writestr(name, draw(st.binary(max_size=50)))
            archive.writestr("manifest.json", json.dumps({**manifest, "entries": manifest_entries}))
        return target
    data = bytearray(source.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        del data[draw(st.integers(0, len(data) - 1)) :]
    target.write_bytes(bytes(data))
    return target


def test_hostile_bundles_are_refused_cleanly(
    setting: tuple[Database, SignedIn, Path], tmp_path: Path
) -> None:
    """1,000+ broken bundles: each is imported or refused with a message; a refusal writes nothing."""
    db, user, source = setting
    seen = {"refused": 0, "imported": 0}

    @settings(
        max_examples=1100,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        path = data.draw(hostile(source, tmp_path))
        with db.reads.begin() as session:
            before = store.count_rows(session)
        try:
            exchange.import_bundle(db, path, user)
        except BundleError as error:
            seen["refused"] += 1
            assert len(str(error)) > 20 and error.problem
            with db.reads.begin() as session:
                assert store.count_rows(session) == before
        else:
            seen["imported"] += 1

    run()
    assert seen["refused"] + seen["imported"] >= 1000
    assert seen["refused"] > seen["imported"]
