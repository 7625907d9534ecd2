"""Patient and delivery dialogs: refusals show under their own field, nothing is written, nothing is lost;
a saved patient is findable; a correction carries the details as loaded; a later birth is recorded.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog

from clinic_app.services import patients, records
from clinic_app.ui.patients.dialog import DeliveryDialog, PatientDialog, parse_date


def _fill(dialog: PatientDialog, *, dob: str = "1994-03-08") -> None:
    dialog.family_name.setText("Ó Súilleabháin")
    dialog.given_names.setText("Aoife")
    dialog.date_of_birth.setText(dob)
    dialog.record_number.setText("RR-777")
    assert dialog.delivery is not None
    dialog.delivery.date.setText("12/07/2026")
    dialog.delivery.mode.setCurrentIndex(dialog.delivery.mode.findData("instrumental_vacuum"))
    dialog.delivery.trauma.setCurrentIndex(dialog.delivery.trauma.findData("second_degree"))
    dialog.delivery.parity.setValue(2)


def test_empty_new_patient_shows_errors_at_each_field_and_writes_nothing(qtbot, ctx) -> None:
    """Saving an empty form marks every missing input under itself, keeps the dialog open, writes nothing."""
    before = len(records.list_audit_events(ctx.db))
    dialog = PatientDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.given_names.setText("Aoife")
    dialog.save()
    shown = dialog.shown_errors()
    assert set(shown) == {
        "patient.family_name",
        "patient.date_of_birth",
        "delivery.date",
        "delivery.mode",
        "delivery.perineal_trauma",
    }
    dialog.date_of_birth.setText("1994-03-08")
    dialog.delivery.date.setText("2026-07-12")  # type: ignore[union-attr]
    dialog.delivery.mode.setCurrentIndex(0)  # type: ignore[union-attr]
    dialog.delivery.trauma.setCurrentIndex(0)  # type: ignore[union-attr]
    dialog.save()
    assert set(dialog.shown_errors()) == {"patient.family_name"}
    assert "Family name is required" in dialog.error_at("patient.family_name")
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.given_names.text() == "Aoife"
    assert len(records.list_audit_events(ctx.db)) == before


def test_service_refusal_is_shown_under_the_field_it_concerns(qtbot, ctx) -> None:
    """The service's refusals (birth date in the future, delivery before it) show under their inputs."""
    dialog = PatientDialog(ctx)
    qtbot.addWidget(dialog)
    _fill(dialog, dob="2099-01-01")
    dialog.save()
    assert set(dialog.shown_errors()) == {"patient.date_of_birth", "delivery.date"}
    assert "future" in dialog.error_at("patient.date_of_birth")
    assert "before the date of birth" in dialog.error_at("delivery.date")
    assert patients.search_patients(ctx.db, "RR-777") == []


def test_created_patient_appears_in_search_with_her_birth(qtbot, ctx) -> None:
    """A valid new patient is saved with her delivery, announced, and found by name."""
    dialog = PatientDialog(ctx)
    qtbot.addWidget(dialog)
    _fill(dialog)
    with qtbot.waitSignal(ctx.tasks.operation_did_execute, timeout=2000):
        dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created_id
    (found,) = patients.search_patients(ctx.db, "ó súilleabháin")
    assert found.id == dialog.created_id and found.record_number == "RR-777"
    opened = patients.open_patient(ctx.db, found.id)
    assert opened.latest_delivery is not None
    assert (opened.latest_delivery.delivery_date, opened.latest_delivery.parity) == (dt.date(2026, 7, 12), 2)
    assert records.list_audit_events(ctx.db, entity="patient", entity_id=found.id)[0].actor_id == ctx.actor_id


def test_correcting_details_saves_and_a_change_elsewhere_is_reported_in_the_dialog(qtbot, ctx) -> None:
    """Editing sends the details as loaded; if another workstation changed them, the dialog says so."""
    (zoe,) = patients.search_patients(ctx.db, "zoe")
    dialog = PatientDialog(ctx, zoe)
    qtbot.addWidget(dialog)
    assert dialog.delivery is None and dialog.date_of_birth.text() == "1991-04-02"
    dialog.record_number.setText("RR-104B")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert patients.search_patients(ctx.db, "zoe")[0].record_number == "RR-104B"
    stale = PatientDialog(ctx, zoe)
    qtbot.addWidget(stale)
    stale.given_names.setText("Zoe")
    stale.save()
    assert stale.result() != QDialog.DialogCode.Accepted and "" in stale.shown_errors()
    assert stale.given_names.text() == "Zoe"


def test_delivery_dialog_records_a_later_birth(qtbot, ctx) -> None:
    """A later birth is added with parity suggested from the previous one; a birth before hers is refused."""
    opened = patients.open_patient(ctx.db, "P-0001")
    dialog = DeliveryDialog(ctx, opened.patient, opened.latest_delivery)
    qtbot.addWidget(dialog)
    assert dialog.delivery.parity.value() == 2
    dialog.delivery.date.setText("1980-01-01")
    dialog.delivery.mode.setCurrentIndex(dialog.delivery.mode.findData("planned_caesarean"))
    dialog.delivery.trauma.setCurrentIndex(dialog.delivery.trauma.findData("not_applicable"))
    dialog.save()
    assert "before the date of birth" in dialog.error_at("delivery.date")
    dialog.delivery.date.setText("2026-11-20")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert patients.open_patient(ctx.db, "P-0001").latest_delivery.delivery_date == dt.date(2026, 11, 20)  # type: ignore[union-attr]


def test_dates_are_read_year_first_or_day_first() -> None:
    """ISO dates and day-first dates are read; anything else is not a date."""
    assert (
        parse_date("1991-04-02") == parse_date("02/04/1991") == parse_date("2.4.1991") == dt.date(1991, 4, 2)
    )
    assert parse_date("31/02/1991") is None and parse_date("April") is None and parse_date("") is None


def test_an_empty_form_lists_every_problem_at_the_first_save(qtbot, ctx):
    """Names, date of birth and the birth's details are all reported on the first Save, nothing written."""
    from clinic_app.services import patients as patient_service
    from clinic_app.ui.patients.dialog import PatientDialog

    before = len(patient_service.search_patients(ctx.db, "", limit=1000))
    dialog = PatientDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.save()
    shown = dialog.shown_errors()
    for path in ("patient.family_name", "patient.given_names", "patient.date_of_birth", "delivery.date"):
        assert path in shown, path
    assert len(patient_service.search_patients(ctx.db, "", limit=1000)) == before
