"""Core tables: clinicians, patients, deliveries, visits, result values, decisions, audit events.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.base import JSON_VALUE, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clinicians",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("profession", sa.String(200), nullable=False),
        sa.Column("registration", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinicians")),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("family_name", sa.String(200), nullable=False),
        sa.Column("given_names", sa.String(200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("record_number", sa.String(60), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
    )
    op.create_index(op.f("ix_patients_date_of_birth"), "patients", ["date_of_birth"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("patient_id", sa.String(40), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(40), nullable=False),
        sa.Column("perineal_trauma", sa.String(40), nullable=False),
        sa.Column("parity", sa.Integer(), nullable=False),
        sa.CheckConstraint("parity >= 1", name=op.f("ck_deliveries_parity_positive")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_deliveries_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    op.create_index(op.f("ix_deliveries_patient_id"), "deliveries", ["patient_id"])
    op.create_table(
        "visits",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("patient_id", sa.String(40), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("clinician_id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("amends_id", sa.String(40), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(40), nullable=False),
        sa.Column("signed_at", UTCDateTime(), nullable=True),
        sa.Column("signed_by", sa.String(40), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'signed', 'amended')", name=op.f("ck_visits_status_known")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_visits_patient_id_patients")),
        sa.ForeignKeyConstraint(["clinician_id"], ["clinicians.id"],
                                name=op.f("fk_visits_clinician_id_clinicians")),
        sa.ForeignKeyConstraint(["amends_id"], ["visits.id"], name=op.f("fk_visits_amends_id_visits")),
        sa.ForeignKeyConstraint(["signed_by"], ["clinicians.id"], name=op.f("fk_visits_signed_by_clinicians")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    op.create_index(op.f("ix_visits_patient_id"), "visits", ["patient_id"])
    op.create_table(
        "result_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("visit_id", sa.String(40), nullable=False),
        sa.Column("field_path", sa.String(120), nullable=False),
        sa.Column("side", sa.String(20), nullable=False),
        sa.Column("value", JSON_VALUE, nullable=False),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("method", sa.String(60), nullable=False),
        sa.CheckConstraint("side IN ('', 'left', 'right', 'missing_reason')",
                           name=op.f("ck_result_values_side_known")),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_result_values_visit_id_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_values")),
        sa.UniqueConstraint("visit_id", "field_path", "side", name="uq_result_values_visit_field_side"),
    )
    op.create_index(op.f("ix_result_values_visit_id"), "result_values", ["visit_id"])
    op.create_table(
        "decision_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("visit_id", sa.String(40), nullable=False),
        sa.Column("protocol_id", sa.String(80), nullable=False),
        sa.Column("protocol_version", sa.String(40), nullable=False),
        sa.Column("proposed_status", sa.String(40), nullable=False),
        sa.Column("decision", JSON_VALUE, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("overrides", JSON_VALUE, nullable=False),
        sa.Column("final_status", sa.String(40), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(40), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("action IN ('confirmed', 'overridden')", name=op.f("ck_decision_records_action_known")),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_decision_records_visit_id_visits")),
        sa.ForeignKeyConstraint(["decided_by"], ["clinicians.id"],
                                name=op.f("fk_decision_records_decided_by_clinicians")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_records")),
    )
    op.create_index(op.f("ix_decision_records_visit_id"), "decision_records", ["visit_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.String(40), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(80), nullable=False),
        sa.Column("before", JSON_VALUE, nullable=True),
        sa.Column("after", JSON_VALUE, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_occurred_at"), "audit_events", ["occurred_at"])
    op.create_index("ix_audit_events_entity", "audit_events", ["entity", "entity_id"])


def downgrade() -> None:
    raise NotImplementedError("Clinical databases are never downgraded; restore a backup instead.")
