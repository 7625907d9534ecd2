"""The assessment battery as declarative forms (``forms/*.toml``) and their validation.

``spec`` loads the forms, ``validate`` checks recorded values against them (with the cross-field
rules of ``crossfield``), and ``measures`` reads derived values (POP-Q stage, ICIQ total, limb
symmetry …) out of recorded results for the readiness engine and the reports. Standard library and
:mod:`clinic_app.domain` only, so an installed wheel can load and check forms with nothing else.
"""

from __future__ import annotations

from clinic_app.assessment.spec import (
    ChoiceSpec,
    FieldKind,
    FieldSpec,
    FormCatalogue,
    FormSpec,
    FormSpecError,
    load_forms,
)
from clinic_app.assessment.validate import check_visit_document, check_visit_text, validate

__all__ = [
    "ChoiceSpec",
    "FieldKind",
    "FieldSpec",
    "FormCatalogue",
    "FormSpec",
    "FormSpecError",
    "check_visit_document",
    "check_visit_text",
    "load_forms",
    "validate",
]
