"""``forms``: list the assessment batteries, or show one battery's fields.

Lets a clinician-developer check what the app will ask for — ids, kinds, units, ranges and the
source behind every field — and which readiness rules read the battery with the minimum each needs
before it counts as assessed (the protocol's ``[rules.ID.assessed]``), without starting the window.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clinic_app.assessment.layout import LayoutSpec
from clinic_app.assessment.spec import FieldSpec, FormCatalogue, FormSpec, FormSpecError, load_forms
from clinic_app.assessment.wording import format_range
from clinic_app.readiness.minimum import describe_minimum
from clinic_app.readiness.protocol import Protocol, ProtocolError, default_protocol, load_protocol


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``forms`` sub-command.

    Args:
        subparsers: the top-level sub-parser collection.
    """
    parser = subparsers.add_parser(
        "forms",
        help="list the assessment batteries, or show the fields of one",
        description="List the assessment batteries (id, title, number of fields), or show one with "
        "'forms show ID'.",
    )
    actions = parser.add_subparsers(dest="forms_action", metavar="ACTION")
    show = actions.add_parser("show", help="show the fields of one battery")
    show.add_argument("form_id", metavar="ID", help="battery id, e.g. diastasis")
    show.add_argument("--protocol", metavar="FILE",
                      help="readiness protocol whose minimums to show (default: the shipped one)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List the forms or show one; exit 2 for an unknown id, 1 when the forms cannot be read."""
    try:
        catalogue = load_forms()
    except (FormSpecError, OSError) as exc:
        print(f"Cannot read the assessment forms: {exc}", file=sys.stderr)
        return 1
    if getattr(args, "forms_action", None) == "show":
        try:
            protocol = load_protocol(args.protocol) if args.protocol else default_protocol()
        except ProtocolError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        return _show(catalogue, args.form_id, protocol)
    width = max(len(form.id) for form in catalogue)
    for form in catalogue:
        print(f"{form.id:<{width}}  {form.title}  ({len(form.fields)} fields)")
    return 0


def _show(catalogue: FormCatalogue, form_id: str, protocol: Protocol) -> int:
    """Print one form: heading, source, one line per field and its source, layouts, readiness rules."""
    form = catalogue.form(form_id)
    if form is None:
        known = ", ".join(f.id for f in catalogue)
        print(f"Unknown battery '{form_id}'. The batteries are: {known}", file=sys.stderr)
        return 2
    print(f"{form.title} [{form.id}]")
    print(form.description)
    print(f"Source: {form.source}")
    if form.rules:
        print(f"Cross-field rules: {', '.join(form.rules)}")
    print()
    for spec in form.fields:
        print(f"  {spec.id}{' (left/right)' if spec.sided else ''}{' *required' if spec.required else ''}")
        print(f"      {spec.label} — {_describe(spec)}")
        print(f"      source: {spec.source}")
    if form.layouts:
        print()
        print("Layouts:")
        for layout in form.layouts:
            for line in _describe_layout(layout):
                print(f"  {line}")
    rules = _rules_reading(form, protocol)
    if rules:
        print()
        print(f"Readiness rules that read this battery ({protocol.id} {protocol.version}):")
        for line in rules:
            print(f"  {line}")
    return 0


def _rules_reading(form: FormSpec, protocol: Protocol) -> list[str]:
    """Each rule with an input in ``form``: id, title, gate or check, and its minimum in words."""
    lines = []
    prefix = f"{form.id}."
    for rule in protocol.rules.values():
        if not any(path.startswith(prefix) for path in (*rule.inputs, *rule.assessed.paths())):
            continue
        role = "gate" if rule.gate else "check"
        lines.append(f"{rule.id} {rule.title} ({role})")
        lines.append(f"    assessed once recorded: {describe_minimum(rule.assessed, protocol)}")
    return lines


def _describe_layout(layout: LayoutSpec) -> list[str]:
    """A layout as lines: kind and title, then where each field sits, then the derived measure."""
    lines = [f"{layout.kind} '{layout.title}'"]
    if layout.above:
        lines.append(f"    above: {', '.join(layout.above)}")
    if layout.columns:
        lines.append(f"    columns: {' | '.join(layout.columns)}")
    for index, row in enumerate(layout.rows):
        heading = f"{layout.row_labels[index]}: " if layout.row_labels else ""
        lines.append(f"    {heading}{' | '.join(row)}")
    if layout.fields:
        lines.append(f"    {' | '.join(layout.fields)}")
    if layout.derived:
        lines.append(f"    shows: {layout.derived}")
    return lines


def _describe(spec: FieldSpec) -> str:
    """Kind, unit and range (or options) of a field in a few words."""
    parts = [spec.kind.value]
    if spec.unit_field:
        ranges = "; ".join(
            f"{format_range(low, high, unit.replace('_', '-'))}" for unit, low, high in spec.unit_ranges
        )
        parts.append(f"unit from {spec.unit_field}: {ranges}")
    elif spec.kind.numeric:
        parts.append(format_range(spec.minimum, spec.maximum, spec.unit))
    if spec.allowed:
        parts.append("scores " + ", ".join(str(v) for v in spec.allowed))
    if spec.choices:
        parts.append("options " + ", ".join(spec.choice_ids))
    return ", ".join(parts)
