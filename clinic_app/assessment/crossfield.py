"""Cross-field rules: checks that need more than one value of a form.

A form file names the rules that apply to it (``rules = [...]``); each name maps to a function here.
Rules see only values that already passed their own field checks, so a wrong value is reported
once, by the field check, and never again as a broken relation. The POP-Q limits follow the
implementation notes of CLINICAL.md §12; the rest keeps records internally consistent (a total that
is not the sum of its items, a pain rating without pain, an exam value when no exam took place).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from clinic_app.assessment.rulecontext import Rule, RuleInput
from clinic_app.assessment.wording import format_number
from clinic_app.domain.errors import FieldError

PERFORMED = "performed"
PFDI_TOLERANCE = 0.1
"""PFDI-20 sub-scales are often written to one decimal, so their sum may differ this much."""


# --- prolapse -----------------------------------------------------------------------------------

POPQ_POINTS = ("aa", "ba", "c", "d", "ap", "bp", "gh", "pb", "tvl")
BADEN_WALKER = ("bw_anterior", "bw_apical", "bw_posterior")


def _exam_values(form: RuleInput) -> Iterator[str]:
    """Keys of recorded POP-Q or Baden–Walker values."""
    for key in sorted(form.recorded):
        if key.startswith(("popq_", "bw_")):
            yield key


def prolapse_consent(form: RuleInput) -> list[FieldError]:
    """A performed exam needs consent recorded as given and a staging system chosen."""
    if form.get("exam_state") != PERFORMED:
        return []
    errors: list[FieldError] = []
    consent_invalid = form.has("consent") and form.get("consent") is None  # reported by its own check
    if form.get("consent") is not True and not consent_invalid:
        errors.append(
            form.error(
                "consent", "the examination is recorded as performed, so consent must be recorded as given"
            )
        )
    if not form.has("system"):
        errors.append(form.error("system", "choose POP-Q or Baden–Walker for a performed examination"))
    return errors


def prolapse_values_need_exam(form: RuleInput) -> list[FieldError]:
    """Exam findings cannot exist when the exam was declined, not indicated or referred."""
    state = form.get("exam_state")
    if state is None or state == PERFORMED:
        return []
    return [
        form.error(
            key,
            f"recorded although the examination is '{form.choice_label('exam_state')}' — "
            "remove it or record the examination as performed",
        )
        for key in _exam_values(form)
    ]


def popq_complete(form: RuleInput) -> list[FieldError]:
    """All nine POP-Q points for a performed POP-Q exam; D absent after hysterectomy."""
    errors: list[FieldError] = []
    hysterectomy = form.get("hysterectomy") is True
    if hysterectomy and form.has("popq_d"):
        errors.append(
            form.error("popq_d", "the posterior fornix does not exist after hysterectomy — leave D empty")
        )
    if form.get("exam_state") != PERFORMED or form.get("system") != "popq":
        return errors
    for point in POPQ_POINTS:
        key = f"popq_{point}"
        if point == "d" and hysterectomy:
            continue
        if not form.has(key):
            errors.append(
                form.error(
                    key,
                    "all nine POP-Q points are needed to stage the prolapse"
                    + (" (D may be left empty only after hysterectomy)" if point == "d" else ""),
                )
            )
    for key in BADEN_WALKER:
        if form.has(key):
            errors.append(form.error(key, "recorded although the staging system is POP-Q"))
    return errors


def popq_ranges(form: RuleInput) -> list[FieldError]:
    """Ba and Bp lie in −3…+tvl; C and D in −tvl…+tvl (CLINICAL.md §12 implementation notes)."""
    tvl = form.number("popq_tvl")
    if tvl is None:
        return []
    errors: list[FieldError] = []
    limits = {"popq_ba": (-3.0, tvl), "popq_bp": (-3.0, tvl), "popq_c": (-tvl, tvl), "popq_d": (-tvl, tvl)}
    for key, (low, high) in limits.items():
        value = form.number(key)
        if value is not None and not low <= value <= high:
            errors.append(
                form.error(
                    key,
                    f"{format_number(value)} cm is outside {format_number(low)}…"
                    f"+{format_number(high)} cm for a total vaginal length of "
                    f"{format_number(tvl)} cm",
                )
            )
    return errors


def baden_walker_complete(form: RuleInput) -> list[FieldError]:
    """A performed Baden–Walker exam grades all three compartments and records no POP-Q points."""
    if form.get("exam_state") != PERFORMED or form.get("system") != "baden_walker":
        return []
    errors = [
        form.error(key, "grade every compartment for a Baden–Walker examination")
        for key in BADEN_WALKER
        if not form.has(key)
    ]
    errors.extend(
        form.error(key, "recorded although the staging system is Baden–Walker")
        for key in sorted(form.recorded)
        if key.startswith("popq_")
    )
    return errors


# --- diastasis ----------------------------------------------------------------------------------


def ird_needs_method_and_unit(form: RuleInput) -> list[FieldError]:
    """A distance means nothing without its unit and method (doming or tension alone need neither)."""
    if not any(key.startswith("ird_") for key in form.recorded):
        return []
    return [
        form.error(key, "required with any inter-recti distance — distances are stored in the unit measured")
        for key in ("method", "unit")
        if not form.has(key)
    ]


def ird_unit_matches_method(form: RuleInput) -> list[FieldError]:
    """Finger-widths are the unit of palpation and of nothing else (CLINICAL.md §4.1, §13.7)."""
    method, unit = form.get("method"), form.get("unit")
    if method is None or unit is None:
        return []
    if (method == "finger_widths") != (unit == "finger_widths"):
        if method == "finger_widths":
            return [
                form.error("unit", "palpation is measured in finger-widths — set the unit to finger-widths")
            ]
        return [
            form.error(
                "unit",
                f"finger-widths go with the finger-width method, not "
                f"{form.choice_label('method').lower()} — record the unit you read",
            )
        ]
    return []


# --- questionnaires -----------------------------------------------------------------------------

ICIQ_ITEMS = ("iciq_frequency", "iciq_amount", "iciq_interference")
ICIQ_SCORES = (*ICIQ_ITEMS, "iciq_total", "iciq_date")
PFDI_SUBSCALES = ("pfdi_udi6", "pfdi_cradi8", "pfdi_popdi6")


def iciq_scores_need_administration(form: RuleInput) -> list[FieldError]:
    """ICIQ scores cannot be recorded for a questionnaire marked as not administered."""
    if form.get("iciq_administered") != "not_administered":
        return []
    return [
        form.error(key, "recorded although the ICIQ-UI SF is marked as not administered")
        for key in ICIQ_SCORES
        if form.has(key)
    ]


def iciq_total_matches_items(form: RuleInput) -> list[FieldError]:
    """The ICIQ-UI SF total is items 3 + 4 + 5 when all three are recorded."""
    items = [form.number(key) for key in ICIQ_ITEMS]
    total = form.number("iciq_total")
    if total is None or any(item is None for item in items):
        return []
    expected = sum(item for item in items if item is not None)
    if total != expected:
        return [
            form.error(
                "iciq_total",
                f"{format_number(total)} is not items 3 + 4 + 5 = "
                f"{format_number(expected)} — check the items or the total",
            )
        ]
    return []


def pfdi_total_matches_subscales(form: RuleInput) -> list[FieldError]:
    """The PFDI-20 summary is the sum of UDI-6, CRADI-8 and POPDI-6 when all three are recorded."""
    parts = [form.number(key) for key in PFDI_SUBSCALES]
    total = form.number("pfdi_total")
    if total is None or any(part is None for part in parts):
        return []
    expected = sum(part for part in parts if part is not None)
    if abs(total - expected) > PFDI_TOLERANCE:
        return [
            form.error(
                "pfdi_total",
                f"{format_number(total)} is not the sum of the sub-scales, "
                f"{format_number(expected)} — check the sub-scales or the total",
            )
        ]
    return []


# --- jumping ------------------------------------------------------------------------------------


def tuck_items_match_scoring(form: RuleInput) -> list[FieldError]:
    """Tuck jump items need the scoring chosen; the original scoring allows only 0 or 1."""
    items = [key for key in sorted(form.recorded) if key.startswith("tuck_") and key != "tuck_scoring"]
    if not items:
        return []
    scoring = form.get("tuck_scoring")
    if scoring is None:
        if form.has("tuck_scoring"):
            return []
        return [form.error("tuck_scoring", "choose original or modified scoring for the tuck jump items")]
    if scoring != "original":
        return []
    errors: list[FieldError] = []
    for key in items:
        value = form.number(key)
        if value is not None and value > 1:
            errors.append(
                form.error(
                    key,
                    f"{format_number(value)} is not possible with the original "
                    "scoring (0 = absent, 1 = flaw present) — did you mean modified scoring?",
                )
            )
    return errors


# --- symptoms and load tasks --------------------------------------------------------------------


def _pain_details(
    form: RuleInput, flag_present: bool, flag_key: str, detail_keys: tuple[str, ...], what: str
) -> list[FieldError]:
    """Pain details are required with pain and meaningless without it."""
    errors: list[FieldError] = []
    for key in detail_keys:
        value = form.get(key)
        blank = not form.has(key) or (isinstance(value, str) and not value.strip())
        blank = blank or (isinstance(value, list | tuple) and not value)
        if flag_present and blank:
            errors.append(form.error(key, f"required because {what}"))
        elif not flag_present and form.has(key) and not blank and form.has(flag_key):
            errors.append(form.error(key, f"recorded although no pain is recorded ({form.label(flag_key)})"))
    return errors


def daily_pain_details(form: RuleInput) -> list[FieldError]:
    """Pain with daily activities needs its sites and rating (rule M1)."""
    if not form.has("daily_activity_pain") or form.get("daily_activity_pain") is None:
        return []
    present = form.get("daily_activity_pain") is True
    return _pain_details(
        form,
        present,
        "daily_activity_pain",
        ("daily_pain_sites", "daily_pain_rating"),
        "pain with daily activities is recorded",
    )


_TASK = re.compile(r"^(l\d+)_")


def _tasks(form: RuleInput) -> list[str]:
    """Task prefixes (``l1`` … ``l7``) of the load form, in field order."""
    prefixes: list[str] = []
    for spec in form.form.fields:
        match = _TASK.match(spec.id)
        if match and match.group(1) not in prefixes:
            prefixes.append(match.group(1))
    return prefixes


def load_task_outcome(form: RuleInput) -> list[FieldError]:
    """A load task that was started records whether it was completed and what it provoked."""
    errors: list[FieldError] = []
    for task in _tasks(form):
        if not any(key.startswith(f"{task}_") for key in form.recorded):
            continue
        for suffix, why in (
            ("completed", "say whether the task was completed"),
            ("symptoms", "tick the symptoms it provoked, or 'None'"),
        ):
            key = f"{task}_{suffix}"
            if not form.has(key):
                errors.append(form.error(key, f"required once the task is recorded — {why}"))
    return errors


def load_pain_details(form: RuleInput) -> list[FieldError]:
    """A task that provoked pain needs the pain site and its 0–10 rating."""
    errors: list[FieldError] = []
    for task in _tasks(form):
        symptoms = form.get(f"{task}_symptoms")
        if not isinstance(symptoms, tuple | list):
            continue
        errors.extend(
            _pain_details(
                form,
                "pain" in symptoms,
                f"{task}_symptoms",
                (f"{task}_pain_site", f"{task}_pain_rating"),
                "the task provoked pain",
            )
        )
    return errors


# --- pelvic floor -------------------------------------------------------------------------------


def pelvic_floor_values_need_exam(form: RuleInput) -> list[FieldError]:
    """Modified Oxford and PERFECT findings need an internal exam recorded as performed."""
    state = form.get("exam_state")
    if state is None or state == PERFORMED:
        return []
    return [
        form.error(
            key,
            f"recorded although the examination is '{form.choice_label('exam_state')}' — "
            "remove it or record the examination as performed",
        )
        for key in sorted(form.recorded)
        if key == "mos" or key.startswith("perfect_")
    ]


RULES: Mapping[str, Rule] = {
    "prolapse_consent": prolapse_consent,
    "prolapse_values_need_exam": prolapse_values_need_exam,
    "popq_complete": popq_complete,
    "popq_ranges": popq_ranges,
    "baden_walker_complete": baden_walker_complete,
    "ird_needs_method_and_unit": ird_needs_method_and_unit,
    "ird_unit_matches_method": ird_unit_matches_method,
    "iciq_scores_need_administration": iciq_scores_need_administration,
    "iciq_total_matches_items": iciq_total_matches_items,
    "pfdi_total_matches_subscales": pfdi_total_matches_subscales,
    "tuck_items_match_scoring": tuck_items_match_scoring,
    "daily_pain_details": daily_pain_details,
    "load_task_outcome": load_task_outcome,
    "load_pain_details": load_pain_details,
    "pelvic_floor_values_need_exam": pelvic_floor_values_need_exam,
}
"""Every cross-field rule a form file may name, by name."""
