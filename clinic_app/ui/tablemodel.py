"""A read-only table of records: the rows, the column titles and Qt's counting, once for every list.

The patient list and the visit history both show a list of frozen records in fixed columns; they
differ only in what each cell says (:meth:`RecordTableModel.data`, implemented by each model).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class RecordTableModel(QAbstractTableModel, Generic[Row]):
    """Rows of ``Row`` records under fixed column titles; subclasses say what each cell shows."""

    def __init__(
        self, columns: tuple[str, ...], id_of: Callable[[Row], str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.columns = columns
        self._id_of = id_of
        self._rows: list[Row] = []

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row (a whole reset: a new search or a new patient is a new list)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row | None:
        """Return the record on a row, or None outside the list."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: str) -> int:
        """Return the row of the record with that id, or -1 when it is not listed."""
        return next((row for row, record in enumerate(self._rows) if self._id_of(record) == record_id), -1)

    def record_for(self, index: AnyIndex) -> Row | None:
        """Return the record of a valid cell index, or None (invalid index, column out of range)."""
        if not index.isValid() or not 0 <= index.column() < len(self.columns):
            return None
        return self.row_at(index.row())

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt's signature)
        """Number of records (a table: children of a valid index have none)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Number of columns."""
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section]
        return None
