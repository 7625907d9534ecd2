"""Derived values read out of recorded results: the helpers the readiness engine and reports share.

The arithmetic lives in :mod:`clinic_app.domain.derived`; this module knows which field paths feed
it (the field contract), so no caller re-derives a POP-Q stage or a limb symmetry index its own way.
Every helper returns None when its inputs are incomplete or invalid: a missing value is "not
assessed", never a pass, and an unvalidated value never raises here.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.assessment.spec import FieldSpec, FormSpec
from clinic_app.domain.derived import (
    IciqBand,
    LimbSymmetry,
    PopqPoints,
    PopqStage,
    bmi,
    iciq_band,
    iciq_total,
    limb_symmetry,
    pfdi20_total,
    popq_stage,
    tuck_jump_total,
)
from clinic_app.domain.enums import Side
from clinic_app.domain.model import Results, side_path

TUCK_ITEMS = (
    "tuck_knee_valgus",
    "tuck_thighs_not_parallel",
    "tuck_thighs_unequal",
    "tuck_foot_width",
    "tuck_foot_not_parallel",
    "tuck_contact_timing",
    "tuck_landing_noise",
    "tuck_pause",
    "tuck_technique_declines",
    "tuck_footprint",
)
"""The ten Tuck Jump Assessment criteria in Myer's order (CLINICAL.md §9.1)."""

IRD_SITES = ("above", "umbilicus", "below")
IRD_CONDITIONS = ("rest", "curl")
BADEN_WALKER_FIELDS = ("bw_anterior", "bw_apical", "bw_posterior")


def _number(results: Results, path: str) -> float | None:
    """Read a number, treating one too large for a float as not recorded (validation reports it)."""
    try:
        return results.number(path)
    except OverflowError:
        return None


def bmi_from(results: Results) -> float | None:
    """Return BMI from ``history.weight_kg`` and ``history.height_cm`` (rule R1), or None."""
    weight, height = _number(results, "history.weight_kg"), _number(results, "history.height_cm")
    if weight is None or height is None or weight <= 0 or height <= 0:
        return None
    try:
        return bmi(weight, height)
    except (ValueError, ArithmeticError):  # e.g. a height so small that m² underflows to zero
        return None


def popq_points_from(results: Results) -> PopqPoints | None:
    """Return the POP-Q points of a performed POP-Q exam, or None when any needed point is missing.

    D is optional only when ``prolapse.hysterectomy`` is true.
    """
    if results.text("prolapse.exam_state") != "performed" or results.text("prolapse.system") != "popq":
        return None
    values = {
        name: _number(results, f"prolapse.popq_{name}")
        for name in ("aa", "ba", "c", "ap", "bp", "gh", "pb", "tvl")
    }
    d = _number(results, "prolapse.popq_d")
    if any(value is None for value in values.values()):
        return None
    if d is None and results.flag("prolapse.hysterectomy") is not True:
        return None
    v = {name: float(value) for name, value in values.items() if value is not None}
    return PopqPoints(
        aa=v["aa"], ba=v["ba"], c=v["c"], ap=v["ap"], bp=v["bp"], gh=v["gh"], pb=v["pb"], tvl=v["tvl"], d=d
    )


def popq_stage_from(results: Results) -> PopqStage | None:
    """Return the computed POP-Q stage (Bump 1996) of a complete POP-Q exam, or None."""
    points = popq_points_from(results)
    if points is None or points.tvl <= 0:
        return None
    return popq_stage(points)


def baden_walker_max_grade(results: Results) -> int | None:
    """Return the highest Baden–Walker grade of a performed exam with all three compartments, or None."""
    if (
        results.text("prolapse.exam_state") != "performed"
        or results.text("prolapse.system") != "baden_walker"
    ):
        return None
    grades = [_number(results, f"prolapse.{name}") for name in BADEN_WALKER_FIELDS]
    if any(grade is None for grade in grades):
        return None
    return int(max(grade for grade in grades if grade is not None))


def iciq_total_from(results: Results) -> int | None:
    """Return the ICIQ-UI SF total: computed from items 3–5 when all are valid, else the recorded total."""
    items = [
        _number(results, f"questionnaires.iciq_{name}") for name in ("frequency", "amount", "interference")
    ]
    if all(item is not None and item.is_integer() for item in items):
        frequency, amount, interference = (int(item) for item in items if item is not None)
        try:
            return iciq_total(frequency, amount, interference)
        except (ValueError, ArithmeticError):
            return None
    total = _number(results, "questionnaires.iciq_total")
    if total is None or not total.is_integer() or not 0 <= total <= 21:
        return None
    return int(total)


def iciq_band_from(results: Results) -> IciqBand | None:
    """Return the Klovning 2009 band of the ICIQ-UI SF total, or None when there is no total."""
    total = iciq_total_from(results)
    return iciq_band(total) if total is not None else None


def pfdi_total_from(results: Results) -> float | None:
    """Return the PFDI-20 summary: the sum of the three sub-scales, else the recorded total."""
    parts = [_number(results, f"questionnaires.pfdi_{name}") for name in ("udi6", "cradi8", "popdi6")]
    if all(part is not None for part in parts):
        udi6, cradi8, popdi6 = (float(part) for part in parts if part is not None)
        try:
            return pfdi20_total(udi6, cradi8, popdi6)
        except (ValueError, ArithmeticError):
            return None
    total = _number(results, "questionnaires.pfdi_total")
    return total if total is not None and 0 <= total <= 300 else None


def tuck_jump_total_from(results: Results) -> int | None:
    """Return the Tuck Jump total over the ten criteria in the recorded scoring, or None when incomplete."""
    scoring = results.text("jumping.tuck_scoring")
    if scoring not in ("original", "modified"):
        return None
    scores = [_number(results, f"jumping.{item}") for item in TUCK_ITEMS]
    if any(score is None or not score.is_integer() for score in scores):
        return None
    try:
        return tuck_jump_total([int(s) for s in scores if s is not None], modified=scoring == "modified")
    except (ValueError, ArithmeticError):
        return None


def limb_symmetry_of(results: Results, spec: FieldSpec) -> LimbSymmetry | None:
    """Return the limb symmetry index of one sided measure with a ``better`` direction, or None.

    ``better = "lower"`` marks a timed test (faster ÷ slower × 100, CLINICAL.md §13.8).
    """
    if not spec.sided or not spec.better:
        return None
    left = _number(results, side_path(spec.path, Side.LEFT))
    right = _number(results, side_path(spec.path, Side.RIGHT))
    if left is None or right is None:
        return None
    try:
        return limb_symmetry(left, right, timed=spec.better == "lower")
    except (ValueError, ArithmeticError):
        return None


def limb_symmetries(results: Results, form: FormSpec) -> dict[str, LimbSymmetry]:
    """Return the limb symmetry index of every complete sided measure of a form, by field id.

    Use with the ``hop`` form for rule H1 and the ``strength`` form for the S1–S4 report table.
    """
    out: dict[str, LimbSymmetry] = {}
    for spec in form.fields:
        symmetry = limb_symmetry_of(results, spec)
        if symmetry is not None:
            out[spec.id] = symmetry
    return out


@dataclass(frozen=True, slots=True)
class IrdMeasurement:
    """One recorded inter-recti distance, in the unit it was measured in (never converted).

    Attributes:
        path: the field path, e.g. ``diastasis.ird_umbilicus_curl``.
        site: ``above``, ``umbilicus`` or ``below``.
        condition: ``rest`` or ``curl`` (head-lift).
        value: the distance.
        unit: ``mm``, ``cm`` or ``finger_widths``.
        method: how it was measured (``calipers`` …), empty when not recorded.
    """

    path: str
    site: str
    condition: str
    value: float
    unit: str
    method: str


def ird_measurements(results: Results) -> tuple[IrdMeasurement, ...]:
    """Return every recorded inter-recti distance with its unit (rule O2); empty without a unit."""
    unit = results.text("diastasis.unit")
    if unit not in ("mm", "cm", "finger_widths"):
        return ()
    method = results.text("diastasis.method") or ""
    out: list[IrdMeasurement] = []
    for site in IRD_SITES:
        for condition in IRD_CONDITIONS:
            path = f"diastasis.ird_{site}_{condition}"
            value = _number(results, path)
            if value is not None and value >= 0:
                out.append(IrdMeasurement(path, site, condition, value, unit, method))
    return tuple(out)
