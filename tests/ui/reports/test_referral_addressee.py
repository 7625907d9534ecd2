"""The referral preview: an addressee typed for this letter is printed on it, and can be cleared."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from clinic_app.ui.reports import dialogs
from clinic_app.ui.reports.preview import ReportPreviewDialog, addressee_from_text


def _text(pdf: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


def test_typed_text_becomes_a_name_and_address() -> None:
    """The first line is the name, the rest the address; blank text means the saved address."""
    found = addressee_from_text("Dr A. Example\n\n Example Hospital \nDublin 2\n")
    assert found is not None
    assert found.name == "Dr A. Example" and found.address == ("Example Hospital", "Dublin 2")
    assert addressee_from_text("  \n ") is None


def test_typed_addressee_is_printed_on_the_letter(qtbot, main_window, ctx, demo_db, monkeypatch):
    """Choosing an addressee rebuilds the letter with her name and address on it."""
    from clinic_app.reporting import referral_applies
    from clinic_app.services import reportprint, reports

    signed = reportprint.signed_visits_between(demo_db, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    chosen = next(v for v in signed if referral_applies(reports.stored_report_input(demo_db, v)))
    dialog = ReportPreviewDialog(main_window, ctx, chosen, "referral")
    dialog.show()
    with qtbot.waitSignal(dialog.report_did_load, timeout=20_000):
        dialog.start()
    assert dialog.report is not None and "Dr Typed Name" not in _text(dialog.report.pdf)
    monkeypatch.setattr(dialogs, "ask_addressee", lambda parent, current: "Dr Typed Name\nTyped Street 1")
    with qtbot.waitSignal(dialog.report_did_load, timeout=20_000):
        dialog.choose_addressee()
    assert "Dr Typed Name" in _text(dialog.report.pdf) and "Typed Street 1" in _text(dialog.report.pdf)
    dialog.close()
