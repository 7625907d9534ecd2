"""Trend charts of the clinician report: one measure over the patient's visits.

The x axis is weeks since birth, so visits at uneven intervals are spaced truthfully. A series is a
field path, or ``lsi:<sided path>`` for its limb symmetry index. A chart is only drawn when at
least two visits recorded one of its series: a single point is not a trend.

Series differ three ways — colour, marker and line style — and the legend shows all three, so a
chart reads in greyscale print. A protocol threshold is a grey long-dashed line named in the legend.
The dashboard's sparklines (:func:`sparkline`) are the same idea at the size of a table cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from clinic_app.domain.derived import limb_symmetry, weeks_postpartum
from clinic_app.domain.enums import Side
from clinic_app.domain.model import Delivery, Results, Visit
from clinic_app.reporting.chart_canvas import PlainDrawing
from clinic_app.reporting.fonts import BOLD, REGULAR
from clinic_app.reporting.formatting import number
from clinic_app.reporting.settings import TrendSpec

MARKERS = (
    "FilledCircle",
    "FilledSquare",
    "FilledDiamond",
    "FilledTriangle",
    "Circle",
    "Square",
    "Diamond",
    "Triangle",
)
DASHES: tuple[tuple[float, ...] | None, ...] = (None, (4, 2), (1.2, 1.8), (6, 2, 1.2, 2))
"""Line styles in series order: solid, dashed, dotted, dash-dot (so lines differ without colour)."""
THRESHOLD_DASH = (7, 3)
THRESHOLD_INK = "#4a5568"
LSI_PREFIX = "lsi:"


@dataclass(frozen=True, slots=True)
class Series:
    """One plotted line: its legend and (weeks postpartum, value) points."""

    legend: str
    points: tuple[tuple[float, float], ...]


def series_value(results: Results, path: str, timed_fields: tuple[str, ...]) -> float | None:
    """Return the value of ``path`` in ``results``, computing an LSI for ``lsi:`` paths."""
    if not path.startswith(LSI_PREFIX):
        return results.number(path)
    field = path[len(LSI_PREFIX) :]
    sides = results.sided(field)
    if len(sides) < 2:
        return None
    try:
        return limb_symmetry(sides[Side.LEFT], sides[Side.RIGHT], timed=field in timed_fields).index
    except ValueError:
        return None


def collect_series(
    spec: TrendSpec, visits: tuple[Visit, ...], delivery: Delivery, timed_fields: tuple[str, ...]
) -> list[Series]:
    """Return the series of ``spec`` with at least two points over ``visits``.

    Visits dated before ``delivery`` belong to an earlier pregnancy and are left out: weeks
    postpartum from this birth do not exist for them.
    """
    found: list[Series] = []
    visits = tuple(v for v in visits if v.visit_date >= delivery.delivery_date)
    for index, path in enumerate(spec.series):
        points = []
        for visit in visits:
            value = series_value(visit.results, path, timed_fields)
            if value is not None:
                points.append((weeks_postpartum(delivery.delivery_date, visit.visit_date), value))
        if len(points) >= 2:
            legend = spec.legend[index] if index < len(spec.legend) else path
            found.append(Series(legend, tuple(points)))
    return found


@dataclass(frozen=True, slots=True)
class ChartLine:
    """A threshold drawn across a chart: its value and the legend text (``2 cm (O2)``)."""

    value: float
    label: str


def trend_chart(
    title: str,
    series: list[Series],
    *,
    width: float,
    palette: tuple[str, ...],
    font_size: float,
    unit: str,
    threshold: ChartLine | None = None,
    height: float = 94.0,
) -> Drawing:
    """Draw one trend chart: axes, a line per series, the threshold line and a legend on the right.

    Args:
        title: the measure (the unit is added when it is not in the title).
        series: the lines, each with two or more points.
        width: drawing width in points.
        palette: line colours in series order.
        font_size: label size in points.
        unit: the y-axis unit.
        threshold: the protocol threshold to draw, when the measure has one.
        height: drawing height in points.
    """
    small = font_size - 1.5
    entries = len(series) + (1 if threshold is not None else 0)
    height = max(height, entries * (small + 4) + font_size + 16)
    legend_width = min(width * 0.38, 8 + 22 + max(_width(s.legend, small) for s in series) + 4)
    if threshold is not None:
        legend_width = max(legend_width, 8 + 22 + _width(threshold.label, small) + 4)
    drawing = PlainDrawing(width, height, initialFontName=REGULAR)
    shown = f"{title} ({unit})" if unit and unit not in title else title
    drawing.add(String(0, height - font_size, shown, fontName=BOLD, fontSize=font_size - 0.5))
    x0, y0 = 28.0, 22.0
    plot_width = width - legend_width - x0 - 6
    plot_height = height - font_size - 8 - y0
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points]
    if threshold is not None:
        ys.append(threshold.value)
    low, high, step = _nice_range(min(ys), max(ys))
    first, last = math.floor(min(xs)), math.ceil(max(xs))
    if last - first < 2:
        first, last = first - 1, last + 1
    x_step = _nice_step((last - first) / 6)

    def at(x: float, y: float) -> tuple[float, float]:
        return (
            x0 + (x - first) / (last - first) * plot_width,
            y0 + (y - low) / (high - low) * plot_height,
        )

    _axes(drawing, at, (first, last, x_step), (low, high, step), x0, y0, plot_width, small)
    for index, item in enumerate(series):
        ink = colors.HexColor(palette[index % len(palette)])
        dash = DASHES[index % len(DASHES)]
        coords = [c for x, y in item.points for c in at(x, y)]
        drawing.add(
            PolyLine(coords, strokeColor=ink, strokeWidth=1.3, strokeDashArray=list(dash) if dash else None)
        )
        for x, y in item.points:
            drawing.add(marker_shape(index, *at(x, y), 4.6, ink))
    drawing.add(
        String(
            x0 + plot_width / 2,
            2,
            "weeks since birth",
            fontName=REGULAR,
            fontSize=small,
            textAnchor="middle",
            fillColor=colors.HexColor("#5d6b82"),
        )
    )
    if threshold is not None:
        _, y = at(first, threshold.value)
        drawing.add(_threshold_line(x0, y, x0 + plot_width))
    _legend(
        drawing,
        series,
        palette,
        threshold,
        x=width - legend_width + 8,
        top=height - font_size - 10,
        size=small,
    )
    return drawing


def _axes(
    drawing: Drawing,
    at: Any,
    x_range: tuple[float, float, float],
    y_range: tuple[float, float, float],
    x0: float,
    y0: float,
    plot_width: float,
    size: float,
) -> None:
    """Draw the grid, the two axes and their round tick labels (drawn by hand: a LinePlot costs 4×)."""
    axis_ink, grid_ink = colors.HexColor("#8896a5"), colors.HexColor("#e4e9ee")
    low, high, step = y_range
    tick = low
    while tick <= high + step * 1e-6:
        _, y = at(x_range[0], tick)
        drawing.add(Line(x0, y, x0 + plot_width, y, strokeColor=grid_ink, strokeWidth=0.4))
        drawing.add(
            String(
                x0 - 4, y - size * 0.35, _axis_label(tick), fontName=REGULAR, fontSize=size, textAnchor="end"
            )
        )
        tick += step
    first, last, x_step = x_range
    tick = math.ceil(first / x_step) * x_step
    while tick <= last + x_step * 1e-6:
        x, _ = at(tick, low)
        drawing.add(Line(x, y0, x, y0 - 2.5, strokeColor=axis_ink, strokeWidth=0.6))
        drawing.add(
            String(
                x, y0 - 2.5 - size, _axis_label(tick), fontName=REGULAR, fontSize=size, textAnchor="middle"
            )
        )
        tick += x_step
    _, top = at(first, high)
    drawing.add(Line(x0, y0, x0 + plot_width, y0, strokeColor=axis_ink, strokeWidth=0.7))
    drawing.add(Line(x0, y0, x0, top, strokeColor=axis_ink, strokeWidth=0.7))


def _legend(
    drawing: Drawing,
    series: list[Series],
    palette: tuple[str, ...],
    threshold: ChartLine | None,
    *,
    x: float,
    top: float,
    size: float,
) -> None:
    """Draw the legend: for each series its line style, marker and colour, then the threshold."""
    y = top
    for index, item in enumerate(series):
        ink = colors.HexColor(palette[index % len(palette)])
        dash = DASHES[index % len(DASHES)]
        drawing.add(
            Line(
                x,
                y + size * 0.35,
                x + 20,
                y + size * 0.35,
                strokeColor=ink,
                strokeWidth=1.3,
                strokeDashArray=list(dash) if dash else None,
            )
        )
        drawing.add(marker_shape(index, x + 10, y + size * 0.35, 4.6, ink))
        drawing.add(String(x + 24, y, item.legend, fontName=REGULAR, fontSize=size))
        y -= size + 4
    if threshold is not None:
        drawing.add(_threshold_line(x, y + size * 0.35, x + 20))
        drawing.add(
            String(
                x + 24,
                y,
                threshold.label,
                fontName=REGULAR,
                fontSize=size,
                fillColor=colors.HexColor(THRESHOLD_INK),
            )
        )


def _threshold_line(x1: float, y: float, x2: float) -> Line:
    """Return the grey long-dashed threshold line from ``x1`` to ``x2`` at height ``y``."""
    return Line(
        x1,
        y,
        x2,
        y,
        strokeColor=colors.HexColor(THRESHOLD_INK),
        strokeWidth=0.9,
        strokeDashArray=list(THRESHOLD_DASH),
    )


def marker_shape(index: int, x: float, y: float, size: float, ink: colors.Color) -> Any:
    """Return the marker of series ``index`` centred on (x, y): filled shapes first, then outlined ones."""
    name = MARKERS[index % len(MARKERS)]
    fill = ink if name.startswith("Filled") else colors.white
    r = size / 2
    style = {"fillColor": fill, "strokeColor": ink, "strokeWidth": 0.9}
    if name.endswith("Circle"):
        return Circle(x, y, r, **style)
    if name.endswith("Square"):
        return Rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, **style)
    if name.endswith("Diamond"):
        return Polygon([x, y + r * 1.2, x + r * 1.2, y, x, y - r * 1.2, x - r * 1.2, y], **style)
    return Polygon([x, y + r * 1.15, x + r * 1.1, y - r * 0.8, x - r * 1.1, y - r * 0.8], **style)


def sparkline(
    points: tuple[tuple[float, float], ...],
    *,
    width: float,
    height: float,
    ink: str,
    threshold: float | None = None,
) -> Drawing:
    """Draw a table-cell trend: the values over visits, the latest marked, the threshold dashed.

    The y range always includes the threshold, so a reader sees which side of it the line runs.
    """
    drawing = PlainDrawing(width, height, initialFontName=REGULAR)
    ys = [y for _, y in points] + ([threshold] if threshold is not None else [])
    xs = [x for x, _ in points]
    low, high = min(ys), max(ys)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.12
    low, high = low - pad, high + pad
    span_x = (max(xs) - min(xs)) or 1.0

    def at(x: float, y: float) -> tuple[float, float]:
        return 3 + (x - min(xs)) / span_x * (width - 6), 2 + (y - low) / (high - low) * (height - 4)

    if threshold is not None:
        _, ty = at(min(xs), threshold)
        drawing.add(
            Line(
                1,
                ty,
                width - 1,
                ty,
                strokeColor=colors.HexColor(THRESHOLD_INK),
                strokeWidth=0.6,
                strokeDashArray=[3, 1.5],
            )
        )
    coords = [c for x, y in points for c in at(x, y)]
    colour = colors.HexColor(ink)
    drawing.add(PolyLine(coords, strokeColor=colour, strokeWidth=1.1))
    for x, y in points[:-1]:
        drawing.add(Circle(*at(x, y), 1.1, fillColor=colour, strokeColor=colour, strokeWidth=0.3))
    drawing.add(marker_shape(1, *at(*points[-1]), 3.6, colour))
    return drawing


def _nice_step(raw: float) -> float:
    """Return a round axis step (1, 2 or 5 times a power of ten) near ``raw``."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _nice_range(low: float, high: float) -> tuple[float, float, float]:
    """Return a y range on round steps around ``low``–``high``; from 0 when the values are near it."""
    if high - low < 1e-9:
        low, high = low - max(abs(low) * 0.1, 1.0), high + max(abs(high) * 0.1, 1.0)
    if low >= 0 and low <= (high - low) * 1.2:
        low = 0.0
    step = _nice_step((high - low) / 4)
    return (
        math.floor(low / step) * step,
        math.ceil(high / step) * step + (step if high % step == 0 else 0),
        step,
    )


def _width(words: str, size: float) -> float:
    """Return the printed width of ``words`` at ``size``."""
    return float(stringWidth(words, REGULAR, size))


def _axis_label(value: float) -> str:
    """Format an axis tick without trailing zeros, negatives with a minus sign."""
    return number(value, 0 if abs(value - round(value)) < 1e-9 else 1)
