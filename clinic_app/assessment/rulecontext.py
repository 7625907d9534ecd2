"""What a cross-field rule sees of one form, and the two checks every form gets.

Rules (:mod:`clinic_app.assessment.crossfield`) read a :class:`RuleInput`: the values that passed
their own field checks plus the set of everything recorded, so a wrong value is reported once by its
field check and a rule can still tell "recorded but invalid" from "not recorded".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from clinic_app.assessment.formtypes import FormSpec
from clinic_app.domain.errors import FieldError


@dataclass(frozen=True, slots=True)
class RuleInput:
    """What a rule may read about one form.

    Attributes:
        form: the form being checked.
        values: values that passed their field checks, keyed by ``field`` or ``field.side``.
        recorded: every key that was recorded at all, valid or not.
    """

    form: FormSpec
    values: Mapping[str, object]
    recorded: frozenset[str]

    def get(self, key: str) -> object:
        """Return a valid value, or None when absent or invalid."""
        return self.values.get(key)

    def number(self, key: str) -> float | None:
        """Return a valid numeric value, or None."""
        value = self.values.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)

    def has(self, key: str) -> bool:
        """True when anything was recorded at ``key`` (even an invalid value)."""
        return key in self.recorded

    def label(self, field_id: str) -> str:
        """The clinician's label of a field (the id when the form lacks it)."""
        spec = self.form.field(field_id.split(".")[0])
        return spec.label if spec is not None else field_id

    def error(self, key: str, message: str) -> FieldError:
        """An error at ``form.key`` whose message starts with the field's label."""
        return FieldError(f"{self.form.id}.{key}", f"{self.label(key)}: {message}")

    def choice_label(self, field_id: str) -> str:
        """The label of the option chosen in ``field_id`` (empty when none)."""
        value = self.values.get(field_id)
        spec = self.form.field(field_id)
        if not isinstance(value, str) or spec is None:
            return ""
        return spec.choice_label(value)


Rule = Callable[[RuleInput], list[FieldError]]
"""A cross-field rule: errors for one form, empty when it holds."""


# --- checks every form gets --------------------------------------------------------------------


def check_required(form: RuleInput) -> list[FieldError]:
    """Fields marked ``required`` must be recorded once anything else in the form is recorded."""
    if not form.recorded:
        return []
    recorded_fields = {key.split(".")[0] for key in form.recorded}
    return [
        form.error(spec.id, f"required when {form.form.title} is recorded")
        for spec in form.form.fields
        if spec.required and spec.id not in recorded_fields
    ]


def check_sides(form: RuleInput) -> list[FieldError]:
    """A sided value needs both sides, or a reason why one side is missing."""
    errors: list[FieldError] = []
    for spec in form.form.fields:
        if not spec.sided:
            continue
        present = [side for side in ("left", "right") if form.has(f"{spec.id}.{side}")]
        if len(present) != 1 or form.has(f"{spec.id}.missing_reason"):
            continue
        missing = "right" if present == ["left"] else "left"
        errors.append(
            form.error(
                f"{spec.id}.{missing}",
                f"the {missing} side is missing — record it or give a reason at {spec.id}.missing_reason",
            )
        )
    return errors


ALWAYS: tuple[Rule, ...] = (check_required, check_sides)
"""Checks applied to every form, whatever its ``rules`` list says."""
