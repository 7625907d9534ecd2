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
