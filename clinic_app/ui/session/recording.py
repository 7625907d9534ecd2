"""What the test runner writes into the visit: the symptoms she marks and every value it enters.

:class:`RunnerRecording` is the half of :class:`~clinic_app.ui.session.window.RunnerWindow` that
talks to the editor's fields through :class:`~clinic_app.ui.session.entry.EditorEntry`: it remembers
what each field held before the runner first touched it (so restarting a side or unmarking a symptom
puts that back), and shows what the visit holds for the test with the editor's own message for any
refused value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal

from clinic_app.assessment.runner import RunnerPlan, RunnerTest, symptom_list_entry
from clinic_app.domain.enums import Side
from clinic_app.domain.model import Value
from clinic_app.ui.session.entry import EditorEntry
from clinic_app.ui.session.layout import RunnerLayout

SIDE_WORD = {Side.LEFT: "left", Side.RIGHT: "right", None: ""}
"""How a side is written in the runner's captions and the recorded line."""

if TYPE_CHECKING:
    _RunnerBase = RunnerLayout  # the type checker sees the window this mixin is part of
else:
    _RunnerBase = object


class RunnerRecording(_RunnerBase):
    """Symptoms and entered values of the test runner (a mixin of the window)."""

    entry: EditorEntry
    plan: RunnerPlan
    value_did_enter: Signal
    _before: dict[str, Value | None]
    _marked: frozenset[str]
    _last_paths: tuple[str, ...]

    if TYPE_CHECKING:  # the window's own

        @property
        def test(self) -> RunnerTest: ...  # noqa: D102

    # --- symptoms ------------------------------------------------------------------------------

    def toggle_symptom(self, symptom_id: str) -> None:
        """Mark or unmark a symptom the test provoked (its letter key); "no symptoms" clears them."""
        test = self.test
        none_id = self.plan.no_symptoms.id if self.plan.no_symptoms else None
        if symptom_id == none_id:
            if test.symptom_list is None:
                return
            self._marked = frozenset()
            self._enter(symptom_list_entry(test, frozenset(), no_symptoms=True, plan=self.plan))
        elif test.records_symptom(symptom_id):
            self._marked = (self._marked - {none_id}) ^ {symptom_id}  # a symptom replaces "none"
            if test.symptom_list is not None:
                self._enter(symptom_list_entry(test, self._marked, no_symptoms=False, plan=self.plan))
            elif test.symptom_fields:
                path = test.symptom_fields[symptom_id].path
                if symptom_id in self._marked:
                    self._enter({path: True})
                else:  # unmarked again: the field gets back what it held before the runner
                    self._write({path: self._before.pop(path, None)})
        self._show_symptoms()

    def _show_symptoms(self) -> None:
        test = self.test
        none_id = self.plan.no_symptoms.id if self.plan.no_symptoms else None
        value = self.entry.value(test.symptom_list.path) if test.symptom_list else None
        for symptom_id, button in self.symptom_buttons.items():
            if symptom_id == none_id:
                usable = test.symptom_list is not None and symptom_id in test.symptom_list.choice_ids
                checked = isinstance(value, tuple) and symptom_id in value
            else:
                usable = test.records_symptom(symptom_id)
                checked = symptom_id in self._marked
            button.setEnabled(usable)
            button.setChecked(usable and checked)
            button.setText(f"{'✓ ' if usable and checked else ''}{self._symptom_text[symptom_id]}")
            button.setToolTip(
                "" if usable else "No field for this symptom in this test: note it in the visit"
            )

    # --- entering ------------------------------------------------------------------------------

    def _enter(self, values: dict[str, Value | None]) -> None:
        """Remember what each field held before the runner first touched it, then write."""
        for path in values:
            if path not in self._before:
                self._before[path] = self.entry.value(path)
        self._write(values)

    def _write(self, values: dict[str, Value | None]) -> None:
        if not self.entry.write(values):
            self._show_recorded()
            return
        self._last_paths = tuple(values)
        for path in values:
            self.value_did_enter.emit(path)
        self._show_recorded()

    def _show_recorded(self) -> None:
        """The values in the visit for this test, and the editor's message for any refused one."""
        test = self.test
        parts: list[str] = []
        for spec in (test.time_field, test.count_field):
            if spec is None:
                continue
            shown = []
            for side in test.sides:
                path = f"{spec.path}.{side.value}" if side is not None else spec.path
                value = self.entry.value(path)
                text = "—" if value in (None, "") else f"{value} {spec.unit}".strip()
                shown.append(f"{SIDE_WORD[side]} {text}".strip())
            parts.append(f"{spec.label}: {' · '.join(shown)}")
        self.recorded_label.setText("In the visit — " + ";  ".join(parts) if parts else "")
        messages = []
        for path in test.paths():
            message = self.entry.message(path)
            if message and message not in messages:
                messages.append(message)
        self.error_label.setText("\n".join(f"⚠ {m}" for m in messages))
        self.error_label.setVisible(bool(messages))

    def messages(self) -> list[str]:
        """The editor's messages shown for this test's fields now (empty when all are accepted)."""
        text = self.error_label.text()
        return [line.removeprefix("⚠ ") for line in text.splitlines() if line]
