"""Report wording from ``reports/wording/*.toml``: every printed sentence is data, not code.

A :class:`Wording` wraps one report kind's table plus the shared ``common.toml`` and fills
``{placeholders}``. A missing key is a bug in the wording file, so it raises instead of
printing an empty line.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic_app.resources import reports_folder

KINDS = ("patient", "clinician", "referral")


class WordingError(KeyError):
    """A wording key the renderer needs is missing from the wording files."""


@dataclass(frozen=True, slots=True)
class Wording:
    """The wording of one report kind plus the shared vocabulary."""

    kind: str
    table: Mapping[str, Any]
    common: Mapping[str, Any]

    def raw(self, key: str) -> Any:
        """Return the value at a dotted ``key`` (``outcome.READY.title``) of the kind's table."""
        return _lookup(self.table, key, f"{self.kind}.toml")

    def text(self, key: str, **values: object) -> str:
        """Return the sentence at ``key`` with its ``{placeholders}`` filled from ``values``."""
        template = self.raw(key)
        if not isinstance(template, str):
            raise WordingError(f"{self.kind}.toml: '{key}' is not a sentence")
        return template.format(**values) if values else template

    def lines(self, key: str) -> tuple[str, ...]:
        """Return the list of sentences at ``key``."""
        value = self.raw(key)
        if not isinstance(value, list):
            raise WordingError(f"{self.kind}.toml: '{key}' is not a list")
        return tuple(str(item) for item in value)

    def common_text(self, key: str, **values: object) -> str:
        """Return a shared sentence from ``common.toml``."""
        template = _lookup(self.common, key, "common.toml")
        return str(template).format(**values) if values else str(template)

    def term(self, table: str, key: str) -> str:
        """Return a shared vocabulary term, or the id itself when the table lacks it."""
        section = self.common.get(table, {})
        value = section.get(key) if isinstance(section, Mapping) else None
        return str(value) if value is not None else key.replace("_", " ")


def _lookup(table: Mapping[str, Any], key: str, filename: str) -> Any:
    """Walk a dotted key through nested tables."""
    node: Any = table
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise WordingError(f"{filename}: missing wording '{key}'")
        node = node[part]
    return node


def wording_dir() -> Path:
    """Return the bundled wording folder."""
    return Path(str(reports_folder() / "wording"))


def load_wording(kind: str, folder: Path | None = None) -> Wording:
    """Load the wording for ``kind`` (``patient``, ``clinician`` or ``referral``).

    Raises:
        ValueError: for an unknown kind.
        FileNotFoundError: when a wording file is missing.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown report kind '{kind}'")
    base = folder or wording_dir()
    with (base / f"{kind}.toml").open("rb") as handle:
        table = tomllib.load(handle)
    with (base / "common.toml").open("rb") as handle:
        common = tomllib.load(handle)
    return Wording(kind, table, common)
