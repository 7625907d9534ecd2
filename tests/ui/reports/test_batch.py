"""The batch of reports: every signed visit of a period, in the background, with progress and Cancel."""

from __future__ import annotations

import datetime as dt
import hashlib

from clinic_app.domain.enums import VisitStatus
from clinic_app.services import records, reportprint
from clinic_app.ui.reports import dialogs
from clinic_app.ui.reports.batch import ReportBatchDialog, run_report_batch

ALL_TIME = (dt.date(2000, 1, 1), dt.date(2100, 1, 1))


def batch_dialog(main_window, ctx, folder) -> ReportBatchDialog:
    """A shown batch dialog over all time, writing into ``folder``, run in threads."""
    dialog = ReportBatchDialog(main_window, ctx, processes=False)
    dialog.set_period(*ALL_TIME)
    dialog.folder.setText(str(folder))
    dialog.show()
    return dialog


def test_batch_prints_every_signed_visit_and_records_each_file(qtbot, main_window, ctx, demo_db, tmp_path):
    """Each signed visit of the period gets one PDF and one report record; drafts are left out."""
    signed = reportprint.signed_visits_between(demo_db, *ALL_TIME)
    dialog = batch_dialog(main_window, ctx, tmp_path / "batch")
    dialog.set_kind("patient")
    seen: list[tuple[int, int]] = []
    dialog.worker.job_did_progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(dialog.batch_did_finish, timeout=120_000) as blocker:
        dialog.start()
    result = blocker.args[0]
    assert not result.cancelled and not result.failed
    assert len(result.written) == len(signed) > 0
    assert sorted(p.name for p in (tmp_path / "batch").iterdir()) == sorted(p.name for p in result.written)
    assert seen[-1] == (len(signed), len(signed))
    assert dialog.progress.value() == len(signed)
    for path in result.written:
        visit_id = next(v for v in signed if v in path.name)
        entries = records.list_reports(demo_db, visit_id)
        assert [(e.file_name, e.sha256) for e in entries] == [
            (path.name, hashlib.sha256(path.read_bytes()).hexdigest())
        ]
    assert "report record(s) kept" in dialog.status.text()
    dialog.close()


def test_batch_leaves_out_drafts_and_other_dates(qtbot, main_window, ctx, demo_db, tmp_path):
    """A period with no signed visit builds nothing and says so."""
    dialog = batch_dialog(main_window, ctx, tmp_path / "empty")
    dialog.set_period(dt.date(1990, 1, 1), dt.date(1990, 12, 31))
    with qtbot.waitSignal(dialog.batch_did_finish, timeout=20_000) as blocker:
        dialog.start()
    assert blocker.args[0].written == []
    assert "No signed visit" in dialog.status.text()
    assert dialog.start_button.isEnabled()
    dialog.close()


def test_cancel_stops_the_batch_and_keeps_what_was_written(qtbot, main_window, ctx, demo_db, tmp_path):
    """Cancel after the first report: the batch ends early, no partial file is left, written ones stay."""
    signed = reportprint.signed_visits_between(demo_db, *ALL_TIME)
    assert len(signed) >= 4
    dialog = batch_dialog(main_window, ctx, tmp_path / "cancelled")
    forward = dialog.worker.progress

    def cancel_after_first(done: int, total: int) -> None:
        if done == 1:
            dialog.cancel_event.set()  # what the Cancel button sets, at a known point of the batch
        forward(done, total)

    dialog.worker.progress = cancel_after_first  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.batch_did_finish, timeout=120_000) as blocker:
        dialog.start()
    result = blocker.args[0]
    assert result.cancelled
    assert 1 <= len(result.written) < len(signed)
    files = list((tmp_path / "cancelled").iterdir())
    assert sorted(files) == sorted(result.written)
    assert not [p for p in files if p.suffix != ".pdf"]
    assert "cancelled" in dialog.status.text()
    dialog.close()


def test_cancel_button_sets_the_stop_and_a_bad_period_is_refused(qtbot, main_window, ctx, tmp_path):
    """The Cancel button asks the batch to stop; a period that ends before it starts is refused."""
    dialog = batch_dialog(main_window, ctx, tmp_path / "x")
    dialog.set_period(dt.date(2026, 5, 1), dt.date(2026, 4, 1))
    dialog.start()
    assert "swap" in dialog.status.text() and dialog.start_button.isEnabled()
    dialog.cancel()
    assert dialog.cancel_event.is_set()
    dialog.close()


def test_folder_is_chosen_through_the_dialog_and_entry_point_opens(
    qtbot, main_window, ctx, tmp_path, monkeypatch
):
    """Choose… fills the folder from the file dialog; run_report_batch opens the dialog over the window."""
    monkeypatch.setattr(dialogs, "ask_folder", lambda parent, title, start: tmp_path / "chosen")
    dialog = run_report_batch(main_window, ctx)
    dialog.choose_folder()
    assert dialog.folder.text() == str(tmp_path / "chosen")
    assert dialog.parent() is main_window and dialog.isVisible()
    dialog.close()


def test_signed_visits_between_are_signed_and_in_the_period(demo_db):
    """The service lists only signed visits dated inside the period, oldest first."""
    from clinic_app.services import visits

    found = reportprint.signed_visits_between(demo_db, *ALL_TIME)
    dates = [visits.get_visit(demo_db, v).visit_date for v in found]
    assert all(visits.get_visit(demo_db, v).status is VisitStatus.SIGNED for v in found)
    assert dates == sorted(dates)
    middle = dates[len(dates) // 2]
    inside = reportprint.signed_visits_between(demo_db, middle, middle)
    assert inside and all(visits.get_visit(demo_db, v).visit_date == middle for v in inside)
