"""Tests for the widget registry: default keys, custom factories and unknown keys."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from clinic_app.assessment.layout import LayoutSpec
from clinic_app.assessment.spec import FieldKind, FieldSpec, FormSpec
from clinic_app.ui.forms.base import FieldWidget
from clinic_app.ui.forms.page import BatteryPage
from clinic_app.ui.forms.registry import UnknownWidgetError, WidgetRegistry, default_registry
from clinic_app.ui.forms.widgets import text_widget

FormOf = Callable[[str], FormSpec]


def test_default_registry_covers_every_kind_and_layout() -> None:
    """Every kind has a default widget, numbers a sided one, and each layout kind a renderer."""
    keys = set(default_registry().keys())
    assert {(kind.value, "default") for kind in FieldKind} <= keys
    assert {("integer", "sided"), ("number", "sided")} <= keys
    assert {("layout", "grid"), ("layout", "table"), ("layout", "task")} <= keys


def test_unknown_kind_variant_is_a_clear_error(form_of: FormOf) -> None:
    """A (kind, variant) without a factory names the field and the key."""
    spec = form_of("prolapse").field("system")
    assert spec is not None
    sided_choice = dataclasses.replace(spec, sided=True)
    with pytest.raises(UnknownWidgetError, match=r"prolapse\.system.*kind 'choice', variant 'sided'"):
        default_registry().field_widget(sided_choice)
    with pytest.raises(UnknownWidgetError, match="kind 'slider'"):
        WidgetRegistry().factory("slider", "default")


def test_unknown_layout_kind_is_a_clear_error(form_of: FormOf) -> None:
    """A layout kind without a renderer names the form and the layout."""
    form = form_of("prolapse")
    layout = LayoutSpec(kind="grid", title="POP-Q", rows=(("popq_aa",),))
    with pytest.raises(UnknownWidgetError, match="prolapse, layout 'POP-Q'"):
        WidgetRegistry().layout_widget(layout, form, {})


def test_page_uses_a_registered_factory(qtbot: QtBot, form_of: FormOf) -> None:
    """Registering a factory changes the widget a page builds, with no page code."""
    built: list[str] = []

    def recording(spec: FieldSpec) -> FieldWidget:
        built.append(spec.id)
        return text_widget(spec)

    registry = default_registry()
    registry.register("boolean", "default", recording)
    page = BatteryPage(form_of("prolapse"), registry)
    qtbot.addWidget(page)
    assert built == ["consent", "hysterectomy", "support_device"]
