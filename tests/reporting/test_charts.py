"""Trend series: values over visits, limb symmetry computed per visit, single points dropped."""

from __future__ import annotations

from clinic_app.domain.model import Results
from clinic_app.readiness.decision import Status
from clinic_app.reporting.charts import collect_series, series_value
from clinic_app.reporting.samples import sample_record
from clinic_app.reporting.settings import TrendSpec


def test_lsi_series_uses_timed_inversion() -> None:
    """A timed sided field gives faster ÷ slower; a distance gives weaker ÷ stronger."""
    results = Results(
        {
            "hop.timed_hop_6m.left": 2.0,
            "hop.timed_hop_6m.right": 2.5,  # type: ignore[dict-item]
            "hop.single_hop.left": 100,
            "hop.single_hop.right": 80,
        }
    )
    assert series_value(results, "lsi:hop.timed_hop_6m", ("hop.timed_hop_6m",)) == 80.0
    assert series_value(results, "lsi:hop.single_hop", ()) == 80.0
    assert series_value(results, "lsi:hop.triple_hop", ()) is None


def test_series_need_two_visits() -> None:
    """A measure recorded at one visit only is not drawn as a trend."""
    record = sample_record(Status.READY)
    visits = (*record.previous, record.visit)
    spec = TrendSpec("t", ("diastasis.ird_umbilicus_rest", "jumping.less_total"), ("ird", "less"))
    series = collect_series(spec, visits, record.delivery, ())
    assert [s.legend for s in series] == ["ird"]
    assert [round(x, 1) for x, _ in series[0].points] == [8.0, 11.0, 14.4]


def test_visits_of_an_earlier_pregnancy_are_left_out_of_a_trend() -> None:
    """A visit dated before the birth (an earlier pregnancy, e.g. in a visit file) is skipped, not a crash."""
    import datetime as dt

    from clinic_app.domain.enums import DeliveryMode
    from clinic_app.domain.ids import ClinicianId, PatientId, VisitId
    from clinic_app.domain.model import Delivery, Results, Visit
    from clinic_app.reporting.charts import collect_series
    from clinic_app.reporting.settings import TrendSpec

    birth = Delivery(dt.date(2026, 3, 1), DeliveryMode.SPONTANEOUS_VAGINAL)

    def visit(day: dt.date, value: float) -> Visit:
        return Visit(
            VisitId(str(day)),
            PatientId("P"),
            day,
            ClinicianId("C"),
            results=Results({"questionnaires.iciq_total": value}),
        )  # type: ignore[dict-item]

    spec = TrendSpec("ICIQ", ("questionnaires.iciq_total",), ("total",))
    visits = (visit(dt.date(2024, 5, 1), 9), visit(dt.date(2026, 5, 1), 4), visit(dt.date(2026, 6, 1), 2))
    (series,) = collect_series(spec, visits, birth, ())
    assert [value for _, value in series.points] == [4, 2]


def test_series_differ_by_marker_and_line_style_and_the_legend_shows_them() -> None:
    """Each series gets its own marker and dash; the legend draws both, and the threshold line too."""
    from reportlab.graphics.shapes import Circle, Line, PolyLine, Rect

    from clinic_app.reporting.charts import DASHES, MARKERS, THRESHOLD_DASH, ChartLine, Series, trend_chart
    from clinic_app.reporting.fonts import register_fonts

    register_fonts()

    series = [Series("at rest", ((8.0, 2.8), (14.0, 1.9))), Series("head-lift", ((8.0, 2.3), (14.0, 1.5)))]
    drawing = trend_chart(
        "IRD",
        series,
        width=260,
        palette=("#1f5f7a", "#c2571a"),
        font_size=9.5,
        unit="cm",
        threshold=ChartLine(2.0, "2 cm (O2)"),
    )
    lines = [item for item in drawing.contents if isinstance(item, PolyLine)]
    assert [line.strokeDashArray for line in lines] == [None, list(DASHES[1])]  # type: ignore[arg-type]
    markers = {type(item).__name__ for item in drawing.contents if isinstance(item, Circle | Rect)}
    assert markers == {"Circle", "Rect"} and MARKERS[0] != MARKERS[1]  # circle for one, square for the other
    legend_lines = [item for item in drawing.contents if isinstance(item, Line)]
    assert any(line.strokeDashArray == list(DASHES[1]) for line in legend_lines)  # type: ignore[arg-type]
    assert any(line.strokeDashArray == list(THRESHOLD_DASH) for line in legend_lines)  # type: ignore[arg-type]
    labels = [getattr(item, "text", "") for item in drawing.contents]
    assert {"at rest", "head-lift", "2 cm (O2)", "0", "3"} <= set(labels)  # axis from 0 to a round 3


def test_inter_recti_threshold_comes_from_the_protocol_for_the_unit_recorded() -> None:
    """``O2.*`` resolves to the protocol's check of the unit recorded (2 cm, 20 mm)."""
    from clinic_app.readiness.protocol import default_protocol
    from clinic_app.reporting.thresholds import find_threshold

    cm = find_threshold(default_protocol(), "O2.*", "cm")
    mm = find_threshold(default_protocol(), "O2.*", "mm")
    assert cm is not None and (cm.value, cm.label(), cm.target()) == (2.0, "2 cm (O2)", "≤ 2 cm")
    assert mm is not None and mm.value == 20
    assert find_threshold(default_protocol(), "O2.*", "") is None


def test_sparkline_range_includes_the_threshold() -> None:
    """A sparkline whose values sit above its threshold still draws the threshold inside the cell."""
    from reportlab.graphics.shapes import Line

    from clinic_app.reporting.charts import sparkline

    drawing = sparkline(((8.0, 30.0), (14.0, 32.0)), width=80, height=14, ink="#1f5f7a", threshold=20.0)
    (line,) = [item for item in drawing.contents if isinstance(item, Line)]
    assert 0 <= line.y1 <= 14
