"""Parse the protocol's sections besides its rules: status wording, re-test, comparison, plan, advice.

Split from :mod:`protocol` so each part of the loading stays small; each function names the section
and key of a bad value in its :class:`ProtocolError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinic_app.readiness.decision import Status
from clinic_app.readiness.progression import breaks_limit, ladder, steepest_rise, weekly_running_minutes
from clinic_app.readiness.protocolfields import (
    need_int,
    need_number,
    need_table,
    need_text,
    opt_text,
    str_list,
)
from clinic_app.readiness.rulespec import AdviceSpec, PlanSettings, ProtocolError, StageSpec


def parse_headlines(raw: Mapping[str, Any]) -> dict[Status, tuple[str, str]]:
    """Read ``[status.STATUS]``: the clinician and patient headline of every status."""
    out: dict[Status, tuple[str, str]] = {}
    for status in Status:
        table = need_table(raw, status.value, "[status]")
        where = f"[status.{status.value}]"
        out[status] = (need_text(table, "headline", where), need_text(table, "patient_headline", where))
    return out


def parse_retest(raw: Mapping[str, Any]) -> dict[Status, int]:
    """Read ``[retest]``: weeks until re-test per status (1–52)."""
    out: dict[Status, int] = {}
    for key, value in raw.items():
        try:
            status = Status(key)
        except ValueError as exc:
            raise ProtocolError("[retest]", key, "is not a status") from exc
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 52:
            raise ProtocolError("[retest]", key, "must be a whole number of weeks from 1 to 52")
        out[status] = value
    return out


COMPARE_KEYS = (
    "ird_cm",
    "ird_mm",
    "ird_finger_widths",
    "hop_lsi_pct",
    "strength_reps",
    "mos_grades",
    "iciq_points",
    "pfdi_points",
)


def parse_compare(raw: Mapping[str, Any]) -> dict[str, float]:
    """Read ``[compare]``: the "no real change" limit of every compared measure."""
    out: dict[str, float] = {}
    for key in COMPARE_KEYS:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ProtocolError("[compare]", key, "must be a positive number")
        out[key] = float(value)
    return out


def _parse_stages(raw: Any, where: str) -> tuple[StageSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise ProtocolError(where, "stages", "must be a non-empty list of [[stages]] tables")
    stages = []
    for index, item in enumerate(raw, start=1):
        at = f"{where} stage {index}"
        if not isinstance(item, Mapping):
            raise ProtocolError(at, "stage", "must be a table")
        run, walk = need_number(item, "run_minutes", at), need_number(item, "walk_minutes", at)
        if run <= 0 or walk < 0:
            raise ProtocolError(at, "run_minutes", "run time must be above 0 and walk time not negative")
        repeats, sessions = need_int(item, "repeats", at), need_int(item, "sessions", at)
        if repeats < 1 or sessions < 1:
            raise ProtocolError(at, "repeats", "repeats and sessions must be at least 1")
        stages.append(
            StageSpec(
                need_text(item, "title", at), run, walk, repeats, sessions, opt_text(item, "note", at) or ""
            )
        )
    return tuple(stages)


def parse_plan(raw: Mapping[str, Any]) -> PlanSettings:
    """Read ``[plan]``: the walk–run stages, schedule and rules; no week may rise past G2."""
    where = "[plan]"
    stages = _parse_stages(raw.get("stages"), where)
    if stages[-1].walk_minutes != 0:
        raise ProtocolError(where, "stages", "the last stage must be continuous running (walk_minutes = 0)")
    per_week = need_int(raw, "sessions_per_week", where)
    if not 1 <= per_week <= 4:
        raise ProtocolError(where, "sessions_per_week", "must be 1–4 (sessions on non-consecutive days)")
    conservative = need_table(raw, "conservative", where)
    extra = need_int(conservative, "extra_sessions_per_stage", "[plan.conservative]")
    if extra < 0:
        raise ProtocolError("[plan.conservative]", "extra_sessions_per_stage", "cannot be negative")
    first = conservative.get("first_stages", [])
    limit = need_number(raw, "max_weekly_increase", where)
    if not 0 < limit <= 1:
        raise ProtocolError(where, "max_weekly_increase", "must be above 0 and at most 1 (0.10 = 10 %)")
    settings = PlanSettings(
        title=need_text(raw, "title", where),
        intro=need_text(raw, "intro", where),
        sessions_per_week=per_week,
        schedule_rule=need_text(raw, "schedule_rule", where),
        progression_rules=str_list(raw, "progression_rules", where),
        stop_rules=str_list(raw, "stop_rules", where),
        stages=stages,
        conservative_intro=need_text(conservative, "intro", "[plan.conservative]"),
        conservative_first_stages=_parse_stages(first, "[plan.conservative]") if first else (),
        conservative_extra_sessions=extra,
        max_weekly_increase=limit,
    )
    for gentle, name in ((False, "stages"), (True, "conservative")):
        rise = steepest_rise(weekly_running_minutes(ladder(settings, conservative=gentle), per_week))
        if breaks_limit(rise, limit) and rise is not None:
            raise ProtocolError(
                where,
                name,
                f"week {rise.week} raises running minutes by "
                f"{(rise.factor - 1) * 100:.0f} %, more than max_weekly_increase "
                f"({limit * 100:g} %, rule G2): resize the stages",
            )
    return settings


def parse_advice(raw: Mapping[str, Any]) -> dict[str, AdviceSpec]:
    """Read ``[advice.KEY]``: heading, text, exercises and re-test weeks of each entry."""
    out: dict[str, AdviceSpec] = {}
    for key in raw:
        where = f"[advice.{key}]"
        table = need_table(raw, key, where)
        retest = table.get("retest_weeks")
        if retest is not None and (isinstance(retest, bool) or not isinstance(retest, int) or retest < 1):
            raise ProtocolError(where, "retest_weeks", "must be a whole number of weeks, at least 1")
        out[key] = AdviceSpec(
            key,
            need_text(table, "heading", where),
            need_text(table, "text", where),
            str_list(table, "exercises", where, required=False),
            retest,
        )
    return out
