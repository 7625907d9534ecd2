"""Command-line front end: the same services as the desktop window, without a window."""

from __future__ import annotations
