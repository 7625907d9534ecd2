"""The Preferences dialog: values shown, refusals at their field, save round-trip, connection, profiles."""

from __future__ import annotations

import pytest
import shiboken6

from clinic_app import resources
from clinic_app.services import patients, preferences
from clinic_app.services.errors import AuthenticationError
from clinic_app.services.reports import load_report_settings
from clinic_app.services.session import sign_in
from clinic_app.ui.preferences.dialog import PreferencesDialog, show_preferences
from clinic_app.ui.reports import dialogs

DEMO_PASSWORD = "runready-demo"
PNG = (resources.reports_folder() / "logo.png").read_bytes()  # a real picture (Qt shows a preview)


@pytest.fixture
def dialog(qtbot, main_window, ctx, window_settings):
    """The dialog over a stand-in window, closed (if still there) after the test."""
    opened = PreferencesDialog(main_window, ctx, window_settings=window_settings)
    opened.show()
    yield opened
    if shiboken6.isValid(opened):
        opened.done(0)


def test_the_preferences_in_force_are_shown(dialog):
    """Before anything is saved the fields show the defaults: the bundled letterhead, A4, 100 %."""
    defaults = preferences.defaults()
    assert dialog.fields.text("clinic_name") == defaults.clinic_name
    assert dialog.fields.text("clinic_address").splitlines() == list(defaults.clinic_address)
    assert dialog.fields.text("paper_size") == "A4"
    assert dialog.fields.text("ui_scale") == "100 %"
    assert dialog.fields.text("database_url") == ""
    assert dialog.clinicians.names()  # the demo clinicians are listed


def test_a_bad_value_is_refused_at_its_field_and_nothing_is_written(dialog):
    """Save with a bad phone and text size: each gets its message, the first page shows, no file appears."""
    dialog.fields.set_text("clinic_phone", "ring the bell")
    dialog.fields.set_text("ui_scale", "300 %")
    dialog.tabs.setCurrentIndex(2)
    assert dialog.save() is False
    assert "digits" in dialog.fields.message("clinic_phone")
    assert "between" in dialog.fields.message("ui_scale")
    assert dialog.fields.message("clinic_name") == ""
    assert dialog.tabs.currentIndex() == 0 and dialog.isVisible()
    assert "Phone" in dialog.status.text() and "Text size" in dialog.status.text()
    assert not (preferences.config_folder() / preferences.PREFERENCES_FILE).exists()


def test_saved_values_round_trip_and_reach_the_reports(
    qtbot, main_window, ctx, dialog, window_settings, tmp_path, monkeypatch
):
    """What Save writes is shown again by a new dialog, printed by the reports and the text size is kept."""
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    monkeypatch.setattr(dialogs, "ask_open_picture", lambda parent, title, start: logo)
    dialog.fields.set_text("clinic_name", "Ní Bhriain Physiotherapy")
    dialog.fields.set_text("clinic_address", "3 Shore Road\nSligo")
    dialog.choose_logo()
    dialog.fields.set_text("paper_size", "Letter")
    dialog.fields.set_text("ird_method", "ultrasound")
    dialog.fields.set_text("ird_unit", "mm")
    dialog.fields.set_text("ui_scale", "125 %")
    with qtbot.waitSignal(dialog.preferences_did_save):
        assert dialog.save() is True
    assert not dialog.isVisible()
    assert window_settings.ui_scale == 1.25
    printed = load_report_settings(page_size=preferences.load().paper_size)
    assert printed.letterhead.name == "Ní Bhriain Physiotherapy"
    assert printed.letterhead.address == ("3 Shore Road", "Sligo")
    assert printed.letterhead.logo is not None and printed.letterhead.logo.read_bytes() == PNG
    assert printed.layout.page_size == "Letter"
    again = PreferencesDialog(main_window, ctx, window_settings=window_settings)
    assert again.fields.text("clinic_name") == "Ní Bhriain Physiotherapy"
    assert again.fields.text("ird_method") == "ultrasound" and again.fields.text("ui_scale") == "125 %"
    again.done(0)


def test_finger_widths_with_calipers_is_refused_at_the_unit(dialog):
    """The method/unit pair is judged by the diastasis form's rule and the message sits at the unit."""
    dialog.fields.set_text("ird_method", "calipers")
    dialog.fields.set_text("ird_unit", "finger_widths")
    assert dialog.save() is False
    assert "finger" in dialog.fields.message("ird_unit")
    assert dialog.tabs.currentIndex() == 1


def test_test_connection_reports_off_the_gui_thread(qtbot, dialog, tmp_path):
    """Test connection on a new file says it would be created; on a non-database file it says why not."""
    dialog.database.setText(str(tmp_path / "shared.sqlite3"))
    with qtbot.waitSignal(dialog.connection_did_check, timeout=10_000) as blocker:
        dialog.test_connection()
    assert blocker.args[0] is True and "create" in dialog.connection_result.text()
    odd = tmp_path / "letter.sqlite3"
    odd.write_text("Dear colleague", "utf-8")
    dialog.database.setText(str(odd))
    with qtbot.waitSignal(dialog.connection_did_check, timeout=10_000) as blocker:
        dialog.test_connection()
    assert blocker.args[0] is False and dialog.connection_result.text().startswith("✖")
    dialog.database.setText("clinic.sqlite3")
    dialog.test_connection()
    assert "whole path" in dialog.fields.message("database_url")


def test_adding_a_clinician_lists_her_and_refuses_mismatched_passwords(dialog, ctx):
    """Add clinician: two different passwords are refused at the repeat box; a good profile can sign in."""
    page = dialog.clinicians
    page.add_fields.set_text("name", "Aoife Brennan")
    page.add_fields.set_text("password", "strong-pass-1")
    page.add_fields.set_text("repeat", "strong-pass-2")
    page.add_clinician()
    assert "differ" in page.add_fields.message("repeat")
    assert not any("Aoife" in line for line in page.names())
    page.add_fields.set_text("repeat", "strong-pass-1")
    page.add_clinician()
    assert any("Aoife Brennan" in line for line in page.names())
    assert page.add_fields.text("password") == ""
    added = next(c for c in patients.list_clinicians(ctx.db) if c.name == "Aoife Brennan")
    assert sign_in(ctx.db, added.id, "strong-pass-1").name == "Aoife Brennan"


def test_changing_my_password_checks_the_current_one(dialog, ctx):
    """A wrong current password is refused at its box; the right one changes the password for sign-in."""
    page = dialog.clinicians
    page.password_fields.set_text("current", "not-my-password")
    page.password_fields.set_text("password", "new-password-42")
    page.password_fields.set_text("repeat", "new-password-42")
    page.change_password()
    assert "not correct" in page.password_fields.message("current")
    page.password_fields.set_text("current", DEMO_PASSWORD)
    page.change_password()
    assert page.status.text().startswith("✔")
    assert sign_in(ctx.db, ctx.user.clinician_id, "new-password-42").clinician_id == ctx.user.clinician_id
    with pytest.raises(AuthenticationError):
        sign_in(ctx.db, ctx.user.clinician_id, DEMO_PASSWORD)


def test_show_preferences_opens_window_modal(qtbot, main_window, ctx):
    """The menu's entry point opens the dialog over the window without blocking the caller."""
    opened = show_preferences(main_window, ctx)
    assert opened.isVisible() and opened.parent() is main_window and opened.isModal()
    opened.done(0)
