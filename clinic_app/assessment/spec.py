"""Declarative assessment forms: the specs read from ``forms/*.toml`` and the catalogue of them.

A form file is clinical content, edited by clinician-developers (``docs/design/forms.md``). This
module turns it into frozen dataclasses and refuses a malformed file with a :class:`FormSpecError`
that names the file, the field and the key, so a typo fails loudly at start-up instead of silently
dropping a test from the exam. Standard library only: the installed wheel loads forms with nothing
else.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from clinic_app.assessment.layout import LayoutSpec, parse_layouts
from clinic_app.assessment.tomlkeys import FormSpecError as FormSpecError  # re-exported: part of this API
from clinic_app.assessment.tomlkeys import flag, no_unknown_keys, number, text, unit_ranges
from clinic_app.domain.enums import Side
from clinic_app.resources import forms_folder

MISSING_REASON = "missing_reason"
"""Path suffix of the reason recorded when one side of a sided field is missing."""

_FORM_KEYS = frozenset({"id", "title", "order", "description", "source", "rules", "fields", "layout"})
_FIELD_KEYS = frozenset(
    {
        "id",
        "label",
        "kind",
        "unit",
        "minimum",
        "maximum",
        "required",
        "choices",
        "sided",
        "group",
        "help",
        "source",
        "allowed",
        "unit_field",
        "unit_ranges",
        "better",
    }
)
_CHOICE_KEYS = frozenset({"id", "label", "exclusive"})


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


def load_forms(folder: Traversable | Path | None = None) -> FormCatalogue:
    """Read every ``*.toml`` form in ``folder`` (default: the bundled forms folder).

    Args:
        folder: where to read from; tests pass a temporary folder.

    Returns:
        The catalogue, forms sorted by ``order`` then id.

    Raises:
        FormSpecError: if a file is not valid TOML, misses a key, has a wrong type, repeats an id
            or names an unknown cross-field rule.
    """
    base = folder if folder is not None else forms_folder()
    forms: list[FormSpec] = []
    for entry in sorted(base.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".toml") or not entry.is_file():
            continue
        try:
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise FormSpecError(f"{entry.name}: not a readable TOML file ({exc})") from exc
        forms.append(parse_form(data, entry.name))
    seen: dict[str, str] = {}
    for form in forms:
        if form.id in seen:
            raise FormSpecError(f"{form.file_name}: form id '{form.id}' is already used by {seen[form.id]}")
        seen[form.id] = form.file_name
    forms.sort(key=lambda form: (form.order, form.id))
    return FormCatalogue(tuple(forms))


def parse_form(data: Mapping[str, Any], file_name: str) -> FormSpec:
    """Build a :class:`FormSpec` from one decoded TOML document.

    Args:
        data: the decoded file.
        file_name: used in error messages.

    Raises:
        FormSpecError: naming the file, field and key of the first problem found.
    """
    # Imported here, not at the top, only to break the cycle crossfield → spec (type hints).
    from clinic_app.assessment.crossfield import RULES

    where = file_name
    no_unknown_keys(data, _FORM_KEYS, where)
    form_id = text(data, "id", where, required=True)
    order = data.get("order")
    if isinstance(order, bool) or not isinstance(order, int):
        raise FormSpecError(f"{where}: key 'order' must be a whole number")
    rules = data.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(rule, str) for rule in rules):
        raise FormSpecError(f"{where}: key 'rules' must be a list of rule names")
    for rule in rules:
        if rule not in RULES:
            raise FormSpecError(f"{where}: key 'rules' names unknown rule '{rule}'")
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise FormSpecError(f"{where}: needs at least one [[fields]] table")
    fields = tuple(
        _parse_field(raw, form_id, f"{where}, field #{index + 1}") for index, raw in enumerate(raw_fields)
    )
    ids = [spec.id for spec in fields]
    for spec in fields:
        if ids.count(spec.id) > 1:
            raise FormSpecError(f"{where}, field '{spec.id}': id is used more than once")
        if spec.unit_field:
            unit_spec = next((other for other in fields if other.id == spec.unit_field), None)
            if unit_spec is None or unit_spec.kind is not FieldKind.CHOICE:
                raise FormSpecError(
                    f"{where}, field '{spec.id}': key 'unit_field' must name a choice field of this form"
                )
            missing = set(unit_spec.choice_ids) - {name for name, _, _ in spec.unit_ranges}
            if missing:
                raise FormSpecError(
                    f"{where}, field '{spec.id}': key 'unit_ranges' lacks {', '.join(sorted(missing))}"
                )
    return FormSpec(
        id=form_id,
        title=text(data, "title", where, required=True),
        order=order,
        description=text(data, "description", where, required=True),
        source=text(data, "source", where, required=True),
        fields=fields,
        rules=tuple(rules),
        file_name=file_name,
        layouts=parse_layouts(data.get("layout"), ids, file_name),
    )


def _parse_field(raw: Any, form_id: str, where: str) -> FieldSpec:
    """Build one :class:`FieldSpec`, checking every key against its kind."""
    if not isinstance(raw, Mapping):
        raise FormSpecError(f"{where}: must be a table")
    field_id = text(raw, "id", where, required=True)
    where = f"{where.split(', field #')[0]}, field '{field_id}'"
    no_unknown_keys(raw, _FIELD_KEYS, where)
    kind_text = text(raw, "kind", where, required=True)
    try:
        kind = FieldKind(kind_text)
    except ValueError:
        allowed = ", ".join(k.value for k in FieldKind)
        raise FormSpecError(f"{where}: key 'kind' is '{kind_text}', expected one of {allowed}") from None
    minimum = number(raw, "minimum", where)
    maximum = number(raw, "maximum", where)
    if minimum is not None and maximum is not None and minimum > maximum:
        raise FormSpecError(f"{where}: key 'minimum' is above 'maximum'")
    if (minimum is not None or maximum is not None) and not kind.numeric:
        raise FormSpecError(f"{where}: key 'minimum'/'maximum' only applies to integer and number fields")
    choices = _choices(raw, where)
    if kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE) and not choices:
        raise FormSpecError(f"{where}: key 'choices' is required for a {kind.value} field")
    if choices and kind not in (FieldKind.CHOICE, FieldKind.MULTICHOICE):
        raise FormSpecError(f"{where}: key 'choices' only applies to choice and multichoice fields")
    allowed = raw.get("allowed", [])
    if not isinstance(allowed, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in allowed
    ):
        raise FormSpecError(f"{where}: key 'allowed' must be a list of whole numbers")
    if allowed and kind is not FieldKind.INTEGER:
        raise FormSpecError(f"{where}: key 'allowed' only applies to integer fields")
    unit_field = text(raw, "unit_field", where)
    ranges = unit_ranges(raw, where)
    if bool(unit_field) != bool(ranges):
        raise FormSpecError(f"{where}: keys 'unit_field' and 'unit_ranges' go together")
    better = text(raw, "better", where)
    if better not in ("", "higher", "lower"):
        raise FormSpecError(f"{where}: key 'better' must be 'higher' or 'lower'")
    sided = flag(raw, "sided", where)
    if better and not (sided and kind.numeric):
        raise FormSpecError(f"{where}: key 'better' only applies to sided numeric fields")
    return FieldSpec(
        form_id=form_id,
        id=field_id,
        label=text(raw, "label", where, required=True),
        kind=kind,
        unit=text(raw, "unit", where),
        minimum=minimum,
        maximum=maximum,
        required=flag(raw, "required", where),
        choices=choices,
        sided=sided,
        group=text(raw, "group", where),
        help=text(raw, "help", where),
        source=text(raw, "source", where, required=True),
        allowed=tuple(allowed),
        unit_field=unit_field,
        unit_ranges=ranges,
        better=better,
    )


def _choices(data: Mapping[str, Any], where: str) -> tuple[ChoiceSpec, ...]:
    raw = data.get("choices", [])
    if not isinstance(raw, list):
        raise FormSpecError(f"{where}: key 'choices' must be a list of {{id, label}} tables")
    out: list[ChoiceSpec] = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise FormSpecError(f"{where}: key 'choices' must hold {{id, label}} tables")
        no_unknown_keys(item, _CHOICE_KEYS, f"{where}, choices")
        choice_id = text(item, "id", f"{where}, choices", required=True)
        if any(existing.id == choice_id for existing in out):
            raise FormSpecError(f"{where}: key 'choices' repeats id '{choice_id}'")
        out.append(
            ChoiceSpec(
                choice_id,
                text(item, "label", f"{where}, choice '{choice_id}'", required=True),
                flag(item, "exclusive", f"{where}, choice '{choice_id}'"),
            )
        )
    return tuple(out)
