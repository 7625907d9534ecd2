"""PDF reports of a visit: the patient report, the clinician summary and the referral letter.

Plain data in (:class:`ReportInput`), PDF bytes out. No database, no Qt: the service layer gathers
the data, the renderers here only print it. Wording, layout and letterhead are read from
``reports/``.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any

from clinic_app.reporting.inputs import (
    FieldInfo,
    FormInfo,
    ReferralNotNeededError,
    ReportInput,
    ReportKind,
)
from clinic_app.reporting.settings import Layout, Letterhead, SettingsError, load_layout, load_letterhead

if TYPE_CHECKING:
    from clinic_app.reporting.base import ReportRenderer
    from clinic_app.reporting.clinician import ClinicianReportRenderer
    from clinic_app.reporting.patient import PatientReportRenderer
    from clinic_app.reporting.referral import ReferralLetterRenderer, referral_applies

    RENDERERS: dict[ReportKind, type[ReportRenderer]]

_RENDERER_MODULES = {
    "ReportRenderer": "clinic_app.reporting.base",
    "ClinicianReportRenderer": "clinic_app.reporting.clinician",
    "PatientReportRenderer": "clinic_app.reporting.patient",
    "ReferralLetterRenderer": "clinic_app.reporting.referral",
    "referral_applies": "clinic_app.reporting.referral",
}
"""Names whose modules load ReportLab: imported on first use (:func:`__getattr__`)."""


def __getattr__(name: str) -> Any:
    """Import a renderer, and ReportLab with it (~0.15 s), the first time one is asked for.

    The settings and input types above are light; the preferences and the window's start read them
    and never print, so they no longer pay for ReportLab.
    """
    if name == "RENDERERS":
        value: Any = _renderers()
    elif name in _RENDERER_MODULES:
        value = getattr(importlib.import_module(_RENDERER_MODULES[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


@functools.cache
def _renderers() -> dict[ReportKind, type[ReportRenderer]]:
    """Each report kind's renderer class."""
    from clinic_app.reporting.clinician import ClinicianReportRenderer
    from clinic_app.reporting.patient import PatientReportRenderer
    from clinic_app.reporting.referral import ReferralLetterRenderer

    return {
        ReportKind.PATIENT: PatientReportRenderer,
        ReportKind.CLINICIAN: ClinicianReportRenderer,
        ReportKind.REFERRAL: ReferralLetterRenderer,
    }


def render_report(data: ReportInput, kind: ReportKind, *, invariant: bool = False) -> bytes:
    """Render one report of ``kind`` for ``data`` and return the PDF bytes.

    Args:
        data: the visit, its decision and the print settings.
        kind: which document to build.
        invariant: omit timestamps and random ids (byte-identical output for tests).

    Raises:
        ReferralNotNeededError: when a referral is asked for a visit that needs none.
    """
    from clinic_app.reporting.referral import referral_applies

    if kind is ReportKind.REFERRAL and not referral_applies(data):
        raise ReferralNotNeededError(
            f"visit {data.visit.id} needs no referral (outcome {data.final_status.value})"
        )
    return _renderers()[kind](data, invariant=invariant).render()


__all__ = [
    "RENDERERS",
    "ClinicianReportRenderer",
    "FieldInfo",
    "FormInfo",
    "Layout",
    "Letterhead",
    "PatientReportRenderer",
    "ReferralLetterRenderer",
    "ReferralNotNeededError",
    "ReportInput",
    "ReportKind",
    "ReportRenderer",
    "SettingsError",
    "load_layout",
    "load_letterhead",
    "referral_applies",
    "render_report",
]
