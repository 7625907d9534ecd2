"""The widget registry: (kind, variant) → field widget factory, ("layout", kind) → layout renderer.

As in magicgui's type map and qt_jsonschema_form's ``WidgetBuilder``, the form file says what a
field is and the registry says how it is shown; a new kind of widget is one registration, not a
hand-written page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtWidgets import QWidget

from clinic_app.assessment.layout import LayoutSpec
from clinic_app.assessment.spec import FieldSpec, FormSpec
from clinic_app.ui.forms.base import FieldWidget
from clinic_app.ui.forms.layouts import RENDERERS, LayoutWidget
from clinic_app.ui.forms.widgets import FACTORIES

FieldFactory = Callable[[FieldSpec], FieldWidget]
"""Builds the widget of one field."""

LayoutRenderer = Callable[[LayoutSpec, FormSpec, Mapping[str, FieldWidget], QWidget | None], LayoutWidget]
"""Places already built field widgets (by field id) into one declared layout."""

LAYOUT = "layout"
"""First part of the key of a layout renderer: ``("layout", "grid")``."""


class UnknownWidgetError(LookupError):
    """No widget or layout renderer is registered for a (kind, variant) key."""


def variant_of(spec: FieldSpec) -> str:
    """Return the variant of a field: ``sided`` for left/right fields, else ``default``."""
    return "sided" if spec.sided else "default"


class WidgetRegistry:
    """Maps keys to widget factories and layout renderers.

    Keys are ``(kind, variant)`` for fields (``("number", "sided")``) and ``("layout", kind)``
    for layouts (``("layout", "grid")``).
    """

    def __init__(self) -> None:
        self._fields: dict[tuple[str, str], FieldFactory] = {}
        self._layouts: dict[str, LayoutRenderer] = {}

    def register(self, kind: str, variant: str, factory: FieldFactory) -> None:
        """Use ``factory`` for fields of ``kind`` and ``variant`` (replacing any earlier one)."""
        self._fields[(kind, variant)] = factory

    def register_layout(self, kind: str, renderer: LayoutRenderer) -> None:
        """Use ``renderer`` for layouts of ``kind``."""
        self._layouts[kind] = renderer

    def keys(self) -> Iterator[tuple[str, str]]:
        """Yield every registered key, fields first."""
        yield from self._fields
        yield from ((LAYOUT, kind) for kind in self._layouts)

    def factory(self, kind: str, variant: str) -> FieldFactory:
        """Return the factory for ``(kind, variant)``.

        Raises:
            UnknownWidgetError: when nothing is registered for it.
        """
        try:
            return self._fields[(kind, variant)]
        except KeyError:
            known = ", ".join(f"{k}/{v}" for k, v in sorted(self._fields))
            raise UnknownWidgetError(
                f"no widget is registered for kind '{kind}', variant '{variant}' (registered: {known})"
            ) from None

    def field_widget(self, spec: FieldSpec) -> FieldWidget:
        """Build the widget of one field.

        Raises:
            UnknownWidgetError: naming the field when its (kind, variant) has no factory.
        """
        try:
            factory = self.factory(spec.kind.value, variant_of(spec))
        except UnknownWidgetError as exc:
            raise UnknownWidgetError(f"field '{spec.path}': {exc}") from None
        return factory(spec)

    def layout_widget(
        self,
        layout: LayoutSpec,
        form: FormSpec,
        widgets: Mapping[str, FieldWidget],
        parent: QWidget | None = None,
    ) -> LayoutWidget:
        """Place the field widgets of one layout.

        Args:
            layout: the declared layout.
            form: the form it belongs to.
            widgets: field id → built widget (at least the layout's fields).
            parent: the owning widget.

        Raises:
            UnknownWidgetError: when no renderer is registered for the layout's kind.
        """
        renderer = self._layouts.get(layout.kind)
        if renderer is None:
            known = ", ".join(sorted(self._layouts))
            raise UnknownWidgetError(
                f"{form.id}, layout '{layout.title}': no renderer for layout kind '{layout.kind}' "
                f"(registered: {known})"
            )
        return renderer(layout, form, widgets, parent)


def default_registry() -> WidgetRegistry:
    """Return a registry with the standard widget of every kind and every layout renderer."""
    registry = WidgetRegistry()
    for (kind, variant), factory in FACTORIES.items():
        registry.register(kind, variant, factory)
    for kind, renderer in RENDERERS.items():
        registry.register_layout(kind, renderer)
    return registry
