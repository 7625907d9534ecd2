"""Tests for locating the forms/ and reports/ folders."""

from __future__ import annotations

from clinic_app.resources import forms_folder, reports_folder


def test_forms_folder_holds_the_batteries() -> None:
    """The forms folder is found and holds one TOML file per battery."""
    names = {entry.name for entry in forms_folder().iterdir()}
    assert {"strength.toml", "diastasis.toml", "prolapse.toml"} <= names


def test_reports_folder_holds_wording_and_fonts() -> None:
    """The reports folder is found with its wording, layout and fonts."""
    folder = reports_folder()
    assert folder.joinpath("layout.toml").is_file()
    assert folder.joinpath("fonts").joinpath("DejaVuSans.ttf").is_file()
