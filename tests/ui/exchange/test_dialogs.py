"""The window's export dialog and import preview (pytest-qt, synchronous task runner)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from clinic_app.ui import ask
from clinic_app.ui.exchange import dialogs


def test_export_dialog_writes_a_bundle(qtbot: QtBot, ctx: Any, tmp_path: Path) -> None:
    """Export writes the file, fills the progress bar and warns that it is not encrypted."""
    dialog = dialogs.ExportDialog(ctx)
    qtbot.addWidget(dialog)
    out = tmp_path / "clinic.rrbundle"
    dialog.path_edit.setText(str(out))
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running)
    assert out.is_file() and "unencrypted" in dialog.status.text()
    assert dialog.progress.value() == dialog.progress.maximum() > 0


def test_export_dialog_refuses_differing_passwords(qtbot: QtBot, ctx: Any, tmp_path: Path) -> None:
    """Encrypt with two different passwords writes nothing and says why."""
    dialog = dialogs.ExportDialog(ctx)
    qtbot.addWidget(dialog)
    out = tmp_path / "clinic.enc"
    dialog.path_edit.setText(str(out))
    dialog.encrypt_box.setChecked(True)
    dialog.password_edit.setText("one password")
    dialog.repeat_edit.setText("another")
    dialog.start()
    assert not out.exists() and "differ" in dialog.status.text()


def test_import_preview_then_import(
    qtbot: QtBot, ctx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Import shows the dry run as a dialog; accepting it imports and reports the result."""
    from clinic_app.services import exchange

    bundle = tmp_path / "own.rrbundle"
    exchange.export_bundle(ctx.db, bundle)
    seen: dict[str, Any] = {}
    monkeypatch.setattr(dialogs, "choose_import_path", lambda parent: str(bundle))

    def accept(dialog: Any) -> bool:
        seen["plan"] = dialog.plan
        qtbot.addWidget(dialog)
        return True

    monkeypatch.setattr(ask, "run_dialog", accept)
    monkeypatch.setattr(ask, "show_info", lambda parent, title, text: seen.setdefault("info", text))
    dialogs.import_into_window(None, ctx)
    assert seen["plan"].visits_unchanged > 0 and not seen["plan"].conflicts
    assert "Imported own.rrbundle" in seen["info"]


def test_import_preview_counts_the_pdfs_for_visits_here(
    qtbot: QtBot, ctx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle whose only news is PDFs our records lack: the preview counts them and offers Import."""
    from sqlalchemy import text

    from clinic_app.services import exchange, records

    user = ctx.user
    for visit_id in ("V-0001-1", "V-0002-1"):
        content = f"%PDF-1.7 kept for {visit_id}".encode()
        records.record_report(ctx.db, visit_id, kind="patient", content=content, file_name="r.pdf", user=user)
    bundle = tmp_path / "own.rrbundle"
    exchange.export_bundle(ctx.db, bundle)
    with ctx.db.sessions.begin() as session:
        session.execute(text("UPDATE report_records SET content = NULL"))
    seen: dict[str, Any] = {}
    monkeypatch.setattr(dialogs, "choose_import_path", lambda parent: str(bundle))

    def accept(dialog: Any) -> bool:
        qtbot.addWidget(dialog)
        seen["text"] = dialog.text.toPlainText()
        seen["enabled"] = dialog.import_button.isEnabled()
        return True

    monkeypatch.setattr(ask, "run_dialog", accept)
    monkeypatch.setattr(ask, "show_info", lambda parent, title, text: seen.setdefault("info", text))
    dialogs.import_into_window(None, ctx)
    assert "2 report PDFs would be added to visits already here." in seen["text"]
    assert "Nothing to import" not in seen["text"] and seen["enabled"]
    assert "2 report PDFs kept" in seen["info"]
