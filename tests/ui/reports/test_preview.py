"""The report preview: pages, navigation, zoom, and what it says about drafts and failures."""

from __future__ import annotations

from PySide6.QtPdfWidgets import QPdfView

from clinic_app.ui.reports.preview import ReportPreviewDialog, show_report_preview


def open_preview(qtbot, window, ctx, visit_id: str, kind: str) -> ReportPreviewDialog:
    """A shown preview of ``kind`` for the visit, once its PDF has loaded."""
    dialog = ReportPreviewDialog(window, ctx, visit_id, kind)
    dialog.show()
    with qtbot.waitSignal(dialog.report_did_load, timeout=20_000):
        dialog.start()
    return dialog


def test_preview_shows_every_page_of_the_report(qtbot, main_window, ctx, signed_visit, read_pages):
    """The preview holds exactly the pages of the PDF that was built, and says how many there are."""
    dialog = open_preview(qtbot, main_window, ctx, signed_visit, "clinician")
    assert dialog.report is not None
    count = len(read_pages(dialog.report.pdf))
    assert count > 1
    assert dialog.document.pageCount() == count
    assert dialog.page_box.maximum() == count
    assert dialog.pages_label.text().strip() == f"of {count}"
    assert dialog.print_action.isEnabled() and dialog.save_action.isEnabled()
    assert dialog.banner.isHidden()  # a signed visit carries no draft warning
    dialog.close()


def test_pages_are_navigated_and_clamped(qtbot, main_window, ctx, signed_visit):
    """Next / previous / a typed page move through the report and never beyond its ends."""
    dialog = open_preview(qtbot, main_window, ctx, signed_visit, "clinician")
    last = dialog.document.pageCount() - 1
    assert not dialog.previous_action.isEnabled()
    dialog.next_page()
    qtbot.waitUntil(lambda: dialog.current_page == 1)
    dialog.go_to_page(99)
    qtbot.waitUntil(lambda: dialog.current_page == last)
    assert dialog.page_box.value() == last + 1
    assert not dialog.next_action.isEnabled()
    dialog.page_box.setValue(1)
    qtbot.waitUntil(lambda: dialog.current_page == 0)
    dialog.close()


def test_zoom_steps_and_fit_modes(qtbot, main_window, ctx, signed_visit):
    """Zoom in/out change the scale within bounds; fit width and whole page set the view's mode."""
    dialog = open_preview(qtbot, main_window, ctx, signed_visit, "patient")
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    dialog.zoom_in()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom
    bigger = dialog.view.zoomFactor()
    dialog.zoom_out()
    dialog.zoom_out()
    assert dialog.view.zoomFactor() < bigger
    for _ in range(20):
        dialog.zoom_out()
    assert dialog.view.zoomFactor() >= 0.25
    dialog.fit_page()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitInView
    dialog.fit_width()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    dialog.close()


def test_draft_is_marked_in_the_window_and_on_every_page(qtbot, main_window, ctx, draft_visit, read_pages):
    """An unsigned visit's preview warns that it prints as a DRAFT, and every page carries the mark."""
    dialog = open_preview(qtbot, main_window, ctx, draft_visit, "patient")
    assert dialog.report is not None and not dialog.report.signed
    assert not dialog.banner.isHidden() and "DRAFT" in dialog.banner.text()
    pages = read_pages(dialog.report.pdf)
    assert all("DRAFT" in page.extract_text() for page in pages)
    dialog.close()


def test_referral_for_a_visit_that_needs_none_says_so(qtbot, main_window, ctx, demo_db):
    """Asking for a referral letter the decision does not call for gives a sentence, not a traceback."""
    from clinic_app.reporting import referral_applies
    from clinic_app.services import reportprint, reports

    signed = reportprint.signed_visits_between(demo_db, *_all_time())
    chosen = next(v for v in signed if not referral_applies(reports.stored_report_input(demo_db, v)))
    window = main_window
    dialog = ReportPreviewDialog(window, ctx, chosen, "referral")
    with qtbot.waitSignal(dialog.report_did_fail, timeout=20_000) as blocker:
        dialog.start()
    assert "needs no referral" in blocker.args[0]
    assert not dialog.print_action.isEnabled()
    dialog.close()


def test_show_report_preview_opens_over_the_window(qtbot, main_window, ctx, signed_visit):
    """The entry point for the menu opens a non-modal preview parented to the main window."""
    window = main_window
    dialog = show_report_preview(window, ctx, signed_visit, "patient")
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert dialog.parent() is window and not dialog.isModal() and dialog.isVisible()
    dialog.close()


def _all_time():
    import datetime as dt

    return dt.date(2000, 1, 1), dt.date(2100, 1, 1)
