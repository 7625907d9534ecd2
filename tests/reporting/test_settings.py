"""Layout and letterhead settings come from TOML files with sensible defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.readiness.decision import Status
from clinic_app.reporting.settings import SettingsError, load_layout, load_letterhead


def test_bundled_layout_has_a_mark_for_every_outcome() -> None:
    """Every status has a colour and a drawn symbol, so no outcome relies on colour alone."""
    layout = load_layout()
    assert set(layout.outcomes) == {status.value for status in Status}
    assert len({style.symbol for style in layout.outcomes.values()}) == len(Status)


def test_page_size_can_be_forced_and_is_checked() -> None:
    """A4 and Letter are accepted; anything else is refused with a clear message."""
    assert load_layout(page_size="Letter").page_size == "Letter"
    with pytest.raises(SettingsError, match="page size 'A5'"):
        load_layout(page_size="A5")


def test_letterhead_resolves_a_relative_logo(tmp_path: Path) -> None:
    """A relative logo path is read beside the settings file; a missing logo is dropped."""
    (tmp_path / "mark.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    settings = tmp_path / "letterhead.toml"
    settings.write_text(
        '[clinic]\nname = "Clinic Ó Súilleabháin"\nlogo = "mark.png"\naddress = "1 Main St\\nCork"\n',
        encoding="utf-8",
    )
    head = load_letterhead(settings)
    assert head.name == "Clinic Ó Súilleabháin"
    assert head.logo == tmp_path / "mark.png"
    assert head.address == ("1 Main St", "Cork")
    settings.write_text('[clinic]\nlogo = "gone.png"\n', encoding="utf-8")
    assert load_letterhead(settings).logo is None
    assert load_letterhead(settings).name == "Physiotherapy clinic"


def test_broken_settings_file_raises_settings_error(tmp_path: Path) -> None:
    """Invalid TOML and missing files become SettingsError naming the file."""
    broken = tmp_path / "letterhead.toml"
    broken.write_text("[clinic\nname=", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_letterhead(broken)
    with pytest.raises(SettingsError, match="does not exist"):
        load_letterhead(tmp_path / "missing.toml")
