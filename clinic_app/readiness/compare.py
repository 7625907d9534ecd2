"""Follow-up comparison: what changed since the previous visit, judged against measurement error.

A change smaller than the protocol's limit for that measure is "no real change" (CLINICAL.md §4.2:
IRD MDC about 1 cm; §8.2 and H2: hop LSI MDC 7–13 %, 8 % used). IRD is only compared within one
unit; a change of unit is "not comparable" because fingers are never converted to centimetres.
The rows' labels and notes are the protocol's ``[wording.compare]``; the verdicts are codes the
reports and the window read.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from clinic_app.domain.derived import iciq_total
from clinic_app.domain.model import Results
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.decision import MeasureChange
from clinic_app.readiness.protocol import Protocol
from clinic_app.readiness.rules_function import hop_lsis
from clinic_app.readiness.wording import SITES, Wording

_STRENGTH = ("calf_raise", "bridge", "sit_to_stand", "hip_abduction")
IMPROVED, WORSE, NO_REAL_CHANGE, NOT_COMPARABLE = "improved", "worse", "no real change", "not comparable"



def _capital(label: str) -> str:
    """A protocol label as the first word of a table row ("single hop" → "Single hop")."""
    return label[:1].upper() + label[1:]

def compare_visits(record: VisitRecord, protocol: Protocol) -> tuple[MeasureChange, ...]:
    """Compare the visit with the most recent earlier one (``record.previous[-1]``), if any."""
    if not record.previous:
        return ()
    return compare_results(record.previous[-1].results, record.visit.results, protocol, record)


def compare_results(previous: Results, current: Results, protocol: Protocol,
                    record: VisitRecord | None = None) -> tuple[MeasureChange, ...]:
    """Return one :class:`MeasureChange` per measure recorded at both visits.

    Args:
        previous: results of the earlier visit.
        current: results of this visit.
        protocol: supplies the "no real change" limits (``[compare]``).
        record: when given, the weeks since birth at both visits are compared too.
    """
    limits = protocol.compare
    row = functools.partial(protocol.wording.text, "compare")
    out: list[MeasureChange] = []
    if record is not None and record.previous:
        before = (record.previous[-1].visit_date - record.delivery.delivery_date).days / 7
        now = (record.visit.visit_date - record.delivery.delivery_date).days / 7
        gap = now - before
        weeks = (f"{before:.1f}", f"{now:.1f}", f"{gap:+.1f}")
        was, is_now, change = (row("weeks_value", weeks=w) for w in weeks)
        out.append(MeasureChange("weeks_postpartum", row("weeks"), was, is_now, change,
                                 IMPROVED if gap > 0 else NO_REAL_CHANGE, row("weeks_note")))
    out.extend(_ird(previous, current, limits, protocol.wording))
    lsi_before, lsi_now = hop_lsis(previous), hop_lsis(current)
    for test in (t for t in lsi_now if t in lsi_before):
        label = _capital(protocol.label("hop." + test))
        out.append(_change(f"hop.{test}.lsi", row("hop_lsi", test=label), lsi_before[test][0],
                           lsi_now[test][0], limits["hop_lsi_pct"], True, "%", row("hop_note")))
    for test in _STRENGTH:
        for side in ("left", "right"):
            path = f"strength.{test}.{side}"
            label = f"{_capital(protocol.label('strength.' + test))} ({side})"
            out.extend(_pair(path, label, previous, current, limits["strength_reps"], True, "reps"))
    out.extend(_pair("pelvic_floor.mos", row("mos"), previous, current, limits["mos_grades"],
                     True, "", row("mos_note")))
    iciq_before, iciq_now = _iciq(previous), _iciq(current)
    if iciq_before is not None and iciq_now is not None:
        out.append(_change("questionnaires.iciq_total", row("iciq"), iciq_before, iciq_now,
                           limits["iciq_points"], False, ""))
    out.extend(_pair("questionnaires.pfdi_total", row("pfdi"), previous, current,
                     limits["pfdi_points"], False, ""))
    return tuple(out)


def _ird(previous: Results, current: Results, limits: Mapping[str, float],
         words: Wording) -> list[MeasureChange]:
    """IRD per site and condition, in the unit measured; a unit change is not comparable."""
    row = functools.partial(words.text, "compare")
    unit_before, unit_now = previous.text("diastasis.unit"), current.text("diastasis.unit")
    out: list[MeasureChange] = []
    for site in SITES:
        for condition in ("rest", "curl"):
            path = f"diastasis.ird_{site}_{condition}"
            before, now = previous.number(path), current.number(path)
            if before is None or now is None or unit_before is None or unit_now is None:
                continue
            label = row("ird", site=site, condition=row(condition))
            shown_unit = unit_now.replace("_", "-")
            if unit_before != unit_now:
                out.append(MeasureChange(path, label, f"{before:g} {unit_before.replace('_', '-')}",
                                         f"{now:g} {shown_unit}", "", NOT_COMPARABLE,
                                         row("ird_units_note")))
                continue
            out.append(_change(path, label, before, now, limits[f"ird_{unit_now}"], False, shown_unit,
                               row("ird_note")))
    return out


def _pair(path: str, label: str, previous: Results, current: Results, limit: float, higher_is_better: bool,
          unit: str, note: str = "") -> list[MeasureChange]:
    before, now = previous.number(path), current.number(path)
    if before is None or now is None:
        return []
    return [_change(path, label, before, now, limit, higher_is_better, unit, note)]


def _change(path: str, label: str, before: float, now: float, limit: float, higher_is_better: bool,
            unit: str, note: str = "") -> MeasureChange:
    """Judge one change: below ``limit`` in size is no real change, else improved or worse."""
    diff = now - before
    verdict = NO_REAL_CHANGE
    if abs(diff) >= limit:
        verdict = IMPROVED if (diff > 0) == higher_is_better else WORSE
    suffix = f" {unit}" if unit else ""
    # Values are shown to one decimal at most: a computed LSI of 85.9504 % reads as 86 %.
    return MeasureChange(path, label, f"{round(before, 1):g}{suffix}", f"{round(now, 1):g}{suffix}",
                         f"{diff:+.1f}{suffix}", verdict, note)


def _iciq(results: Results) -> float | None:
    total = results.number("questionnaires.iciq_total")
    if total is not None:
        return total
    items = [results.number(f"questionnaires.iciq_{k}") for k in ("frequency", "amount", "interference")]
    if any(i is None for i in items):
        return None
    try:
        return float(iciq_total(*(int(i) for i in items if i is not None)))
    except ValueError:
        return None
