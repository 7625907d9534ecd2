"""The report preview's viewer: the pages in a ``QPdfView``, page navigation and zoom.

:class:`PageViewer` is the half of :class:`~clinic_app.ui.reports.preview.ReportPreviewDialog` that
shows the PDF: the document and its view (which renders pages on threads of its own), the toolbar's
page and zoom actions, and the page box kept in step with the page in view. Building, printing and
saving the report stay in the dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QLabel, QSpinBox, QToolBar

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)

if TYPE_CHECKING:
    _DialogBase = QDialog  # the type checker sees the dialog this mixin is part of
else:
    _DialogBase = object


class PageViewer(_DialogBase):
    """Pages, page navigation and zoom of the report preview (a mixin of the dialog)."""

    toolbar: QToolBar

    def _build_view(self) -> None:
        """Create the document and the view that shows it (the dialog lays them out)."""
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Report pages")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.pageNavigator().currentPageChanged.connect(self._on_page_changed)

    def _build_page_tools(self) -> None:
        """Add the page and zoom actions to the toolbar, where the dialog's ``__init__`` is."""
        self.toolbar.addSeparator()
        self.previous_action = self._action(
            "◀ Previous", QKeySequence.StandardKey.MoveToPreviousPage, self.previous_page
        )
        self.page_box = QSpinBox(self)
        self.page_box.setAccessibleName("Page")
        self.page_box.setPrefix("Page ")
        self.page_box.setRange(1, 1)
        self.page_box.valueChanged.connect(self._on_page_box)
        self.toolbar.addWidget(self.page_box)
        self.pages_label = QLabel(" of 1 ", self)
        self.toolbar.addWidget(self.pages_label)
        self.next_action = self._action("Next ▶", QKeySequence.StandardKey.MoveToNextPage, self.next_page)
        self.toolbar.addSeparator()
        self.zoom_out_action = self._action("Zoom −", QKeySequence.StandardKey.ZoomOut, self.zoom_out)
        self.zoom_in_action = self._action("Zoom +", QKeySequence.StandardKey.ZoomIn, self.zoom_in)
        self.fit_width_action = self._action("Fit &width", QKeySequence("Ctrl+0"), self.fit_width)

    def _action(self, text: str, keys: QKeySequence | QKeySequence.StandardKey, slot: object) -> QAction:
        action = QAction(text, self)
        # a QKeySequence passed through QKeySequence() again costs PySide ~0.1 s the first time
        action.setShortcut(keys if isinstance(keys, QKeySequence) else QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    # --- pages and zoom ------------------------------------------------------------------------------

    @property
    def current_page(self) -> int:
        """The page in view, 0-based."""
        return int(self.view.pageNavigator().currentPage())

    def go_to_page(self, page: int) -> None:
        """Show page ``page`` (0-based), clamped to the document."""
        count = self.document.pageCount()
        if count == 0:
            return
        page = max(0, min(page, count - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())
        self._update_page_actions(page)

    def next_page(self) -> None:
        """Go one page on."""
        self.go_to_page(self.current_page + 1)

    def previous_page(self) -> None:
        """Go one page back."""
        self.go_to_page(self.current_page - 1)

    def _on_page_changed(self, page: int) -> None:
        self._update_page_actions(page)

    def _on_page_box(self, value: int) -> None:
        if value - 1 != self.current_page:
            self.go_to_page(value - 1)

    def _update_page_actions(self, page: int) -> None:
        count = self.document.pageCount()
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.previous_action.setEnabled(page > 0)
        self.next_action.setEnabled(page < count - 1)

    def zoom_in(self) -> None:
        """Enlarge the pages one step."""
        self._zoom_to(self.view.zoomFactor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        """Shrink the pages one step."""
        self._zoom_to(self.view.zoomFactor() / ZOOM_STEP)

    def _zoom_to(self, factor: float) -> None:
        low, high = ZOOM_RANGE
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(low, min(factor, high)))

    def fit_width(self) -> None:
        """Pages as wide as the window (the default)."""
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        """A whole page in view."""
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
