"""Test-wide configuration: headless Qt and no access to the user's real data folder."""

from __future__ import annotations

import os

# Qt must never try to open a display in tests; set before any PySide6 import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
