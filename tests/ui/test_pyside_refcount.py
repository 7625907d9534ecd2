"""The Qt binding keeps Python's reference counts: a window makes thousands of calls a minute.

PySide6 6.12.0 under Python 3.11 dropped a reference to None on every Qt method returning nothing;
the interpreter then aborted ("deallocating None") after a few thousand calls — minutes into a
session. The project pins PySide6 below 6.12 (pyproject.toml); this test fails on any release that
brings the fault back.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit


def _none_refs() -> int:
    gc.collect()
    return sys.getrefcount(None)


def test_void_qt_calls_do_not_lose_references_to_none(qtbot):
    """A thousand setText / setStyleSheet / hide calls leave None's reference count where it was."""
    label, line = QLabel(), QLineEdit()
    qtbot.addWidget(label)
    qtbot.addWidget(line)
    before = _none_refs()
    for _ in range(1000):
        label.setText("a")
        line.setStyleSheet("")
        label.hide()
    assert _none_refs() - before > -50


def test_item_data_round_trips_keep_bool_references(qtbot):
    """Reading True/False back from item data does not drain their reference counts."""
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItem("Yes", True)
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(1000):
        combo.itemData(0)
    gc.collect()
    assert sys.getrefcount(True) - before > -50
