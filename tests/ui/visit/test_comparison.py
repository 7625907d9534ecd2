"""Follow-up comparison view: table model, charts with thresholds and markers, earlier pregnancy apart."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCharts import QLineSeries, QScatterSeries
from PySide6.QtCore import Qt

from clinic_app.services.followup import load_followup
from clinic_app.ui.visit.comparison import ComparisonModel, ComparisonView, open_comparison


def test_model_passes_qtmodeltester(qtmodeltester: Any, ctx: Any) -> None:
    """The comparison table model is a well-behaved Qt model."""
    model = ComparisonModel(load_followup(ctx.db, "V-0006-4").rows)
    qtmodeltester.check(model)
    assert model.rowCount() > 5


def test_view_shows_verdicts_charts_and_the_earlier_pregnancy(qtbot: Any, ctx: Any) -> None:
    """Verdicts carry a symbol and words; charts draw a dashed threshold; marker + dash differ per series."""
    view = ComparisonView(load_followup(ctx.db, "V-0006-4"))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    verdicts = {view.model.index(r, 4).data() for r in range(view.model.rowCount())}
    assert "▲ improved" in verdicts and "= no real change" in verdicts
    assert view.charts
    for chart_view in view.charts:
        series = chart_view.chart().series()
        shapes = [s.markerShape() for s in series if isinstance(s, QScatterSeries)]
        styles = [s.pen().style() for s in series if type(s) is QLineSeries and s.name() == ""]
        assert len(set(zip(shapes, styles, strict=True))) == len(shapes)  # marker and dash tell them apart
        limits = [s for s in series if isinstance(s, QLineSeries) and s.name().startswith("threshold")]
        assert len(limits) == 1 and limits[0].pen().style() == Qt.PenStyle.DashLine
    assert "Earlier pregnancy" in view.earlier.text() and view.earlier.isVisible()


def test_open_comparison_paints_quickly(qtbot: Any, ctx: Any) -> None:
    """open_comparison shows a dialog for a draft follow-up visit, painted well within a second."""
    start = time.perf_counter()
    dialog = open_comparison(None, ctx, "V-0002-3")  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and time.perf_counter() - start < 1.0
    assert dialog.view.followup.earlier_count == 2
