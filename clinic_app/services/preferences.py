"""The clinic's preferences, declared once with their defaults, checks and labels (Picard ``options.py``).

Every preference is one :class:`Preference` in :data:`PREFERENCES`: its name, type, default, label,
help and the check that turns what was typed into a stored value or refuses it with a message for
its field. :func:`load` reads them, :func:`save` checks every value and writes them.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from clinic_app.assessment import validate
from clinic_app.domain.errors import FieldError
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results
from clinic_app.reporting.settings import PAGE_SIZES, SettingsError, load_letterhead
from clinic_app.services.clinic import forms
from clinic_app.services.errors import ValidationFailed
from clinic_app.services.reports import APP_NAME, LETTERHEAD_FILE, ReportSettings, load_report_settings

PREFERENCES_FILE = "preferences.toml"
LOGO_STEM = "letterhead-logo"
LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAGIC = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",)}
UI_SCALE_RANGE = (0.75, 2.0)
TEXT_LIMIT = 120
ADDRESS_LINES = 6
PHONE_CHARACTERS = set("0123456789 +()-./")
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg", "postgres")


class PreferenceError(ValueError):
    """A typed value cannot be used; ``str(error)`` is the message shown at its field."""


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


# --- checks: each takes what was typed and returns the stored value -------------------------------


def _plain(text: Any, label: str, *, required: bool = False, limit: int = TEXT_LIMIT) -> str:
    value = str(text if text is not None else "").strip()
    if required and not value:
        raise PreferenceError(f"{label} is required: it is printed at the top of every report.")
    if len(value) > limit:
        raise PreferenceError(f"{label} is {len(value)} characters long; at most {limit} fit the letterhead.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise PreferenceError(f"{label} contains a control character (a tab or line break); remove it.")
    return value


def parse_clinic_name(text: Any) -> str:
    """The clinic's name: required, one line."""
    return _plain(text, "The clinic name", required=True)


def parse_address(text: Any) -> tuple[str, ...]:
    """The address as typed, one line per line; empty lines are dropped."""
    raw = text if isinstance(text, list | tuple) else str(text or "").splitlines()
    lines = tuple(_plain(line, "An address line", limit=80) for line in raw)
    lines = tuple(line for line in lines if line)
    if len(lines) > ADDRESS_LINES:
        raise PreferenceError(f"The address has {len(lines)} lines; the letterhead holds {ADDRESS_LINES}.")
    return lines


def parse_phone(text: Any) -> str:
    """A phone number: digits, spaces, + ( ) - . / only."""
    value = _plain(text, "The phone number", limit=40)
    if set(value) - PHONE_CHARACTERS:
        raise PreferenceError(
            "Write the phone number with digits, spaces and + ( ) - . / only, e.g. +353 1 555 0142."
        )
    if value and sum(ch.isdigit() for ch in value) < 5:
        raise PreferenceError("The phone number has fewer than 5 digits; check it.")
    return value


def parse_email(text: Any) -> str:
    """An e-mail address (optional): something@domain.tld, no spaces."""
    value = _plain(text, "The e-mail address", limit=80)
    if value:
        local, _, domain = value.partition("@")
        if not local or "." not in domain or " " in value or domain.startswith(".") or domain.endswith("."):
            raise PreferenceError("The e-mail address should look like clinic@example.org.")
    return value


def parse_logo(text: Any) -> Path | None:
    """A PNG or JPEG file of at most 5 MB; empty for no logo."""
    value = str(text or "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    suffix = path.suffix.lower()
    if suffix not in LOGO_MAGIC:
        raise PreferenceError("The logo must be a PNG or JPEG picture (.png, .jpg).")
    if not path.is_file():
        raise PreferenceError(f"There is no file {path}; choose the logo again.")
    if path.stat().st_size > LOGO_MAX_BYTES:
        raise PreferenceError("The logo file is over 5 MB; save a smaller copy (a few hundred KB is plenty).")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not any(head.startswith(magic) for magic in LOGO_MAGIC[suffix]):
        raise PreferenceError(
            f"{path.name} is not a {suffix[1:].upper()} picture (its content says otherwise)."
        )
    return path


def parse_paper_size(text: Any) -> str:
    """``A4`` or ``Letter``."""
    value = str(text or "").strip()
    if value not in PAGE_SIZES:
        raise PreferenceError(f"The paper size is one of {', '.join(PAGE_SIZES)}.")
    return value


def _choice_ids(path: str) -> tuple[tuple[str, str], ...]:
    spec = forms().field_by_path(path)
    return tuple((choice.id, choice.label) for choice in spec.choices) if spec else ()


def _parse_choice(text: Any, path: str, label: str) -> str:
    value = str(text or "").strip()
    ids = [choice for choice, _ in _choice_ids(path)]
    if value and value not in ids:
        raise PreferenceError(f"{label} is one of {', '.join(ids)} (or none).")
    return value


def parse_ird_method(text: Any) -> str:
    """A method of the diastasis form (``diastasis.method``), or none."""
    return _parse_choice(text, "diastasis.method", "The measurement method")


def parse_ird_unit(text: Any) -> str:
    """A unit of the diastasis form (``diastasis.unit``), or none."""
    return _parse_choice(text, "diastasis.unit", "The unit")


def parse_ui_scale(value: Any) -> float:
    """The text size relative to the desktop's, 0.75 to 2.0 (typed as 1.25 or 125 %)."""
    text = str(value).strip().rstrip("%").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise PreferenceError("The text size is a number such as 1.25 (or 125 %).") from None
    if number > 10:
        number /= 100  # typed as a percentage
    low, high = UI_SCALE_RANGE
    if not low <= number <= high:
        raise PreferenceError(f"The text size is between {low:g} and {high:g} (75 % to 200 %).")
    return round(number, 2)


def parse_database_url(text: Any) -> str:
    """Empty (the default file), a SQLite file path, or a sqlite: / postgresql: URL with no password."""
    value = str(text or "").strip()
    if not value:
        return ""
    if "://" not in value:
        path = Path(value).expanduser()
        if not path.is_absolute():
            raise PreferenceError("Give the whole path of the clinic file, e.g. /home/clinic/clinic.sqlite3.")
        if path.is_dir():
            raise PreferenceError(f"{path} is a folder; give the clinic file inside it.")
        return f"sqlite:///{path}"
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in DATABASE_SCHEMES:
        raise PreferenceError("The database is a file path or a postgresql://user@host/database address.")
    if scheme.lower() == "sqlite" and rest.strip("/") in ("", ":memory:"):
        raise PreferenceError(
            "An in-memory database would lose every record when the app closes; give a file."
        )
    authority = rest.split("/", 1)[0]
    if "@" in authority and ":" in authority.rsplit("@", 1)[0]:
        raise PreferenceError(
            "Leave the password out of the address: the app reads it from CLINIC_APP_DATABASE_PASSWORD "
            "or ~/.pgpass, so it is never written to the settings file."
        )
    return value


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
        return (("", "(none)"), *_choice_ids("diastasis.method"))
    if name == "ird_unit":
        return (("", "(none)"), *_choice_ids("diastasis.unit"))
    return BY_NAME[name].choices


# --- defaults, load, save ------------------------------------------------------------------------


def config_folder() -> Path:
    """The per-user config folder (the one that holds the user letterhead the reports read)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


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


def connection_url(text: Any) -> str:
    """The URL "Test connection" tries for what is typed: a file path becomes a SQLite URL.

    Unlike :func:`parse_database_url` a password is allowed here: it is used for the check only and
    is never saved.

    Raises:
        PreferenceError: a relative path or a folder.
    """
    value = str(text or "").strip()
    if "://" in value or not value:
        return value
    return parse_database_url(value)
