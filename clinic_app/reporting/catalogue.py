"""Turn the assessment form catalogue into the print-only :class:`FormInfo` the renderers use.

Keeping a small print view (label, unit, choice labels, which side is better) lets the renderers be
tested with hand-made forms, and keeps every label in ``forms/*.toml`` rather than in this package.
"""

from __future__ import annotations

from clinic_app.assessment import FormCatalogue, load_forms
from clinic_app.reporting.inputs import FieldInfo, FormInfo


def forms_for_report(catalogue: FormCatalogue) -> tuple[FormInfo, ...]:
    """Return the print view of every form in exam order."""
    return tuple(
        FormInfo(
            id=form.id,
            title=form.title,
            fields=tuple(
                FieldInfo(
                    path=spec.path,
                    label=spec.label,
                    unit=spec.unit,
                    kind=spec.kind.value,
                    sided=spec.sided,
                    choice_labels={choice.id: choice.label for choice in spec.choices},
                    better=spec.better,
                    unit_field=spec.unit_field,
                )
                for spec in form.fields
            ),
        )
        for form in catalogue.forms
    )


def bundled_forms() -> tuple[FormInfo, ...]:
    """Return the print view of the bundled ``forms/`` folder."""
    return forms_for_report(load_forms())
