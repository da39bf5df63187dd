"""Compare two to five brownfields side by side: measures, radar, insets, sensitivity.

The table marks the best value of each row (★, green); the radar shows each criterion's
value from 0 to 1; the insets are drawn at one scale; below, the probability that each
site ranks first when the weights vary, and the weight change that would swap the top two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from siteassess.reports.messages import reason_text
from siteassess.reports.webmap import score_colour
from siteassess.scoring.separation import marked_best
from siteassess.ui.compare_data import inset_for, nearest_target
from siteassess.ui.detail import separation_text
from siteassess.ui.i18n_ui import language, tr
from siteassess.ui.insets import InsetMaps
from siteassess.ui.labels import criterion_label, fmt, fmt_pct, format_measure, measure_info
from siteassess.ui.radar import SERIES_COLOURS, RadarChart, Series
from siteassess.vocabulary import resolution

if TYPE_CHECKING:
    from siteassess.assessment import Assessment
    from siteassess.project import Project

MIN_SITES, MAX_SITES = 2, 5
_BEST = QColor("#c8e6c9")


@dataclass(frozen=True)
class TableRow:
    """One row of the comparison: label, per-site text and number, which way is better."""

    label: str
    texts: tuple[str, ...]
    numbers: tuple[float, ...]
    better: str | None  # "low" | "high" | None

    resolution: float = 0.0  # differences below this (numbers' unit) get no ★

    def best(self) -> set[int]:
        """Columns holding the best value (ties all marked; none below the resolution)."""
        return set(marked_best(self.numbers, self.better, self.resolution))


def comparison_rows(a: Assessment, full: Assessment, ids: Sequence[str]) -> list[TableRow]:
    """The rows of the comparison table for sites ``ids`` (``full`` carries sensitivity)."""
    order = [a.site_ids.index(s) for s in ids]
    t = a.table
    rows: list[TableRow] = []

    def add(
        label: str,
        numbers: list[float],
        texts: list[str],
        better: str | None,
        resolution: float = 0.0,
    ) -> None:
        rows.append(TableRow(label, tuple(texts), tuple(numbers), better, resolution))

    sites = a.measurements.sites
    communes = [_commune_text(sites.iloc[i]) for i in order]
    if any(communes):
        add(tr("Commune"), [math.nan] * len(order), communes, None)
    ranks = [math.nan if t.excluded[i] else float(t.ranks[i]) for i in order]
    add(tr("Rank"), ranks, ["—" if math.isnan(r) else str(int(r)) for r in ranks], "low")
    scores = [float(t.scores[i]) for i in order]
    add(tr("Score (out of 100)"), scores, [fmt(s, 1) for s in scores], "high")
    if full.sensitivity is not None:
        pf = [float(full.sensitivity.p_first[i]) for i in order]
        add(tr("P(1st) among all sites"), pf, [fmt_pct(v) for v in pf], "high")
    sub = a.p_first_among(ids) if (~t.excluded[order]).any() else None
    if sub is not None:
        pf = [float(v) for v in sub]
        add(tr("P(1st) among these sites"), pf, [fmt_pct(v) for v in pf], "high")
    m = a.measurements
    for j, c in enumerate(a.criteria):
        info = measure_info(c.measure)
        tf = c.transform
        better = "low" if tf.kind == "linear" and tf.best < tf.worst else "high"
        if tf.kind != "linear":
            better = None  # type: ignore[assignment]
        raw = [
            _num(m.measures[c.measure].iloc[i]) if c.measure in m.measures else math.nan
            for i in order
        ]
        texts = [format_measure(c.measure, m.measures[c.measure].iloc[i]) for i in order]
        add(info.label, raw, texts, better, resolution(c.measure))
        contrib = [float(t.contributions[i, j]) for i in order]
        label = tr("{criterion}: points (weight {w})").format(
            criterion=criterion_label(c.name), w=fmt_pct(c.weight, 0)
        )
        add(label, contrib, [fmt(v, 1) for v in contrib], "high")
    # The measures the criteria declare for comparisons, beyond those scored above; a
    # distance to a named feature (a substation, an exchange) gives the name too.
    from siteassess.criteria import compared_measures

    scored = {c.measure for c in a.criteria}
    for spec in compared_measures(m.params):
        key = spec.key
        if key in m.measures.columns and key not in scored:
            info = measure_info(key)
            vals = [_num(m.measures[key].iloc[i]) for i in order]
            add(
                info.label,
                vals,
                [format_measure(key, m.measures[key].iloc[i]) for i in order],
                info.better,
                resolution(key),
            )
        named = spec.named_by
        if key in m.measures.columns and named is not None and named in m.measures.columns:
            names = [str(m.measures[named].iloc[i] or "") for i in order]
            add(measure_info(named).label, [math.nan] * len(order), names, None)
    sites = m.sites
    if "approximate" in sites.columns:
        approx = [bool(sites["approximate"].iloc[i]) for i in order]
        texts = [tr("approximate") if v else tr("surveyed") for v in approx]
        add(tr("Outline"), [math.nan] * len(order), texts, None)
    # The reasons in the app's language (a.exclusions holds the core's English sentences).
    ids = a.site_ids
    excl = [
        "; ".join(reason_text(r, language()) for r in a.reasons.get(ids[i], ())) or "—"
        for i in order
    ]
    add(tr("Exclusion"), [math.nan] * len(order), excl, None)
    return rows


def _commune_text(site: Any) -> str:
    name, insee = site.get("commune"), site.get("insee")
    if not isinstance(name, str) or not name:
        return ""
    return f"{name} ({insee})" if isinstance(insee, str) and insee else name


def swap_text(a: Assessment, ids: Sequence[str]) -> str:
    """What single weight change would make the second of these sites catch the first."""
    pair = a.ranked_pair(ids)
    if pair is None:
        return tr("At least two of the compared sites must be ranked (not excluded).")
    swaps = a.swaps_between(*pair)
    top, other = a.site_name(pair[0]), a.site_name(pair[1])
    head = tr("To swap {a} (first here) and {b}:").format(a=f"« {top} »", b=f"« {other} »")
    if not swaps:
        return head + " " + tr("no change of a single weight makes them swap.")
    parts = [
        tr("the {criterion} weight from {before} to {after}").format(
            criterion=criterion_label(s.criterion),
            before=fmt_pct(s.weight_before, 1),
            after=fmt_pct(s.weight_after, 1),
        )
        for s in swaps[:3]
    ]
    tail = tr("(the other weights rescaled in proportion; beyond that point the order flips)")
    return f"{head} {tr(' or ').join(parts)} {tail}"


def _two_lines(name: str, width: int = 14) -> str:
    """A long site name on several short lines (column headers stay narrow)."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


class CompareDialog(QDialog):
    """Pick two to five sites and see them side by side."""

    def __init__(
        self, a: Assessment, project: Project, ids: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from siteassess.assessment import score

        self.a = a
        self.full = score(a.measurements, project, sensitivity=True)
        self.setWindowTitle(tr("Compare brownfields"))
        self.picker = QListWidget()
        self.picker.setMaximumWidth(230)
        ranked = a.ranked()
        self.picker_ids = [str(sid) for sid in ranked.index]  # row k of the picker
        for _sid, row in ranked.iterrows():
            commune = row.get("commune")
            label = str(row["name"])
            if isinstance(commune, str) and commune:
                label += f" — {commune}"
            item = QListWidgetItem(label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.picker.addItem(item)
        self.hint = QLabel(tr("Tick two to five sites."))
        self.hint.setWordWrap(True)
        self.hint.setMaximumWidth(230)
        self.table = QTableWidget()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.radar = RadarChart()
        self.insets = InsetMaps()
        self.sensitivity = QLabel()
        self.sensitivity.setWordWrap(True)
        self.sensitivity.setTextFormat(Qt.TextFormat.PlainText)
        self.sensitivity.setStyleSheet(
            "background: #eef3f8; border: 1px solid #c8d4e0; padding: 6px; font-weight: bold"
        )

        left = QVBoxLayout()
        left.addWidget(self.hint)
        left.addWidget(self.picker)
        # Centre: the table above the insets; right: the radar above the sensitivity.
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.table)
        centre.addWidget(self.insets)
        centre.setSizes([560, 280])
        side = QWidget()
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(0, 0, 0, 0)
        side_box.addWidget(self.radar, 1)
        side_box.addWidget(self.sensitivity)
        self.separation = QLabel()
        self.separation.setWordWrap(True)
        self.separation.setTextFormat(Qt.TextFormat.PlainText)
        self.separation.setStyleSheet("color: #8a4b00;")
        side_box.addWidget(self.separation)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(centre)
        body.addWidget(side)
        body.setSizes([860, 340])
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addWidget(body, 1)
        self.resize(1400, 900)
        self.set_sites(ids)
        self.picker.itemChanged.connect(self._picked)

    def chosen(self) -> list[str]:
        """The ticked site ids, in ranking order."""
        out = []
        for k in range(self.picker.count()):
            item = self.picker.item(k)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(self.picker_ids[k])
        return out

    def set_sites(self, ids: Sequence[str]) -> None:
        """Tick exactly these sites (at most five) and redraw."""
        wanted = set(list(ids)[:MAX_SITES])
        self.picker.blockSignals(True)
        for k in range(self.picker.count()):
            item = self.picker.item(k)
            sid = self.picker_ids[k]
            item.setCheckState(Qt.CheckState.Checked if sid in wanted else Qt.CheckState.Unchecked)
        self.picker.blockSignals(False)
        self._refresh()

    def _picked(self, item: QListWidgetItem) -> None:
        if len(self.chosen()) > MAX_SITES:
            self.picker.blockSignals(True)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.picker.blockSignals(False)
            self.hint.setText(tr("At most five sites can be compared."))
            return
        self._refresh()

    def _refresh(self) -> None:
        ids = self.chosen()
        if len(ids) < MIN_SITES:
            self.hint.setText(tr("Tick two to five sites."))
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.radar.set_data("", [], [])
            self.insets.set_insets([], 1000)
            self.sensitivity.setText("")
            self.separation.setText("")
            return
        self.hint.setText(
            tr("Tick two to five sites.") + " " + tr("★ marks the best value of each row.")
        )
        self._fill_table(ids)
        self._fill_radar(ids)
        self._fill_insets(ids)
        self.sensitivity.setText(swap_text(self.a, ids))
        self.separation.setText(separation_text(self.a, ids))

    def _fill_table(self, ids: list[str]) -> None:
        rows = comparison_rows(self.a, self.full, ids)
        names = self.a.measurements.sites["name"]
        heads = [_two_lines(str(names.iloc[self.a.site_ids.index(s)])) for s in ids]
        self.table.clear()
        self.table.setColumnCount(len(ids))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(heads)
        self.table.setVerticalHeaderLabels([r.label for r in rows])
        self.best_cells: set[tuple[int, int]] = set()  # (row, column) of each ★
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            best = row.best()
            for c, text in enumerate(row.texts):
                item = QTableWidgetItem(("★ " + text) if c in best else text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if c in best:
                    item.setBackground(QBrush(_BEST))
                    item.setFont(bold)
                    self.best_cells.add((r, c))
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def _fill_radar(self, ids: list[str]) -> None:
        t = self.a.table
        names = self.a.measurements.sites["name"]
        series = []
        for k, sid in enumerate(ids):
            i = self.a.site_ids.index(sid)
            values = tuple(float(v) for v in np.asarray(t.values[i]))
            series.append(
                Series(str(names.iloc[i]), values, SERIES_COLOURS[k % len(SERIES_COLOURS)])
            )
        axes = [criterion_label(c.name) for c in self.a.criteria]
        self.radar.set_data(tr("Criterion values (0 = worst, 1 = best)"), axes, series)

    def _fill_insets(self, ids: list[str]) -> None:
        m = self.a.measurements
        t = self.a.table
        geoms = [m.sites.geometry.iloc[self.a.site_ids.index(s)] for s in ids]
        half = max(max(g.bounds[2] - g.bounds[0], g.bounds[3] - g.bounds[1]) for g in geoms)
        half = max(half * 0.9 + 600.0, 1500.0)
        insets = []
        for sid in ids:
            i = self.a.site_ids.index(sid)
            colour = score_colour(float(t.scores[i]), bool(t.excluded[i]))
            inset = inset_for(m, sid, half, colour)
            target, dist = nearest_target(m, sid)
            inset.target, inset.target_distance_m = target, dist
            insets.append(inset)
        self.insets.set_insets(insets, half)
