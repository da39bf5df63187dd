"""The ranked table of sites as a Qt model that sorts itself, unknown values last.

Nothing here calls back into Qt for a value (``QModelIndex.data()``): on Python 3.11,
PySide6 6.12 drops a reference to ``None`` each time Qt hands an empty value back to
Python, and a sort of the real inventory then kills the process (TECH_NOTES, December
2026). The model keeps its rows and their order as Python lists, sorts them itself, and
the window asks it, not Qt, which site a row shows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from siteassess.reports.messages import reason_text
from siteassess.reports.webmap import score_colour as score_hex
from siteassess.ui.i18n_ui import language, tr
from siteassess.ui.labels import as_float, fmt, fmt_pct, format_measure, measure_info

if TYPE_CHECKING:
    from siteassess.assessment import Assessment

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One column of the ranking table."""

    key: str
    title: str  # English; translated when shown
    measure: bool = False
    fill: tuple[tuple[str, str], ...] = ()  # values of the title's {placeholders}


@dataclass(frozen=True)
class Row:
    """One site of the ranking, as the table shows it."""

    site_id: str
    name: str
    rank: int | None  # None when excluded
    score: float
    excluded: bool
    exclusions: str
    approximate: bool
    p_first: float | None
    values: dict[str, Any]
    commune: str = ""  # "Escaudain (59205)", empty when unknown
    designation: str = ""  # a State designation (« site clé en main »), not scored
    designation_note: str = ""  # its source and date
    same_unit_as: str = ""  # the name of the better record of this land unit


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

    ``rows`` holds the sites in ranking order; ``order`` maps each row of the view to a
    row of ``rows`` and is what :meth:`sort` changes.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.columns: list[Column] = []
        self.order: list[int] = []
        self._view_row: dict[str, int] = {}
        self.sort_column = 0
        self.sort_order = Qt.SortOrder.AscendingOrder

    # -- filling
    def set_assessment(self, a: Assessment | None, p_first: dict[str, float] | None = None) -> None:
        """Show an assessment (``p_first`` overrides its sensitivity, when given).

        The current sort column (by key) and order are kept.
        """
        key = self.columns[self.sort_column].key if self.columns else "rank"
        self.beginResetModel()
        self.rows, self.columns = ([], []) if a is None else _rows(a, p_first)
        self.sort_column = max(0, self.column_of(key))
        self._set_order(self._sorted(self.sort_column, self.sort_order))
        self.endResetModel()

    def _set_order(self, order: list[int]) -> None:
        self.order = order
        self._view_row = {self.rows[inner].site_id: view for view, inner in enumerate(order)}

    def row_of(self, site_id: str) -> int:
        """The view row of a site (-1 when absent)."""
        return self._view_row.get(site_id, -1)

    def site_at(self, view_row: int) -> str | None:
        """The id of the site a view row shows (None out of range)."""
        if 0 <= view_row < len(self.order):
            return self.rows[self.order[view_row]].site_id
        return None

    def row_at(self, view_row: int) -> Row:
        """The site a view row shows."""
        return self.rows[self.order[view_row]]

    def sort_key(self, view_row: int, key: str) -> Any:
        """The value a column sorts by, for a view row (None when unknown)."""
        return _sort_value(self.row_at(view_row), self.columns[self.column_of(key)])

    def column_of(self, key: str) -> int:
        """The column index of a key (-1 when absent)."""
        return next((i for i, c in enumerate(self.columns) if c.key == key), -1)

    def retranslate(self) -> None:
        """Re-read texts after a language switch."""
        self.beginResetModel()
        self.endResetModel()

    # -- sorting (in Python: no value goes back and forth through Qt)
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.order
        self.sort_column, self.sort_order = column, order
        self._set_order(self._sorted(column, order))
        # Keep the selection and the current row on the same sites.
        where = {inner: view for view, inner in enumerate(self.order)}
        old = self.persistentIndexList()
        new = [self.index(where[before[i.row()]], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _sorted(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Row numbers sorted by a column; unknown values last in both orders."""
        if not self.columns:
            return list(range(len(self.rows)))
        col = self.columns[column]
        keys = [_sort_value(r, col) for r in self.rows]
        known = [i for i, k in enumerate(keys) if k is not None]
        unknown = [i for i, k in enumerate(keys) if k is None]
        descending = order == Qt.SortOrder.DescendingOrder
        known.sort(key=lambda i: keys[i], reverse=descending)
        return known + unknown

    # -- Qt model
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

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

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.key in ("name", "commune", "land_unit", "designation", "exclusions", "outline"):
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and col.key == "score":
            return _score_brush(row.score, row.excluded)
        if role == Qt.ItemDataRole.ForegroundRole and row.excluded:
            return _GREY
        if role == Qt.ItemDataRole.FontRole and col.key in ("rank", "score", "name"):
            return _bold() if row.rank == 1 else None
        return None


def _fill(title: str, params: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The values of a title's ``{parameter}`` placeholders, as numbers of the language."""
    out = []
    for name in re.findall(r"{(\w+)}", title):
        value = params.get(name)
        out.append((name, fmt(float(value), 0) if isinstance(value, int | float) else "?"))
    return tuple(out)


def _rows(a: Assessment, p_first: dict[str, float] | None) -> tuple[list[Row], list[Column]]:
    ranked = a.ranked()
    measures = a.measurements.measures
    sites = a.measurements.sites
    cols = [Column("rank", "Rank"), Column("score", "Score"), Column("name", "Brownfield")]
    cols.append(Column("commune", "Commune"))
    # The headline measures the criteria declare (a measure its criterion's parameters
    # make repeat another is left out), titled as declared.
    from siteassess.criteria import criterion_of, headline_measures

    params = a.measurements.params
    extra: list[str] = []
    for m in headline_measures(params):
        if m.key in measures.columns:
            given = params.get(criterion_of(m.key) or "", {})
            cols.append(Column(m.key, m.short or m.label, True, _fill(m.short, given)))
            extra += [k for k in (m.named_by, m.detail_by) if k and k in measures]
    cols += [Column("p_first", "P(1st)"), Column("outline", "Outline")]
    if a.measurements.land_units:
        cols.append(Column("land_unit", "Land unit"))
    if "designation" in sites.columns and sites["designation"].notna().any():
        cols.append(Column("designation", "State designation"))
    cols += [Column("exclusions", "Exclusion")]
    rows = []
    for sid, r in ranked.iterrows():
        key = str(sid)
        values = {c.key: r.get(c.key) for c in cols if c.measure}
        values.update({k: r.get(k) for k in extra})
        pf = p_first.get(key) if p_first is not None else r.get("p_first")
        approx = bool(sites.loc[sid, "approximate"]) if "approximate" in sites.columns else False
        designated = a.designation(key)
        rows.append(
            Row(
                site_id=key,
                name=str(r["name"]),
                rank=None if bool(r["excluded"]) else int(r["rank"]),
                score=float(r["score"]),
                excluded=bool(r["excluded"]),
                exclusions="; ".join(reason_text(x, language()) for x in a.reasons.get(key, ())),
                approximate=approx,
                p_first=None if pf is None or _nan(pf) else float(pf),
                values=values,
                commune=_commune(r.get("commune"), r.get("insee")),
                designation=designated[0] if designated else "",
                designation_note=" · ".join(x for x in designated[1:] if x) if designated else "",
                same_unit_as=a.site_name(same)
                if (same := _text(r.get("same_land_unit_as")))
                else "",
            )
        )
    return rows, cols


def _text(v: Any) -> str:
    """Text of a cell, empty for missing values (None, NaN, pandas NA)."""
    return v if isinstance(v, str) else ""


def _commune(name: Any, insee: Any) -> str:
    name, insee = _text(name), _text(insee)
    return f"{name} ({insee})" if name and insee else name


def _nan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _display(row: Row, col: Column) -> str:
    if col.key == "rank":
        return "—" if row.rank is None else str(row.rank)
    if col.key == "score":
        return fmt(row.score, 1)
    if col.key == "name":
        return row.name
    if col.key == "commune":
        return row.commune
    if col.key == "land_unit":
        return tr("same as {name}").format(name=row.same_unit_as) if row.same_unit_as else ""
    if col.key == "designation":
        return row.designation
    if col.key == "p_first":
        if row.excluded:
            return "—"
        return "…" if row.p_first is None else fmt_pct(row.p_first)
    if col.key == "outline":
        return tr("approximate") if row.approximate else tr("surveyed")
    if col.key == "exclusions":
        return tr("site excluded") if row.excluded else ""
    return format_measure(col.key, row.values.get(col.key))


def _sort_value(row: Row, col: Column) -> Any:
    if col.key == "rank":
        return row.rank  # None (excluded) sorts last
    if col.key == "score":
        return None if _nan(row.score) else row.score
    if col.key == "name":
        return row.name.casefold()
    if col.key == "commune":
        return row.commune.casefold() or None
    if col.key == "land_unit":
        return row.same_unit_as.casefold() or None
    if col.key == "designation":
        return row.designation.casefold() or None
    if col.key == "p_first":
        return row.p_first
    if col.key == "outline":
        return int(row.approximate)
    if col.key == "exclusions":
        return int(row.excluded)
    v = as_float(row.values.get(col.key))
    return None if math.isnan(v) else v


def _named(row: Row, col: Column) -> str | None:
    """The name of the feature a measure goes to (and its detail), as the criterion
    declares them: « BOUCHAIN — 400 kV »."""
    from siteassess.criteria import MEASURES

    m = MEASURES.get(col.key) if col.measure else None
    if m is None or m.named_by is None or not row.values.get(m.named_by):
        return None
    name = str(row.values[m.named_by])
    if m.detail_by is None or row.values.get(m.detail_by) is None:
        return name
    return f"{name} — {format_measure(m.detail_by, row.values.get(m.detail_by))}"


def _tooltip(row: Row, col: Column) -> str | None:
    if col.key == "name":
        return f"{row.name} ({row.site_id})"
    named = _named(row, col)
    if named:
        return named
    if col.key == "exclusions" and row.exclusions:
        return row.exclusions
    if col.key == "land_unit" and row.same_unit_as:
        return tr(
            "Same land unit as {name}: one candidate, listed several times in the inventory"
        ).format(name=row.same_unit_as)
    if col.key == "designation" and row.designation:
        if not row.designation_note:
            return tr("Designated by the State (not scored)")
        return tr("Designated by the State (not scored): {source}").format(
            source=row.designation_note
        )
    if col.key == "outline" and row.approximate:
        return tr("Approximate outline: not surveyed; areas and distances are estimates.")
    if col.key == "p_first":
        return tr("Probability of ranking first when each weight varies by ±25 %")
    return None
