"""Preferences: declared defaults, checks that refuse bad values at their field, and a round-trip to disk."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from clinic_app.reporting.settings import load_letterhead
from clinic_app.services import preferences
from clinic_app.services.connection import check_connection
from clinic_app.services.errors import ValidationFailed
from clinic_app.services.reports import load_report_settings, user_letterhead_path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Per-user folders inside the test's own directory."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("CLINIC_APP_DATABASE_URL", raising=False)
    return tmp_path


def test_every_preference_is_declared_once_with_a_label_and_a_usable_default():
    """Each declaration names a Preferences field, has a label and help, and its default passes its check."""
    names = [p.name for p in preferences.PREFERENCES]
    assert len(names) == len(set(names))
    assert set(names) == set(preferences.Preferences.__dataclass_fields__)
    defaults = preferences.defaults()
    for preference in preferences.PREFERENCES:
        assert preference.label and preference.help and preference.store in ("letterhead", "preferences")
        value = getattr(defaults, preference.name)
        preference.parse(value if value is not None else "")


def test_defaults_come_from_the_bundled_letterhead_and_layout():
    """Before anything is saved the clinic details are the bundled letterhead's, paper A4, text 100 %."""
    bundled = load_letterhead()
    loaded = preferences.load()
    assert loaded.clinic_name == bundled.name and loaded.clinic_address == bundled.address
    assert loaded.paper_size == "A4" and loaded.ui_scale == 1.0 and loaded.database_url == ""


@pytest.mark.parametrize(
    ("name", "typed", "words"),
    [
        ("clinic_name", "   ", "required"),
        ("clinic_name", "x" * 200, "at most"),
        ("clinic_phone", "call us!", "digits, spaces"),
        ("clinic_phone", "12", "fewer than 5"),
        ("clinic_email", "clinic at example", "look like"),
        ("clinic_address", "\n".join(f"line {n}" for n in range(9)), "holds 6"),
        ("clinic_logo", "/no/such/logo.png", "no file"),
        ("clinic_logo", "/etc/hostname", "PNG or JPEG"),
        ("paper_size", "A5", "A4, Letter"),
        ("ird_method", "eyeballing", "calipers"),
        ("ird_unit", "inches", "mm"),
        ("ui_scale", "huge", "number"),
        ("ui_scale", "3", "between"),
        ("database_url", "clinic.sqlite3", "whole path"),
        ("database_url", "sqlite://", "in-memory"),
        ("database_url", "postgresql://anne:secret@db.clinic/runready", "password"),
        ("database_url", "mysql://db/runready", "file path or a postgresql"),
    ],
)
def test_a_bad_value_is_refused_at_its_field(name, typed, words):
    """A value that cannot be used gives one message addressed to that field, in words a physio reads."""
    _, errors = preferences.check({name: typed})
    assert [e.path for e in errors] == [name]
    assert words in errors[0].message


def test_finger_widths_need_the_palpation_method():
    """The method and unit are judged together by the diastasis form's own rule."""
    _, errors = preferences.check({"ird_method": "calipers", "ird_unit": "finger_widths"})
    assert [e.path for e in errors] == ["ird_unit"] and "finger" in errors[0].message
    _, fine = preferences.check({"ird_method": "finger_widths", "ird_unit": "finger_widths"})
    assert fine == []


def test_typed_values_are_normalised():
    """A percentage text size, a file path for the database and a multi-line address are stored cleanly."""
    prefs, errors = preferences.check(
        {
            "ui_scale": "125 %",
            "database_url": "/srv/clinic/clinic.sqlite3",
            "clinic_address": "1 Main St\n\n Cork ",
        }
    )
    assert errors == []
    assert prefs.ui_scale == 1.25
    assert prefs.database_url == "sqlite:////srv/clinic/clinic.sqlite3"
    assert prefs.clinic_address == ("1 Main St", "Cork")


def test_round_trip_through_the_config_folder_and_into_the_reports(tmp_path):
    """What is saved is loaded back unchanged, and the reports print the saved letterhead and logo."""
    logo = tmp_path / "our-logo.png"
    logo.write_bytes(PNG)
    prefs, errors = preferences.check(
        {
            "clinic_name": "Zoë's Pelvic Health — Łódź",
            "clinic_address": "2 Quay Street\nGalway H91 X0Y1",
            "clinic_phone": "+353 91 555 0100",
            "clinic_email": "hello@zoe.example",
            "clinic_logo": str(logo),
            "paper_size": "Letter",
            "ird_method": "calipers",
            "ird_unit": "mm",
            "ui_scale": "1.5",
            "database_url": "postgresql://clinic@db.local/runready",
        }
    )
    assert errors == []
    written = preferences.save(prefs)
    assert user_letterhead_path() in written
    again = preferences.load()
    assert again.clinic_logo is not None and again.clinic_logo.read_bytes() == PNG
    assert again.clinic_logo.parent == preferences.config_folder()  # a copy kept beside the letterhead
    for field in (
        "clinic_name",
        "clinic_address",
        "clinic_phone",
        "clinic_email",
        "paper_size",
        "ird_method",
        "ird_unit",
        "ui_scale",
        "database_url",
    ):
        assert getattr(again, field) == getattr(prefs, field)
    printed = load_report_settings(page_size=again.paper_size)
    assert printed.letterhead.name == "Zoë's Pelvic Health — Łódź"
    assert printed.letterhead.logo == again.clinic_logo
    assert preferences.report_settings().layout.page_size == "Letter"
    stored = tomllib.loads((preferences.config_folder() / preferences.PREFERENCES_FILE).read_text("utf-8"))
    assert "secret" not in str(stored) and stored["ui_scale"] == 1.5


def test_clearing_the_logo_removes_the_copy(tmp_path):
    """Saving without a logo leaves no stale picture for the reports to print."""
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG)
    prefs, _ = preferences.check({"clinic_logo": str(logo)})
    preferences.save(prefs)
    cleared, _ = preferences.check({"clinic_logo": ""})
    preferences.save(cleared)
    assert preferences.load().clinic_logo is None
    assert not list(preferences.config_folder().glob(f"{preferences.LOGO_STEM}.*"))


def test_save_refuses_a_bad_value_and_writes_nothing():
    """A refused value stops the save before either file is touched."""
    bad = dataclasses.replace(preferences.defaults(), paper_size="A3")
    with pytest.raises(ValidationFailed) as caught:
        preferences.save(bad)
    assert [e.path for e in caught.value.errors] == ["paper_size"]
    assert not (preferences.config_folder() / preferences.PREFERENCES_FILE).exists()


def test_a_hand_edited_file_with_a_bad_value_falls_back_to_the_default():
    """An unusable stored value never stops the app: that value takes its default, the others stay."""
    folder = preferences.config_folder()
    folder.mkdir(parents=True)
    (folder / preferences.PREFERENCES_FILE).write_text('paper_size = "A0"\nui_scale = 1.25\n', "utf-8")
    loaded = preferences.load()
    assert loaded.paper_size == "A4" and loaded.ui_scale == 1.25
    (folder / preferences.PREFERENCES_FILE).write_text("this is [not toml", "utf-8")
    assert preferences.load().ui_scale == 1.0


def test_check_connection_reports_in_words(tmp_path):
    """Test connection: a usable new file is fine, a missing folder or another program's file is refused."""
    assert check_connection(f"sqlite:///{tmp_path / 'new.sqlite3'}").ok
    missing = check_connection(f"sqlite:///{tmp_path / 'gone' / 'clinic.sqlite3'}")
    assert not missing.ok and "does not exist" in missing.message
    odd = tmp_path / "notes.sqlite3"
    odd.write_text("not a database", "utf-8")
    refused = check_connection(f"sqlite:///{odd}")
    assert not refused.ok and str(odd) in refused.message
    assert not check_connection("mysql://db/runready").ok


def test_a_new_visit_starts_with_the_saved_method_and_unit_or_with_nothing():
    """Both saved: both filled in; a pair the forms refuse, or nothing saved: an empty visit."""
    base = preferences.defaults()
    assert dict(preferences.new_visit_values(base)) == {}
    chosen = dataclasses.replace(base, ird_method="calipers", ird_unit="mm")
    expected = {"diastasis.method": "calipers", "diastasis.unit": "mm"}
    assert dict(preferences.new_visit_values(chosen)) == expected
    refused = dataclasses.replace(base, ird_method="calipers", ird_unit="finger_widths")
    assert dict(preferences.new_visit_values(refused)) == {}
