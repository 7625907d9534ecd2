"""Values computed from recorded data, never typed by hand (CLINICAL.md §5, §7, §8, §9, §12).

Each function is pure and raises :class:`ValueError` for input no valid form can produce (for
instance a negative height), so a bug upstream shows up loudly instead of printing a wrong number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from clinic_app.domain.enums import Side


def weeks_postpartum(delivery_date: dt.date, assessment_date: dt.date) -> float:
    """Return weeks since delivery as days ÷ 7, unrounded (rule T1 compares it with 12.0).

    Args:
        delivery_date: date of the birth.
        assessment_date: date of the visit.

    Raises:
        ValueError: if the assessment is before the delivery.
    """
    days = (assessment_date - delivery_date).days
    if days < 0:
        raise ValueError(f"assessment date {assessment_date} is before delivery date {delivery_date}")
    return days / 7


def bmi(weight_kg: float, height_cm: float) -> float:
    """Return body-mass index, kg ÷ m² (rule R1), unrounded.

    Raises:
        ValueError: if weight or height is not positive.
    """
    if weight_kg <= 0 or height_cm <= 0:
        raise ValueError("weight and height must be positive to compute BMI")
    metres = height_cm / 100
    square = metres * metres
    if square == 0:  # a height so small that its square underflows to zero
        raise ValueError(f"height {height_cm} cm is too small to compute BMI")
    return weight_kg / square


# --- POP-Q (Bump 1996, CLINICAL.md §5.1) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PopqPoints:
    """The nine POP-Q measurements in cm relative to the hymen (negative = above/inside).

    ``d`` is None after hysterectomy, when the posterior fornix does not exist.
    """

    aa: float
    ba: float
    c: float
    ap: float
    bp: float
    gh: float
    pb: float
    tvl: float
    d: float | None = None

    @property
    def leading_edge(self) -> float:
        """The most distal (largest) of Aa, Ba, C, D, Ap and Bp."""
        points = [self.aa, self.ba, self.c, self.ap, self.bp]
        if self.d is not None:
            points.append(self.d)
        return max(points)


class PopqStage(IntEnum):
    """POP-Q stage 0–IV."""

    STAGE_0 = 0
    STAGE_I = 1
    STAGE_II = 2
    STAGE_III = 3
    STAGE_IV = 4

    @property
    def roman(self) -> str:
        """Stage as clinicians write it (``0``, ``I`` … ``IV``)."""
        return ("0", "I", "II", "III", "IV")[self.value]


def popq_stage(points: PopqPoints) -> PopqStage:
    """Stage a prolapse from its POP-Q points (Bump 1996, boundaries as CLINICAL.md §5.1).

    Stage 0: Aa, Ap, Ba, Bp all at −3, C or D at or above −(tvl − 2), **and** the leading edge
    < −1. Without that last guard Bump's "either C or D" read literally staged a cervix beyond the
    hymen as 0 when the posterior fornix sat high (CLINICAL.md §5.1 [DESIGN]): a stage is never lower
    than the leading edge alone implies. Otherwise the leading edge decides: < −1 → I;
    −1…+1 inclusive → II; > +1 and < tvl − 2 → III; ≥ tvl − 2 → IV.

    Raises:
        ValueError: if tvl is not positive.
    """
    if points.tvl <= 0:
        raise ValueError("tvl must be positive to stage a prolapse")
    apex_limit = -(points.tvl - 2)
    walls_at_minus_three = all(p <= -3 for p in (points.aa, points.ap, points.ba, points.bp))
    apex_high = points.c <= apex_limit or (points.d is not None and points.d <= apex_limit)
    edge = points.leading_edge
    if walls_at_minus_three and apex_high and edge < -1:
        return PopqStage.STAGE_0
    if edge < -1:
        return PopqStage.STAGE_I
    if edge <= 1:
        return PopqStage.STAGE_II
    if edge >= points.tvl - 2:
        return PopqStage.STAGE_IV
    return PopqStage.STAGE_III


# --- Limb symmetry (CLINICAL.md §8.2, §13.8) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class LimbSymmetry:
    """A limb symmetry index with the side that scored worse (None when both are equal)."""

    index: float
    """Weaker ÷ stronger × 100, at most 100."""
    weaker_side: Side | None


def limb_symmetry(left: float, right: float, *, timed: bool = False) -> LimbSymmetry:
    """Return the limb symmetry index with no injured side: weaker ÷ stronger × 100.

    For distance or repetition tests the weaker side has the smaller value. For timed tests
    (``timed=True``, e.g. the 6 m timed hop) the weaker side is the slower one and the index is
    faster time ÷ slower time × 100.

    Raises:
        ValueError: for negative values, for a timed test with a zero time, or when both
            distances are zero (no symmetry can be computed).
    """
    if left < 0 or right < 0:
        raise ValueError("limb measurements cannot be negative")
    if timed:
        if left == 0 or right == 0:
            raise ValueError("a timed test needs both times above zero")
        faster, slower = min(left, right), max(left, right)
        index = faster / slower * 100
        weaker = None if left == right else (Side.LEFT if left > right else Side.RIGHT)
    else:
        stronger = max(left, right)
        if stronger == 0:
            raise ValueError("both sides are zero: limb symmetry is undefined")
        index = min(left, right) / stronger * 100
        weaker = None if left == right else (Side.LEFT if left < right else Side.RIGHT)
    return LimbSymmetry(index=index, weaker_side=weaker)


# --- Questionnaire scores (CLINICAL.md §7) -----------------------------------------------------

ICIQ_FREQUENCY_RANGE = range(0, 6)
ICIQ_AMOUNT_VALUES = (0, 2, 4, 6)
ICIQ_INTERFERENCE_RANGE = range(0, 11)


class IciqBand(StrEnum):
    """ICIQ-UI SF severity bands of Klovning 2009 (not an ICIQ-endorsed label)."""

    NONE = "none"
    SLIGHT = "slight"
    MODERATE = "moderate"
    SEVERE = "severe"
    VERY_SEVERE = "very severe"


def iciq_total(frequency: int, amount: int, interference: int) -> int:
    """Return the ICIQ-UI SF total, items 3 + 4 + 5 (0–21).

    Raises:
        ValueError: if an item is outside its scale (3: 0–5; 4: 0, 2, 4, 6; 5: 0–10).
    """
    if frequency not in ICIQ_FREQUENCY_RANGE:
        raise ValueError(f"ICIQ item 3 must be 0–5, not {frequency}")
    if amount not in ICIQ_AMOUNT_VALUES:
        raise ValueError(f"ICIQ item 4 must be 0, 2, 4 or 6, not {amount}")
    if interference not in ICIQ_INTERFERENCE_RANGE:
        raise ValueError(f"ICIQ item 5 must be 0–10, not {interference}")
    return frequency + amount + interference


def iciq_band(total: int) -> IciqBand:
    """Return the Klovning 2009 band of an ICIQ-UI SF total.

    Raises:
        ValueError: if the total is outside 0–21.
    """
    if not 0 <= total <= 21:
        raise ValueError(f"ICIQ-UI SF total must be 0–21, not {total}")
    if total == 0:
        return IciqBand.NONE
    if total <= 5:
        return IciqBand.SLIGHT
    if total <= 12:
        return IciqBand.MODERATE
    if total <= 18:
        return IciqBand.SEVERE
    return IciqBand.VERY_SEVERE


def pfdi20_total(udi6: float, cradi8: float, popdi6: float) -> float:
    """Return the PFDI-20 summary score, the sum of its three 0–100 sub-scales (0–300).

    Raises:
        ValueError: if a sub-scale is outside 0–100.
    """
    for name, score in (("UDI-6", udi6), ("CRADI-8", cradi8), ("POPDI-6", popdi6)):
        if not 0 <= score <= 100:
            raise ValueError(f"PFDI-20 {name} must be 0–100, not {score}")
    return udi6 + cradi8 + popdi6


# --- Jumping mechanics (CLINICAL.md §9) --------------------------------------------------------

TUCK_JUMP_ITEMS = 10


def tuck_jump_total(item_scores: Iterable[int], *, modified: bool = False) -> int:
    """Return the Tuck Jump Assessment total over its ten criteria.

    Original scoring counts flaws (each 0/1, total 0–10); the modified TJA scores each 0–2
    (total 0–20).

    Raises:
        ValueError: if there are not exactly ten items or an item is out of range.
    """
    scores = list(item_scores)
    if len(scores) != TUCK_JUMP_ITEMS:
        raise ValueError(f"the tuck jump assessment has {TUCK_JUMP_ITEMS} items, not {len(scores)}")
    top = 2 if modified else 1
    for score in scores:
        if not 0 <= score <= top:
            raise ValueError(f"tuck jump items are scored 0–{top}, not {score}")
    return sum(scores)
