"""The ranked table of sites as a virtual Qt model: columns as arrays, cells on demand.

An inventory of 24,000 sites must re-rank in a fraction of a second, so nothing is built
per row up front: the model keeps one array per column, formats a cell
only when the view asks for it (the visible rows), and sorts with ``numpy.argsort``.

Nothing here calls back into Qt for a value (``QModelIndex.data()``): on Python 3.11,
PySide6 6.12 drops a reference to ``None`` each time Qt hands an empty value back to
Python, and a sort of the real inventory then kills the process (TECH_NOTES, December
2026). The model sorts itself, and the window asks it, not Qt, which site a row shows. The
columns and the text of the cells are :mod:`siteassess.ui.ranking_table`'s.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from siteassess.reports.webmap import score_colour as score_hex
from siteassess.ui import ranking_table as rt
from siteassess.ui.i18n_ui import tr
from siteassess.ui.labels import measure_info
from siteassess.ui.ranking_table import Column, Row, Rows, Table

if TYPE_CHECKING:
    from siteassess.assessment import Assessment

__all__ = ["Column", "RankingModel", "Row", "Rows", "Table", "score_colour"]

AnyIndex = QModelIndex | QPersistentModelIndex
_R = Qt.ItemDataRole
_DISPLAY, _TOOLTIP, _ALIGN = _R.DisplayRole.value, _R.ToolTipRole.value, _R.TextAlignmentRole.value
_BACKGROUND, _FOREGROUND, _FONT = (
    _R.BackgroundRole.value,
    _R.ForegroundRole.value,
    _R.FontRole.value,
)
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _ALIGN, _BACKGROUND, _FOREGROUND, _FONT))
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def score_colour(score: float | None, excluded: bool) -> QColor:
    """The map's score colour, for the score cell."""
    return QColor(score_hex(score, excluded))


# Qt values the cells return, made once: a setter such as ``QFont.setBold`` called from
# Python is itself one of the calls that lose a reference to ``None`` on Python 3.11.
_GREY = QBrush(QColor("#777777"))
_BRUSHES: dict[str, QBrush] = {}
_FONTS: list[QFont] = []


def _bold() -> QFont:
    if not _FONTS:  # made once the application exists (it gives the default family)
        font = QFont()
        font.setBold(True)
        _FONTS.append(font)
    return _FONTS[0]


def _score_brush(score: float | None, excluded: bool) -> QBrush:
    hex_ = score_hex(score, excluded)
    brush = _BRUSHES.get(hex_)
    if brush is None:
        c = QColor(hex_)
        brush = _BRUSHES[hex_] = QBrush(QColor(c.red(), c.green(), c.blue(), 150))
    return brush


class RankingModel(QAbstractTableModel):
    """Sites with rank, score, exclusions and key measures (units in the cells).

    ``table`` holds the columns, sites in ranking order; ``order`` maps each row of the
    view to a row of ``table`` and is what :meth:`sort` changes. ``cells`` counts the
    cells formatted (for tests: only the rows on screen are).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table = Table()
        self.columns: list[Column] = []
        self.order = np.arange(0)
        self._view_of = np.arange(0)  # the inverse of ``order``
        self._keys: dict[int, np.ndarray] = {}  # column -> sort keys (NaN: unknown)
        self.sort_column = 0
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.cells = 0

    @property
    def rows(self) -> Rows:
        """The sites in ranking order (best first, excluded last), made on demand."""
        return Rows(self.table)

    # -- filling
    def set_assessment(self, a: Assessment | None, p_first: dict[str, float] | None = None) -> None:
        """Show an assessment (``p_first`` overrides its sensitivity, when given).

        The current sort column (by key) and order are kept.
        """
        key = self.columns[self.sort_column].key if self.columns else "rank"
        self.beginResetModel()
        self.table, self.columns = (
            (Table(), []) if a is None else rt.make_table(a, p_first, self.table)
        )
        self._keys = {}
        self.sort_column = max(0, self.column_of(key))
        self._set_order(self._sorted(self.sort_column, self.sort_order))
        self.endResetModel()

    def _set_order(self, order: np.ndarray) -> None:
        self.order = order
        self._view_of = np.empty_like(order)
        self._view_of[order] = np.arange(len(order))

    def row_of(self, site_id: str) -> int:
        """The view row of a site (-1 when absent)."""
        inner = self.table.position.get(site_id)
        return -1 if inner is None else int(self._view_of[inner])

    def site_at(self, view_row: int) -> str | None:
        """The id of the site a view row shows (None out of range)."""
        if 0 <= view_row < len(self.order):
            return self.table.ids[int(self.order[view_row])]
        return None

    def row_at(self, view_row: int) -> Row:
        """The site a view row shows."""
        return rt.make_row(self.table, int(self.order[view_row]))

    def sort_key(self, view_row: int, key: str) -> float | None:
        """The value a column sorts by, for a view row (None when unknown)."""
        col = self.column_of(key)
        v = float(self._sort_keys(col)[self.order[view_row]])
        return None if math.isnan(v) else v

    def column_of(self, key: str) -> int:
        """The column index of a key (-1 when absent)."""
        return next((i for i, c in enumerate(self.columns) if c.key == key), -1)

    def retranslate(self) -> None:
        """Re-read texts after a language switch."""
        self.beginResetModel()
        self._keys = {}
        self.endResetModel()

    # -- sorting (numpy, in the model: no value goes back and forth through Qt)
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.order
        self.sort_column, self.sort_order = column, order
        self._set_order(self._sorted(column, order))
        # Keep the selection and the current row on the same sites.
        old = self.persistentIndexList()
        new = [self.index(int(self._view_of[before[i.row()]]), i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _sort_keys(self, column: int) -> np.ndarray:
        keys = self._keys.get(column)
        if keys is None:
            keys = self._keys[column] = rt.sort_keys(self.table, self.columns[column])
        return keys

    def _sorted(self, column: int, order: Qt.SortOrder) -> np.ndarray:
        """Row numbers sorted by a column; unknown values last in both orders, ties in
        ranking order."""
        if not self.columns:
            return np.arange(len(self.table))
        ranking = self.table.ranking
        keys = self._sort_keys(column)[ranking]  # ties stay in ranking order
        known = ranking[~np.isnan(keys)]
        unknown = ranking[np.isnan(keys)]
        k = keys[~np.isnan(keys)]
        if order == Qt.SortOrder.DescendingOrder:
            k = -k
        return np.concatenate([known[np.argsort(k, kind="stable")], unknown])

    # -- Qt model
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.table)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        col = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(col.title).format(**dict(col.fill)) if col.fill else tr(col.title)
        if role == Qt.ItemDataRole.ToolTipRole and col.measure:
            info = measure_info(col.key)
            return f"{info.label} ({info.unit})" if info.unit else info.label
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        # Roles as plain ints (a comparison with a Qt enum costs ten times more): the
        # view asks about seven roles per visible cell at each paint.
        if role not in _ROLES or not index.isValid():
            return None
        i = int(self.order[index.row()])
        t = self.table
        col = self.columns[index.column()]
        if role == _DISPLAY:
            self.cells += 1
            return rt.display(t, i, col)
        if role == _TOOLTIP:
            return rt.tooltip(t, i, col)
        if role == _ALIGN:
            return _LEFT if col.key in rt.LEFT_ALIGNED else _RIGHT
        if role == _BACKGROUND:
            if col.key != "score":
                return None
            return _score_brush(rt.score_of(t, i), bool(t.excluded[i]))
        if role == _FOREGROUND:
            return _GREY if t.excluded[i] else None
        if col.key in ("rank", "score", "name"):  # the font
            return _bold() if t.rank[i] == 1 else None
        return None
