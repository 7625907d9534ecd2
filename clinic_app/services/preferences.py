"""The clinic's preferences, declared once with their defaults, checks and labels (Picard ``options.py``).

Every preference is one :class:`Preference` in :data:`PREFERENCES`: its name, type, default, label,
help and the check that turns what was typed into a stored value or refuses it with a message for
its field. :func:`load` reads them, :func:`save` checks every value and writes them.
This module reads, checks and writes them; the declarations live in
:mod:`~clinic_app.services.preference_fields`, the checks in :mod:`~clinic_app.services.preference_checks`
(both re-exported here, so callers keep using ``preferences.X``).

Two files in the per-user config folder hold them:

* ``letterhead.toml`` — clinic name, address, phone, e-mail and logo. The reports already read this
  file (:func:`clinic_app.services.reports.user_letterhead_path`), so what is saved here is what the
  next report prints; the logo is copied beside it so the report never depends on where it came from.
* ``preferences.toml`` — paper size, default diastasis method and unit, text size and database.

No Qt here: the dialog (``clinic_app/ui/preferences/``) shows the declarations and routes each
:class:`~clinic_app.domain.errors.FieldError` to its field.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from clinic_app.assessment import validate
from clinic_app.domain.errors import FieldError
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results
from clinic_app.reporting.settings import SettingsError, load_letterhead
from clinic_app.services.clinic import forms
from clinic_app.services.errors import ValidationFailed
from clinic_app.services.preference_checks import (
    ADDRESS_LINES,
    DATABASE_SCHEMES,
    LOGO_MAGIC,
    LOGO_MAX_BYTES,
    PHONE_CHARACTERS,
    TEXT_LIMIT,
    UI_SCALE_RANGE,
    PreferenceError,
    connection_url,
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
from clinic_app.services.preference_fields import (
    BY_NAME,
    PREFERENCES,
    Preference,
    Preferences,
    as_text,
    choices_of,
    defaults,
)
from clinic_app.services.reports import APP_NAME, LETTERHEAD_FILE, ReportSettings, load_report_settings

__all__ = [
    "ADDRESS_LINES",
    "BY_NAME",
    "DATABASE_SCHEMES",
    "LOGO_MAGIC",
    "LOGO_MAX_BYTES",
    "LOGO_STEM",
    "PHONE_CHARACTERS",
    "PREFERENCES",
    "PREFERENCES_FILE",
    "TEXT_LIMIT",
    "UI_SCALE_RANGE",
    "Preference",
    "PreferenceError",
    "Preferences",
    "as_text",
    "check",
    "choices_of",
    "config_folder",
    "connection_url",
    "defaults",
    "load",
    "new_visit_values",
    "parse_address",
    "parse_clinic_name",
    "parse_database_url",
    "parse_email",
    "parse_ird_method",
    "parse_ird_unit",
    "parse_logo",
    "parse_paper_size",
    "parse_phone",
    "parse_ui_scale",
    "report_settings",
    "save",
]

PREFERENCES_FILE = "preferences.toml"
LOGO_STEM = "letterhead-logo"


# --- load, check, save ---------------------------------------------------------------------------


def config_folder() -> Path:
    """The per-user config folder (the one that holds the user letterhead the reports read)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def load(folder: Path | None = None) -> Preferences:
    """Read the saved preferences; a missing file or an unusable value gives that value's default.

    A hand-edited or older file therefore never stops the app; the dialog shows what is in force.
    """
    folder = folder or config_folder()
    base = defaults()
    values: dict[str, Any] = {}
    letterhead_file = folder / LETTERHEAD_FILE
    if letterhead_file.is_file():
        try:
            letterhead = load_letterhead(letterhead_file)
        except SettingsError:
            letterhead = None
        if letterhead is not None:
            values.update(
                clinic_name=letterhead.name,
                clinic_address=letterhead.address,
                clinic_phone=letterhead.phone,
                clinic_email=letterhead.email,
                clinic_logo=letterhead.logo,
            )
    stored = _read(folder / PREFERENCES_FILE)
    for preference in PREFERENCES:
        if preference.store == "preferences" and preference.name in stored:
            values[preference.name] = stored[preference.name]
    checked: dict[str, Any] = {}
    for name, value in values.items():
        try:
            checked[name] = BY_NAME[name].parse(value if value is not None else "")
        except PreferenceError:
            continue
    return replace(base, **checked)


def check(typed: Mapping[str, Any], folder: Path | None = None) -> tuple[Preferences, list[FieldError]]:
    """Check what was typed for each preference (missing names keep their saved value).

    Args:
        typed: preference name → what is in its field.
        folder: the config folder (default: the per-user one).

    Returns:
        The checked preferences (a refused value keeps the one in force) and one error per refused
        field, addressed by the preference's name.
    """
    current = load(folder)
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, raw in typed.items():
        if name not in BY_NAME:
            errors.append(FieldError(name, "This is not a preference of the app."))
            continue
        try:
            values[name] = BY_NAME[name].parse(raw)
        except PreferenceError as exc:
            errors.append(FieldError(name, str(exc)))
    prefs = replace(current, **values)
    errors.extend(_check_ird_pair(prefs))
    return prefs, errors


def _check_ird_pair(prefs: Preferences) -> list[FieldError]:
    """The form's own rules judge the method and unit together (finger-widths go with palpation)."""
    if not (prefs.ird_method and prefs.ird_unit):
        return []
    results = Results(
        {FieldPath("diastasis.method"): prefs.ird_method, FieldPath("diastasis.unit"): prefs.ird_unit}
    )
    found = validate(results, forms(), visit_date=dt.date.today(), delivery_date=None)
    return [FieldError("ird_unit", error.message) for error in found if error.path == "diastasis.unit"]


def new_visit_values(prefs: Preferences) -> Results:
    """The values a new visit starts with: the clinic's usual diastasis method and unit.

    A pair the forms refuse (a file edited by hand) starts the visit empty rather than failing it.
    """
    chosen = {"diastasis.method": prefs.ird_method, "diastasis.unit": prefs.ird_unit}
    values: dict[FieldPath, Any] = {FieldPath(path): value for path, value in chosen.items() if value}
    if not values or _check_ird_pair(prefs):
        return Results()
    return Results(values)


def save(prefs: Preferences, folder: Path | None = None) -> list[Path]:
    """Check every value again and write both files (each replaced whole, never half-written).

    Returns:
        The files written.

    Raises:
        ValidationFailed: a value is refused; nothing was written.
    """
    folder = folder or config_folder()
    errors: list[FieldError] = []
    for preference in PREFERENCES:
        value = getattr(prefs, preference.name)
        try:
            preference.parse(value if value is not None else "")
        except PreferenceError as exc:
            errors.append(FieldError(preference.name, str(exc)))
    errors.extend(_check_ird_pair(prefs))
    if errors:
        raise ValidationFailed(errors)
    folder.mkdir(parents=True, exist_ok=True)
    logo_name = _keep_logo(prefs.clinic_logo, folder)
    clinic: dict[str, Any] = {
        "name": prefs.clinic_name,
        "address": list(prefs.clinic_address),
        "phone": prefs.clinic_phone,
        "email": prefs.clinic_email,
        "logo": logo_name,
    }
    kept: dict[str, Any] = {"clinic": clinic}
    referral = _read(folder / LETTERHEAD_FILE).get("referral")
    if isinstance(referral, dict) and referral:
        kept["referral"] = referral  # the referral letter's service addresses, kept as written by hand
    letterhead = (
        "# The clinic letterhead printed on every report, written by RunReady Clinic's Preferences.\n"
        + tomli_w.dumps(kept)
    )
    stored = {p.name: getattr(prefs, p.name) for p in PREFERENCES if p.store == "preferences"}
    written = [
        _write_text(folder / LETTERHEAD_FILE, letterhead),
        _write_text(folder / PREFERENCES_FILE, tomli_w.dumps(stored)),
    ]
    return written


def _keep_logo(logo: Path | None, folder: Path) -> str:
    """Copy the chosen logo beside the letterhead (unless it is already that copy); return its name."""
    target = folder / f"{LOGO_STEM}{logo.suffix.lower()}" if logo is not None else None
    if logo is not None and target is not None and logo.resolve() != target.resolve():
        _write_bytes(target, logo.read_bytes())
    for other in folder.glob(f"{LOGO_STEM}.*"):
        if other != target:
            other.unlink(missing_ok=True)
    return target.name if target is not None else ""


def _write_bytes(path: Path, content: bytes) -> Path:
    """Write to a temporary file in the same folder, flush it to disk, then rename it into place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _write_text(path: Path, text: str) -> Path:
    return _write_bytes(path, text.encode("utf-8"))


def report_settings(prefs: Preferences | None = None) -> ReportSettings:
    """The print settings the preferences choose: the saved letterhead and paper size.

    Raises:
        SettingsError: the letterhead file cannot be read.
    """
    prefs = prefs or load()
    return load_report_settings(page_size=prefs.paper_size)
