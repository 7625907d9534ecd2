"""Saving the open visit: the save itself, its refusals, conflicts, and the recovery journal.

:class:`VisitSaving` is the half of :class:`~clinic_app.ui.visit.editor.VisitEditor` that talks to
the database about what she typed: Save through the task runner (the service validates again and its
refusal comes back as a summary whose lines jump to their fields), the conflict dialog when another
workstation changed the visit, and the recovery journal that keeps her typing a moment after each
change and offers it back after a crash. The editor keeps the pages, the live evaluation and the
navigation; this mixin only reads and calls what the editor declares below.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QLabel, QWidget

from clinic_app.domain.model import Value
from clinic_app.domain.visitfile import VisitRecord
from clinic_app.services import editing, visits
from clinic_app.services.changes import Changes
from clinic_app.services.errors import ConflictError, ReadOnlyError, ValidationFailed
from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.visit.summary import ErrorSummary

if TYPE_CHECKING:
    from clinic_app.ui.visit.binder import VisitBinder

JOURNAL_DELAY_MS = 800
"""Typed values reach the recovery journal this long after the last change."""


if TYPE_CHECKING:
    _EditorBase = QWidget  # the type checker sees the widget this mixin is part of
else:
    _EditorBase = object


class VisitSaving(_EditorBase):
    """Save, conflict handling and the recovery journal of the visit editor (a mixin of it).

    The attributes and methods declared here belong to :class:`VisitEditor`; they are named so the
    type checker can follow the calls across the two modules.
    """

    ctx: AppContext
    record: VisitRecord | None
    last_conflict: QWidget | None
    summary: ErrorSummary
    state_label: QLabel
    _dirty: bool
    _journal_timer: QTimer

    if TYPE_CHECKING:  # VisitEditor's own members, which this half calls

        @property
        def binder(self) -> VisitBinder: ...  # noqa: D102
        @property
        def version(self) -> int: ...  # noqa: D102
        @property
        def read_only(self) -> bool: ...  # noqa: D102

        def _set_dirty(self, dirty: bool) -> None: ...
        def _load_failed(self, error: BaseException) -> None: ...
        def _refresh_navigation(self) -> None: ...
        def _label_of(self, path: str) -> str: ...
        def open_visit(self, visit_id: str, *, then: Callable[[], None] | None = None) -> None: ...  # noqa: D102
        def show_record(self, record: VisitRecord) -> None: ...  # noqa: D102
        def evaluate_now(self) -> None: ...  # noqa: D102
        def focus_path(self, path: str) -> None: ...  # noqa: D102

    # --- journal recovery --------------------------------------------------------------------------

    def restore(self, values: dict[str, Value | None], *, version: int | None = None) -> None:
        """Put values recovered from the journal back into the open visit (marked unsaved).

        Args:
            values: what she had typed.
            version: the visit version her typing started from. When the stored visit has moved on
                (another workstation saved, or it was signed) the values are not applied over it:
                the conflict dialog lists them beside what is stored, so nothing is silently replaced.
        """
        if self.record is None:
            return
        if self.read_only or (version is not None and version != self.version):
            typed = {path: value for path, value in values.items() if value is not None}
            stored = {str(k): v for k, v in self.record.visit.results.items()}
            from clinic_app.ui.visit.conflict import ConflictDialog

            dialog = ConflictDialog(self, typed, stored, self._label_of)
            self.last_conflict = dialog
            if ask.run_dialog(dialog) or self.read_only:
                # Reload (or a signed visit): the stored visit stays; her values remain listed in
                # the dialog, which stays open to copy from.
                self.ctx.journal.discard(str(self.record.visit.id))
                dialog.setModal(False)
                dialog.show()
                return
            # Keep editing, having seen what differs: her values go back in, unsaved.
        self.binder.apply(values)
        self._set_dirty(True)
        self.evaluate_now()
        self._journal_timer.start()

    # --- saving ------------------------------------------------------------------------------------

    def typed_results(self) -> Any:
        """The values typed now, as results (empty inputs are not recorded)."""
        return editing.clean_values(self.binder.collect())

    def save(self, *, then: Callable[[], None] | None = None) -> None:
        """Save the visit through the service; refusals come back as a summary at the top."""
        if self.record is None or self.read_only:
            return
        self._journal_timer.stop()
        self.write_journal()
        visit_id = str(self.record.visit.id)
        self.ctx.tasks.run_op(
            functools.partial(
                visits.save_results,
                self.ctx.db,
                visit_id,
                self.version,
                self.typed_results(),
                user=self.ctx.signed_in,
            ),
            success=functools.partial(self._saved, then=then),
            failure=self._save_failed,
            initiator=self,
            label="Saving the visit…",
        )

    def save_if_dirty(self, then: Callable[[], None]) -> None:
        """Save first when something is unsaved, then continue (decisions read the stored visit)."""
        if self._dirty:
            self.save(then=then)
        else:
            then()

    def _saved(self, changes: Changes, *, then: Callable[[], None] | None = None) -> None:
        if self.record is None:
            return
        visit_id = str(self.record.visit.id)
        self.ctx.journal.discard(visit_id)
        self.summary.show_errors([])
        self.summary.hide()
        self._set_dirty(False)
        self.open_visit(visit_id, then=then)

    def _save_failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationFailed):
            self.binder.route_errors({e.path: e.message for e in error.errors})
            self.summary.show_errors(error.errors, labels=self._label_of)
            self.summary.show()
            self._refresh_navigation()
            if error.errors:
                self.focus_path(error.errors[0].path)
            return
        if isinstance(error, ConflictError):
            self.conflict(error)
            return
        if isinstance(error, ReadOnlyError):
            ask.show_error(self, "This visit is read-only", str(error))
            return
        ask.show_error(self, "The visit was not saved", f"{error}\n\nWhat you typed is kept.")

    def conflict(self, error: BaseException) -> None:
        """Another workstation changed the visit: show what differs, offer reload; keep her values.

        The stored visit is read first (on the worker), then the dialog lists each field whose stored
        value differs from what she typed; her typed values stay listed in it whatever she chooses.
        """
        if self.record is None:
            return
        typed = {str(k): v for k, v in self.typed_results().items()}
        self.ctx.tasks.run_query(
            functools.partial(visits.load_visit_record, self.ctx.db, str(self.record.visit.id)),
            success=functools.partial(self._show_conflict, typed, str(error)),
            failure=self._load_failed,
        )

    def _show_conflict(self, typed: dict[str, Value], message: str, stored: VisitRecord) -> None:
        from clinic_app.ui.visit.conflict import ConflictDialog

        stored_values = {str(k): v for k, v in stored.visit.results.items()}
        dialog = ConflictDialog(self, typed, stored_values, self._label_of)
        self.last_conflict = dialog
        if ask.run_dialog(dialog):
            # Reload: the stored visit is shown; the dialog stays open beside it, listing her values.
            self.show_record(stored)
            dialog.setModal(False)
            dialog.show()

    # --- journal -------------------------------------------------------------------------------------

    @Slot()
    def write_journal(self) -> None:
        """Write what is typed now to the recovery journal (off the GUI thread)."""
        if self.record is None or not self._dirty:
            return
        record, values = self.record, self.binder.collect()
        self.ctx.tasks.run_query(
            functools.partial(
                self.ctx.journal.write,
                str(record.visit.id),
                patient_id=str(record.patient.id),
                version=record.visit.version,
                clinician_id=self.ctx.actor_id,
                values=values,
            ),
            failure=self._journal_failed,
        )

    def _journal_failed(self, error: BaseException) -> None:
        self.state_label.setText(f"⚠ Recovery copy not written: {error}")

    def discard_changes(self) -> None:
        """Forget unsaved changes (she chose to) and reload the stored visit."""
        if self.record is not None:
            self.ctx.journal.discard(str(self.record.visit.id))
            self._set_dirty(False)
            self.open_visit(str(self.record.visit.id))
