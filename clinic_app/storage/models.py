"""Typed SQLAlchemy models of the clinic database.

One class per table. Rows never leave a unit of work: repositories convert them to domain objects or
service DTOs before the session closes. Clinical rows are never deleted: patients are archived,
signed visits are read-only and amendments point at the visit they replace.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_app.storage.base import JSON_VALUE, Base, key_string, search_key, utcnow

VISIT_STATUSES = ("draft", "signed", "amended")
RESULT_SIDES = ("", "left", "right", "missing_reason")
"""Suffix of a stored value: none, a limb side, or the reason one side of a sided field is missing."""


class ClinicianRow(Base):
    """A clinician profile; the password hash (argon2) guards sign-off and overrides."""

    __tablename__ = "clinicians"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    profession: Mapped[str] = mapped_column(String(200), default="Pelvic-health physiotherapist")
    registration: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"ClinicianRow(id={self.id!r}, name={self.name!r})"


class PatientRow(Base):
    """A patient; ``*_key`` columns hold folded text for indexed prefix search."""

    __tablename__ = "patients"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[dt.date] = mapped_column(Date, index=True)
    record_number: Mapped[str] = mapped_column(String(60), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    family_key: Mapped[str] = mapped_column(key_string(200), default="", server_default="", index=True)
    given_key: Mapped[str] = mapped_column(key_string(200), default="", server_default="", index=True)
    record_key: Mapped[str] = mapped_column(key_string(60), default="", server_default="", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    deliveries: Mapped[list[DeliveryRow]] = relationship(
        back_populates="patient", order_by="DeliveryRow.delivery_date", cascade="save-update, merge"
    )
    visits: Mapped[list[VisitRow]] = relationship(
        back_populates="patient", order_by="VisitRow.visit_date", cascade="save-update, merge"
    )

    __table_args__ = (
        # Search by name or record number on active patients: the searched key, then the sort keys
        # (migration 0003 explains the choice).
        Index("ix_patients_search_family", "archived", "family_key", "given_key", "id"),
        Index("ix_patients_search_given", "archived", "given_key", "family_key", "id"),
        Index("ix_patients_search_record", "archived", "record_key", "family_key", "given_key", "id"),
        Index("ix_patients_search_id", "archived", "id", "family_key", "given_key"),
    )

    def refresh_keys(self) -> None:
        """Recompute the search keys from the names and record number (call after any edit)."""
        self.family_key = search_key(self.family_name)
        self.given_key = search_key(self.given_names)
        self.record_key = search_key(self.record_number)

    def __repr__(self) -> str:
        return f"PatientRow(id={self.id!r}, family_name={self.family_name!r}, archived={self.archived!r})"


class DeliveryRow(Base):
    """A birth of the patient; the most recent one anchors the time gate."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    delivery_date: Mapped[dt.date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(40))
    perineal_trauma: Mapped[str] = mapped_column(String(40), default="none")
    parity: Mapped[int] = mapped_column(Integer, default=1)

    patient: Mapped[PatientRow] = relationship(back_populates="deliveries")

    __table_args__ = (CheckConstraint("parity >= 1", name="parity_positive"),)

    def __repr__(self) -> str:
        return f"DeliveryRow(patient_id={self.patient_id!r}, delivery_date={self.delivery_date!r})"


class VisitRow(Base):
    """One assessment session after one birth; ``version`` is SQLAlchemy's optimistic-concurrency counter."""

    __tablename__ = "visits"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date)
    clinician_id: Mapped[str] = mapped_column(ForeignKey("clinicians.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    amends_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"), default=None)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"), default=None, index=True)
    """The birth this visit follows up (migration 0004); NULL only while no birth on or before the
    visit date is recorded."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(40))
    signed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    signed_by: Mapped[str | None] = mapped_column(ForeignKey("clinicians.id"), default=None)

    patient: Mapped[PatientRow] = relationship(back_populates="visits")
    results: Mapped[list[ResultRow]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="ResultRow.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (read by SQLAlchemy at class creation)
    __table_args__ = (CheckConstraint("status IN ('draft', 'signed', 'amended')", name="status_known"),)

    def __repr__(self) -> str:
        return f"VisitRow(id={self.id!r}, status={self.status!r}, version={self.version!r})"


class ResultRow(Base):
    """One recorded value of a visit: ``field_path`` is ``form.field``; ``side`` the suffix.

    ``value`` keeps the JSON value exactly as entered (so booleans, whole numbers and decimals stay
    distinct); ``value_number`` repeats numeric values for queries and trends.
    """

    __tablename__ = "result_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    field_path: Mapped[str] = mapped_column(String(120))
    side: Mapped[str] = mapped_column(String(20), default="")
    value: Mapped[Any] = mapped_column(JSON_VALUE)
    value_number: Mapped[float | None] = mapped_column(Float, default=None)
    unit: Mapped[str] = mapped_column(String(40), default="")
    method: Mapped[str] = mapped_column(String(60), default="")

    visit: Mapped[VisitRow] = relationship(back_populates="results")

    __table_args__ = (
        UniqueConstraint("visit_id", "field_path", "side", name="uq_result_values_visit_field_side"),
        CheckConstraint("side IN ('', 'left', 'right', 'missing_reason')", name="side_known"),
    )

    def __repr__(self) -> str:
        return f"ResultRow(visit_id={self.visit_id!r}, field_path={self.field_path!r}, side={self.side!r})"


class DecisionRow(Base):
    """The engine's proposal for a visit and the clinician's confirmation or override of it."""

    __tablename__ = "decision_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    protocol_id: Mapped[str] = mapped_column(String(80))
    protocol_version: Mapped[str] = mapped_column(String(40))
    proposed_status: Mapped[str] = mapped_column(String(40))
    decision: Mapped[Any] = mapped_column(JSON_VALUE)
    action: Mapped[str] = mapped_column(String(20))
    overrides: Mapped[Any] = mapped_column(JSON_VALUE)
    final_status: Mapped[str] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(ForeignKey("clinicians.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (CheckConstraint("action IN ('confirmed', 'overridden')", name="action_known"),)

    def __repr__(self) -> str:
        return f"DecisionRow(visit_id={self.visit_id!r}, final_status={self.final_status!r})"


class ReportRow(Base):
    """A report file issued for a visit: its SHA-256 (so a copy can be verified) and, when kept, its bytes."""

    __tablename__ = "report_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(ForeignKey("clinicians.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, default=None)
    """The PDF's bytes (revision 0005 on), or None for a record of a file the clinic did not keep.

    Deferred: listing a visit's reports never reads the files."""

    def __repr__(self) -> str:
        return f"ReportRow(visit_id={self.visit_id!r}, kind={self.kind!r}, sha256={self.sha256[:12]!r})"


class AuditRow(Base):
    """An append-only audit event: who did what to which record, with before/after images."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    before: Mapped[Any] = mapped_column(JSON_VALUE, default=None, nullable=True)
    after: Mapped[Any] = mapped_column(JSON_VALUE, default=None, nullable=True)

    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)

    def __repr__(self) -> str:
        return f"AuditRow(action={self.action!r}, entity={self.entity!r}, entity_id={self.entity_id!r})"
