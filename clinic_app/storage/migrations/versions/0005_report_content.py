"""The clinic keeps each issued report's PDF: ``report_records.content``, nullable.

Until now a report record held only the SHA-256, name, issuer and time of the file, so an export
could carry the records but never the PDFs. New records keep the bytes (a BLOB on SQLite, bytea on
PostgreSQL); records written before this revision keep NULL and stay valid, as a record of a file
the clinic did not keep.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Adding a nullable column needs no table rebuild: batch mode issues ALTER TABLE … ADD COLUMN on
    # SQLite too, so the rows (and the foreign keys pointing at visits) are left as they are.
    with op.batch_alter_table("report_records") as batch:
        batch.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("Clinical databases are never downgraded; restore a backup instead.")
