"""The batteries of a visit: the navigation list and the pages, built lazily from the form files.

Building all ten pages (160 inputs) takes about 0.45 s, so the pages are built one per event-loop
turn once the window shows (:meth:`BatteryStack.start_background_build`), one at once when she
chooses it, or all at once when a visit opens first (:meth:`BatteryStack.ensure_pages`).
"""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QSplitter, QStackedWidget, QWidget

from clinic_app.services.clinic import forms
from clinic_app.ui.forms.page import BatteryPage
from clinic_app.ui.forms.registry import WidgetRegistry, default_registry
from clinic_app.ui.visit.binder import VisitBinder


class BatteryStack(QWidget):
    """The battery list beside the battery pages.

    Signals:
        values_did_change(str): a page's values changed (its form id).
    """

    values_did_change = Signal(str)

    def __init__(self, registry: WidgetRegistry | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry or default_registry()
        self._pages: dict[str, BatteryPage] = {}
        self._binder: VisitBinder | None = None
        self._form_ids = [form.id for form in forms()]
        self._stopped = False
        self.navigation = QListWidget(self)
        self.navigation.setAccessibleName("Batteries")
        self.navigation.setWordWrap(True)  # long battery titles wrap; the list stays narrow at 150 %
        self.navigation.setFixedWidth(self.navigation.fontMetrics().horizontalAdvance("0") * 24 + 24)
        for form in forms():
            item = QListWidgetItem(form.title, self.navigation)
            item.setData(Qt.ItemDataRole.UserRole, form.id)
        self.stack = QStackedWidget(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._build_timer = QTimer(self)  # a child timer: it dies with the widget, never fires on a dead one
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self.build_in_background)
        self.navigation.currentRowChanged.connect(self._row_changed)
        self.navigation.setCurrentRow(0)

    @property
    def pages(self) -> dict[str, BatteryPage]:
        """Every page by form id, in exam order (building what is still missing)."""
        self.ensure_pages()
        return self._pages

    @property
    def binder(self) -> VisitBinder:
        """The binder over every page."""
        self.ensure_pages()
        assert self._binder is not None
        return self._binder

    def ensure_pages(self) -> None:
        """Build whatever pages are still missing, and the binder over them."""
        if self._binder is not None:
            return
        for form_id in self._form_ids:
            if form_id not in self._pages:
                self._build_page(form_id)
        self._pages = {form_id: self._pages[form_id] for form_id in self._form_ids}
        self._binder = VisitBinder(self._pages)

    def start_background_build(self) -> None:
        """Build the pages in idle time, one per event-loop turn."""
        self._build_timer.start()

    def stop_background_build(self) -> None:
        """Stop building pages in idle time (the window is closing)."""
        self._build_timer.stop()
        self._stopped = True

    @Slot()
    def build_in_background(self) -> None:
        """Build one missing page, then come back on the next turn of the event loop."""
        missing = [form_id for form_id in self._form_ids if form_id not in self._pages]
        if not missing or self._binder is not None or self._stopped or not shiboken6.isValid(self.stack):
            return
        self._build_page(missing[0])
        if len(missing) == 1:
            self.ensure_pages()
        else:
            self._build_timer.start()

    def _build_page(self, form_id: str) -> None:
        form = forms().form(form_id)
        assert form is not None
        page = BatteryPage(form, self._registry, self.stack)
        page.values_did_change.connect(self.values_did_change)
        self.stack.addWidget(page)  # the stack's order does not matter: pages are shown by form id
        self._pages[form_id] = page

    @Slot(int)
    def _row_changed(self, row: int) -> None:
        """Show the battery chosen in the list (built now if it is not built yet)."""
        if not 0 <= row < len(self._form_ids):
            return
        form_id = self._form_ids[row]
        if form_id not in self._pages:
            self._build_page(form_id)
        self.stack.setCurrentWidget(self._pages[form_id])

    def current_form_id(self) -> str:
        """The battery shown now."""
        page = self.stack.currentWidget()
        return page.form_id if isinstance(page, BatteryPage) else ""

    def show_battery(self, form_id: str) -> None:
        """Switch to a battery."""
        if form_id in self._form_ids:
            self.navigation.setCurrentRow(self._form_ids.index(form_id))

    def step(self, offset: int) -> None:
        """Move ``offset`` batteries down (positive) or up the list, stopping at its ends."""
        row = self.navigation.currentRow() + offset
        self.navigation.setCurrentRow(max(0, min(row, self.navigation.count() - 1)))

    def show_states(self, missing: Iterable[str]) -> None:
        """Write each battery's state (symbol and words) into the list; only changed lines are redrawn.

        Args:
            missing: value paths the engine reported as not assessed.
        """
        gaps = frozenset(missing)
        binder = self.binder
        for row, form_id in enumerate(self._form_ids):
            item = self.navigation.item(row)
            state = binder.state_of(form_id, gaps)
            title = self._pages[form_id].form.title
            text = f"{state.symbol} {title}\n    {state.value}"
            if item is not None and item.text() != text:  # a keystroke rarely changes a battery's state
                item.setText(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {state.value}")
