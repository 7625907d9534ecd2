"""Alembic environment: runs only inside :func:`clinic_app.storage.migrate.migrate`.

The caller passes an open connection in ``config.attributes["connection"]``, so the migration uses
the engine the app already configured (SQLite pragmas, PostgreSQL driver) and its transaction.
"""

from __future__ import annotations

from alembic import context

from clinic_app.storage import models  # noqa: F401  (registers every table on Base.metadata)
from clinic_app.storage.base import Base

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("Migrations run through clinic_app.storage.migrate.migrate(engine), online only.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
