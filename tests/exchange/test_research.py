"""Research CSV: long, wide and dictionary files, pseudonymous, read back with the standard csv module."""

from __future__ import annotations

import csv
from pathlib import Path

from clinic_app.services.clinic import forms
from clinic_app.services.exchange_formats import export_research
from clinic_app.storage.database import Database


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_research_files_have_types_units_and_no_names(demo: Database, tmp_path: Path) -> None:
    """Numbers parse as numbers in their dictionary unit; no name, record number or free text appears."""
    folder = tmp_path / "study"
    summary = export_research(demo, folder)
    long_rows, wide_rows = _rows(folder / "long.csv"), _rows(folder / "wide.csv")
    dictionary = {row["column"]: row for row in _rows(folder / "dictionary.csv")}
    assert summary.rows == len(long_rows) > 0 and len(wide_rows) == summary.visits
    for row in long_rows:
        column = f"{row['form']}.{row['field']}" + (f".{row['side']}" if row["side"] else "")
        entry = dictionary[column]
        assert row["kind"] == entry["kind"] != "text"
        if row["kind"] in ("integer", "number"):
            float(row["value"])
            if entry["unit"] and not entry["unit"].startswith("from "):
                assert row["unit"] == entry["unit"], column
        assert row["subject"].startswith("S-")
    text = "".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    from clinic_app.services.patients import search_patients

    for patient in search_patients(demo, "", limit=100):
        assert patient.family_name not in text and str(patient.id) not in text
    free_text = [s.path for s in forms().all_fields() if s.kind.value == "text"]
    assert free_text and not any(f",{p}," in text.splitlines()[0] for p in free_text)


def test_subjects_are_stable_within_and_new_across_exports(demo: Database, tmp_path: Path) -> None:
    """One patient has one subject id per export; a second export gives unrelated ids (keyed HMAC)."""
    export_research(demo, tmp_path / "a")
    export_research(demo, tmp_path / "b", shift_dates=True)
    a, b = _rows(tmp_path / "a" / "wide.csv"), _rows(tmp_path / "b" / "wide.csv")
    assert len({r["subject"] for r in a}) < len(a)
    assert not {r["subject"] for r in a} & {r["subject"] for r in b}
    assert [r["visit_date"] for r in a] != [r["visit_date"] for r in b]


def test_replacing_refuses_a_folder_that_holds_anything_else(demo: Database, tmp_path: Path) -> None:
    """--force never empties a folder of other files (a home folder, the clinic's own data folder)."""
    import pytest

    from clinic_app.domain.files import OutputRefusedError

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "clinic.sqlite3").write_bytes(b"the clinic")
    (folder / "long.csv").write_text("old", encoding="utf-8")
    with pytest.raises(OutputRefusedError, match="nothing was replaced"):
        export_research(demo, folder, overwrite=True)
    assert (folder / "clinic.sqlite3").read_bytes() == b"the clinic"
    assert sorted(p.name for p in folder.iterdir()) == ["clinic.sqlite3", "long.csv"]


def test_replacing_an_earlier_research_export_leaves_only_the_new_one(demo: Database, tmp_path: Path) -> None:
    """An earlier export's folder is replaced whole; nothing is left beside it."""
    folder = tmp_path / "study"
    export_research(demo, folder)
    (folder / "long.csv").write_text("stale", encoding="utf-8")
    export_research(demo, folder, overwrite=True)
    assert sorted(p.name for p in folder.iterdir()) == ["dictionary.csv", "long.csv", "wide.csv"]
    assert (folder / "long.csv").read_text(encoding="utf-8") != "stale"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".research")]
