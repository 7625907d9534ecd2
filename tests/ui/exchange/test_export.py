"""File → Export… offers the command line's options: scope, since, shifted dates, replace only when asked."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from clinic_app.ui import ask
from clinic_app.ui.exchange.export import ExportDialog, OpenPatient
from clinic_app.ui.mainwindow import MainWindow

TODAY = dt.date(2026, 12, 2)


def _records(bundle: Path, entry: str) -> list[dict[str, Any]]:
    with zipfile.ZipFile(bundle) as archive:
        return [json.loads(line) for line in archive.read(entry).decode("utf-8").splitlines() if line]


def _dialog(qtbot: QtBot, ctx: Any, patient: OpenPatient | None = None) -> ExportDialog:
    dialog = ExportDialog(ctx, patient=patient, today=TODAY)
    qtbot.addWidget(dialog)
    return dialog


def test_the_open_patient_is_offered_and_only_she_is_exported(qtbot: QtBot, ctx: Any, tmp_path: Path) -> None:
    """Opened from a patient's file, the scope is that patient, and the bundle holds her alone."""
    dialog = _dialog(qtbot, ctx, OpenPatient("P-0002", "Łucja Żmuda"))
    assert dialog.scope_box.currentText() == "Only Łucja Żmuda (P-0002)"
    assert dialog.path_edit.text().endswith("runready-P-0002-2026-12-02.rrbundle")
    out = tmp_path / "lucja.rrbundle"
    dialog.path_edit.setText(str(out))
    dialog.start()
    assert not dialog.running and "Written to" in dialog.status.text()
    assert dialog.cancel_button.text() == "Close"
    assert [p["id"] for p in _records(out, "patients.jsonl")] == ["P-0002"]
    assert {v["patient_id"] for v in _records(out, "visits.jsonl")} == {"P-0002"}


def test_only_visits_since_the_chosen_date_are_exported(qtbot: QtBot, ctx: Any, tmp_path: Path) -> None:
    """'Only visits on or after' limits the visits; the date box is off until it is ticked."""
    dialog = _dialog(qtbot, ctx)
    assert not dialog.since_edit.isEnabled()
    dialog.since_box.setChecked(True)
    assert dialog.since_edit.isEnabled()
    dialog.since_edit.setDate(QDate(2026, 10, 1))
    out = tmp_path / "recent.rrbundle"
    dialog.path_edit.setText(str(out))
    dialog.start()
    dates = [v["visit_date"] for v in _records(out, "visits.jsonl") if v["amends"] is None]
    assert dates and min(dates) >= "2026-10-01"


def test_research_files_take_shifted_dates_and_never_a_password(qtbot: QtBot, ctx: Any) -> None:
    """CSV turns encryption off and offers shifted dates; the bundle formats do the reverse."""
    dialog = _dialog(qtbot, ctx)
    dialog.encrypt_box.setChecked(True)
    assert dialog.password_edit.isEnabled() and not dialog.shift_box.isEnabled()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
    assert not dialog.encrypt_box.isEnabled() and not dialog.encrypt_box.isChecked()
    assert dialog.shift_box.isEnabled() and not dialog.password_edit.isEnabled()
    assert Path(dialog.path_edit.text()).name == "runready-research-2026-12-02"


def test_a_typed_name_is_kept_when_the_format_changes(qtbot: QtBot, ctx: Any) -> None:
    """The suggestion follows the format only until she types a name of her own."""
    dialog = _dialog(qtbot, ctx)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("fhir"))
    assert dialog.path_edit.text().endswith(".fhir.json")
    dialog.path_edit.setText("/tmp/my-own-name.json")
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("bundle"))
    assert dialog.path_edit.text() == "/tmp/my-own-name.json"


def test_an_existing_file_is_replaced_only_when_she_says_so(
    qtbot: QtBot, ctx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the question writes nothing and says so; 'Replace it' writes the export over the file."""
    out = tmp_path / "clinic.rrbundle"
    out.write_bytes(b"an earlier file")
    dialog = _dialog(qtbot, ctx)
    dialog.path_edit.setText(str(out))
    asked: list[str] = []
    monkeypatch.setattr(ask, "choose", lambda _p, _t, text, _b: asked.append(text))
    dialog.start()
    assert out.read_bytes() == b"an earlier file" and "Nothing was written" in dialog.status.text()
    assert "already exists" in asked[0]
    monkeypatch.setattr(ask, "choose", lambda *_a: 0)
    dialog.start()
    assert zipfile.is_zipfile(out) and "Written to" in dialog.status.text()


def test_file_export_from_the_window_offers_the_patient_she_has_open(
    qtbot: QtBot, ctx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a patient's page File → Export… names her; with no patient open it offers the clinic only."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    shown: list[ExportDialog] = []
    monkeypatch.setattr(ask, "run_dialog", lambda dialog: shown.append(dialog) or False)
    assert window.current_patient() is None
    window.tools.export()
    assert shown[-1].scope_box.count() == 1
    window.open_patient("P-0002")
    qtbot.waitUntil(lambda: window.current_patient() is not None)
    assert window.current_patient() == ("P-0002", "Łucja Żmuda")
    window.tools.export()
    assert shown[-1].scope_box.currentData() == "P-0002"
