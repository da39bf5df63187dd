"""The ranked table of sites as a Qt model, and a proxy that sorts unknown values last."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from siteassess.reports.webmap import score_colour as score_hex
from siteassess.ui.i18n_ui import tr
from siteassess.ui.labels import as_float, fmt, fmt_pct, format_measure, measure_info

if TYPE_CHECKING:
    from siteassess.assessment import Assessment

SORT_ROLE = Qt.ItemDataRole.UserRole
SITE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex

# Key measures shown as columns when the assessment has them (in this order), with the
# short title of their column (the tooltip gives the full label and unit).
KEY_MEASURES = {
    "substation_distance_m": "Substation ≥ {kv} kV",
    "substation_400kv_distance_m": "400 kV substation",
    "flood_share_any_pct": "Flood zones",
    "rtt_flap_mean_ms": "RTT to FLAP",
    "area_ha": "Area",
    "power_density_mw_per_ha": "Density",
}


@dataclass(frozen=True)
class Column:
    """One column of the ranking table."""

    key: str
    title: str  # English; translated when shown
    measure: bool = False


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


def score_colour(score: float | None, excluded: bool) -> QColor:
    """The map's score colour, for the score cell."""
    return QColor(score_hex(score, excluded))


class RankingModel(QAbstractTableModel):
    """Sites with rank, score, exclusions and key measures (units in the cells)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.columns: list[Column] = []
        self.min_kv: float | None = None

    # -- filling
    def set_assessment(self, a: Assessment | None, p_first: dict[str, float] | None = None) -> None:
        """Show an assessment (``p_first`` overrides its sensitivity, when given)."""
        self.beginResetModel()
        self.rows, self.columns = ([], []) if a is None else _rows(a, p_first)
        self.min_kv = None
        if a is not None:
            kv = a.measurements.params.get("power", {}).get("min_kv")
            self.min_kv = float(kv) if kv is not None else None
        self.endResetModel()

    def row_of(self, site_id: str) -> int:
        """The model row of a site (-1 when absent)."""
        return next((i for i, r in enumerate(self.rows) if r.site_id == site_id), -1)

    def column_of(self, key: str) -> int:
        """The column index of a key (-1 when absent)."""
        return next((i for i, c in enumerate(self.columns) if c.key == key), -1)

    def retranslate(self) -> None:
        """Re-read texts after a language switch."""
        self.beginResetModel()
        self.endResetModel()

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
            if col.key == "substation_distance_m":
                kv = fmt(self.min_kv, 0) if self.min_kv is not None else "?"
                return tr(KEY_MEASURES[col.key]).format(kv=kv)
            return tr(col.title)
        if role == Qt.ItemDataRole.ToolTipRole and col.measure:
            info = measure_info(col.key)
            return f"{info.label} ({info.unit})" if info.unit else info.label
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, col)
        if role == SORT_ROLE:
            return _sort_value(row, col)
        if role == SITE_ID_ROLE:
            return row.site_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.key in ("name", "exclusions", "outline"):
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and col.key == "score":
            colour = score_colour(row.score, row.excluded)
            colour.setAlpha(150)
            return QBrush(colour)
        if role == Qt.ItemDataRole.ForegroundRole and row.excluded:
            return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.FontRole and col.key in ("rank", "score", "name"):
            font = QFont()
            font.setBold(row.rank == 1)
            return font
        return None


def _rows(a: Assessment, p_first: dict[str, float] | None) -> tuple[list[Row], list[Column]]:
    ranked = a.ranked()
    measures = a.measurements.measures
    sites = a.measurements.sites
    cols = [Column("rank", "Rank"), Column("score", "Score"), Column("name", "Brownfield")]
    cols += [Column(k, t, True) for k, t in KEY_MEASURES.items() if k in measures.columns]
    cols += [Column("p_first", "P(1st)"), Column("outline", "Outline")]
    cols += [Column("exclusions", "Exclusion")]
    extra = [
        c for c in ("substation_name", "substation_kv", "substation_400kv_name") if c in measures
    ]
    rows = []
    for sid, r in ranked.iterrows():
        key = str(sid)
        values = {c.key: r.get(c.key) for c in cols if c.measure}
        values.update({k: r.get(k) for k in extra})
        pf = p_first.get(key) if p_first is not None else r.get("p_first")
        approx = bool(sites.loc[sid, "approximate"]) if "approximate" in sites.columns else False
        rows.append(
            Row(
                site_id=key,
                name=str(r["name"]),
                rank=None if bool(r["excluded"]) else int(r["rank"]),
                score=float(r["score"]),
                excluded=bool(r["excluded"]),
                exclusions=str(r["exclusions"] or ""),
                approximate=approx,
                p_first=None if pf is None or _nan(pf) else float(pf),
                values=values,
            )
        )
    return rows, cols


def _nan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _display(row: Row, col: Column) -> str:
    if col.key == "rank":
        return "—" if row.rank is None else str(row.rank)
    if col.key == "score":
        return fmt(row.score, 1)
    if col.key == "name":
        return row.name
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
    if col.key == "p_first":
        return row.p_first
    if col.key == "outline":
        return int(row.approximate)
    if col.key == "exclusions":
        return int(row.excluded)
    v = as_float(row.values.get(col.key))
    return None if math.isnan(v) else v


def _tooltip(row: Row, col: Column) -> str | None:
    if col.key == "name":
        return f"{row.name} ({row.site_id})"
    if col.key == "substation_distance_m" and row.values.get("substation_name"):
        kv = format_measure("substation_kv", row.values.get("substation_kv"))
        return f"{row.values['substation_name']} — {kv}"
    if col.key == "substation_400kv_distance_m" and row.values.get("substation_400kv_name"):
        return str(row.values["substation_400kv_name"])
    if col.key == "exclusions" and row.exclusions:
        return row.exclusions
    if col.key == "outline" and row.approximate:
        return tr("Approximate outline: not surveyed; areas and distances are estimates.")
    if col.key == "p_first":
        return tr("Probability of ranking first when each weight varies by ±25 %")
    return None


class RankingProxy(QSortFilterProxyModel):
    """Sorts by the model's sort role, with unknown values (None) always last."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:  # noqa: N802
        a = left.data(SORT_ROLE)
        b = right.data(SORT_ROLE)
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        if a is None or b is None:
            if a is None and b is None:
                return False
            # Unknown last in both orders: Qt reverses the answer for a descending sort.
            return (b is None) == ascending
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
