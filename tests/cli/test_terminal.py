"""Terminal escaping of names and values from outside."""

from __future__ import annotations

import json

from clinic_app.cli.terminal import safe


def test_control_bidi_and_surrogates_are_escaped() -> None:
    """ESC, C1 controls, a right-to-left override and a lone surrogate become visible escapes."""
    assert safe("Zo\x1b[2Jë\x9b\u202e\ud800") == "Zo\\u001b[2Jë\\u009b\\u202e\\ud800"


def test_ordinary_names_are_unchanged() -> None:
    """Accented, Irish, Polish, Arabic names and joiners pass through untouched."""
    for name in ("Zoë Ní Bhriain", "Łucja Żmuda", "فاطمة", "क्‍ष"):
        assert safe(name) == name


def test_newlines_kept_only_when_asked_and_json_stays_json() -> None:
    """Built multi-line output keeps its lines; escaped JSON still decodes to the same text."""
    assert safe("a\nb") == "a\\u000ab"
    assert safe("a\nb", keep_newlines=True) == "a\nb"
    document = json.dumps({"name": "x\x9by\u202e"}, ensure_ascii=False, indent=2)
    assert json.loads(safe(document, keep_newlines=True)) == {"name": "x\x9by\u202e"}
