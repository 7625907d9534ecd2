"""Alembic migration scripts, shipped inside the package so an installed app can upgrade its database."""

from __future__ import annotations
