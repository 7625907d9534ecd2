"""The services hand out plain frozen data only: no ORM rows, nothing that needs an open session."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import typing

import pytest

from clinic_app.services import patients, visits
from clinic_app.services.changes import Changes
from clinic_app.services.dto import PatientFile, VisitSummary
from clinic_app.services.session import SignedIn
from clinic_app.storage import models
from clinic_app.storage.database import Database

from .conftest import PATIENT, TODAY

SERVICE_MODULES = ("patients", "visits", "decisions", "records", "demo", "clinic")
ORM_CLASSES = {obj for _, obj in inspect.getmembers(models, inspect.isclass) if issubclass(obj, models.Base)}


def _mentions_orm(hint: object) -> bool:
    if hint in ORM_CLASSES:
        return True
    return any(_mentions_orm(arg) for arg in typing.get_args(hint))


@pytest.mark.parametrize("module_name", SERVICE_MODULES)
def test_no_public_service_returns_an_orm_row(module_name: str) -> None:
    """Every public function's return annotation is free of ORM classes (STYLE.md habit 3)."""
    module = importlib.import_module(f"clinic_app.services.{module_name}")
    checked = 0
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or function.__module__ != module.__name__:
            continue
        hints = typing.get_type_hints(function)
        assert not _mentions_orm(hints.get("return")), f"{module_name}.{name} returns an ORM object"
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("cls", [Changes, PatientFile, VisitSummary])
def test_handed_out_types_are_frozen(cls: type) -> None:
    """Changes and DTOs are frozen dataclasses, so a view cannot change what a service returned."""
    params = getattr(cls, "__dataclass_params__", None)
    assert dataclasses.is_dataclass(cls) and params is not None and params.frozen


def test_patient_file_is_usable_after_the_database_closes(clinic: Database, user: SignedIn) -> None:
    """A patient file opened before the database is disposed still shows every value (no lazy loads)."""
    visits.create_visit(
        clinic,
        PATIENT,
        dt.date(2026, 9, 1),
        user=user,
        visit_id="V-A",
        today=TODAY,
    )
    opened = patients.open_patient(clinic, PATIENT)
    clinic.dispose()
    assert opened.patient.display_name == "Zoë Ní Bhriain"
    assert [s.clinician_name for s in opened.summaries] == ["Alex Byrne"]


def test_visit_before_any_birth_has_no_weeks_postpartum() -> None:
    """A visit dated before every recorded birth shows no weeks postpartum rather than a negative number."""
    from clinic_app.domain.enums import DeliveryMode, VisitStatus
    from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
    from clinic_app.domain.model import Delivery, Visit
    from clinic_app.services.dto import visit_summaries

    visit = Visit(
        VisitId("V-1"), PatientId("P-1"), dt.date(2026, 5, 1), ClinicianId("C-1"), VisitStatus.DRAFT
    )
    birth = Delivery(dt.date(2026, 6, 1), DeliveryMode.SPONTANEOUS_VAGINAL)
    (summary,) = visit_summaries([visit], {"C-1": "Alex Byrne"}, {}, deliveries=[birth])
    assert summary.weeks_postpartum is None and summary.proposed_status is None
