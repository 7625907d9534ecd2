"""Follow-up comparison view: this visit beside the earlier ones after the same birth.

A passive view over :func:`clinic_app.services.followup.load_followup`: a table of measures (previous,
current, change, verdict — the engine's error-aware judgement) and small trend charts over weeks
postpartum with the protocol threshold drawn. Series differ by marker shape and line style as well as
colour, and the legend names them. Visits after an earlier birth are listed apart, labelled.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import QChart, QChartView, QLegend, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.weeks import weeks_text
from clinic_app.services.followup import ComparisonRow, Followup, TrendChart, load_followup

COLUMNS = ("Measure", "Previous", "Current", "Change", "Verdict")
PALETTE = ("#1f5f7a", "#c2571a", "#2f6b3a", "#7a3e9d", "#8a5a00", "#a3221b", "#4a5568", "#2456a6")
MARKERS = (
    QScatterSeries.MarkerShape.MarkerShapeCircle,
    QScatterSeries.MarkerShape.MarkerShapeRectangle,
    QScatterSeries.MarkerShape.MarkerShapeTriangle,
    QScatterSeries.MarkerShape.MarkerShapeStar,
    QScatterSeries.MarkerShape.MarkerShapePentagon,
    QScatterSeries.MarkerShape.MarkerShapeRotatedRectangle,
)
LINE_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine)
VERDICT_MARKS = {"improved": "▲ improved", "worse": "▼ worse", "no real change": "= no real change"}
"""A symbol beside the words, so the verdict never rests on colour."""
_Index = QModelIndex | QPersistentModelIndex


class ComparisonModel(QAbstractTableModel):
    """Read-only rows of the comparison table."""

    def __init__(self, rows: tuple[ComparisonRow, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = rows

    def set_rows(self, rows: tuple[ComparisonRow, ...]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        """One row per compared measure."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        """Measure, previous, current, change, verdict."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, the engine's note as tooltip, numbers right-aligned."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            verdict = VERDICT_MARKS.get(row.verdict, row.verdict)
            cells = (row.label, row.previous, row.current, row.change, verdict)
            return cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.note or None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None


def chart_view(spec: TrendChart, parent: QWidget) -> QChartView:
    """Draw one small trend chart: a line and markers per series, the threshold dashed, a legend."""
    chart = QChart()
    chart.setTitle(f"{spec.title} ({spec.unit})" if spec.unit and spec.unit not in spec.title else spec.title)
    # On the right the legend stacks one entry per line, so no name is cut at 150 % or with 8 series.
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)  # shapes, not colour only
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    x_axis, y_axis = QValueAxis(), QValueAxis()
    x_axis.setTitleText("weeks postpartum")
    x_axis.setLabelFormat("%.0f")
    y_axis.setLabelFormat("%g")
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    xs = [x for s in spec.series for x, _ in s.points]
    ys = [y for s in spec.series for _, y in s.points]
    if spec.threshold is not None:
        ys.append(spec.threshold.value)
    for number, series in enumerate(spec.series):
        ink = QColor(PALETTE[number % len(PALETTE)])
        line = QLineSeries()
        line.setPen(QPen(ink, 2, LINE_STYLES[number % len(LINE_STYLES)]))
        dots = QScatterSeries()
        dots.setName(series.legend)
        dots.setMarkerShape(MARKERS[number % len(MARKERS)])
        dots.setMarkerSize(11)
        dots.setColor(ink)
        dots.setBorderColor(ink)
        for x, y in series.points:
            line.append(x, y)
            dots.append(x, y)
        for item in (line, dots):
            chart.addSeries(item)
            item.attachAxis(x_axis)
            item.attachAxis(y_axis)
        chart.legend().markers(line)[0].setVisible(False)  # the marker entry names the series
    low_x, high_x = min(xs) - 1, max(xs) + 1
    x_axis.setRange(low_x, high_x)
    low, high = min(ys), max(ys)
    pad = (high - low) * 0.15 or max(abs(high) * 0.1, 1.0)
    y_axis.setRange(max(0.0, low - pad) if low >= 0 else low - pad, high + pad)
    y_axis.applyNiceNumbers()
    if spec.threshold is not None:
        limit = QLineSeries()
        limit.setName(f"threshold {spec.threshold.label}")
        limit.setPen(QPen(QColor("#555555"), 1.5, Qt.PenStyle.DashLine))
        limit.append(low_x, spec.threshold.value)
        limit.append(high_x, spec.threshold.value)
        chart.addSeries(limit)
        limit.attachAxis(x_axis)
        limit.attachAxis(y_axis)
    names = [s.legend for s in spec.series] + ([limit.name()] if spec.threshold is not None else [])
    metrics = QFontMetrics(chart.legend().font())
    widest = max(metrics.horizontalAdvance(name) for name in names)
    chart.legend().setMinimumWidth(widest + 3 * chart.legend().font().pointSizeF() + 40)  # + marker
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(max(460, widest + 330), 320)
    return view


class ComparisonView(QWidget):
    """This visit beside the earlier ones after the same birth; earlier pregnancies apart."""

    def __init__(self, followup: Followup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.followup = followup
        layout = QVBoxLayout(self)
        weeks = weeks_text(followup.weeks_postpartum)
        if followup.previous_date is None:
            compared = "No earlier visit after this birth: nothing to compare yet."
        else:
            compared = (
                f"Compared with the visit of {followup.previous_date:%d %b %Y}; charts over "
                f"{followup.earlier_count + 1} visits. A change smaller than the measurement error "
                "is shown as “no real change”."
            )
        self.heading = QLabel(
            f"<b>Visit of {followup.visit_date:%d %b %Y}</b> · {weeks} since birth · "
            f"{followup.birth_label}<br>{compared}",
            self,
        )
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.model = ComparisonModel(followup.rows, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header = self.table.horizontalHeader()
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVisible(bool(followup.rows))
        layout.addWidget(self.table, 2)
        charts = QWidget(self)
        grid = QGridLayout(charts)
        self.charts_area = charts
        self.charts = [chart_view(spec, charts) for spec in followup.charts]
        for number, view in enumerate(self.charts):
            grid.addWidget(view, number // 2, number % 2)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)
        scroll.setVisible(bool(self.charts))
        layout.addWidget(scroll, 3)
        lines = [
            f"<b>{p.label}</b>: "
            + ", ".join(f"{v.visit_date:%d %b %Y} ({weeks_text(v.weeks_postpartum)})" for v in p.visits)
            for p in followup.earlier_pregnancies
        ]
        self.earlier = QLabel("<br>".join(lines), self)
        self.earlier.setWordWrap(True)
        self.earlier.setVisible(bool(lines))
        layout.addWidget(self.earlier)


class ComparisonDialog(QDialog):
    """A non-modal window holding the comparison view of one visit."""

    def __init__(self, followup: Followup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Follow-up comparison — visit of {followup.visit_date:%d %b %Y}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view = ComparisonView(followup, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.resize(1100, 760)


def open_comparison(window: QWidget, ctx: Any, visit_id: str) -> ComparisonDialog:
    """Show the follow-up comparison of ``visit_id`` beside ``window`` (a read of about 10–30 ms)."""
    dialog = ComparisonDialog(load_followup(ctx.db, visit_id), window)
    dialog.show()
    return dialog


def comparison_shots(window: QWidget, ctx: Any, shot: Any) -> None:
    """Screenshots: a follow-up with earlier visits, and one after a second birth with the earlier apart."""
    shots = (("80-comparison-followup", "V-0002-3"), ("81-comparison-second-pregnancy", "V-0006-4"))
    for name, visit_id in shots:
        dialog = open_comparison(window, ctx, visit_id)
        shot(name, dialog)
        charts = dialog.view.charts_area
        charts.resize(charts.sizeHint())
        shot(f"{name}-charts", charts)
        dialog.done(0)
