"""Unit and property tests for the derived values of clinic_app.domain.derived."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clinic_app.domain.derived import (
    ICIQ_AMOUNT_VALUES,
    IciqBand,
    PopqPoints,
    PopqStage,
    bmi,
    iciq_band,
    iciq_total,
    limb_symmetry,
    pfdi20_total,
    popq_stage,
    tuck_jump_total,
    weeks_postpartum,
)
from clinic_app.domain.enums import Side

DELIVERY = dt.date(2026, 6, 1)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
positive = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)
non_negative = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)


# --- weeks postpartum -------------------------------------------------------------------------


def test_weeks_postpartum_exactly_twelve_weeks_is_84_days() -> None:
    """84 days after the birth is exactly 12.0 weeks, the T1 boundary that passes."""
    assert weeks_postpartum(DELIVERY, DELIVERY + dt.timedelta(days=84)) == 12.0


def test_weeks_postpartum_one_day_short_is_below_twelve() -> None:
    """83 days is below 12 weeks, so the time gate still holds."""
    assert weeks_postpartum(DELIVERY, DELIVERY + dt.timedelta(days=83)) < 12.0


def test_weeks_postpartum_same_day_is_zero() -> None:
    """A visit on the day of the birth is 0 weeks."""
    assert weeks_postpartum(DELIVERY, DELIVERY) == 0.0


def test_weeks_postpartum_rejects_visit_before_delivery() -> None:
    """A visit before the birth is a data error, not a negative week count."""
    with pytest.raises(ValueError, match="before delivery"):
        weeks_postpartum(DELIVERY, DELIVERY - dt.timedelta(days=1))


@given(dates, st.integers(min_value=0, max_value=3000))
def test_weeks_postpartum_is_days_over_seven(delivery: dt.date, days: int) -> None:
    """For any birth date and gap, weeks = days ÷ 7, unrounded."""
    assume(delivery + dt.timedelta(days=days) <= dt.date.max)
    assert weeks_postpartum(delivery, delivery + dt.timedelta(days=days)) == days / 7


@given(dates, st.integers(min_value=0, max_value=2000), st.integers(min_value=1, max_value=100))
def test_weeks_postpartum_grows_with_the_visit_date(delivery: dt.date, days: int, later: int) -> None:
    """A later visit is never fewer weeks postpartum."""
    first = weeks_postpartum(delivery, delivery + dt.timedelta(days=days))
    assert weeks_postpartum(delivery, delivery + dt.timedelta(days=days + later)) > first


# --- BMI --------------------------------------------------------------------------------------


def test_bmi_of_known_values() -> None:
    """64 kg at 160 cm is 25.0 kg/m²."""
    assert bmi(64, 160) == pytest.approx(25.0)


def test_bmi_thirty_boundary_value() -> None:
    """90 kg at 173.2 cm sits just above the R1 threshold of 30."""
    assert bmi(90, 173.2) == pytest.approx(30.0, abs=0.01)


@pytest.mark.parametrize(("weight", "height"), [(0, 160), (60, 0), (-1, 160), (60, -5)])
def test_bmi_rejects_non_positive_inputs(weight: float, height: float) -> None:
    """Zero or negative weight or height is a bug upstream and raises."""
    with pytest.raises(ValueError, match="positive"):
        bmi(weight, height)


@given(positive, positive)
def test_bmi_matches_definition_and_is_positive(weight: float, height: float) -> None:
    """BMI is weight ÷ (height in m)² for any positive inputs."""
    value = bmi(weight, height)
    assert value > 0
    assert value == pytest.approx(weight / (height / 100) ** 2)


@given(positive, positive, st.floats(min_value=1.01, max_value=10))
def test_bmi_rises_with_weight(weight: float, height: float, factor: float) -> None:
    """More weight at the same height never lowers BMI."""
    assert bmi(weight * factor, height) > bmi(weight, height)


# --- POP-Q ------------------------------------------------------------------------------------


def points(edge: float, *, tvl: float = 10, c: float = -8, d: float | None = -9) -> PopqPoints:
    """POP-Q points with the anterior wall point Ba as leading edge (others well inside)."""
    return PopqPoints(aa=-3, ba=edge, c=c, ap=-3, bp=-3, gh=3, pb=3, tvl=tvl, d=d)


def test_popq_stage_0_when_walls_at_minus_three_and_apex_high() -> None:
    """All walls at −3 and C at −(tvl − 2) or above is stage 0."""
    assert popq_stage(points(-3, c=-8)) is PopqStage.STAGE_0


def test_popq_stage_0_boundary_apex_exactly_tvl_minus_two() -> None:
    """C exactly at −(tvl − 2) still counts as stage 0."""
    assert popq_stage(points(-3, tvl=10, c=-8, d=None)) is PopqStage.STAGE_0


def test_popq_stage_i_when_apex_just_below_stage_0_limit() -> None:
    """C just below −(tvl − 2) with walls at −3 is stage I, not 0."""
    assert popq_stage(points(-3, tvl=10, c=-7.5, d=None)) is PopqStage.STAGE_I


def test_popq_stage_0_via_posterior_fornix() -> None:
    """Stage 0 holds when D (not C) is at or above −(tvl − 2)."""
    assert popq_stage(points(-3, tvl=10, c=-7, d=-8)) is PopqStage.STAGE_0


@pytest.mark.parametrize(
    ("edge", "stage"),
    [
        (-1.5, PopqStage.STAGE_I),
        (-1.01, PopqStage.STAGE_I),
        (-1.0, PopqStage.STAGE_II),
        (0.0, PopqStage.STAGE_II),
        (1.0, PopqStage.STAGE_II),
        (1.01, PopqStage.STAGE_III),
        (7.99, PopqStage.STAGE_III),
        (8.0, PopqStage.STAGE_IV),
        (10.0, PopqStage.STAGE_IV),
    ],
)
def test_popq_stage_boundaries(edge: float, stage: PopqStage) -> None:
    """Leading edge −1 and +1 are stage II inclusive; tvl − 2 (8 for tvl 10) starts stage IV."""
    assert popq_stage(points(edge, tvl=10)) is stage


def test_popq_stage_uses_d_when_it_leads() -> None:
    """A descended posterior fornix is the leading edge when it is the most distal point."""
    assert popq_stage(points(-2, d=0.5)) is PopqStage.STAGE_II


def test_popq_leading_edge_ignores_missing_d() -> None:
    """After hysterectomy D is absent and the edge comes from the other points."""
    assert points(-2, c=-6, d=None).leading_edge == -2


def test_popq_stage_rejects_non_positive_tvl() -> None:
    """A total vaginal length of zero cannot be staged."""
    with pytest.raises(ValueError, match="tvl"):
        popq_stage(points(-2, tvl=0))


def test_popq_stage_roman_numerals() -> None:
    """Stages print the way clinicians write them."""
    assert [s.roman for s in PopqStage] == ["0", "I", "II", "III", "IV"]


popq_point = st.floats(min_value=-3, max_value=3, allow_nan=False).map(lambda v: round(v, 1))


@given(popq_point, popq_point, popq_point, popq_point, st.floats(min_value=6, max_value=12).map(round))
def test_popq_stage_is_monotonic_in_the_leading_edge(
    aa: float, ap: float, ba: float, bp: float, tvl: float
) -> None:
    """Moving a wall point further out never lowers the stage."""
    base = PopqPoints(aa=aa, ba=ba, c=-tvl + 1, ap=ap, bp=bp, gh=3, pb=3, tvl=tvl, d=None)
    worse = PopqPoints(aa=aa, ba=min(ba + 1, tvl), c=-tvl + 1, ap=ap, bp=bp, gh=3, pb=3, tvl=tvl, d=None)
    assert popq_stage(worse) >= popq_stage(base)


@given(st.floats(min_value=-3, max_value=12, allow_nan=False), st.floats(min_value=4, max_value=14))
def test_popq_stage_ii_or_more_exactly_when_edge_at_least_minus_one(edge: float, tvl: float) -> None:
    """Stage ≥ II (the O1 hold) happens exactly when the leading edge is −1 or lower down."""
    assume(edge <= tvl)
    stage = popq_stage(points(edge, tvl=tvl, c=-tvl, d=None))
    assert (stage >= PopqStage.STAGE_II) == (edge >= -1)


def test_popq_a_cervix_beyond_the_hymen_is_never_stage_0_when_the_fornix_is_high() -> None:
    """Walls at −3, D high, C 2 cm outside: the leading edge makes it stage III, not 0 (issue 10)."""
    prolapse = PopqPoints(aa=-3, ba=-3, c=2, ap=-3, bp=-3, gh=3, pb=3, tvl=10, d=-9)
    assert popq_stage(prolapse) is PopqStage.STAGE_III


def _edge_stage(edge: float, tvl: float) -> PopqStage:
    """The stage the leading edge alone implies (Bump 1996, CLINICAL.md §5.1)."""
    if edge < -1:
        return PopqStage.STAGE_I
    if edge <= 1:
        return PopqStage.STAGE_II
    return PopqStage.STAGE_IV if edge >= tvl - 2 else PopqStage.STAGE_III


_tvl = st.floats(min_value=6, max_value=12).map(lambda v: round(v, 1))


@st.composite
def popq_exams(draw: st.DrawFn) -> PopqPoints:
    """Plausible POP-Q exams within the §5.1 ranges, with or without a posterior fornix."""
    tvl = draw(_tvl)
    # Walls exactly at −3 and a high apex or fornix are drawn often: the stage 0 corner lives there.
    wall = st.just(-3.0) | st.floats(min_value=-3, max_value=3).map(lambda v: round(v, 1))
    deep = st.just(-tvl) | st.floats(min_value=-tvl, max_value=tvl).map(lambda v: round(v, 1))
    upper = st.just(-3.0) | st.floats(min_value=-3, max_value=tvl).map(lambda v: round(v, 1))
    return PopqPoints(
        aa=draw(wall),
        ba=draw(upper),
        c=draw(deep),
        ap=draw(wall),
        bp=draw(upper),
        gh=3,
        pb=3,
        tvl=tvl,
        d=draw(st.none() | deep),
    )


@given(popq_exams())
def test_popq_stage_is_never_lower_than_the_leading_edge_implies(exam: PopqPoints) -> None:
    """Stage 0 needs the edge above −1; any other stage is exactly the leading edge's."""
    stage = popq_stage(exam)
    if stage is PopqStage.STAGE_0:
        assert exam.leading_edge < -1
    else:
        assert stage is _edge_stage(exam.leading_edge, exam.tvl)


_point_names = st.sampled_from(["aa", "ba", "c", "ap", "bp", "d"])


@given(popq_exams(), _point_names, st.floats(min_value=0.1, max_value=6).map(lambda v: round(v, 1)))
def test_popq_stage_never_falls_when_a_point_moves_distally(exam: PopqPoints, name: str, step: float) -> None:
    """Moving any point further out (towards or beyond the hymen) never lowers the stage."""
    current = getattr(exam, name)
    if current is None:
        return
    moved = dataclasses.replace(exam, **{name: current + step})
    assert popq_stage(moved) >= popq_stage(exam)


# --- limb symmetry ----------------------------------------------------------------------------


def test_limb_symmetry_weaker_over_stronger() -> None:
    """18 vs 24 reps is 75 % with the left side weaker."""
    result = limb_symmetry(18, 24)
    assert result.index == pytest.approx(75.0)
    assert result.weaker_side is Side.LEFT


def test_limb_symmetry_timed_inverts() -> None:
    """For a timed hop the slower side is weaker and LSI = faster ÷ slower × 100."""
    result = limb_symmetry(2.0, 2.5, timed=True)
    assert result.index == pytest.approx(80.0)
    assert result.weaker_side is Side.RIGHT


def test_limb_symmetry_equal_sides_is_100_with_no_weaker_side() -> None:
    """Equal sides give exactly 100 % and no weaker side."""
    assert limb_symmetry(20, 20) == limb_symmetry(20, 20, timed=True)
    assert limb_symmetry(20, 20).index == 100.0
    assert limb_symmetry(20, 20).weaker_side is None


def test_limb_symmetry_ninety_percent_boundary() -> None:
    """90 vs 100 cm is exactly 90 %, the H1 value that passes."""
    assert limb_symmetry(90, 100).index == pytest.approx(90.0)


def test_limb_symmetry_one_side_zero_is_zero_percent() -> None:
    """A side that could not hop at all gives 0 %."""
    assert limb_symmetry(0, 120).index == 0.0


@pytest.mark.parametrize(("left", "right", "timed"), [(-1, 5, False), (0, 0, False), (0, 2.0, True)])
def test_limb_symmetry_rejects_impossible_values(left: float, right: float, timed: bool) -> None:
    """Negative values, two zero distances and zero times have no symmetry index."""
    with pytest.raises(ValueError):
        limb_symmetry(left, right, timed=timed)


@given(non_negative, non_negative, st.booleans())
def test_limb_symmetry_at_most_100_and_symmetric(left: float, right: float, timed: bool) -> None:
    """LSI never exceeds 100 % and does not depend on which side is called left."""
    assume(max(left, right) > 0)
    assume(not timed or min(left, right) > 0)
    forward = limb_symmetry(left, right, timed=timed)
    backward = limb_symmetry(right, left, timed=timed)
    assert 0 <= forward.index <= 100
    assert forward.index == pytest.approx(backward.index)
    if forward.weaker_side is not None:
        assert backward.weaker_side is forward.weaker_side.other


@given(positive, positive)
def test_limb_symmetry_timed_names_the_slower_side(left: float, right: float) -> None:
    """In a timed test the weaker side is the one with the longer time."""
    result = limb_symmetry(left, right, timed=True)
    if left > right:
        assert result.weaker_side is Side.LEFT
    elif right > left:
        assert result.weaker_side is Side.RIGHT
    assert result.index == pytest.approx(min(left, right) / max(left, right) * 100)


# --- ICIQ-UI SF -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, IciqBand.NONE),
        (1, IciqBand.SLIGHT),
        (5, IciqBand.SLIGHT),
        (6, IciqBand.MODERATE),
        (12, IciqBand.MODERATE),
        (13, IciqBand.SEVERE),
        (18, IciqBand.SEVERE),
        (19, IciqBand.VERY_SEVERE),
        (21, IciqBand.VERY_SEVERE),
    ],
)
def test_iciq_band_boundaries(total: int, band: IciqBand) -> None:
    """Klovning 2009 bands switch at 1, 6, 13 and 19."""
    assert iciq_band(total) is band


@pytest.mark.parametrize("total", [-1, 22])
def test_iciq_band_rejects_out_of_scale_totals(total: int) -> None:
    """Totals outside 0–21 cannot come from the questionnaire."""
    with pytest.raises(ValueError, match="0–21"):
        iciq_band(total)


def test_iciq_total_is_item_sum() -> None:
    """Items 3 + 4 + 5: 2 + 4 + 5 = 11."""
    assert iciq_total(2, 4, 5) == 11


@pytest.mark.parametrize(
    ("frequency", "amount", "interference"), [(6, 0, 0), (0, 3, 0), (0, 0, 11), (-1, 0, 0)]
)
def test_iciq_total_rejects_impossible_item_scores(frequency: int, amount: int, interference: int) -> None:
    """Item 3 is 0–5, item 4 only 0/2/4/6, item 5 0–10."""
    with pytest.raises(ValueError, match="ICIQ item"):
        iciq_total(frequency, amount, interference)


@given(st.integers(0, 5), st.sampled_from(ICIQ_AMOUNT_VALUES), st.integers(0, 10))
def test_iciq_total_always_banded(frequency: int, amount: int, interference: int) -> None:
    """Every valid item combination gives a 0–21 total with a band; none only at 0."""
    total = iciq_total(frequency, amount, interference)
    assert 0 <= total <= 21
    assert (iciq_band(total) is IciqBand.NONE) == (total == 0)


@given(st.integers(0, 20))
def test_iciq_band_never_lowers_as_total_rises(total: int) -> None:
    """A higher total is never a milder band."""
    order = list(IciqBand)
    assert order.index(iciq_band(total + 1)) >= order.index(iciq_band(total))


# --- PFDI-20, tuck jump, LESS -----------------------------------------------------------------


def test_pfdi20_total_is_sum() -> None:
    """The summary score is UDI-6 + CRADI-8 + POPDI-6."""
    assert pfdi20_total(25, 12.5, 50) == 87.5


@pytest.mark.parametrize("bad", [-0.1, 100.1])
def test_pfdi20_rejects_out_of_range_subscale(bad: float) -> None:
    """Sub-scales are 0–100."""
    with pytest.raises(ValueError, match="0–100"):
        pfdi20_total(bad, 0, 0)


sub = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(sub, sub, sub)
def test_pfdi20_total_in_scale(a: float, b: float, c: float) -> None:
    """Any valid sub-scales sum to a 0–300 summary."""
    assert 0 <= pfdi20_total(a, b, c) <= 300
    assert math.isclose(pfdi20_total(a, b, c), a + b + c)


def test_tuck_jump_total_original_and_modified() -> None:
    """Original counts flaws (0–10); modified sums 0–2 scores (0–20)."""
    assert tuck_jump_total([1] * 6 + [0] * 4) == 6
    assert tuck_jump_total([2] * 10, modified=True) == 20


@pytest.mark.parametrize(
    ("items", "modified"),
    [([1] * 9, False), ([2] + [0] * 9, False), ([3] + [0] * 9, True), ([-1] + [0] * 9, True)],
)
def test_tuck_jump_total_rejects_wrong_items(items: list[int], modified: bool) -> None:
    """Ten items exactly, each in the range of the scoring used."""
    with pytest.raises(ValueError, match="tuck jump"):
        tuck_jump_total(items, modified=modified)


@given(st.lists(st.integers(0, 2), min_size=10, max_size=10))
def test_tuck_jump_modified_total_bounds(items: list[int]) -> None:
    """The modified total is the item sum and stays within 0–20."""
    assert tuck_jump_total(items, modified=True) == sum(items)
    assert 0 <= sum(items) <= 20


@given(st.lists(st.integers(0, 1), min_size=10, max_size=10))
def test_tuck_jump_original_total_counts_flaws(items: list[int]) -> None:
    """The original total is the number of flaws present."""
    assert tuck_jump_total(items) == items.count(1)


def test_every_calculator_here_is_used_by_the_app() -> None:
    """No clinical calculator lingers unused (less_total summed items without checking their range)."""
    import inspect
    import re

    import clinic_app.domain.derived as derived

    root = Path(derived.__file__).resolve().parents[1]
    code = "\n".join(f.read_text(encoding="utf-8") for f in root.rglob("*.py") if f.name != "derived.py")
    functions = inspect.getmembers(derived, inspect.isfunction)
    names = [n for n, f in functions if f.__module__ == derived.__name__]
    unused = [n for n in names if not n.startswith("_") and not re.search(rf"(?<![.\w]){n}\b", code)]
    assert unused == []
