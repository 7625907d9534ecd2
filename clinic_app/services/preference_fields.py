"""The declarations of the clinic's preferences: name, type, default, label, help and check of each.

Every preference is one :class:`Preference` in :data:`PREFERENCES` (Picard ``options.py``); the
dialog (``clinic_app/ui/preferences/``) builds its fields from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from clinic_app.reporting.settings import PAGE_SIZES, load_letterhead
from clinic_app.services.preference_checks import (
    choice_ids,
    parse_address,
    parse_clinic_name,
    parse_database_url,
    parse_email,
    parse_ird_method,
    parse_ird_unit,
    parse_logo,
    parse_paper_size,
    parse_phone,
    parse_ui_scale,
)


@dataclass(frozen=True, slots=True)
class Preferences:
    """Every preference's value (the attribute names are the declarations' names)."""

    clinic_name: str
    clinic_address: tuple[str, ...]
    clinic_phone: str
    clinic_email: str
    clinic_logo: Path | None
    paper_size: str
    ird_method: str
    ird_unit: str
    ui_scale: float
    database_url: str


@dataclass(frozen=True, slots=True)
class Preference:
    """One declared preference.

    Attributes:
        name: the attribute of :class:`Preferences` and the key in its file.
        kind: the Python type of the stored value.
        label: the field's label in the dialog.
        help: what it does, shown beside the field.
        parse: turns what was typed (text, or a number for the text size) into the stored value;
            raises :class:`PreferenceError` with the message for the field.
        store: ``"letterhead"`` or ``"preferences"`` — the file that keeps it.
        choices: (stored id, label) pairs for a drop-down; empty for free text.
    """

    name: str
    kind: type
    label: str
    help: str
    parse: Callable[[Any], Any]
    store: str
    choices: tuple[tuple[str, str], ...] = ()


PREFERENCES: tuple[Preference, ...] = (
    Preference(
        "clinic_name",
        str,
        "Clinic name",
        "Printed at the top of every report.",
        parse_clinic_name,
        "letterhead",
    ),
    Preference(
        "clinic_address",
        tuple,
        "Address",
        "One line per line, as it should be printed.",
        parse_address,
        "letterhead",
    ),
    Preference("clinic_phone", str, "Phone", "Printed under the address.", parse_phone, "letterhead"),
    Preference(
        "clinic_email", str, "E-mail", "Printed under the address (optional).", parse_email, "letterhead"
    ),
    Preference(
        "clinic_logo",
        Path,
        "Letterhead logo",
        "A PNG or JPEG picture printed beside the name.",
        parse_logo,
        "letterhead",
    ),
    Preference(
        "paper_size",
        str,
        "Paper size",
        "The size the reports are laid out for.",
        parse_paper_size,
        "preferences",
        tuple((size, size) for size in PAGE_SIZES),
    ),
    Preference(
        "ird_method",
        str,
        "Diastasis method",
        "Filled in when a new visit starts (you can change it).",
        parse_ird_method,
        "preferences",
    ),
    Preference(
        "ird_unit",
        str,
        "Diastasis unit",
        "Filled in with the method when a new visit starts.",
        parse_ird_unit,
        "preferences",
    ),
    Preference(
        "ui_scale",
        float,
        "Text size",
        "Relative to the desktop's; used from the next start.",
        parse_ui_scale,
        "preferences",
    ),
    Preference(
        "database_url",
        str,
        "Clinic database",
        "Empty for this computer's clinic file; a file path, or postgresql://user@host/database "
        "for a shared clinic. Used from the next start.",
        parse_database_url,
        "preferences",
    ),
)
"""Every preference, in the order the dialog shows them."""

BY_NAME: dict[str, Preference] = {preference.name: preference for preference in PREFERENCES}


def choices_of(name: str) -> tuple[tuple[str, str], ...]:
    """The (id, label) options of a drop-down preference; the diastasis ones come from the form file."""
    if name == "ird_method":
        return (("", "(none)"), *choice_ids("diastasis.method"))
    if name == "ird_unit":
        return (("", "(none)"), *choice_ids("diastasis.unit"))
    return BY_NAME[name].choices


def defaults() -> Preferences:
    """The values before anything is saved: the bundled letterhead and the reports' own layout."""
    letterhead = load_letterhead()
    return Preferences(
        clinic_name=letterhead.name,
        clinic_address=letterhead.address,
        clinic_phone=letterhead.phone,
        clinic_email=letterhead.email,
        clinic_logo=letterhead.logo,
        paper_size="A4",
        ird_method="",
        ird_unit="",
        ui_scale=1.0,
        database_url="",
    )


def as_text(prefs: Preferences) -> dict[str, str]:
    """Each preference's value as the dialog shows it in its field."""
    out: dict[str, str] = {}
    for item in fields(prefs):
        value = getattr(prefs, item.name)
        if isinstance(value, tuple):
            out[item.name] = "\n".join(value)
        elif value is None:
            out[item.name] = ""
        else:
            out[item.name] = f"{value:g}" if isinstance(value, float) else str(value)
    return out
