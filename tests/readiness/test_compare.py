"""Follow-up comparison judged against measurement error."""

from __future__ import annotations

from clinic_app.domain.model import Results
from clinic_app.readiness.compare import compare_results, compare_visits
from clinic_app.readiness.decision import MeasureChange
from clinic_app.readiness.protocol import default_protocol

from .builders import passing_document, record_of

PROTOCOL = default_protocol()


def _one(previous: dict[str, object], current: dict[str, object], path: str) -> MeasureChange:
    changes = compare_results(Results(previous), Results(current), PROTOCOL)  # type: ignore[arg-type]
    (change,) = [c for c in changes if c.path == path]
    return change


def test_ird_change_under_one_centimetre_is_no_real_change() -> None:
    """0.9 cm narrower is within error; 1.0 cm narrower is improved; wider by 1.2 cm is worse."""
    base = {"diastasis.unit": "cm"}
    path = "diastasis.ird_umbilicus_curl"
    assert _one({**base, path: 3.0}, {**base, path: 2.1}, path).verdict == "no real change"
    assert _one({**base, path: 3.0}, {**base, path: 2.0}, path).verdict == "improved"
    assert _one({**base, path: 2.0}, {**base, path: 3.2}, path).verdict == "worse"


def test_ird_in_millimetres_and_fingers_uses_their_own_limits() -> None:
    """9 mm is within error in mm; one finger-width is a real change in fingers."""
    path = "diastasis.ird_umbilicus_curl"
    assert (
        _one({"diastasis.unit": "mm", path: 30}, {"diastasis.unit": "mm", path: 21}, path).verdict
        == "no real change"
    )
    fingers = {"diastasis.unit": "finger_widths"}
    assert _one({**fingers, path: 3}, {**fingers, path: 2}, path).verdict == "improved"
    assert _one({**fingers, path: 2.5}, {**fingers, path: 2}, path).verdict == "no real change"


def test_ird_unit_change_is_not_comparable() -> None:
    """Fingers then centimetres are never converted: not comparable."""
    path = "diastasis.ird_umbilicus_curl"
    change = _one({"diastasis.unit": "finger_widths", path: 2}, {"diastasis.unit": "cm", path: 1.5}, path)
    assert change.verdict == "not comparable" and "never converted" in change.note


def test_hop_lsi_change_under_eight_percent_is_no_real_change() -> None:
    """LSI 90 → 97 % (7 points) is no real change; 85 → 95 % is improved (H2)."""
    path = "hop.single_hop.lsi"
    small = _one(
        {"hop.single_hop.left": 90, "hop.single_hop.right": 100},
        {"hop.single_hop.left": 97, "hop.single_hop.right": 100},
        path,
    )
    assert small.verdict == "no real change"
    big = _one(
        {"hop.single_hop.left": 85, "hop.single_hop.right": 100},
        {"hop.single_hop.left": 95, "hop.single_hop.right": 100},
        path,
    )
    assert big.verdict == "improved"


def test_strength_mos_and_iciq_directions() -> None:
    """More reps and a higher MOS are improvements; a higher ICIQ total is worse."""
    assert (
        _one({"strength.bridge.left": 12}, {"strength.bridge.left": 18}, "strength.bridge.left").verdict
        == "improved"
    )
    assert (
        _one({"strength.bridge.left": 18}, {"strength.bridge.left": 16}, "strength.bridge.left").verdict
        == "no real change"
    )
    assert _one({"pelvic_floor.mos": 3}, {"pelvic_floor.mos": 2}, "pelvic_floor.mos").verdict == "worse"
    iciq = "questionnaires.iciq_total"
    assert _one({iciq: 2}, {iciq: 8}, iciq).verdict == "worse"


def test_compare_visits_includes_weeks_and_needs_a_previous_visit() -> None:
    """Without an earlier visit there is nothing to compare; with one, weeks since birth are compared."""
    doc = passing_document()
    assert compare_visits(record_of(doc), PROTOCOL) == ()
    doc["previous_visits"] = [
        {"visit": {"date": "2026-08-24", "clinician": {"id": "C-1", "name": "A"}}, "results": doc["results"]}
    ]
    changes = compare_visits(record_of(doc), PROTOCOL)
    weeks = next(c for c in changes if c.path == "weeks_postpartum")
    assert (weeks.previous, weeks.current, weeks.change) == ("12.0 weeks", "16.0 weeks", "+4.0 weeks")


def test_a_computed_lsi_is_shown_to_one_decimal_at_most() -> None:
    """A hop LSI of 104 ÷ 121 is shown as 86 %, not 85.9504 %, in the follow-up table."""
    from clinic_app.domain.model import Results
    from clinic_app.readiness.compare import compare_results
    from clinic_app.readiness.protocol import default_protocol

    before = Results({"hop.single_hop.left": 104, "hop.single_hop.right": 121})  # type: ignore[dict-item]
    now = Results({"hop.single_hop.left": 122, "hop.single_hop.right": 127})  # type: ignore[dict-item]
    changes = compare_results(before, now, default_protocol())
    (change,) = [c for c in changes if c.path == "hop.single_hop.lsi"]
    assert (change.previous, change.current) == ("86 %", "96.1 %")
