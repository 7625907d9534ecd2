"""The desktop window (PySide6): the only package that imports Qt.

A thin, passive layer over :mod:`clinic_app.services`: it collects values as plain data, asks the
services and shows what they say (``docs/design/window.md``).
"""

from __future__ import annotations
