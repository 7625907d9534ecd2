"""The shared read-only table model: rows, ids, titles and Qt's model contract."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from clinic_app.ui.tablemodel import RecordTableModel


class _Words(RecordTableModel[str]):
    """Each row is a word; the second column is its length."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        word = self.record_for(index)
        if word is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return word if index.column() == 0 else str(len(word))


def test_rows_ids_and_titles_follow_the_records(qtmodeltester):
    """Rows are looked up by position and id; titles and counts follow; Qt's checks pass."""
    model = _Words(("Word", "Length"), str.upper)
    model.set_rows(["bridge", "hop"])
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert model.row_of("HOP") == 1 and model.row_of("squat") == -1
    assert model.row_at(5) is None and model.record_for(QModelIndex()) is None
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Length"
    assert model.data(model.index(1, 1)) == "3"
    model.set_rows([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0
