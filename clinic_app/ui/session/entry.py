"""Where the runner's values go: into the visit editor's own fields, as if she had typed them.

The runner is a way of entering, not a second store. :class:`EditorEntry` hands values to the
editor's binder (:meth:`VisitBinder.apply`) and then announces the change from the page that owns
each field — the very signal a keystroke sends — so the editor's normal path runs: validation with
the message at the field, the live proposal, the recovery journal, "unsaved changes", and Save.
What the runner shows back (the value in the visit, the editor's error) is read from those widgets.
"""

from __future__ import annotations

from collections.abc import Mapping

from clinic_app.domain.model import Value
from clinic_app.services.clinic import forms
from clinic_app.ui.visit.editor import VisitEditor


class EditorEntry:
    """The runner's handle on one open visit of the visit editor."""

    def __init__(self, editor: VisitEditor) -> None:
        self.editor = editor
        self.visit_id = editor.visit_id

    def writable(self) -> bool:
        """True while the same visit is open and it is a draft (a signed visit is read-only)."""
        editor = self.editor
        return editor.record is not None and editor.visit_id == self.visit_id and not editor.read_only

    def write(self, values: Mapping[str, Value | None]) -> bool:
        """Put ``values`` into the editor's fields and let the editor check them; False when refused.

        Args:
            values: field path → value (None empties the field).
        """
        if not values or not self.writable():
            return False
        binder = self.editor.binder
        binder.apply(values)
        owners = {binder.owner_of(path) for path in values}
        for form_id in sorted(owner for owner in owners if owner is not None):
            # The page's own change signal: the editor reacts exactly as to a keystroke.
            self.editor.pages[form_id].values_did_change.emit(form_id)
        return True

    def value(self, path: str) -> Value | None:
        """The value the editor's field shows now (raw, as the binder collects it)."""
        form_id = self.editor.binder.owner_of(path)
        if form_id is None:
            return None
        return self.editor.pages[form_id].values().get(path)

    def message(self, path: str) -> str:
        """The editor's error message shown at ``path`` (or at its whole field), "" when none."""
        form_id = self.editor.binder.owner_of(path)
        if form_id is None:
            return ""
        widget = self.editor.pages[form_id].widget_for(path)
        if widget is None:
            return ""
        errors = widget.errors()
        return errors.get(path) or errors.get(widget.spec.path) or ""

    def label(self, path: str) -> str:
        """The field's label as the editor's messages name it ("S1 Single-leg calf raise (left)")."""
        spec = forms().field_by_path(path)
        if spec is None:
            return path
        side = path.rsplit(".", 1)[-1] if path.count(".") == 2 else ""
        return f"{spec.label} ({side})" if side in ("left", "right") else spec.label
