"""Protocol files shipped with the package (``default.toml``), found through importlib.resources."""

from __future__ import annotations
