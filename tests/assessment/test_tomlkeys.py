"""Tests for the typed readers of form-file keys."""

from __future__ import annotations

import pytest

from clinic_app.assessment.tomlkeys import FormSpecError, flag, no_unknown_keys, number, text, unit_ranges

WHERE = "demo.toml, field 'x'"


def test_readers_return_typed_values_and_defaults() -> None:
    """Present keys are read with their type; absent keys give the documented defaults."""
    data = {"label": "  Gap ", "sided": True, "minimum": 0, "unit_ranges": {"cm": [0, 10]}}
    assert text(data, "label", WHERE) == "Gap"
    assert text(data, "help", WHERE) == ""
    assert flag(data, "sided", WHERE) is True and flag(data, "required", WHERE) is False
    assert number(data, "minimum", WHERE) == 0 and number(data, "maximum", WHERE) is None
    assert unit_ranges(data, WHERE) == (("cm", 0.0, 10.0),)
    no_unknown_keys(data, frozenset(data), WHERE)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: text({"label": 3}, "label", WHERE), "key 'label' must be text"),
        (lambda: text({"label": " "}, "label", WHERE, required=True), "key 'label' is required"),
        (lambda: flag({"sided": "yes"}, "sided", WHERE), "key 'sided' must be true or false"),
        (lambda: number({"minimum": True}, "minimum", WHERE), "key 'minimum' must be a number"),
        (lambda: unit_ranges({"unit_ranges": [1]}, WHERE), "must be a table"),
        (
            lambda: unit_ranges({"unit_ranges": {"mm": [10, 0]}}, WHERE),
            "entry 'mm' must be [minimum, maximum]",
        ),
        (lambda: no_unknown_keys({"maxium": 1}, frozenset({"maximum"}), WHERE), "unknown key 'maxium'"),
    ],
)
def test_readers_locate_the_problem(call: object, fragment: str) -> None:
    """Each wrong key raises FormSpecError naming where it is and which key."""
    with pytest.raises(FormSpecError) as raised:
        call()  # type: ignore[operator]
    assert str(raised.value).startswith(WHERE)
    assert fragment in str(raised.value)
