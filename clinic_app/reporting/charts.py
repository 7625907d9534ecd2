"""Trend charts of the clinician report: one measure over the patient's visits.

The x axis is weeks postpartum, so visits at uneven intervals are spaced truthfully. A series is a
field path, or ``lsi:<sided path>`` for its limb symmetry index. A chart is only drawn when at
least two visits recorded one of its series: a single point is not a trend.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.charts.legends import LineLegend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from clinic_app.domain.derived import limb_symmetry, weeks_postpartum
from clinic_app.domain.enums import Side
from clinic_app.domain.model import Delivery, Results, Visit
from clinic_app.reporting.fonts import REGULAR
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


def trend_chart(
    spec: TrendSpec,
    series: list[Series],
    *,
    width: float,
    palette: tuple[str, ...],
    font_size: float,
    unit: str,
) -> Drawing:
    """Draw one trend chart with axes, markers, an optional reference line and a legend.

    Args:
        spec: what to plot (title, reference line).
        series: the lines, each with two or more points.
        width: drawing width in points.
        palette: line colours in series order.
        font_size: label size in points.
        unit: the y-axis unit printed after the title.
    """
    height = 150.0
    legend_width = 110.0
    drawing = Drawing(width, height + 18, initialFontName=REGULAR)
    title = f"{spec.title} ({unit})" if unit and unit not in spec.title else spec.title
    drawing.add(String(0, height + 6, title, fontName=REGULAR, fontSize=font_size + 0.5))
    plot = LinePlot()
    plot.x, plot.y = 34, 24
    plot.width, plot.height = width - legend_width - 110, height - 34
    plot.data = [list(s.points) for s in series]
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points]
    if spec.reference_line is not None:
        ys.append(spec.reference_line)
    low, high = min(ys), max(ys)
    pad = (high - low) * 0.15 or max(abs(high) * 0.1, 1.0)
    plot.yValueAxis.valueMin = max(0.0, low - pad) if low >= 0 else low - pad
    plot.yValueAxis.valueMax = high + pad
    plot.xValueAxis.valueMin = min(xs) - 0.5
    plot.xValueAxis.valueMax = max(xs) + 0.5
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = font_size - 1
        axis.labelTextFormat = _axis_label
    for index in range(len(series)):
        ink = colors.HexColor(palette[index % len(palette)])
        plot.lines[index].strokeColor = ink
        plot.lines[index].strokeWidth = 1.4
        plot.lines[index].symbol = makeMarker(
            MARKERS[index % len(MARKERS)], size=4.5, fillColor=ink, strokeColor=ink
        )
    drawing.add(plot)
    drawing.add(
        String(
            plot.x + plot.width / 2,
            2,
            "weeks postpartum",
            fontName=REGULAR,
            fontSize=font_size - 1,
            textAnchor="middle",
        )
    )
    if spec.reference_line is not None:
        span = plot.yValueAxis.valueMax - plot.yValueAxis.valueMin
        y = plot.y + (spec.reference_line - plot.yValueAxis.valueMin) / span * plot.height
        drawing.add(
            Line(
                plot.x,
                y,
                plot.x + plot.width,
                y,
                strokeColor=colors.grey,
                strokeWidth=0.8,
                strokeDashArray=[3, 2],
            )
        )
        drawing.add(
            String(
                plot.x + plot.width + 4,
                y - 3,
                spec.reference_label,
                fontName=REGULAR,
                fontSize=font_size - 1.5,
                textAnchor="start",
                fillColor=colors.grey,
            )
        )
    legend = LineLegend()
    legend.x, legend.y = width - legend_width + 6, height - 14
    legend.fontName = REGULAR
    legend.fontSize = font_size - 1
    legend.alignment = "right"
    legend.dx, legend.dy = 14, 0
    legend.deltay = font_size + 3
    legend.columnMaximum = 8
    legend.colorNamePairs = [
        (colors.HexColor(palette[i % len(palette)]), s.legend) for i, s in enumerate(series)
    ]
    drawing.add(legend)
    return drawing


def _axis_label(value: float) -> str:
    """Format an axis tick without trailing zeros."""
    return f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:.1f}"
