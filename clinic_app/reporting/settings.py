"""Read the report settings from ``reports/``: page layout, colours and the clinic letterhead.

Layout lives in ``layout.toml`` and the letterhead in ``letterhead.toml``; a clinic replaces either
by passing its own file. Everything read here is plain data, so a renderer can be tested with
hand-made settings and a worker process can receive them pickled.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinic_app.resources import reports_folder

PAGE_SIZES = ("A4", "Letter")
DEFAULT_PALETTE = ("#1f5f7a", "#c2571a", "#2f6b3a", "#7a3e9d", "#8a5a00", "#a3221b", "#4a5568", "#2456a6")
DEFAULT_CLINIC_NAME = "Physiotherapy clinic"


class SettingsError(ValueError):
    """A settings file is unreadable or holds a value the renderer cannot use."""


@dataclass(frozen=True, slots=True)
class OutcomeStyle:
    """How one outcome is marked: a colour and a drawn symbol (never the colour alone)."""

    colour: str
    symbol: str


@dataclass(frozen=True, slots=True)
class TrendSpec:
    """One trend chart of the clinician report: which values to plot over the visits."""

    title: str
    series: tuple[str, ...]
    legend: tuple[str, ...]
    unit: str = ""
    unit_from: str = ""
    reference_line: float | None = None
    reference_label: str = ""
    reference_rule: str = ""
    """``RULE.check`` (or ``RULE.*`` for a check per recorded unit) of the protocol threshold the
    window's trend chart draws; its value and rule id come from the protocol, not from this file."""


@dataclass(frozen=True, slots=True)
class Layout:
    """Page size, margins (mm), type size, colours and per-outcome marks."""

    page_size: str = "A4"
    margins_mm: tuple[float, float, float, float] = (20.0, 18.0, 18.0, 18.0)
    """Top, right, bottom, left."""
    header_height_mm: float = 24.0
    base_size: float = 9.5
    leading_ratio: float = 1.3
    colours: Mapping[str, str] = field(default_factory=dict)
    outcomes: Mapping[str, OutcomeStyle] = field(default_factory=dict)
    symmetry_forms: tuple[str, ...] = ()
    timed_fields: tuple[str, ...] = ()
    derived_shown_elsewhere: tuple[str, ...] = ()
    """Patterns (``fnmatch``) of computed values another section of the summary already prints."""
    trends: tuple[TrendSpec, ...] = ()
    palette: tuple[str, ...] = DEFAULT_PALETTE
    """Line colours of the trend charts, in series order (lines also differ by marker)."""

    def colour(self, name: str, default: str = "#000000") -> str:
        """Return the colour called ``name`` (``#rrggbb``), or ``default`` when not set."""
        return self.colours.get(name, default)


@dataclass(frozen=True, slots=True)
class Addressee:
    """Who a referral letter is addressed to: a name (person or department) and address lines."""

    name: str = ""
    address: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The clinic identity printed at the top of every report."""

    name: str = DEFAULT_CLINIC_NAME
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    logo: Path | None = None
    referral_addresses: tuple[tuple[str, Addressee], ...] = ()
    """The services the clinic refers to (``[referral.KEY]`` in the file, KEY as in the referral
    wording's recipients: ``gp``, ``urogynaecology``, ``perineal`` …); pairs keep it hashable."""
    addressee: Addressee | None = None
    """A one-off addressee typed when a referral letter is printed; it wins over the saved ones."""

    def referral_address(self, key: str) -> Addressee | None:
        """Return the addressee of one referral service: the one typed for this letter, else the saved one."""
        if self.addressee is not None and (self.addressee.name or self.addressee.address):
            return self.addressee
        return dict(self.referral_addresses).get(key)


def _read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning syntax and file errors into :class:`SettingsError`."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SettingsError(f"settings file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from exc


def default_layout_path() -> Path:
    """Return the bundled ``layout.toml``."""
    return Path(str(reports_folder() / "layout.toml"))


def default_letterhead_path() -> Path:
    """Return the bundled ``letterhead.toml``."""
    return Path(str(reports_folder() / "letterhead.toml"))


def load_layout(path: Path | None = None, *, page_size: str | None = None) -> Layout:
    """Load the page layout, optionally forcing the page size.

    Args:
        path: a layout TOML file; the bundled one when None.
        page_size: ``"A4"`` or ``"Letter"`` to override the file's choice.

    Raises:
        SettingsError: for an unreadable file or an unknown page size.
    """
    data = _read_toml(path or default_layout_path())
    page = data.get("page", {})
    size = page_size or str(page.get("size", "A4"))
    if size not in PAGE_SIZES:
        raise SettingsError(f"page size '{size}' is not one of {', '.join(PAGE_SIZES)}")
    type_ = data.get("type", {})
    outcomes = {
        status: OutcomeStyle(str(spec["colour"]), str(spec["symbol"]))
        for status, spec in data.get("outcome", {}).items()
    }
    symmetry = data.get("symmetry", {})
    trends = tuple(
        TrendSpec(
            title=str(item["title"]),
            series=tuple(item["series"]),
            legend=tuple(item.get("legend", item["series"])),
            unit=str(item.get("unit", "")),
            unit_from=str(item.get("unit_from", "")),
            reference_line=float(item["reference_line"]) if "reference_line" in item else None,
            reference_label=str(item.get("reference_label", "")),
            reference_rule=str(item.get("reference_rule", "")),
        )
        for item in data.get("trend", [])
    )
    return Layout(
        page_size=size,
        margins_mm=(
            float(page.get("margin_top_mm", 20)),
            float(page.get("margin_right_mm", 18)),
            float(page.get("margin_bottom_mm", 18)),
            float(page.get("margin_left_mm", 18)),
        ),
        header_height_mm=float(page.get("header_height_mm", 24)),
        base_size=float(type_.get("base_size", 9.5)),
        leading_ratio=float(type_.get("leading_ratio", 1.3)),
        colours={str(k): str(v) for k, v in data.get("colours", {}).items()},
        outcomes=outcomes,
        symmetry_forms=tuple(symmetry.get("forms", ())),
        timed_fields=tuple(symmetry.get("timed_fields", ())),
        derived_shown_elsewhere=tuple(str(p) for p in data.get("derived", {}).get("shown_elsewhere", ())),
        trends=trends,
        palette=tuple(str(c) for c in data.get("chart", {}).get("palette", DEFAULT_PALETTE)),
    )


def load_letterhead(path: Path | None = None) -> Letterhead:
    """Load the clinic letterhead; a relative logo path is resolved beside the file.

    Missing keys fall back to neutral defaults so a half-filled file still prints. A logo that
    does not exist is dropped rather than failing the whole report.

    Raises:
        SettingsError: for an unreadable file or a value of the wrong type.
    """
    source = path or default_letterhead_path()
    data = _read_toml(source)
    clinic = data.get("clinic", {})
    if not isinstance(clinic, dict):
        raise SettingsError(f"{source}: [clinic] must be a table")
    address = clinic.get("address", [])
    if isinstance(address, str):
        address = [line.strip() for line in address.split("\n") if line.strip()]
    if not isinstance(address, list) or not all(isinstance(line, str) for line in address):
        raise SettingsError(f"{source}: clinic.address must be a list of lines")
    logo: Path | None = None
    logo_name = clinic.get("logo")
    if isinstance(logo_name, str) and logo_name:
        candidate = Path(logo_name)
        if not candidate.is_absolute():
            candidate = source.parent / candidate
        logo = candidate if candidate.is_file() else None
    return Letterhead(
        referral_addresses=_referral_addresses(source, data.get("referral", {})),
        name=str(clinic.get("name", DEFAULT_CLINIC_NAME)),
        address=tuple(address),
        phone=str(clinic.get("phone", "")),
        email=str(clinic.get("email", "")),
        website=str(clinic.get("website", "")),
        logo=logo,
    )


def _referral_addresses(source: Path, table: Any) -> tuple[tuple[str, Addressee], ...]:
    """Read ``[referral.KEY]`` tables (``name`` and ``address`` lines) into addressees.

    Raises:
        SettingsError: a table or value of the wrong type.
    """
    if not isinstance(table, dict):
        raise SettingsError(f"{source}: [referral] must hold one table per service")
    out: list[tuple[str, Addressee]] = []
    for key, entry in table.items():
        if not isinstance(entry, dict):
            raise SettingsError(f"{source}: referral.{key} must be a table with name and address")
        address = entry.get("address", [])
        if isinstance(address, str):
            address = [line.strip() for line in address.split("\n") if line.strip()]
        if not isinstance(address, list) or not all(isinstance(line, str) for line in address):
            raise SettingsError(f"{source}: referral.{key}.address must be a list of lines")
        out.append((str(key), Addressee(str(entry.get("name", "")), tuple(address))))
    return tuple(out)
