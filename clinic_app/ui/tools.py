"""The main window's tool actions: reports, preferences, export and import, runner, comparison.

Each tool lives in its own package (``ui/reports``, ``ui/preferences``, ``ui/exchange``,
``ui/session``, ``ui/visit/comparison``) and is imported the first time it is used, so none of them
(Qt PDF, QtCharts, ReportLab on the worker) adds to the window's cold start. This module only
makes the menu actions, knows which need an open visit, and saves unsaved values before a tool
reads the stored visit.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QAction

from clinic_app.ui.context import AppContext

if TYPE_CHECKING:
    from clinic_app.ui.mainwindow import MainWindow

WARM_UP_DELAY_MS = 1500
"""After the window first shows: load the report libraries while the physio is still reading."""


TOOL_ENTRIES: dict[str, tuple[str, str]] = {
    "warm_up": ("clinic_app.ui.reports.preview", "warm_up_reports"),
    "preview": ("clinic_app.ui.reports.preview", "show_report_preview"),
    "comparison": ("clinic_app.ui.visit.comparison", "open_comparison"),
    "runner": ("clinic_app.ui.session.window", "open_runner"),
    "report_batch": ("clinic_app.ui.reports.batch", "run_report_batch"),
    "preferences": ("clinic_app.ui.preferences.dialog", "show_preferences"),
    "export": ("clinic_app.ui.exchange.dialogs", "export_from_window"),
    "import": ("clinic_app.ui.exchange.dialogs", "import_into_window"),
}
"""Tool → (module, entry function); imported on first use only."""


def _tool(tool: str) -> Callable[..., Any]:
    """The entry function of ``tool``, importing its module the first time."""
    module, name = TOOL_ENTRIES[tool]
    entry: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return entry


class ToolActions(QObject):
    """Builds the tools' menu entries and opens each tool over the main window.

    Attributes:
        visit_actions: actions that need an open visit (the window enables them with the editor).
        clinic_actions: actions that need a signed-in clinician (disabled while locked).
    """

    def __init__(self, window: MainWindow, ctx: AppContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.visit_actions: tuple[QAction, ...] = ()
        self.clinic_actions: tuple[QAction, ...] = ()
        self._visit: list[QAction] = []
        self._clinic: list[QAction] = []
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.setInterval(WARM_UP_DELAY_MS)
        self._warm_timer.timeout.connect(self.warm_up)

    def build_file(self, menu: Any) -> None:
        """Export, Import and Preferences in the File menu."""
        add = self.window.add_action
        self._clinic = [add(menu, "export", self.export), add(menu, "import", self.import_)]
        self._clinic.append(add(menu, "preferences", self.preferences))

    def build_visit(self, menu: Any) -> None:
        """The test runner and the comparison in the Visit menu."""
        add = self.window.add_action
        self._visit = [add(menu, "runner", self.runner), add(menu, "comparison", self.comparison)]

    def build_reports(self, menu: Any) -> None:
        """The Reports menu: the three previews of the open visit, then the batch."""
        add = self.window.add_action
        self._visit += [
            add(menu, "preview_patient", self.preview_patient),
            add(menu, "preview_clinician", self.preview_clinician),
            add(menu, "preview_referral", self.preview_referral),
        ]
        menu.addSeparator()
        self._clinic.append(add(menu, "report_batch", self.report_batch))
        self.visit_actions = tuple(self._visit)
        self.clinic_actions = tuple(self._clinic)

    def start(self) -> None:
        """Called once the window is shown: schedule the report warm-up."""
        self._warm_timer.start()

    def stop(self) -> None:
        """Called as the window closes: a warm-up not yet started never runs."""
        self._warm_timer.stop()

    @Slot()
    def warm_up(self) -> None:
        """Load Qt PDF and the report libraries, so the first preview opens as fast as later ones."""
        if self.ctx.user is None or not self.window.isVisible():
            return
        _tool("warm_up")(self.window, self.ctx)

    # --- visit tools: save first, then open on the stored visit --------------------------------------

    def _with_saved_visit(self, open_tool: Callable[[str], None]) -> None:
        editor = self.window.editor
        visit_id = editor.visit_id
        if visit_id is None:
            return
        editor.save_if_dirty(functools.partial(open_tool, visit_id))

    def _preview(self, kind: str, visit_id: str) -> None:
        _tool("preview")(self.window, self.ctx, visit_id, kind)

    @Slot()
    def preview_patient(self) -> None:
        """Preview (and print or save) the patient's report of the open visit."""
        self._with_saved_visit(functools.partial(self._preview, "patient"))

    @Slot()
    def preview_clinician(self) -> None:
        """Preview the clinician summary of the open visit."""
        self._with_saved_visit(functools.partial(self._preview, "clinician"))

    @Slot()
    def preview_referral(self) -> None:
        """Preview the referral letter of the open visit."""
        self._with_saved_visit(functools.partial(self._preview, "referral"))

    def _comparison(self, visit_id: str) -> None:
        _tool("comparison")(self.window, self.ctx, visit_id)

    @Slot()
    def comparison(self) -> None:
        """This visit beside the earlier ones after the same birth: table and trend charts."""
        self._with_saved_visit(self._comparison)

    @Slot()
    def runner(self) -> None:
        """The big-target test runner, writing into the open visit's fields."""
        if self.window.editor.visit_id is None or self.window.editor.read_only:
            return
        _tool("runner")(self.window.editor)

    # --- clinic tools ----------------------------------------------------------------------------------

    @Slot()
    def report_batch(self) -> None:
        """Print every signed visit's report in a date range, in the background."""
        _tool("report_batch")(self.window, self.ctx)

    @Slot()
    def preferences(self) -> None:
        """The clinic's preferences: letterhead, paper, defaults, database, clinician profiles."""
        _tool("preferences")(self.window, self.ctx)

    @Slot()
    def export(self) -> None:
        """Export the clinic or the patient she has open (bundle, FHIR, research CSV)."""
        from clinic_app.ui.exchange.export import OpenPatient  # loaded with the tool, not at start-up

        shown = self.window.current_patient()
        _tool("export")(self.window, self.ctx, OpenPatient(*shown) if shown is not None else None)

    @Slot()
    def import_(self) -> None:
        """Import a bundle, after a dry run the clinician reviews."""
        _tool("import")(self.window, self.ctx)
