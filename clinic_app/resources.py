"""Locate the clinical data folders (``forms/``, ``reports/``) in a checkout or an installed copy.

The folders live at the top of the repository so clinicians can edit them, and the wheel ships them
as the resource packages ``clinic_app._bundled.forms`` and ``clinic_app._bundled.reports``. Code asks
this module for a folder and never builds the path itself, so both layouts work. Standard library
only: every layer may import it.
"""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def _folder(name: str) -> Traversable:
    """Return the bundled resource folder ``name``, preferring the installed package.

    Args:
        name: ``"forms"`` or ``"reports"``.

    Returns:
        A traversable folder; a real ``Path`` when running from a source checkout.

    Raises:
        FileNotFoundError: if neither the installed resource nor the checkout folder exists.
    """
    try:
        bundled = importlib.resources.files(f"clinic_app._bundled.{name}")
        if bundled.is_dir():
            return bundled
    except ModuleNotFoundError:
        pass
    checkout = _CHECKOUT_ROOT / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"The {name}/ folder is missing from this installation of RunReady Clinic.")


def forms_folder() -> Traversable:
    """Return the folder of declarative assessment forms (one TOML file per battery)."""
    return _folder("forms")


def reports_folder() -> Traversable:
    """Return the folder of report wording, layout settings, letterhead and fonts."""
    return _folder("reports")
