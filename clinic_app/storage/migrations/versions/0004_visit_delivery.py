"""Each visit belongs to one delivery: ``visits.delivery_id``, back-filled for existing visits.

A patient with a second pregnancy has visits after two births. Until now a visit was timed from the
latest birth on or before its date, worked out again at every read, so the follow-up comparison and
the trend charts mixed visits of both pregnancies (and a chart timed the earlier ones from the later
birth, which crashed the clinician summary). The link is stored now; existing visits get the birth
they were timed from: the latest delivery of the patient on or before the visit date (the latest
recorded one when two share a date). Visits of a patient with no birth on or before them keep NULL
and are linked when the birth is recorded.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


_FK_NAME = "fk_visits_delivery_id_deliveries"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a nullable column with its REFERENCES clause in place. A batch "move and copy"
        # would drop and rebuild the visits table, which the foreign keys of result values,
        # decisions and reports (enforced on every connection) refuse inside the transaction.
        op.execute(
            f"ALTER TABLE visits ADD COLUMN delivery_id INTEGER CONSTRAINT {_FK_NAME} "
            "REFERENCES deliveries (id)"
        )
    else:
        op.add_column("visits", sa.Column("delivery_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(_FK_NAME), "visits", "deliveries", ["delivery_id"], ["id"])
    op.create_index(op.f("ix_visits_delivery_id"), "visits", ["delivery_id"])

    visits = sa.table(
        "visits",
        sa.column("id", sa.String),
        sa.column("patient_id", sa.String),
        sa.column("visit_date", sa.Date),
        sa.column("delivery_id", sa.Integer),
    )
    deliveries = sa.table(
        "deliveries",
        sa.column("id", sa.Integer),
        sa.column("patient_id", sa.String),
        sa.column("delivery_date", sa.Date),
    )
    latest = (
        sa.select(deliveries.c.id)
        .where(
            deliveries.c.patient_id == visits.c.patient_id,
            deliveries.c.delivery_date <= visits.c.visit_date,
        )
        .order_by(deliveries.c.delivery_date.desc(), deliveries.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    op.get_bind().execute(visits.update().values(delivery_id=latest))


def downgrade() -> None:
    raise NotImplementedError("Clinical databases are never downgraded; restore a backup instead.")
