"""Shared fixtures for the assessment tests: the real form catalogue."""

from __future__ import annotations

import pytest

from clinic_app.assessment.spec import FormCatalogue, load_forms


@pytest.fixture(scope="session")
def forms() -> FormCatalogue:
    """The bundled forms, loaded once per test session."""
    return load_forms()
