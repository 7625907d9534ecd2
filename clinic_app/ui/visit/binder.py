"""Values ↔ widgets for a whole visit: load, collect, route errors and measures, track battery state.

The binder is the only place that moves values between the battery pages and plain data
(STYLE.md habit 5: explicit ``load()`` / ``collect()``). It knows nothing about validation or the
engine: it routes what :mod:`clinic_app.services.editing` says to the page that owns each path.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from clinic_app.domain.model import Results, Value
from clinic_app.ui.forms.page import BatteryPage


class BatteryState(StrEnum):
    """What the navigation list shows for one battery (a symbol and words, never colour alone)."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"
    HAS_ERRORS = "has errors"

    @property
    def symbol(self) -> str:
        """A glyph that tells the state apart without colour."""
        return {"not started": "○", "in progress": "◐", "complete": "●", "has errors": "✖"}[self.value]


class VisitBinder:
    """Moves one visit's values between plain data and its battery pages."""

    def __init__(self, pages: Mapping[str, BatteryPage]) -> None:
        self.pages = dict(pages)
        self._owner: dict[str, str] = {}
        for form_id, page in self.pages.items():
            for path in page.paths():
                self._owner[path] = form_id
        self._messages: dict[str, str] = {}
        self._shown: dict[str, dict[str, str]] = {}

    def owner_of(self, path: str) -> str | None:
        """Return the battery (form id) whose page shows ``path``."""
        if path in self._owner:
            return self._owner[path]
        form_id = path.split(".", 1)[0]
        return form_id if form_id in self.pages else None

    def load(self, results: Mapping[str, Value | None]) -> None:
        """Show these values on every page (fields not in ``results`` are emptied)."""
        self._shown.clear()
        for form_id, page in self.pages.items():
            prefix = f"{form_id}."
            page.set_values(
                {path: results.get(path) for path in page.paths()}
                | {str(k): v for k, v in results.items() if str(k).startswith(prefix)}
            )
        self.route_errors({})

    def apply(self, values: Mapping[str, Value | None]) -> None:
        """Fill some values on purpose (copy from last visit, restore from the journal)."""
        by_form: dict[str, dict[str, Value | None]] = {}
        for path, value in values.items():
            form_id = self.owner_of(path)
            if form_id is not None:
                by_form.setdefault(form_id, {})[path] = value
        for form_id, chosen in by_form.items():
            self.pages[form_id].set_values(chosen)

    def collect(self) -> dict[str, Value | None]:
        """Return every value on every page, raw (empty inputs as None)."""
        out: dict[str, Value | None] = {}
        for page in self.pages.values():
            out.update(page.values())
        return out

    def set_placeholders(self, previous: Results) -> None:
        """Show the earlier visit's values as placeholders."""
        for form_id, page in self.pages.items():
            page.set_placeholders({str(k): v for k, v in previous.form(form_id).items()})

    def route_errors(self, messages: Mapping[str, str]) -> None:
        """Show each message at the page that owns its path; clear the others."""
        self._messages = dict(messages)
        per_form: dict[str, dict[str, str]] = {form_id: {} for form_id in self.pages}
        for path, message in messages.items():
            form_id = self.owner_of(path)
            if form_id is not None:
                per_form[form_id][path] = message
        for form_id, page in self.pages.items():
            if self._shown.get(form_id) != per_form[form_id]:  # only pages whose messages changed
                page.set_errors(per_form[form_id])
                self._shown[form_id] = per_form[form_id]

    def route_measures(self, measures: Mapping[str, str]) -> None:
        """Show the live derived values (LSI, POP-Q stage) on the pages they belong to."""
        for form_id, page in self.pages.items():
            prefix = f"{form_id}."
            page.set_measures({k: v for k, v in measures.items() if k.startswith(prefix)})

    def set_read_only(self, read_only: bool) -> None:
        """Lock or unlock every input (a signed visit is read-only)."""
        for page in self.pages.values():
            page.set_read_only(read_only)

    def state_of(self, form_id: str, missing: frozenset[str] = frozenset()) -> BatteryState:
        """Return the navigation state of one battery.

        Args:
            form_id: the battery.
            missing: value paths the engine reported as not assessed. A battery is complete when
                something is recorded, nothing is refused and the engine misses none of its values —
                optional fields (a pain site when nothing hurt) do not keep it "in progress".
        """
        page = self.pages[form_id]
        if any(self.owner_of(path) == form_id for path in self._messages):
            return BatteryState.HAS_ERRORS
        if page.filled_count() == 0:
            return BatteryState.NOT_STARTED
        prefix = f"{form_id}."
        if any(path.startswith(prefix) for path in missing):
            return BatteryState.IN_PROGRESS
        return BatteryState.COMPLETE

    def focus(self, path: str) -> str | None:
        """Focus the input of ``path``; return the battery it is on (None when no page shows it)."""
        form_id = self.owner_of(path)
        if form_id is not None:
            self.pages[form_id].focus_path(path)
        return form_id


def _recorded(value: Value | None) -> bool:
    if value is None or value == ():
        return False
    return not (isinstance(value, str) and not value.strip())
