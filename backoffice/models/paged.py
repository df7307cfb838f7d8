"""A table model over rows fetched page by page (keyset paging) through a runner, never all at once.

Subclasses name their columns (`COLUMNS`: key, English title), fetch a page with
`fetch(session, after, limit)` (runs on the database lane, off the GUI thread) and say how a
cell shows (`display`). The view asks for more with canFetchMore/fetchMore as it scrolls.
`ColumnsModel` is the named-columns part alone, for short lists shown whole (e.g. RowsModel).
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt, Signal

from backoffice.errors import show_error

PAGE = 200
#: the invalid index: a table's rows have no parent
NO_PARENT = QModelIndex()


class ColumnsModel(QAbstractTableModel):
    """A table over `self.rows` with named columns: headers, cells, alignment, the row object."""

    #: (key, English header); headers go through Qt translation with the model's class as context
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: keys of columns aligned right (amounts, quantities)
    NUMERIC: ClassVar[frozenset[str]] = frozenset()
    #: emitted on the GUI thread when rows arrived (how many are now shown)
    loaded = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Any] = []

    # --- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def display(self, row, key: str) -> Any:
        """What a cell shows (subclasses format amounts, dates, states)."""
        value = getattr(row, key)
        return "" if value is None else value

    def column(self, key: str) -> int:
        """The index of a named column."""
        return [k for k, _ in self.COLUMNS].index(key)

    def row_at(self, row: int):
        return self.rows[row]

    def text(self, row: int, key: str) -> str:
        """What a cell shows, as text (tests read a table through this)."""
        return str(self.data(self.index(row, self.column(key))))

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate(type(self).__name__, self.COLUMNS[section][1])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        key = self.COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(self.rows[index.row()], key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in self.NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()]
        return None


class PagedModel(ColumnsModel):
    """Rows appended page by page; `reload()` starts again from the first page.

    `loaded(n)` is emitted on the GUI thread after each page arrived (n rows now loaded).
    """

    def __init__(self, runner, page_size: int = PAGE, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.page_size = page_size
        self.exhausted = False
        self.loading = False
        self._generation = 0

    # --- for subclasses ----------------------------------------------------------------------

    def fetch(self, session, after, limit: int) -> list:
        """Up to `limit` rows after the key `after` (None = from the start). Off the GUI thread."""
        raise NotImplementedError

    def key_of(self, row) -> Any:
        return row.id

    # --- paging --------------------------------------------------------------------------------

    def reload(self) -> None:
        """Drop what is shown and fetch the first page (late pages of the old query are ignored)."""
        self._generation += 1
        self.beginResetModel()
        self.rows = []
        self.exhausted = False
        self.loading = False
        self.endResetModel()
        self._fetch_page()

    def canFetchMore(self, parent=NO_PARENT) -> bool:
        return not parent.isValid() and not self.exhausted and not self.loading

    def fetchMore(self, parent=NO_PARENT) -> None:
        if self.canFetchMore(parent):
            self._fetch_page()

    def _fetch_page(self) -> None:
        self.loading = True
        generation = self._generation
        after = self.key_of(self.rows[-1]) if self.rows else None
        limit = self.page_size

        def arrived(rows):
            if generation == self._generation:
                self._append(rows)

        def failed(exc):
            if generation == self._generation:
                self.loading = False
                self.exhausted = True
            show_error(None, exc)

        self.runner.read(lambda s: self.fetch(s, after, limit), arrived, failed)

    def _append(self, rows: list) -> None:
        self.loading = False
        self.exhausted = len(rows) < self.page_size
        if rows:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self.loaded.emit(len(self.rows))

    def fetch_all_for_test(self, max_pages: int = 1000) -> None:
        """Keep fetching until exhausted (synchronous runners only)."""
        for _ in range(max_pages):
            if not self.canFetchMore():
                return
            self.fetchMore()


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
