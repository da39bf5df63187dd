"""The AHP dialog: pairwise judgements, with the consistency ratio updated as they are typed.

The planner fills the upper triangle (``3`` means the row's criterion is moderately more
important than the column's, ``1/3`` the reverse); the lower triangle follows as
reciprocals. The most inconsistent judgement is highlighted with the value the other
judgements imply, so the planner knows which one to revise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from siteassess.errors import WeightsError
from siteassess.project import WeightSettings
from siteassess.scoring.weights import AHPResult, ahp_ratio
from siteassess.ui.i18n_ui import tr
from siteassess.ui.labels import criterion_label, fmt, fmt_pct

MAX_RATIO = 0.10
CONSISTENT_BELOW = 0.005
_HIGHLIGHT = QColor("#ffb74d")
_INVALID = QColor("#ef9a9a")
_FIXED = QColor("#eceff1")


def parse_judgement(text: str) -> float:
    """A judgement as typed: ``3``, ``1/3``, ``0,5`` or ``0.5`` (raises ValueError)."""
    t = text.strip().replace(",", ".").replace(" ", "")
    match = re.fullmatch(r"([0-9.]+)/([0-9.]+)", t)
    value = float(match.group(1)) / float(match.group(2)) if match else float(t)
    if not value > 0 or value == float("inf"):
        raise ValueError(text)
    return value


def judgement_text(value: float) -> str:
    """A judgement as the planner writes it (``3``, ``1/3``, ``1,6``)."""
    if value >= 1:
        return fmt(value, 0 if abs(value - round(value)) < 1e-9 else 2)
    inv = 1 / value
    if abs(inv - round(inv)) < 1e-6:
        return f"1/{round(inv)}"
    return fmt(value, 2)


def _wrap(label: str) -> str:
    """A column header on two lines when it is long."""
    if len(label) <= 14 or " " not in label:
        return label
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "\n" + label[cut + 1 :]


class AHPDialog(QDialog):
    """Pairwise comparison of the criteria, giving AHP weights and their consistency."""

    def __init__(
        self,
        criteria: Sequence[str],
        matrix: Sequence[Sequence[float]] | None = None,
        weights: Mapping[str, float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.criteria = list(criteria)
        n = len(self.criteria)
        if matrix is None:
            w = [max(float((weights or {}).get(c, 1.0)), 1e-6) for c in self.criteria]
            matrix = [[round(w[i] / w[j], 2) for j in range(n)] for i in range(n)]
        self.ahp: AHPResult | None = None
        self.table = QTableWidget(n, n)
        labels = [criterion_label(c) for c in self.criteria]
        self.table.setHorizontalHeaderLabels([_wrap(label) for label in labels])
        self.table.setVerticalHeaderLabels(labels)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.hint = QLabel(
            tr(
                "Row compared with column: 1 equal, 3 moderately, 5 strongly, 7 very strongly, "
                "9 extremely more important; 1/3, 1/5… when the column matters more."
            )
        )
        self.hint.setWordWrap(True)
        self.ratio_label = QLabel()
        self.pair_label = QLabel()
        self.pair_label.setWordWrap(True)
        self.weights_label = QLabel()
        self.force = QCheckBox(tr("Use these weights although the judgements are inconsistent"))
        self.force.toggled.connect(self._update_ok)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Use these weights"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.hint, self.table, self.ratio_label, self.pair_label):
            layout.addWidget(widget)
        layout.addWidget(self.weights_label)
        layout.addWidget(self.force)
        layout.addWidget(self.buttons)
        self.setWindowTitle(tr("Weights by pairwise comparison (AHP)"))
        self.resize(720, 420)

        self.table.blockSignals(True)
        for i in range(n):
            for j in range(n):
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if i < j:
                    item.setText(judgement_text(float(matrix[i][j])))
                    item.setToolTip(
                        tr("How much more important is {a} than {b}?").format(
                            a=labels[i], b=labels[j]
                        )
                    )
                else:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    item.setBackground(QBrush(_FIXED))
                self.table.setItem(i, j, item)
        self.table.blockSignals(False)
        self.table.itemChanged.connect(self._recompute)
        self._recompute()

    # -- API used by the main window and the tests
    def set_judgement(self, i: int, j: int, text: str) -> None:
        """Type a judgement in the upper triangle (row ``i`` vs column ``j``, i < j)."""
        if i > j:
            i, j = j, i
            text = judgement_text(1 / parse_judgement(text))
        item = self.table.item(i, j)
        assert item is not None
        item.setText(text)

    def matrix(self) -> list[list[float]]:
        """The full reciprocal matrix as typed (raises ValueError naming a bad cell)."""
        n = len(self.criteria)
        a = [[1.0] * n for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                item = self.table.item(i, j)
                text = item.text() if item is not None else ""
                try:
                    a[i][j] = parse_judgement(text)
                except ValueError:
                    raise ValueError(
                        tr("{a} vs {b}: {text!r} is not a judgement; type 3, 1/3 or 0,5").format(
                            a=criterion_label(self.criteria[i]),
                            b=criterion_label(self.criteria[j]),
                            text=text,
                        )
                    ) from None
                a[j][i] = 1 / a[i][j]
        return a

    def weight_settings(self) -> WeightSettings:
        """The project's ``[weights]`` for this matrix."""
        a = self.matrix()
        cr = self.ahp.consistency_ratio if self.ahp is not None else 0.0
        return WeightSettings(
            method="ahp",
            criteria=tuple(self.criteria),
            matrix=tuple(tuple(row) for row in a),
            force=cr > MAX_RATIO,
        )

    # -- live update
    def _recompute(self, *_args: object) -> None:
        n = len(self.criteria)
        self.table.blockSignals(True)
        try:
            for i in range(n):
                for j in range(i + 1, n):
                    cell = self.table.item(i, j)
                    if cell is not None:
                        cell.setBackground(QBrush())
            try:
                a = self.matrix()
                self.ahp = ahp_ratio(self.criteria, a)
            except (ValueError, WeightsError) as exc:
                self.ahp = None
                self.ratio_label.setText(tr("Invalid entry: {error}").format(error=exc))
                self.ratio_label.setStyleSheet("color: #a01010; font-weight: bold")
                self.pair_label.setText("")
                self.weights_label.setText("")
                self._mark_invalid()
                return
            for i in range(n):
                self.table.item(i, i).setText("1")  # type: ignore[union-attr]
                for j in range(i + 1, n):
                    self.table.item(j, i).setText(judgement_text(a[j][i]))  # type: ignore[union-attr]
            self._show(a)
        finally:
            self.table.blockSignals(False)
            self._update_ok()

    def _mark_invalid(self) -> None:
        for i in range(len(self.criteria)):
            for j in range(i + 1, len(self.criteria)):
                cell = self.table.item(i, j)
                if cell is None:
                    continue
                try:
                    parse_judgement(cell.text())
                except ValueError:
                    cell.setBackground(QBrush(_INVALID))

    def _show(self, a: list[list[float]]) -> None:
        res = self.ahp
        assert res is not None
        cr = res.consistency_ratio
        ok = cr <= MAX_RATIO
        verdict = tr("acceptable") if ok else tr("too inconsistent")
        self.ratio_label.setText(
            tr("Consistency ratio: {cr} ({verdict}; the limit is {limit})").format(
                cr=fmt(cr, 3), verdict=verdict, limit=fmt(MAX_RATIO, 2)
            )
        )
        self.ratio_label.setStyleSheet(
            "color: #1b5e20; font-weight: bold" if ok else "color: #a01010; font-weight: bold"
        )
        pair = res.most_inconsistent_pair
        if pair is None or cr < CONSISTENT_BELOW:
            # Below this, the "worst" pair differs from its implied value only by rounding.
            self.pair_label.setText(tr("The judgements are consistent."))
        else:
            i, j = self.criteria.index(pair[0]), self.criteria.index(pair[1])
            implied = res.weights[pair[0]] / res.weights[pair[1]]
            self.pair_label.setText(
                tr(
                    "Most inconsistent judgement: {a} vs {b}: entered {entered}, while the other "
                    "judgements imply about {implied}."
                ).format(
                    a=criterion_label(pair[0]),
                    b=criterion_label(pair[1]),
                    entered=judgement_text(a[i][j]),
                    implied=judgement_text(implied),
                )
            )
            for r, c in ((i, j), (j, i)):
                cell = self.table.item(r, c)
                if cell is not None:
                    cell.setBackground(QBrush(_HIGHLIGHT))
        parts = [f"{criterion_label(c)} {fmt_pct(res.weights[c], 1)}" for c in self.criteria]
        self.weights_label.setText(tr("Weights: {weights}").format(weights=" · ".join(parts)))

    def _update_ok(self, *_args: object) -> None:
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        res = self.ahp
        too_high = res is not None and res.consistency_ratio > MAX_RATIO
        self.force.setVisible(too_high)
        ok_button.setEnabled(res is not None and (not too_high or self.force.isChecked()))
