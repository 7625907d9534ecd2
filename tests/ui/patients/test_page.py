"""Patient page: details, births and visit history from the services; buttons only when they act;
opening, creating and amending a visit announce it; amendments carry a reason; archive never deletes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from clinic_app.domain.enums import VisitStatus
from clinic_app.services import patients, records, visits
from clinic_app.ui import ask
from clinic_app.ui.patients.history import NewVisitDialog, VisitHistoryModel
from clinic_app.ui.patients.page import PatientPage


@pytest.fixture
def page(qtbot, ctx) -> PatientPage:
    """The page showing the demo's first patient, Zoë Ní Bhriain."""
    shown = PatientPage(ctx)
    qtbot.addWidget(shown)
    shown.load("P-0001")
    return shown


def _row_of_status(page: PatientPage, status: VisitStatus) -> int:
    return next(
        row
        for row in range(page.model.rowCount())
        if page.model.summary_at(row).status is status  # type: ignore[union-attr]
    )


def test_visit_history_model_passes_qt_model_checks(qtmodeltester, page) -> None:
    """The visit history behaves as Qt's item views expect."""
    assert page.model.rowCount() >= 3
    qtmodeltester.check(page.model)
    empty = VisitHistoryModel()
    qtmodeltester.check(empty)


def test_page_shows_details_births_and_visits_newest_first(page) -> None:
    """Header, births and visits (an amendment above its original, and selected) come from the file."""
    assert page.name_label.text() == "Zoë Ní Bhriain"
    assert "02 Apr 1991" in page.details_label.text() and "RR-104" in page.details_label.text()
    assert "age 35" in page.details_label.text()
    assert page.deliveries.count() == 1 and "Spontaneous vaginal birth" in page.deliveries.item(0).text()
    dates = [page.model.summary_at(row).visit_date for row in range(page.model.rowCount())]  # type: ignore[union-attr]
    assert dates == sorted(dates, reverse=True)
    first = page.model.row_of("V-0001-1")
    cell = [page.model.data(page.model.index(first, column)) for column in range(6)]
    assert cell[0] == "10 Aug 2026" and cell[2] == "10 weeks"
    assert cell[3] == "Signed"
    proposed, final = cell[4], cell[5]
    assert proposed.split(" ", 1)[0] in {"⛔", "⊘", "◷", "⚠", "?", "✔!", "✔"} and len(proposed) > 3
    assert final.split(" ", 1)[0] in {"⛔", "⊘", "◷", "⚠", "?", "✔!", "✔"}
    amended = page.model.row_of("V-0001-2")
    assert page.model.data(page.model.index(amended, 3)).startswith("Amended")
    assert page.model.row_of("V-0001-2A") == amended - 1
    assert page.selected_summary().id == "V-0001-2A"  # type: ignore[union-attr]


def test_long_history_cells_wrap_onto_a_second_line_instead_of_hiding(qtbot, page) -> None:
    """A sign-off or outcome too long for its column makes its row taller; a short row stays one line."""
    page.resize(760, 600)
    page.show()
    qtbot.waitExposed(page)
    rows = page.table.verticalHeader()
    short, long = page.model.row_of("V-0001-1"), page.model.row_of("V-0001-2")
    line = page.table.fontMetrics().height()
    qtbot.waitUntil(lambda: rows.sectionSize(long) >= 2 * line)  # two lines of text at least
    assert rows.sectionSize(short) < 2 * line  # "Signed", "Not yet time": one line is enough


def test_buttons_act_only_when_they_would_do_something(page) -> None:
    """Open needs a selection; Amend needs a signed visit; a replaced (amended) visit cannot be amended."""
    page.table.clearSelection()
    assert not page.open_button.isEnabled() and not page.amend_button.isEnabled()
    page.table.selectRow(_row_of_status(page, VisitStatus.SIGNED))
    assert page.open_button.isEnabled() and page.amend_button.isEnabled()
    page.table.selectRow(_row_of_status(page, VisitStatus.AMENDED))
    assert page.open_button.isEnabled() and not page.amend_button.isEnabled()
    assert page.new_visit_button.isEnabled()


def test_enter_opens_the_selected_visit(qtbot, page) -> None:
    """Enter in the visit history opens the selected visit (patient id and visit id announced)."""
    row = page.model.row_of("V-0001-1")
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, 0))
    with qtbot.waitSignal(page.visit_did_open, timeout=1000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == ["P-0001", "V-0001-1"]
    with qtbot.waitSignal(page.visit_did_open, timeout=1000) as again:
        page.open_selected()
    assert again.args == ["P-0001", "V-0001-1"]


def test_amend_asks_a_reason_that_reaches_the_audit(qtbot, page, monkeypatch) -> None:
    """Amending asks why; the reason is stored in the audit and the new draft is opened."""
    monkeypatch.setattr(ask, "ask_text", lambda *_args, **_kw: "Weight typed in pounds")
    page.select_visit("V-0001-1")
    with qtbot.waitSignal(page.visit_did_open, timeout=1000) as opened:
        page.amend_selected()
    patient_id, draft_id = opened.args
    assert patient_id == "P-0001" and visits.get_visit(page.ctx.db, draft_id).amends == "V-0001-1"
    (event,) = [
        e
        for e in records.list_audit_events(page.ctx.db, entity="visit", entity_id="V-0001-1")
        if e.action == "amend"
    ]
    assert event.after["reason"] == "Weight typed in pounds" and event.actor_id == page.ctx.actor_id
    assert page.model.summary_at(page.model.row_of("V-0001-1")).status is VisitStatus.AMENDED  # type: ignore[union-attr]


def test_amend_without_a_reason_changes_nothing(qtbot, page, monkeypatch) -> None:
    """Cancelling the question does nothing; an empty reason is refused with the service's words."""
    shown: list[str] = []
    monkeypatch.setattr(ask, "show_error", lambda _parent, _title, text: shown.append(text))
    page.select_visit("V-0001-1")
    monkeypatch.setattr(ask, "ask_text", lambda *_args, **_kw: None)
    page.amend_selected()
    monkeypatch.setattr(ask, "ask_text", lambda *_args, **_kw: "   ")
    page.amend_selected()
    assert visits.get_visit(page.ctx.db, "V-0001-1").status is VisitStatus.SIGNED
    assert len(shown) == 1 and "why" in shown[0].lower()


def test_new_visit_is_dated_today_and_opened(qtbot, page, monkeypatch) -> None:
    """New visit offers today's date, opens a draft by the signed-in clinician and announces it."""
    seen: list[NewVisitDialog] = []

    def accept(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewVisitDialog)
        seen.append(dialog)
        dialog.save()
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(ask, "run_dialog", accept)
    with qtbot.waitSignal(page.visit_did_open, timeout=1000) as opened:
        page.new_visit()
    assert seen[0].visit_date() == dt.date.today()
    created = visits.get_visit(page.ctx.db, opened.args[1])
    assert created.visit_date == dt.date.today() and created.clinician_id == page.ctx.actor_id
    assert page.model.row_of(created.id) >= 0


def test_new_visit_refused_date_is_shown_in_the_dialog(qtbot, ctx) -> None:
    """A visit date the services refuse (in the future) is shown under the date, and nothing opens."""
    dialog = NewVisitDialog(ctx, "P-0001", today=dt.date.today() + dt.timedelta(days=3))
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted and "future" in dialog.error.message


def test_archive_after_confirmation_keeps_every_record(qtbot, page, monkeypatch) -> None:
    """Archive asks first; she then leaves the list, her visits stay, and the page offers Restore."""
    monkeypatch.setattr(ask, "confirm", lambda *_args: False)
    page.toggle_archived()
    assert not patients.open_patient(page.ctx.db, "P-0001").patient.archived
    monkeypatch.setattr(ask, "confirm", lambda *_args: True)
    page.toggle_archived()
    opened = patients.open_patient(page.ctx.db, "P-0001")
    assert opened.patient.archived and len(opened.visits) == page.model.rowCount()
    assert patients.search_patients(page.ctx.db, "zoe") == []
    assert "(archived)" in page.name_label.text() and page.archive_button.text() == "Restore…"
    assert not page.new_visit_button.isEnabled() and not page.amend_button.isEnabled()


def test_page_refreshes_when_an_operation_changes_her(qtbot, page) -> None:
    """A change to this patient made anywhere in the window (a new birth) is shown without reloading."""
    from clinic_app.domain.enums import DeliveryMode, PerinealTrauma
    from clinic_app.domain.model import Delivery

    birth = Delivery(dt.date(2026, 11, 20), DeliveryMode.PLANNED_CAESAREAN, PerinealTrauma.NOT_APPLICABLE, 2)
    page.ctx.tasks.run_op(
        lambda: patients.add_delivery(page.ctx.db, "P-0001", birth, user=page.ctx.user)
    )
    assert page.deliveries.count() == 2 and "20 Nov 2026" in page.deliveries.item(0).text()


def test_patient_without_a_birth_cannot_start_a_visit(qtbot, ctx) -> None:
    """With no birth recorded the page says so and New visit is off (the visit is timed from it)."""
    created = patients.create_patient(
        ctx.db,
        family_name="Nguyen",
        given_names="Thi",
        date_of_birth=dt.date(1992, 1, 3),
        user=ctx.user,
    )
    shown = PatientPage(ctx)
    qtbot.addWidget(shown)
    shown.load(str(created.created_id))
    assert not shown.new_visit_button.isEnabled() and "No birth" in shown.status_label.message
    assert shown.delivery_button.isEnabled() and not shown.open_button.isEnabled()


def test_a_new_visit_starts_with_the_usual_diastasis_method_and_unit(qtbot, page, monkeypatch) -> None:
    """Preferences → default method and unit are already filled in on the new draft."""
    from clinic_app.services import preferences

    preferences.save(dataclasses.replace(preferences.load(), ird_method="calipers", ird_unit="mm"))
    monkeypatch.setattr(ask, "run_dialog", lambda dialog: dialog.save() or True)
    with qtbot.waitSignal(page.visit_did_open, timeout=1000) as opened:
        page.new_visit()
    created = visits.get_visit(page.ctx.db, opened.args[1])
    assert created.results["diastasis.method"] == "calipers"
    assert created.results["diastasis.unit"] == "mm"
