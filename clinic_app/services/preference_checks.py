"""The checks of the clinic's preferences: each turns what was typed into a stored value or refuses it.

Every check raises :class:`PreferenceError` with the message shown at its field. The declarations in
:mod:`clinic_app.services.preference_fields` name one check per preference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clinic_app.reporting.settings import PAGE_SIZES
from clinic_app.services.clinic import forms

LOGO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAGIC = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",)}
UI_SCALE_RANGE = (0.75, 2.0)
TEXT_LIMIT = 120
ADDRESS_LINES = 6
PHONE_CHARACTERS = set("0123456789 +()-./")
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg", "postgres")


class PreferenceError(ValueError):
    """A typed value cannot be used; ``str(error)`` is the message shown at its field."""


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


def choice_ids(path: str) -> tuple[tuple[str, str], ...]:
    """The (id, label) choices of a form field (``diastasis.method``); empty when the forms lack it."""
    spec = forms().field_by_path(path)
    return tuple((choice.id, choice.label) for choice in spec.choices) if spec else ()


def _parse_choice(text: Any, path: str, label: str) -> str:
    value = str(text or "").strip()
    ids = [choice for choice, _ in choice_ids(path)]
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
