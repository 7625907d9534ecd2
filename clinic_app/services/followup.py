"""Follow-up comparison as plain data for the window: what changed, and the trends over weeks postpartum.

The table is the readiness engine's own measurement-error-aware comparison
(:func:`clinic_app.readiness.compare.compare_visits`: "no real change" under the protocol's error
limits) of this visit with the previous one after the same birth. The charts are the trend charts the
clinician report declares (``reports/layout.toml``); each threshold line is read from the protocol
check the layout names, with its rule id. Visits after an earlier birth are listed apart, labelled
with that birth, never mixed into the table or the charts. No Qt here: the view only draws this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clinic_app.domain.derived import weeks_postpartum
from clinic_app.domain.enums import VisitStatus
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.compare import compare_visits
from clinic_app.readiness.protocol import Protocol, default_protocol
from clinic_app.reporting.charts import collect_series
from clinic_app.reporting.settings import Layout, TrendSpec
from clinic_app.services.reports import load_report_settings, report_forms
from clinic_app.services.visits import record_in_session
from clinic_app.storage import visits as visit_store
from clinic_app.storage.database import Database


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One measure: the previous and current value, the change and the engine's verdict."""

    path: str
    label: str
    previous: str
    current: str
    change: str
    verdict: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Threshold:
    """A protocol threshold drawn across a chart, with the rule it comes from."""

    value: float
    rule_id: str
    label: str


@dataclass(frozen=True, slots=True)
class TrendSeries:
    """One line of a chart: its legend and (weeks postpartum, value) points, oldest first."""

    legend: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class TrendChart:
    """One small chart: title, y unit, the series with two or more points, an optional threshold."""

    title: str
    unit: str
    series: tuple[TrendSeries, ...]
    threshold: Threshold | None = None


@dataclass(frozen=True, slots=True)
class EarlierVisit:
    """A visit after an earlier birth, listed apart from this pregnancy's comparison."""

    visit_id: str
    visit_date: dt.date
    weeks_postpartum: float


@dataclass(frozen=True, slots=True)
class EarlierPregnancy:
    """The visits after one earlier birth, with the label the view shows above them."""

    label: str
    delivery_date: dt.date
    visits: tuple[EarlierVisit, ...]


@dataclass(frozen=True, slots=True)
class Followup:
    """Everything the follow-up view shows for one visit."""

    visit_id: str
    visit_date: dt.date
    weeks_postpartum: float
    birth_label: str
    previous_date: dt.date | None
    """Date of the visit the table compares with (None: no earlier visit after this birth)."""
    earlier_count: int
    """How many earlier visits after this birth the charts include."""
    rows: tuple[ComparisonRow, ...]
    charts: tuple[TrendChart, ...]
    earlier_pregnancies: tuple[EarlierPregnancy, ...] = ()


def load_followup(
    db: Database, visit_id: str, *, protocol: Protocol | None = None, layout: Layout | None = None
) -> Followup:
    """Return the follow-up comparison of one stored visit (one read transaction).

    Raises:
        NotFoundError: no such visit.
        StorageError: the patient has no birth recorded on or before the visit.
    """
    with db.reads.begin() as session:
        record = record_in_session(session, visit_id)
        births = visit_store.visit_deliveries(session, record.patient.id)
        others = [
            (visit, births.get(visit.id))
            for visit in visit_store.list_visits(session, record.patient.id)
            if visit.status is not VisitStatus.AMENDED
        ]
    own = births.get(visit_id)
    groups: dict[int, list[EarlierVisit]] = {}
    dates: dict[int, dt.date] = {}
    for visit, birth in others:
        if birth is None or own is None or birth[0] == own[0]:
            continue
        weeks = weeks_postpartum(birth[1].delivery_date, visit.visit_date)
        groups.setdefault(birth[0], []).append(EarlierVisit(visit.id, visit.visit_date, weeks))
        dates[birth[0]] = birth[1].delivery_date
    pregnancies = tuple(
        EarlierPregnancy(_birth_label(dates[key], record), dates[key], tuple(found))
        for key, found in sorted(groups.items(), key=lambda item: dates[item[0]], reverse=True)
    )
    return followup_of_record(record, protocol=protocol, layout=layout, earlier_pregnancies=pregnancies)


def followup_of_record(
    record: VisitRecord,
    *,
    protocol: Protocol | None = None,
    layout: Layout | None = None,
    earlier_pregnancies: tuple[EarlierPregnancy, ...] = (),
) -> Followup:
    """Return the follow-up comparison of a visit record (pure: no database).

    Args:
        record: the visit with its earlier visits after the same birth.
        protocol: the error limits and thresholds (default protocol when omitted).
        layout: the trend-chart declarations (the bundled report layout when omitted).
        earlier_pregnancies: visits after other births, shown apart.
    """
    protocol = protocol or default_protocol()
    layout = layout or load_report_settings().layout
    birth = record.delivery.delivery_date
    rows = tuple(
        ComparisonRow(c.path, c.label, c.previous, c.current, c.change, c.verdict, c.note)
        for c in compare_visits(record, protocol)
    )
    visits = (*record.previous, record.visit)
    timed = layout.timed_fields + tuple(
        f.path for form in report_forms() for f in form.fields if f.better == "lower"
    )
    unit_recorded = record.visit.results.text("diastasis.unit") or ""
    charts: list[TrendChart] = []
    for spec in layout.trends:
        series = collect_series(spec, visits, record.delivery, timed)
        if not series:
            continue
        unit = spec.unit or _unit_label(spec, unit_recorded)
        charts.append(
            TrendChart(
                spec.title,
                unit,
                tuple(TrendSeries(s.legend, s.points) for s in series),
                _threshold(spec, protocol, unit_recorded),
            )
        )
    previous = record.previous[-1].visit_date if record.previous else None
    return Followup(
        record.visit.id,
        record.visit.visit_date,
        weeks_postpartum(birth, record.visit.visit_date),
        _birth_label(birth, record, current=True),
        previous,
        len(record.previous),
        rows,
        tuple(charts),
        earlier_pregnancies,
    )


def _birth_label(day: dt.date, record: VisitRecord, *, current: bool = False) -> str:
    """How a birth is named above its visits (``Birth of 18 May 2026 (this pregnancy)``)."""
    when = f"{day.day} {day:%B %Y}"
    if current:
        return f"Birth of {when} (this pregnancy, parity {record.delivery.parity})"
    return f"Earlier pregnancy — birth of {when}; not compared with this visit"


def _unit_label(spec: TrendSpec, recorded: str) -> str:
    """The y unit of a chart whose unit is the one recorded (inter-recti distances)."""
    if spec.unit_from and recorded:
        return recorded.replace("_", "-")
    return ""


def _threshold(spec: TrendSpec, protocol: Protocol, unit_recorded: str) -> Threshold | None:
    """The protocol threshold a chart draws: ``RULE.check``, or ``RULE.*`` for the recorded unit's check."""
    if not spec.reference_rule:
        return None
    rule_id, _, check_name = spec.reference_rule.partition(".")
    rule = protocol.rules.get(rule_id)
    if rule is None:
        return None
    name = unit_recorded if check_name == "*" else check_name
    check = rule.checks.get(name)
    if check is None or isinstance(check.threshold, bool) or not isinstance(check.threshold, int | float):
        return None
    value = float(check.threshold)
    unit = check.unit.replace("_", "-")
    shown = f"{value:g} {unit}".strip() if unit != "%" else f"{value:g} %"
    return Threshold(value, rule_id, f"{shown} ({rule_id})")
