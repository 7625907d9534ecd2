"""Widgets built from the form files: the registry, the field widgets and the declared layouts."""

from __future__ import annotations
