"""PDF reports of a visit: the patient report, the clinician summary and the referral letter.

Plain data in (:class:`ReportInput`), PDF bytes out. No database, no Qt: the service layer gathers
the data, the renderers here only print it. Wording, layout and letterhead are read from
``reports/``.
"""

from __future__ import annotations

from clinic_app.reporting.base import ReportRenderer
from clinic_app.reporting.clinician import ClinicianReportRenderer
from clinic_app.reporting.inputs import (
    FieldInfo,
    FormInfo,
    ReferralNotNeededError,
    ReportInput,
    ReportKind,
)
from clinic_app.reporting.patient import PatientReportRenderer
from clinic_app.reporting.referral import ReferralLetterRenderer, referral_applies
from clinic_app.reporting.settings import Layout, Letterhead, SettingsError, load_layout, load_letterhead

RENDERERS: dict[ReportKind, type[ReportRenderer]] = {
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
    if kind is ReportKind.REFERRAL and not referral_applies(data):
        raise ReferralNotNeededError(
            f"visit {data.visit.id} needs no referral (outcome {data.final_status.value})"
        )
    return RENDERERS[kind](data, invariant=invariant).render()


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
