"""Declarative assessment forms: read ``forms/*.toml`` into the catalogue of form specs.

A form file is clinical content, edited by clinician-developers (``docs/design/forms.md``). This
module turns it into the frozen dataclasses of :mod:`clinic_app.assessment.formtypes` (re-exported
here, where callers have always found them) and refuses a malformed file with a :class:`FormSpecError`
that names the file, the field and the key, so a typo fails loudly at start-up instead of silently
dropping a test from the exam. Standard library only: the installed wheel loads forms with nothing
else.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from clinic_app.assessment.crossfield import RULES
from clinic_app.assessment.formtypes import MISSING_REASON as MISSING_REASON
from clinic_app.assessment.formtypes import ChoiceSpec as ChoiceSpec
from clinic_app.assessment.formtypes import FieldKind as FieldKind
from clinic_app.assessment.formtypes import FieldSpec as FieldSpec
from clinic_app.assessment.formtypes import FormCatalogue as FormCatalogue
from clinic_app.assessment.formtypes import FormSpec as FormSpec
from clinic_app.assessment.layout import parse_layouts
from clinic_app.assessment.tomlkeys import FormSpecError as FormSpecError  # re-exported: part of this API
from clinic_app.assessment.tomlkeys import flag, no_unknown_keys, number, text, unit_ranges
from clinic_app.resources import forms_folder

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
