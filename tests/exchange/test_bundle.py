"""The native bundle: export, import into an empty clinic, export again gives the same content."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from clinic_app.exchange.archive import MANIFEST, RECORD_ENTRIES
from clinic_app.services import exchange
from clinic_app.storage.database import Database


def entries_without_created_at(path: Path) -> dict[str, object]:
    """The bundle's entries, the manifest without its created-at."""
    with zipfile.ZipFile(path) as archive:
        out: dict[str, object] = {name: archive.read(name) for name in archive.namelist() if name != MANIFEST}
        manifest = json.loads(archive.read(MANIFEST))
    manifest.pop("created_at")
    out[MANIFEST] = manifest
    return out


def test_demo_round_trip_is_lossless(demo: Database, empty: Database, tmp_path: Path) -> None:
    """Export → import into an empty clinic → export gives the same bytes apart from created-at."""
    from tests.exchange.conftest import demo_user

    first = tmp_path / "first.rrbundle"
    summary = exchange.export_bundle(demo, first)
    assert summary.visits >= 9 and summary.patients >= 9
    importer = demo_user(demo)
    # The importing clinician must exist in the empty clinic to sign in; the import itself adds her.
    plan = exchange.plan_import(empty, first)
    assert len(plan.visits_added) == summary.visits and not plan.conflicts
    outcome = exchange.import_bundle(empty, first, importer)
    assert len(outcome.plan.visits_added) == summary.visits
    second = tmp_path / "second.rrbundle"
    exchange.export_bundle(empty, second)
    a, b = entries_without_created_at(first), entries_without_created_at(second)
    visits = [json.loads(line) for line in bytes(a["visits.jsonl"]).splitlines()]  # type: ignore[arg-type]
    assert any(v["delivery"] for v in visits) and any(v["status"] == "signed" for v in visits)
    assert any(v["amends"] for v in visits) and any(v["decisions"] for v in visits)
    for name in RECORD_ENTRIES:
        assert a[name] == b[name], name
    assert a == b


def test_export_never_writes_over_the_clinic_database(demo: Database, tmp_path: Path) -> None:
    """The live database (or an existing file without overwrite) is refused and left as it was."""
    import pytest

    database = Path(str(demo.url.database))
    before = database.read_bytes()
    with pytest.raises(exchange.OutputRefused):
        exchange.export_bundle(demo, database, overwrite=True)
    assert database.read_bytes() == before
    existing = tmp_path / "old.rrbundle"
    existing.write_bytes(b"old")
    with pytest.raises(exchange.OutputRefused):
        exchange.export_bundle(demo, existing)
    assert (
        existing.read_bytes() == b"old"
        and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    )


def test_cancelled_export_leaves_nothing(demo: Database, tmp_path: Path) -> None:
    """Cancelling mid-export raises and leaves no file and no temporary file."""
    import pytest

    from clinic_app.exchange.errors import ExchangeCancelled

    out = tmp_path / "x.rrbundle"
    with pytest.raises(ExchangeCancelled):
        exchange.export_bundle(demo, out, cancelled=lambda: True)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.sqlite3")] == []
