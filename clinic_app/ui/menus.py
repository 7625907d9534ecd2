"""The main window's menus and shortcuts: File, Visit, Reports and Help, and the Help dialogs.

:class:`WindowMenus` adds every action of :class:`~clinic_app.ui.mainwindow.MainWindow` with its
text and keys from :data:`~clinic_app.ui.keyboard.SHORTCUTS`; the actions call the window, the
editor, the decision actions and the tools. Which actions are enabled is the window's (pages, lock).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from clinic_app.ui import ask
from clinic_app.ui.context import AppContext
from clinic_app.ui.keyboard import SHORTCUTS, KeyboardDialog
from clinic_app.ui.patients.page import PatientPage
from clinic_app.ui.tools import ToolActions
from clinic_app.ui.visit.actions import DecisionActions
from clinic_app.ui.visit.editor import VisitEditor

if TYPE_CHECKING:
    _WindowBase = QMainWindow  # the type checker sees the window this mixin is part of
else:
    _WindowBase = object


class WindowMenus(_WindowBase):
    """Menus, shortcuts and the Help dialogs of the main window (a mixin of it)."""

    ctx: AppContext
    tools: ToolActions
    patient_page: PatientPage
    editor: VisitEditor
    actions_: DecisionActions

    if TYPE_CHECKING:  # the window's own

        def new_patient(self) -> None: ...  # noqa: D102
        def focus_search(self) -> None: ...  # noqa: D102
        def lock(self) -> None: ...  # noqa: D102
        def save(self) -> None: ...  # noqa: D102
        def show_patient_page(self) -> None: ...  # noqa: D102

    def add_action(self, menu: object, name: str, slot: object) -> QAction:
        """Add the named action (text and shortcut from ``keyboard.SHORTCUTS``) to a menu."""
        text, keys = SHORTCUTS[name]
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.new_patient_action = self.add_action(file_menu, "new_patient", self.new_patient)
        self.search_action = self.add_action(file_menu, "search", self.focus_search)
        file_menu.addSeparator()
        self.tools.build_file(file_menu)
        file_menu.addSeparator()
        self.lock_action = self.add_action(file_menu, "lock", self.lock)
        self.quit_action = self.add_action(file_menu, "quit", self.close)
        visit_menu = bar.addMenu("&Visit")
        self.new_visit_action = self.add_action(visit_menu, "new_visit", self.patient_page.new_visit)
        self.save_action = self.add_action(visit_menu, "save", self.save)
        visit_menu.addSeparator()
        self.next_action = self.add_action(visit_menu, "next_battery", self.editor.next_battery)
        self.previous_action = self.add_action(visit_menu, "previous_battery", self.editor.previous_battery)
        self.copy_action = self.add_action(visit_menu, "copy_last", self.editor.copy_from_last_visit)
        self.back_action = self.add_action(visit_menu, "back", self.show_patient_page)
        visit_menu.addSeparator()
        self.confirm_action = self.add_action(visit_menu, "confirm", self.actions_.confirm)
        self.override_action = self.add_action(visit_menu, "override", self.actions_.override)
        self.sign_action = self.add_action(visit_menu, "sign", self.actions_.sign)
        self.amend_action = self.add_action(visit_menu, "amend", self.actions_.amend)
        visit_menu.addSeparator()
        self.tools.build_visit(visit_menu)
        self.tools.build_reports(bar.addMenu("&Reports"))
        help_menu = bar.addMenu("&Help")
        self.keyboard_action = self.add_action(help_menu, "keyboard", self.show_keyboard)
        self.about_action = self.add_action(help_menu, "about", self.show_about)
        self._visit_actions = (
            self.save_action,
            self.next_action,
            self.previous_action,
            self.copy_action,
            self.back_action,
            self.confirm_action,
            self.override_action,
            self.sign_action,
            self.amend_action,
            *self.tools.visit_actions,
        )

    # --- help ----------------------------------------------------------------------------------------

    def show_keyboard(self) -> None:
        """List every shortcut (Help → Keyboard)."""
        KeyboardDialog(self).exec()

    def show_about(self) -> None:
        """Say what the app is and where its data lives."""
        ask.show_info(
            self,
            "About RunReady Clinic",
            "RunReady Clinic proposes a return-to-run decision after childbirth from the examination you"
            " record; you confirm or override it. It never clears anyone on its own.\n\n"
            f"Database: {self.ctx.database_label}",
        )
