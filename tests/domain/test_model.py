"""Tests for the plain domain records in clinic_app.domain.model."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic_app.domain.derived import bmi
from clinic_app.domain.enums import DeliveryMode, PerinealTrauma, Side
from clinic_app.domain.ids import FieldPath, PatientId
from clinic_app.domain.model import Patient, Results, side_path


def test_results_is_a_real_mapping() -> None:
    """Results behaves as a read-only mapping, including the values() method."""
    results = Results({FieldPath("strength.calf_raise.left"): 22, FieldPath("symptoms.heaviness"): False})
    assert len(results) == 2
    assert sorted(map(str, results.values())) == ["22", "False"]
    assert dict(results.items())[FieldPath("strength.calf_raise.left")] == 22


def test_results_typed_getters_reject_other_kinds() -> None:
    """number/text/flag/choices return None or empty for a value of another kind."""
    results = Results({FieldPath("a.flag"): True, FieldPath("a.num"): 3, FieldPath("a.many"): ("x", "y")})
    assert results.number("a.flag") is None
    assert results.number("a.num") == 3.0
    assert results.text("a.num") is None
    assert results.flag("a.flag") is True
    assert results.choices("a.many") == ("x", "y")
    assert results.choices("a.num") == ()


def test_results_number_treats_huge_integers_as_not_a_measurement() -> None:
    """An integer too large for a float reads as absent instead of raising OverflowError."""
    assert Results({FieldPath("a.b"): 10**400}).number("a.b") is None


def test_results_sided_and_with_values() -> None:
    """sided() collects both sides; with_values() adds and removes without touching the original."""
    base = Results({side_path("strength.bridge", Side.LEFT): 18})
    changed = base.with_values({"strength.bridge.right": 21, "strength.bridge.left": None})
    assert base.sided("strength.bridge") == {Side.LEFT: 18.0}
    assert changed.sided("strength.bridge") == {Side.RIGHT: 21.0}
    assert changed.form("strength") == {"strength.bridge.right": 21}


def test_delivery_mode_and_trauma_categories() -> None:
    """Delivery modes and tears fall into the categories the risk rules rely on."""
    assert DeliveryMode.INSTRUMENTAL_FORCEPS.is_vaginal and DeliveryMode.INSTRUMENTAL_VACUUM.is_instrumental
    assert DeliveryMode.EMERGENCY_CAESAREAN.is_caesarean and not DeliveryMode.PLANNED_CAESAREAN.is_vaginal
    assert PerinealTrauma.FOURTH_DEGREE.is_oasi and not PerinealTrauma.SECOND_DEGREE.is_oasi


def test_patient_display_name_keeps_accents() -> None:
    """Names print as given, accents and all."""
    patient = Patient(PatientId("P1"), "Ní Bhriain", "Zoë", dt.date(1991, 4, 2))
    assert patient.display_name == "Zoë Ní Bhriain"


def test_bmi_rejects_a_height_whose_square_underflows() -> None:
    """A vanishing height is refused with ValueError, not ZeroDivisionError."""
    with pytest.raises(ValueError, match="too small"):
        bmi(60, 1e-200)
