"""Patient search keys (folded names, record number) with indexes, and report records.

Existing patients get their keys computed here, so a database created by revision 0001 is
searchable after the upgrade.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.base import UTCDateTime, key_string

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def _key(text: str) -> str:
    # Frozen copy of the 0002-era folding rule: a migration must not change if the app's rule does.
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    stripped = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_FOLDS).split())


def upgrade() -> None:
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("family_key", key_string(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("given_key", key_string(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("record_key", key_string(60), nullable=False, server_default=""))

    patients = sa.table(
        "patients",
        sa.column("id", sa.String),
        sa.column("family_name", sa.String),
        sa.column("given_names", sa.String),
        sa.column("record_number", sa.String),
        sa.column("family_key", sa.String),
        sa.column("given_key", sa.String),
        sa.column("record_key", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(patients.c.id, patients.c.family_name, patients.c.given_names,
                                  patients.c.record_number)).all()
    for row in rows:
        bind.execute(
            patients.update().where(patients.c.id == row.id).values(
                family_key=_key(row.family_name), given_key=_key(row.given_names),
                record_key=_key(row.record_number),
            )
        )

    op.create_index(op.f("ix_patients_family_key"), "patients", ["family_key"])
    op.create_index(op.f("ix_patients_given_key"), "patients", ["given_key"])
    op.create_index(op.f("ix_patients_record_key"), "patients", ["record_key"])

    op.create_table(
        "report_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("visit_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_report_records_visit_id_visits")),
        sa.ForeignKeyConstraint(["created_by"], ["clinicians.id"],
                                name=op.f("fk_report_records_created_by_clinicians")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_records")),
    )
    op.create_index(op.f("ix_report_records_visit_id"), "report_records", ["visit_id"])


def downgrade() -> None:
    raise NotImplementedError("Clinical databases are never downgraded; restore a backup instead.")
