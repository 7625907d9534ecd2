"""Check recorded values against the form specs and return every problem, never raise.

Validation belongs to the specs, not to widgets: the desktop forms, the ``validate`` command and the
import of exchange bundles all call :func:`validate` and route each :class:`FieldError` to the field
its path names. Messages start with the clinician's label and say what to do ("… 31 cm is outside
0–10 cm — did you mean mm?"). Units are never converted: a value in the wrong unit is an error with
a hint, not a silent fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from clinic_app.assessment.crossfield import RULES
from clinic_app.assessment.rulecontext import ALWAYS, RuleInput
from clinic_app.assessment.spec import MISSING_REASON, FieldKind, FieldSpec, FormCatalogue
from clinic_app.assessment.wording import describe_value, format_number, format_range, join_or, with_unit
from clinic_app.domain.errors import FieldError
from clinic_app.domain.visitfile import (
    ParseOutcome,
    VisitRecord,
    flatten_results,
    parse_visit_file,
)
from clinic_app.domain.visitjson import UnreadableJsonError, decode_visit_json
from clinic_app.domain.visitlimits import MAX_PREVIOUS_VISITS

MAX_TEXT_LENGTH = 2000
"""Free text longer than this is almost certainly pasted by mistake."""

IMPLAUSIBLE = 10**12
"""No field measures anything this large; bigger numbers are typing accidents (and overflow floats)."""

COUNT_UNITS = frozenset({"reps", "points", "grade", "MOS grade", "errors", "/10", "%"})
"""Units of counts and scores: a value out of range there is not a unit slip, so no unit hint."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SIDES = ("left", "right")


def validate(
    results: Any,
    forms: FormCatalogue,
    *,
    visit_date: dt.date | None = None,
    delivery_date: dt.date | None = None,
    today: dt.date | None = None,
) -> list[FieldError]:
    """Return every problem with one visit's recorded values, sorted by path.

    Args:
        results: flat mapping of field path (``form.field`` / ``form.field.left``) to value, usually
            a :class:`~clinic_app.domain.model.Results`. Anything else is reported, not raised.
        forms: the form catalogue the values are checked against.
        visit_date: date of the visit, when known (checked against delivery and today).
        delivery_date: date of the birth, when known.
        today: the date treated as today; dates after it are "in the future".

    Returns:
        Field errors with paths relative to the results (``diastasis.ird_umbilicus_rest``), or
        ``delivery.date`` / ``visit.date`` for the visit-level checks.
    """
    today = today or dt.date.today()
    errors: list[FieldError] = _visit_dates(visit_date, delivery_date, today)
    if not isinstance(results, Mapping):
        errors.append(FieldError("results", f"expected field values by path, got {describe_value(results)}"))
        return errors
    valid: dict[str, dict[str, object]] = {}
    recorded: dict[str, set[str]] = {}
    for key, value in list(results.items()):
        path = key if isinstance(key, str) else describe_value(key)
        spec_or_error = _resolve(key, forms)
        if isinstance(spec_or_error, FieldError):
            errors.append(spec_or_error)
            continue
        spec = spec_or_error
        suffix = path.split(".", 1)[1]
        recorded.setdefault(spec.form_id, set()).add(suffix)
        if path.endswith(f".{MISSING_REASON}"):
            problem = _check_reason(spec, value)
        else:
            problem = check_value(spec, value, unit=_unit_of(spec, results, forms), today=today)
        if problem is None:
            valid.setdefault(spec.form_id, {})[suffix] = value
        else:
            errors.append(FieldError(path, problem))
    for form in forms:
        if form.id not in recorded:
            continue
        rule_input = RuleInput(form, valid.get(form.id, {}), frozenset(recorded[form.id]))
        checks = [*ALWAYS, *(RULES[name] for name in form.rules if name in RULES)]
        for check in checks:
            errors.extend(check(rule_input))
    return sorted(set(errors))


def check_value(spec: FieldSpec, value: object, *, unit: str | None = None, today: dt.date) -> str | None:
    """Check one value against its field; return the message of the first problem, or None.

    Args:
        spec: the field.
        value: the recorded value (any type).
        unit: the unit of a ``unit_field`` measurement, None when it is not (validly) recorded.
        today: dates after this are in the future.
    """
    label = spec.label
    kind = spec.kind
    if kind is FieldKind.BOOLEAN:
        return (
            None if isinstance(value, bool) else f"{label}: expected yes or no, got {describe_value(value)}"
        )
    if kind.numeric:
        return _check_number(spec, value, unit)
    if kind is FieldKind.CHOICE:
        if isinstance(value, str) and value in spec.choice_ids:
            return None
        return f"{label}: {describe_value(value)} is not an option — use {join_or(list(spec.choice_ids))}"
    if kind is FieldKind.MULTICHOICE:
        return _check_multichoice(spec, value)
    if kind is FieldKind.TEXT:
        if not isinstance(value, str):
            return f"{label}: expected text, got {describe_value(value)}"
        if len(value) > MAX_TEXT_LENGTH:
            return f"{label}: text is longer than {MAX_TEXT_LENGTH} characters"
        return None
    return _check_date(spec, value, today)


def _check_number(spec: FieldSpec, value: object, unit: str | None) -> str | None:
    """Kind, allowed values and range of an integer or number field, with a unit hint."""
    label = spec.label
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{label}: expected a number, got {describe_value(value)}"
    if (isinstance(value, float) and not math.isfinite(value)) or abs(value) > IMPLAUSIBLE:
        return f"{label}: {describe_value(value)} is not a measurement"
    if spec.kind is FieldKind.INTEGER and isinstance(value, float) and not value.is_integer():
        return f"{label}: {format_number(value)} is not a whole number"
    if spec.allowed and value not in spec.allowed:
        allowed = join_or([format_number(v) for v in spec.allowed])
        return f"{label}: {format_number(value)} is not a possible score — the scores are {allowed}"
    if spec.unit_field:
        return _check_unit_range(spec, value, unit)
    low, high = spec.minimum, spec.maximum
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    shown = with_unit(format_number(value), spec.unit)
    message = f"{label}: {shown} is outside {format_range(low, high, spec.unit)}"
    if spec.unit and spec.unit not in COUNT_UNITS and _scaled_fits(value, low, high):
        message += f" — check it is in {spec.unit}"
    return message


def _check_unit_range(spec: FieldSpec, value: float, unit: str | None) -> str | None:
    """Range of a measurement whose unit is recorded in another field (IRD in mm/cm/fingers)."""
    names = {name: _unit_word(spec, name) for name, _, _ in spec.unit_ranges}
    bounds = spec.range_for_unit(unit) if unit is not None else None
    if bounds is None:
        low = min(low for _, low, _ in spec.unit_ranges)
        high = max(high for _, _, high in spec.unit_ranges)
        if low <= value <= high:
            return None
        return f"{spec.label}: {format_number(value)} is outside {format_range(low, high)} in any unit"
    low, high = bounds
    if low <= value <= high:
        return None
    unit_text = names.get(unit or "", unit or "")
    message = (
        f"{spec.label}: {format_number(value)} {unit_text} is outside {format_range(low, high, unit_text)}"
    )
    fits = [
        names[name]
        for name, other_low, other_high in spec.unit_ranges
        if name != unit and other_low <= value <= other_high
    ]
    if fits:
        message += f" — did you mean {join_or(fits)}?"
    return message


def _unit_word(spec: FieldSpec, unit_id: str) -> str:
    """How a unit id is written in a message (``finger_widths`` → ``finger-widths``)."""
    return unit_id.replace("_", "-")


def _scaled_fits(value: float, low: float | None, high: float | None) -> bool:
    """True when a positive value ×/÷ 10 or 100 would be in range: a likely unit slip (m for cm)."""
    if value <= 0:
        return False
    factors = (0.1, 0.01) if high is not None and value > high else (10.0, 100.0)
    for factor in factors:
        scaled = value * factor
        if (low is None or scaled >= low) and (high is None or scaled <= high):
            return True
    return False


def _check_multichoice(spec: FieldSpec, value: object) -> str | None:
    """A list of known, distinct option ids; an exclusive option (``none``) stands alone."""
    label = spec.label
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        return f"{label}: expected a list of options, got {describe_value(value)}"
    unknown = [item for item in value if item not in spec.choice_ids]
    if unknown:
        return (
            f"{label}: {describe_value(unknown[0])} is not an option — use {join_or(list(spec.choice_ids))}"
        )
    if len(set(value)) != len(value):
        return f"{label}: an option is ticked twice"
    for choice in spec.choices:
        if choice.exclusive and choice.id in value and len(value) > 1:
            return f"{label}: '{choice.label}' cannot be combined with other options"
    return None


def _check_date(spec: FieldSpec, value: object, today: dt.date) -> str | None:
    """An ISO date (YYYY-MM-DD) that is not in the future."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return f"{spec.label}: {describe_value(value)} is not a date written YYYY-MM-DD"
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return f"{spec.label}: '{value}' is not a real date"
    if date > today:
        return f"{spec.label}: {value} is in the future"
    return None


def _check_reason(spec: FieldSpec, value: object) -> str | None:
    """The reason one side of a sided measurement is missing: non-empty text."""
    if not isinstance(value, str) or not value.strip():
        return f"{spec.label}: the reason a side is missing must be written as text"
    if len(value) > MAX_TEXT_LENGTH:
        return f"{spec.label}: the reason is longer than {MAX_TEXT_LENGTH} characters"
    return None


def _resolve(key: object, forms: FormCatalogue) -> FieldSpec | FieldError:
    """Find the field a path names, or explain why the path names none."""
    if not isinstance(key, str):
        return FieldError(describe_value(key), "a field path must be text such as 'hop.single_hop.left'")
    parts = key.split(".")
    if len(parts) not in (2, 3) or not all(parts):
        return FieldError(key, "not a field path — expected form.field or form.field.left/right")
    form = forms.form(parts[0])
    if form is None:
        known = ", ".join(f.id for f in forms)
        return FieldError(key, f"unknown form '{parts[0]}' — the forms are {known}")
    spec = form.field(parts[1])
    if spec is None:
        return FieldError(key, f"'{parts[1]}' is not a field of {form.title}")
    if spec.sided and len(parts) == 2:
        return FieldError(key, f"{spec.label} is recorded per side — use {key}.left and {key}.right")
    if not spec.sided and len(parts) == 3:
        return FieldError(
            key, f"{spec.label} is not recorded per side — record one value at {parts[0]}.{parts[1]}"
        )
    if len(parts) == 3 and parts[2] not in (*_SIDES, MISSING_REASON):
        return FieldError(key, f"expected {parts[0]}.{parts[1]}.left, .right or .{MISSING_REASON}")
    return spec


def _unit_of(spec: FieldSpec, results: Mapping[Any, Any], forms: FormCatalogue) -> str | None:
    """The valid unit recorded for a ``unit_field`` measurement, or None."""
    if not spec.unit_field:
        return None
    form = forms.form(spec.form_id)
    unit_spec = form.field(spec.unit_field) if form is not None else None
    unit = results.get(f"{spec.form_id}.{spec.unit_field}")
    if unit_spec is None or not isinstance(unit, str) or unit not in unit_spec.choice_ids:
        return None
    return unit


def _visit_dates(visit_date: object, delivery_date: object, today: dt.date) -> list[FieldError]:
    """Delivery not after the visit; neither in the future."""
    errors: list[FieldError] = []
    visit = visit_date if isinstance(visit_date, dt.date) else None
    delivery = delivery_date if isinstance(delivery_date, dt.date) else None
    if delivery is not None and delivery > today:
        errors.append(FieldError("delivery.date", f"delivery date {delivery} is in the future"))
    if visit is not None and visit > today:
        errors.append(FieldError("visit.date", f"visit date {visit} is in the future"))
    if visit is not None and delivery is not None and delivery > visit:
        errors.append(FieldError("delivery.date", f"delivery date {delivery} is after the visit on {visit}"))
    return errors


def check_visit_document(
    data: Any, forms: FormCatalogue, today: dt.date | None = None
) -> tuple[VisitRecord | None, list[FieldError]]:
    """Parse a decoded ``runready-visit/1`` document and validate its results against the forms.

    Args:
        data: the decoded JSON (any type; nothing raises).
        forms: the form catalogue.
        today: the date treated as today.

    Returns:
        The record when there are no errors at all (else None), and every error, with result paths
        prefixed ``results.`` so they point into the document.
    """
    today = today or dt.date.today()
    outcome: ParseOutcome = parse_visit_file(data, today=today)
    if outcome.record is not None:
        record = outcome.record
        problems = validate(
            record.visit.results,
            forms,
            visit_date=record.visit.visit_date,
            delivery_date=record.delivery.delivery_date,
            today=today,
        )
    else:
        record = None
        raw = data.get("results", {}) if isinstance(data, Mapping) else {}
        results, _already_reported = flatten_results(raw if isinstance(raw, Mapping) else {})
        problems = validate(results, forms, today=today)
    errors = list(outcome.errors)
    errors.extend(_prefixed(error) for error in problems)
    errors.extend(_earlier_visit_problems(data, forms, today))
    if errors:
        return None, sorted(set(errors))
    return record, []


def check_visit_text(
    content: str | bytes, forms: FormCatalogue, today: dt.date | None = None
) -> tuple[VisitRecord | None, list[FieldError]]:
    """Read a visit file's bytes or text and check it completely: the reader for outside input.

    The same strict reading and limits as :func:`clinic_app.domain.visitfile.read_visit_text`, then
    the values of the current and of every earlier visit are checked against the forms. The
    exchange import and every command that takes a visit file use this one function.

    Args:
        content: the file's bytes (UTF-8, a byte-order mark allowed) or its text.
        forms: the form catalogue.
        today: the date treated as today.

    Returns:
        The record when there are no errors (else None), and every error with its path (``$`` when
        the content is not a JSON document within the limits).
    """
    try:
        data, errors = decode_visit_json(content)
    except UnreadableJsonError as exc:
        return None, [FieldError("$", str(exc))]
    if errors:
        return None, errors
    return check_visit_document(data, forms, today)


def _earlier_visit_problems(data: Any, forms: FormCatalogue, today: dt.date) -> list[FieldError]:
    """Check each earlier visit's values against the forms, as the current visit's are."""
    items = data.get("previous_visits") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or len(items) > MAX_PREVIOUS_VISITS:
        return []
    errors: list[FieldError] = []
    for index, item in enumerate(items):
        raw = item.get("results") if isinstance(item, Mapping) else None
        if not isinstance(raw, Mapping):
            continue
        results, _already_reported = flatten_results(raw, f"previous_visits[{index}].results")
        for error in validate(results, forms, today=today):
            errors.append(FieldError(f"previous_visits[{index}].results.{error.path}", error.message))
    return errors


def _prefixed(error: FieldError) -> FieldError:
    """Point a result error into the visit document (``results.…``); visit-level paths stay."""
    if error.path == "results" or error.path.startswith(("delivery.", "visit.")):
        return error
    return FieldError(f"results.{error.path}", error.message)
