"""Composite indexes for patient search: each prefix branch carries the sort keys.

The name search ORs prefix ranges on the family name, the given names and the record number, then
sorts by family name, given names and id. With the archived flag first and the sort keys after the
searched key, SQLite answers each branch from one index without a separate lookup per match; the
storage benchmark measured the raw query about four times faster on 100,000 patients.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_patients_search_family", "patients", ["archived", "family_key", "given_key", "id"])
    op.create_index("ix_patients_search_given", "patients", ["archived", "given_key", "family_key", "id"])
    op.create_index(
        "ix_patients_search_record", "patients", ["archived", "record_key", "family_key", "given_key", "id"]
    )
    op.create_index("ix_patients_search_id", "patients", ["archived", "id", "family_key", "given_key"])


def downgrade() -> None:
    raise NotImplementedError("Clinical databases are never downgraded; restore a backup instead.")
