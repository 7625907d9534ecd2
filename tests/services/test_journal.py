"""The recovery journal keeps typed values across a crash and never loads what it did not write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clinic_app.services.journal import DraftJournal


def test_written_values_come_back_with_their_types(tmp_path: Path):
    """Numbers, flags, choices, tuples and emptied fields survive a write and a read."""
    journal = DraftJournal(tmp_path / "j")
    values = {"a.n": 2.5, "a.i": 3, "a.b": False, "a.c": "good", "a.m": ("leakage", "pain"), "a.x": None}
    journal.write("V-1", patient_id="P-1", version=3, clinician_id="C-1", values=values)
    entry = journal.read("V-1")
    assert entry is not None
    assert dict(entry.values) == values
    assert (entry.patient_id, entry.version, entry.clinician_id) == ("P-1", 3, "C-1")


def test_pending_lists_oldest_first_and_discard_removes(tmp_path: Path):
    """Entries are listed by time written; a discarded one is gone."""
    journal = DraftJournal(tmp_path)
    early = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    journal.write("V-2", patient_id="P", version=1, clinician_id="C", values={}, now=early + dt.timedelta(1))
    journal.write("V-1", patient_id="P", version=1, clinician_id="C", values={}, now=early)
    assert [e.visit_id for e in journal.pending()] == ["V-1", "V-2"]
    journal.discard("V-1")
    assert [e.visit_id for e in journal.pending()] == ["V-2"]


def test_a_rewrite_replaces_atomically_and_leaves_no_partial_file(tmp_path: Path):
    """The second write replaces the first; no temporary file is left behind."""
    journal = DraftJournal(tmp_path)
    journal.write("V-1", patient_id="P", version=1, clinician_id="C", values={"a.b": 1})
    journal.write("V-1", patient_id="P", version=1, clinician_id="C", values={"a.b": 2})
    assert [p.name for p in tmp_path.iterdir()] == ["V-1.json"]
    entry = journal.read("V-1")
    assert entry is not None and entry.values["a.b"] == 2


def test_foreign_or_damaged_files_are_ignored(tmp_path: Path):
    """A truncated file, another format or a huge file is not loaded as a journal."""
    (tmp_path / "V-1.json").write_text('{"format": "runready-journal/1", "values": {', encoding="utf-8")
    (tmp_path / "V-2.json").write_text('{"format": "other", "values": {}}', encoding="utf-8")
    (tmp_path / "V-3.json").write_bytes(b"{" + b" " * 2_100_000 + b"}")
    assert DraftJournal(tmp_path).pending() == []


def test_a_visit_id_cannot_name_a_path_outside_the_folder(tmp_path: Path):
    """An id with a path separator is refused, so the journal never writes elsewhere."""
    with pytest.raises(ValueError):
        DraftJournal(tmp_path).write("../clinic", patient_id="P", version=1, clinician_id="C", values={})
