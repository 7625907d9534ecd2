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
        return Visit(VisitId(str(day)), PatientId("P"), day, ClinicianId("C"),
                     results=Results({"questionnaires.iciq_total": value}))  # type: ignore[dict-item]

    spec = TrendSpec("ICIQ", ("questionnaires.iciq_total",), ("total",))
    visits = (visit(dt.date(2024, 5, 1), 9), visit(dt.date(2026, 5, 1), 4), visit(dt.date(2026, 6, 1), 2))
    (series,) = collect_series(spec, visits, birth, ())
    assert [value for _, value in series.points] == [4, 2]
