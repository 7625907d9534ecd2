"""Live evaluation of a visit being typed: field errors, the proposal and the derived measures.

The desktop editor calls :func:`evaluate` after every change. It is pure — no database, no thread
hop — because validation and the readiness engine take well under a millisecond. The proposal is
computed on the values that passed validation only, so a value the forms refuse counts as not
recorded (never as a pass), exactly as it would once the clinician fixes or clears it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from clinic_app.assessment import measures, validate
from clinic_app.domain.errors import FieldError
from clinic_app.domain.ids import FieldPath
from clinic_app.domain.model import Results, Value
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.readiness.decision import Decision
from clinic_app.readiness.engine import assess
from clinic_app.readiness.protocol import Protocol
from clinic_app.services.clinic import forms

POPQ_STAGE_KEY = "prolapse.popq_stage"
"""Measure key of the live POP-Q stage (the ``derived = "popq_stage"`` of the prolapse layout)."""


@dataclass(frozen=True, slots=True)
class LiveEvaluation:
    """What the editor shows for the values typed so far.

    Attributes:
        errors: every field error, sorted by path.
        messages: the message for each path (several for one path are joined).
        decision: the engine's proposal on the valid values, or None when the visit cannot be
            assessed at all (e.g. no delivery recorded).
        measures: live derived values by key: a sided field path → "LSI 92 % · weaker: left",
            ``prolapse.popq_stage`` → "II (computed from the nine points)".
    """

    errors: tuple[FieldError, ...]
    messages: Mapping[str, str] = field(default_factory=dict)
    decision: Decision | None = None
    measures: Mapping[str, str] = field(default_factory=dict)


def clean_values(values: Mapping[str, Value | None]) -> Results:
    """Return the typed values as results: empty inputs (None or blank text) are "not recorded"."""
    out: dict[FieldPath, Value] = {}
    for path, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()) or value == ():
            continue
        out[FieldPath(path)] = value.strip() if isinstance(value, str) else value
    return Results(out)


def check(record: VisitRecord, results: Results, *, today: dt.date | None = None) -> tuple[FieldError, ...]:
    """Return the field errors of ``results`` for this visit (the same check a save makes)."""
    return tuple(
        validate(
            results,
            forms(),
            visit_date=record.visit.visit_date,
            delivery_date=record.delivery.delivery_date,
            today=today,
        )
    )


def messages_of(errors: tuple[FieldError, ...]) -> dict[str, str]:
    """Return one message per path (several messages for one path are joined)."""
    messages: dict[str, str] = {}
    for error in errors:
        earlier = messages.get(error.path)
        messages[error.path] = f"{earlier} {error.message}" if earlier else error.message
    return messages


def evaluate(
    record: VisitRecord,
    results: Results,
    *,
    protocol: Protocol | None = None,
    today: dt.date | None = None,
    errors: tuple[FieldError, ...] | None = None,
) -> LiveEvaluation:
    """Validate the typed values, propose on the valid ones and compute the live measures.

    Args:
        record: the visit as loaded (patient, delivery, clinician, earlier visits).
        results: the values typed so far (see :func:`clean_values`).
        protocol: the clinic's protocol (default protocol when None).
        today: date treated as today for date checks.
        errors: the result of :func:`check` on these very results, when the caller has it already
            (the editor shows messages at once and proposes a moment later).
    """
    if errors is None:
        errors = check(record, results, today=today)
    messages = messages_of(errors)
    bad = set(messages)
    valid = Results({path: value for path, value in results.items() if path not in bad})
    visit = dataclasses.replace(record.visit, results=valid)
    decision = assess(dataclasses.replace(record, visit=visit), protocol)
    return LiveEvaluation(errors, messages, decision, live_measures(valid))


def live_measures(results: Results) -> dict[str, str]:
    """Return the derived values the editor shows beside the inputs (computed by the core, not the UI)."""
    out: dict[str, str] = {}
    for spec in forms().all_fields():
        if not (spec.sided and spec.better):
            continue
        symmetry = measures.limb_symmetry_of(results, spec)
        if symmetry is None:
            continue
        weaker = f"weaker: {symmetry.weaker_side.value}" if symmetry.weaker_side else "sides equal"
        out[spec.path] = f"LSI {symmetry.index:.0f} % · {weaker}"
    stage = measures.popq_stage_from(results)
    if stage is not None:
        out[POPQ_STAGE_KEY] = f"{stage.roman} (computed from the nine points)"
    return out


def previous_results(record: VisitRecord) -> Results:
    """Return the values of the most recent earlier visit (placeholders and "copy from last visit")."""
    return record.previous[-1].results if record.previous else Results()


def copy_form(previous: Results, form_id: str) -> dict[str, Value]:
    """Return the earlier visit's values of one battery, to fill in on purpose."""
    return {str(path): value for path, value in previous.form(form_id).items()}
