"""The conflict dialog: what differs, her typed values kept, and the choice she made."""

from __future__ import annotations

import pytest

from clinic_app.ui.visit.conflict import ConflictChoice, ConflictDialog, differing_paths

TYPED = {"diastasis.umbilicus_head_lift": 2.5, "strength.bridge.left": 18, "history.sleep_hours": 7}
STORED = {"diastasis.umbilicus_head_lift": 2.1, "strength.bridge.left": 18, "history.sleep_hours": None}
LABELS = {
    "diastasis.umbilicus_head_lift": "IRD umbilicus, head-lift",
    "strength.bridge.left": "Single-leg bridge (left)",
    "history.sleep_hours": "Average sleep",
}


@pytest.fixture
def parent(qtbot):
    """The widget the dialog opens over."""
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def dialog(parent):
    """A conflict dialog over a parent widget."""
    return ConflictDialog(parent, TYPED, STORED, LABELS.__getitem__)


def test_lists_only_differing_fields(dialog) -> None:
    """Only fields whose typed value differs from the stored one are listed, by label."""
    shown = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert shown == ["IRD umbilicus, head-lift", "Average sleep"]
    assert dialog.table.item(0, 1).text() == "2.5"
    assert dialog.table.item(0, 2).text() == "2.1"
    assert dialog.table.item(1, 2).text() == "(not recorded)"


def test_typed_values_are_copyable_text(dialog) -> None:
    """Her typed values are listed as read-only text she can copy."""
    text = dialog.typed_text.toPlainText()
    assert "IRD umbilicus, head-lift: 2.5" in text
    assert dialog.typed_text.isReadOnly()


def test_reload_keeps_values_listed(dialog, qtbot) -> None:
    """Reload asks the editor to reload and the dialog keeps listing her values."""
    with qtbot.waitSignal(dialog.reload_requested, timeout=1000):
        dialog.reload()
    assert dialog.choice is ConflictChoice.RELOAD
    assert dialog.result() == dialog.DialogCode.Accepted
    assert "2.5" in dialog.typed_text.toPlainText()


def test_keep_editing_and_escape(dialog) -> None:
    """Keep editing (and Escape, which rejects) returns the keep-editing choice."""
    dialog.reject()
    assert dialog.choice is ConflictChoice.KEEP_EDITING


def test_differing_paths_treats_empty_as_missing() -> None:
    """An empty text and a missing value are the same 'not recorded'."""
    assert differing_paths({"a.b": ""}, {}) == []
    assert differing_paths({"a.b": 1}, {"a.b": 1.5}) == ["a.b"]
