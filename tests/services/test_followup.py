"""Follow-up data for the window: the engine's comparison, declared charts, earlier pregnancies apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.services.clinic import open_clinic
from clinic_app.services.demo import build_demo
from clinic_app.services.followup import Followup, load_followup
from clinic_app.storage.database import Database


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo clinic, built once for this module."""
    folder: Path = tmp_path_factory.mktemp("followup")
    db = open_clinic(f"sqlite:///{folder / 'clinic.sqlite3'}")
    build_demo(db)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def second(demo_db: Database) -> Followup:
    """The follow-up of Ploy Wongsakul's latest visit (second pregnancy)."""
    return load_followup(demo_db, "V-0006-4")


def test_table_compares_with_the_previous_visit_of_the_same_birth(second: Followup) -> None:
    """The table compares with 24 Aug 2026 (same birth), not with the 2024 visit of the first pregnancy."""
    assert second.previous_date == dt.date(2026, 8, 24) and second.earlier_count == 1
    rows = {r.path: r for r in second.rows}
    assert rows["strength.calf_raise.left"].verdict == "improved"
    assert rows["diastasis.ird_umbilicus_rest"].verdict == "no real change"  # 0.4 cm is under the error


def test_earlier_pregnancy_is_listed_apart_and_labelled(second: Followup) -> None:
    """The 2023 birth's visits are listed apart under a label naming that birth."""
    (earlier,) = second.earlier_pregnancies
    assert earlier.delivery_date == dt.date(2023, 9, 4)
    assert [v.visit_id for v in earlier.visits] == ["V-0006-1", "V-0006-2"]
    assert "Earlier pregnancy" in earlier.label and "2023" in earlier.label
    assert all(x >= 0 for c in second.charts for s in c.series for x, _ in s.points)


def test_charts_follow_the_layout_with_protocol_thresholds(second: Followup) -> None:
    """Each declared chart with two points appears; thresholds carry the protocol's value and rule id."""
    by_title = {c.title: c for c in second.charts}
    assert by_title["Hop limb symmetry index (%)"].threshold is not None
    assert (by_title["Hop limb symmetry index (%)"].threshold.value, by_title["Hop limb symmetry index (%)"]
            .threshold.rule_id) == (90.0, "H1")
    ird = by_title["Inter-recti distance at rest, per site"]
    assert ird.unit == "cm" and ird.threshold is not None and ird.threshold.rule_id == "O2"
    assert by_title["ICIQ-UI SF total"].threshold is not None
    assert by_title["ICIQ-UI SF total"].threshold.rule_id == "P3"


def test_first_visit_has_nothing_to_compare(demo_db: Database) -> None:
    """The first visit after a birth has an empty table and no charts (a single point is not a trend)."""
    first = load_followup(demo_db, "V-0006-3")
    assert first.rows == () and first.charts == () and first.previous_date is None
    assert len(first.earlier_pregnancies) == 1
