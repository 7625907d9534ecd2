"""Typed identifiers, so a patient id can never be passed where a visit id is expected."""

from __future__ import annotations

from typing import NewType

PatientId = NewType("PatientId", str)
VisitId = NewType("VisitId", str)
ClinicianId = NewType("ClinicianId", str)
FieldPath = NewType("FieldPath", str)
"""Dotted path of one recorded value: ``form.field`` or ``form.field.side`` (``left``/``right``)."""
