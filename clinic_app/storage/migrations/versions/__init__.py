"""Alembic revisions, oldest first (``0001`` core tables, ``0002`` search keys and report records)."""

from __future__ import annotations
