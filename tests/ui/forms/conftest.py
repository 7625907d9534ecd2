"""Fixtures for the form widget tests: the real form catalogue and sample values per kind."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clinic_app.assessment.spec import FieldKind, FieldSpec, FormCatalogue, FormSpec
from clinic_app.domain.model import Value
from clinic_app.services.clinic import forms


@pytest.fixture(scope="session")
def catalogue() -> FormCatalogue:
    """The bundled forms, as the window loads them."""
    return forms()


@pytest.fixture
def form_of(catalogue: FormCatalogue) -> Callable[[str], FormSpec]:
    """Look a bundled form up by id, failing the test when it is missing."""

    def look_up(form_id: str) -> FormSpec:
        form = catalogue.form(form_id)
        assert form is not None, form_id
        return form

    return look_up


@pytest.fixture
def sample() -> Callable[[FieldSpec], dict[str, Value]]:
    """Make a recorded value for every path of a field (see :func:`sample_values`)."""
    return sample_values


def sample_values(spec: FieldSpec) -> dict[str, Value]:
    """A recorded value for every path of a field, of the type its kind stores."""
    if spec.sided:
        return {f"{spec.path}.left": 12, f"{spec.path}.right": 10.5, f"{spec.path}.missing_reason": "n/a"}
    value: Value
    if spec.kind is FieldKind.INTEGER:
        value = 3
    elif spec.kind is FieldKind.NUMBER:
        value = 2.5
    elif spec.kind is FieldKind.BOOLEAN:
        value = False
    elif spec.kind is FieldKind.CHOICE:
        value = spec.choice_ids[-1]
    elif spec.kind is FieldKind.MULTICHOICE:
        plain = [choice.id for choice in spec.choices if not choice.exclusive]
        value = tuple(plain[:2])
    elif spec.kind is FieldKind.TEXT:
        value = "left SIJ, after 5 min"
    else:
        value = "2024-05-01"
    return {spec.path: value}
