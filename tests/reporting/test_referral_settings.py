"""Referral addressees in the letterhead settings: read from the file, kept when Preferences saves."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.reporting.settings import Addressee, SettingsError, load_letterhead
from clinic_app.services import preferences

SERVICES = """
[clinic]
name = "Test clinic"

[referral.urogynaecology]
name = "Dr A. Example"
address = ["Urogynaecology Department", "Example Hospital"]
"""


def test_letterhead_reads_referral_addresses(tmp_path: Path) -> None:
    """``[referral.KEY]`` tables become addressees keyed by the recipient."""
    path = tmp_path / "letterhead.toml"
    path.write_text(SERVICES, encoding="utf-8")
    head = load_letterhead(path)
    assert head.referral_address("urogynaecology") == Addressee(
        "Dr A. Example", ("Urogynaecology Department", "Example Hospital")
    )
    assert head.referral_address("gp") is None


def test_a_malformed_referral_table_is_refused(tmp_path: Path) -> None:
    """An address that is not a list of lines is a settings error, not a broken letter."""
    path = tmp_path / "letterhead.toml"
    path.write_text("[referral.gp]\naddress = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"referral\.gp\.address"):
        load_letterhead(path)


def test_saving_preferences_keeps_the_referral_addresses(tmp_path: Path) -> None:
    """Preferences rewrites the letterhead file but keeps the services written into it by hand."""
    (tmp_path / "letterhead.toml").write_text(SERVICES, encoding="utf-8")
    prefs = preferences.load(tmp_path)
    preferences.save(prefs, tmp_path)
    head = load_letterhead(tmp_path / "letterhead.toml")
    assert head.name == "Test clinic"
    assert dict(head.referral_addresses)["urogynaecology"].name == "Dr A. Example"
