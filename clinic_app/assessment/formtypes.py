"""The types of the declarative assessment forms: fields, choices, forms and the catalogue.

They are kept apart from the parser (:mod:`clinic_app.assessment.spec`) so that the cross-field rules
can name :class:`FormSpec` while the parser imports the rules to check rule names, without a
circular import (spec → crossfield → rulecontext would otherwise lead back to spec). Standard
library only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from clinic_app.assessment.layout import LayoutSpec
from clinic_app.domain.enums import Side

MISSING_REASON = "missing_reason"
"""Path suffix of the reason recorded when one side of a sided field is missing."""


class FieldKind(StrEnum):
    """What kind of value a field records (the field contract's vocabulary)."""

    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    TEXT = "text"
    DATE = "date"

    @property
    def numeric(self) -> bool:
        """True for kinds that carry a number with a unit and a range."""
        return self in (FieldKind.INTEGER, FieldKind.NUMBER)


@dataclass(frozen=True, slots=True)
class ChoiceSpec:
    """One option of a choice or multichoice field.

    Attributes:
        id: the stored value.
        label: the wording shown to the clinician.
        exclusive: True when this option cannot be combined with others (``none``).
    """

    id: str
    label: str
    exclusive: bool = False


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One recorded value of a form, with everything a widget, a validator and a report need.

    Attributes:
        form_id: id of the form that owns the field.
        id: field id, unique within the form (``docs/design/field-contract.md``).
        label: the clinician's wording for the measurement.
        kind: the kind of value.
        unit: unit of a numeric value as stored (never converted).
        minimum: lowest plausible value (inclusive), when the unit is fixed.
        maximum: highest plausible value (inclusive), when the unit is fixed.
        required: must be recorded whenever anything else in the form is recorded.
        choices: options of a choice or multichoice field.
        sided: recorded separately for the left and the right side.
        group: heading under which the UI groups the field.
        help: short how-to-measure text.
        source: the CLINICAL.md section and literature behind the field.
        allowed: the only permitted values of a discrete integer scale (ICIQ item 4).
        unit_field: id of the field in the same form that holds this field's unit.
        unit_ranges: plausible range per unit when the unit comes from ``unit_field``.
        better: ``"higher"`` or ``"lower"`` for sided measures with a limb symmetry index.
    """

    form_id: str
    id: str
    label: str
    kind: FieldKind
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    choices: tuple[ChoiceSpec, ...] = ()
    sided: bool = False
    group: str = ""
    help: str = ""
    source: str = ""
    allowed: tuple[int, ...] = ()
    unit_field: str = ""
    unit_ranges: tuple[tuple[str, float, float], ...] = ()
    better: str = ""

    @property
    def path(self) -> str:
        """The field path ``form.field`` (sided values add ``.left`` / ``.right``)."""
        return f"{self.form_id}.{self.id}"

    @property
    def choice_ids(self) -> tuple[str, ...]:
        """The stored ids of the options, in display order."""
        return tuple(choice.id for choice in self.choices)

    def choice_label(self, choice_id: str) -> str:
        """Return the label of an option, or the id itself when it is not an option."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.label
        return choice_id

    def range_for_unit(self, unit: str) -> tuple[float, float] | None:
        """Return the plausible range of a ``unit_field`` measurement recorded in ``unit``."""
        for name, low, high in self.unit_ranges:
            if name == unit:
                return low, high
        return None


@dataclass(frozen=True, slots=True)
class FormSpec:
    """One assessment battery (one TOML file), its fields in display order.

    Attributes:
        id: form id, the first part of every field path.
        title: heading shown to the clinician.
        order: position in the exam (lower first).
        description: what the battery covers and why.
        source: CLINICAL.md sections and literature for the battery as a whole.
        fields: the fields in display order.
        rules: names of cross-field rules (``clinic_app.assessment.crossfield``) that apply.
        file_name: the file it was read from, for error messages.
        layouts: arrangements of some fields (``[[layout]]``, :mod:`clinic_app.assessment.layout`).
    """

    id: str
    title: str
    order: int
    description: str
    source: str
    fields: tuple[FieldSpec, ...]
    rules: tuple[str, ...] = ()
    file_name: str = ""
    layouts: tuple[LayoutSpec, ...] = ()

    def field(self, field_id: str) -> FieldSpec | None:
        """Return the field with ``field_id``, or None."""
        for spec in self.fields:
            if spec.id == field_id:
                return spec
        return None

    def layout_of(self, field_id: str) -> LayoutSpec | None:
        """Return the layout that places ``field_id``, or None when it sits in the plain list."""
        for layout in self.layouts:
            if field_id in layout.field_ids:
                return layout
        return None


@dataclass(frozen=True, slots=True)
class FormCatalogue:
    """Every form of the clinic, sorted by ``order``, with look-ups by id and by field path."""

    forms: tuple[FormSpec, ...]
    _by_id: Mapping[str, FormSpec] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {form.id: form for form in self.forms})

    def __iter__(self) -> Iterator[FormSpec]:
        return iter(self.forms)

    def __len__(self) -> int:
        return len(self.forms)

    def form(self, form_id: str) -> FormSpec | None:
        """Return the form with ``form_id``, or None."""
        return self._by_id.get(form_id)

    def field_by_path(self, path: str) -> FieldSpec | None:
        """Return the field a value path refers to, or None when the path names no field.

        Accepts ``form.field`` and, for sided fields, ``form.field.left``, ``.right`` and
        ``.missing_reason``.
        """
        parts = path.split(".")
        if len(parts) not in (2, 3):
            return None
        form = self._by_id.get(parts[0])
        spec = form.field(parts[1]) if form is not None else None
        if spec is None:
            return None
        if len(parts) == 3 and not (spec.sided and parts[2] in _SIDE_SUFFIXES):
            return None
        return spec

    def all_fields(self) -> Iterator[FieldSpec]:
        """Yield every field of every form in exam order."""
        for form in self.forms:
            yield from form.fields


_SIDE_SUFFIXES = frozenset({Side.LEFT.value, Side.RIGHT.value, MISSING_REASON})
