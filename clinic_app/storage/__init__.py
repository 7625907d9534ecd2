"""Persistence: SQLAlchemy models, sessions, Alembic migrations, audit trail and repositories.

Only this package imports SQLAlchemy and Alembic. It depends on the domain alone: services hand it
plain values and JSON-ready dictionaries, and it hands back domain objects, never ORM rows, outside a
unit of work. See ``docs/design/storage.md`` for the public functions and the decisions behind them.
"""

from __future__ import annotations
