"""The assessment and readiness packages import without cycles (type-checking imports included)."""

from __future__ import annotations

import grimp
import pytest


def _cycle_from(graph: grimp.ImportGraph, start: str, package: str) -> list[str] | None:
    """Return one import chain inside ``package`` that leads from ``start`` back to it, or None."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        module, chain = stack.pop()
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if not imported.startswith(package):
                continue
            if imported == start:
                return [*chain, imported]
            if imported not in seen:
                seen.add(imported)
                stack.append((imported, [*chain, imported]))
    return None


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """The import graph of the app, built the way import-linter builds it (TYPE_CHECKING included)."""
    return grimp.build_graph("clinic_app", cache_dir=None)


@pytest.mark.parametrize("package", ["clinic_app.assessment", "clinic_app.readiness"])
def test_no_import_cycle_inside_the_package(graph: grimp.ImportGraph, package: str) -> None:
    """No module reaches itself again through imports (spec → crossfield → rulecontext → spec was one)."""
    cycles = [c for m in sorted(graph.find_children(package)) if (c := _cycle_from(graph, m, package))]
    assert cycles == []


def test_form_types_are_the_same_objects_from_spec_and_formtypes() -> None:
    """Code that imports the form types from spec keeps working: they are re-exported, not copied."""
    from clinic_app.assessment import formtypes, spec

    assert spec.FormSpec is formtypes.FormSpec and spec.FieldSpec is formtypes.FieldSpec
    assert spec.FormCatalogue is formtypes.FormCatalogue and spec.MISSING_REASON == formtypes.MISSING_REASON
