"""Side panels: criterion weights (live re-ranking) and criterion parameters (re-measure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from siteassess.criteria.power import default_min_kv
from siteassess.project import Project
from siteassess.ui.i18n_ui import tr
from siteassess.ui.labels import SCENARIO_LABELS, criterion_label, fmt, fmt_pct
from siteassess.ui.value_combo import ValueCombo

KV_LEVELS = (63.0, 90.0, 150.0, 225.0, 400.0)
SCENARIOS = ("frequent", "medium", "extreme", "none")


class WeightsPanel(QGroupBox):
    """A slider and a number per criterion; every change re-ranks the sites at once."""

    weightsChanged = Signal(dict)  # noqa: N815 - Qt naming: criterion -> raw weight
    ahpRequested = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout()
        self.method = QLabel()
        self.method.setWordWrap(True)
        self.ahp_button = QPushButton()
        self.ahp_button.clicked.connect(self.ahpRequested.emit)
        box = QVBoxLayout(self)
        box.addLayout(self.grid)
        box.addWidget(self.method)
        box.addWidget(self.ahp_button)
        self.names: list[str] = []
        self.sliders: dict[str, QSlider] = {}
        self.spins: dict[str, QSpinBox] = {}
        self.shares: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self._ahp: tuple[float, bool] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setTitle(tr("Weights"))
        self.ahp_button.setText(tr("Pairwise comparison (AHP)…"))
        self.ahp_button.setToolTip(tr("Derive the weights from pairwise judgements"))
        for name, label in self.labels.items():
            label.setText(criterion_label(name))
        self._update_shares()

    def set_project(self, project: Project, ahp_ratio: float | None = None) -> None:
        """Show the project's weights without emitting.

        Direct weights show as typed (40/25/25/60 stays so: scoring normalises them, and
        the share column shows that); AHP weights, and direct ones a whole-number box
        cannot hold, show as percentages.
        """
        names = [c.name for c in project.criteria]
        if names != self.names:
            self._build(names)
        raw = {c.name: c.weight for c in project.criteria}
        ahp = project.weights is not None and project.weights.method == "ahp"
        typed = not ahp and all(float(w).is_integer() and 0 <= w <= 100 for w in raw.values())
        if typed:
            values = {k: round(v) for k, v in raw.items()}
        else:
            values = {k: round(v * 100) for k, v in _percent_weights(project).items()}
        for name in names:
            for w in (self.sliders[name], self.spins[name]):
                w.blockSignals(True)
                w.setValue(values.get(name, 0))
                w.blockSignals(False)
        self._ahp = (ahp_ratio if ahp_ratio is not None else 0.0, ahp) if ahp else None
        self._update_shares()

    def weights(self) -> dict[str, float]:
        """The raw weights as set (0..100 each)."""
        return {n: float(self.spins[n].value()) for n in self.names}

    def set_weight(self, name: str, value: int) -> None:
        """Set one weight as the planner would (emits ``weightsChanged``)."""
        self.spins[name].setValue(value)

    def _build(self, names: list[str]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.names = names
        self.sliders, self.spins, self.shares, self.labels = {}, {}, {}, {}
        for row, name in enumerate(names):
            label = QLabel(criterion_label(name))
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, 100)
            slider.setObjectName(f"weight_slider_{name}")
            slider.setMinimumWidth(110)
            spin = QSpinBox()
            spin.setRange(0, 100)
            spin.setObjectName(f"weight_{name}")
            share = QLabel()
            share.setMinimumWidth(42)
            share.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            slider.valueChanged.connect(spin.setValue)
            spin.valueChanged.connect(slider.setValue)
            spin.valueChanged.connect(self._changed)
            self.grid.addWidget(label, row * 2, 0, 1, 3)
            self.grid.addWidget(slider, row * 2 + 1, 0)
            self.grid.addWidget(spin, row * 2 + 1, 1)
            self.grid.addWidget(share, row * 2 + 1, 2)
            self.labels[name], self.sliders[name] = label, slider
            self.spins[name], self.shares[name] = spin, share

    def _changed(self, _value: int) -> None:
        self._ahp = None
        self._update_shares()
        if sum(self.weights().values()) > 0:
            self.weightsChanged.emit(self.weights())

    def _update_shares(self) -> None:
        weights = self.weights()
        total = sum(weights.values())
        for name, label in self.shares.items():
            label.setText(fmt_pct(weights[name] / total, 0) if total else "—")
        if self._ahp is not None:
            self.method.setText(
                tr("Weights from the AHP comparison (consistency ratio {cr}).").format(
                    cr=fmt(self._ahp[0], 2)
                )
            )
        elif total == 0:
            self.method.setText(tr("Give at least one criterion a weight above 0."))
        else:
            self.method.setText(tr("Direct weights, shown as shares of their total."))


def _percent_weights(project: Project) -> dict[str, float]:
    """The weights the scoring uses (AHP or direct, normalised to a total of 1)."""
    from siteassess.assessment import resolve_weights

    try:
        weights, _ = resolve_weights(project)
    except Exception:  # an AHP matrix being edited, all weights 0: show the raw shares
        raw = {c.name: c.weight for c in project.criteria}
        total = sum(raw.values()) or 1.0
        return {k: v / total for k, v in raw.items()}
    return dict(weights)


class ParamsPanel(QGroupBox):
    """The criteria parameters that change what is measured (the sites are re-measured)."""

    paramsChanged = Signal(str, dict)  # noqa: N815 - criterion, parameters
    demandChanged = Signal(float)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.demand = _spin(1, 5000, 0, " MW", 10)
        self.min_kv = ValueCombo()
        self.route_factor = _spin(1.0, 3.0, 2, " ×", 0.05)
        self.scenario = ValueCombo()
        self.above_pct = _spin(0, 100, 1, " %", 1)
        self.min_area = _spin(0, 10_000, 1, " ha", 1)
        self.rows: list[tuple[QWidget, str]] = [
            (self.demand, "Campus power demand"),
            (self.min_kv, "Minimum substation voltage"),
            (self.route_factor, "Fibre route factor"),
            (self.scenario, "Flood exclusion: scenario"),
            (self.above_pct, "Flood exclusion: share above"),
            (self.min_area, "Minimum site area"),
        ]
        self.row_labels = [QLabel() for _ in self.rows]
        for label, (widget, _) in zip(self.row_labels, self.rows, strict=True):
            self.form.addRow(label, widget)
            if widget is self.min_kv:
                self.kv_warning = QLabel()
                self.kv_warning.setWordWrap(True)
                self.kv_warning.setStyleSheet("color: #8a4b00;")
                self.kv_warning.setVisible(False)
                self.form.addRow(self.kv_warning)
        self.demand.editingFinished.connect(self.update_kv_warning)
        self.demand.editingFinished.connect(lambda: self.demandChanged.emit(self.demand.value()))
        self.min_kv.activated.connect(self._kv_changed)
        self.route_factor.editingFinished.connect(
            lambda: self.paramsChanged.emit(
                "connectivity", {"route_factor": self.route_factor.value()}
            )
        )
        self.scenario.activated.connect(self._flood_changed)
        self.above_pct.editingFinished.connect(self._flood_changed)
        self.min_area.editingFinished.connect(
            lambda: self.paramsChanged.emit("land", {"min_area_ha": self.min_area.value()})
        )
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setTitle(tr("Criteria parameters (re-measure)"))
        for label, (_, text) in zip(self.row_labels, self.rows, strict=True):
            label.setText(tr(text))
        self.route_factor.setToolTip(
            tr("Length of the fibre route divided by the straight-line distance (usually 1.2–1.5)")
        )
        self.above_pct.setToolTip(
            tr("A site is excluded when more than this share of it lies in the zone")
        )
        self._fill_combos()
        self.update_kv_warning()

    def update_kv_warning(self) -> None:
        """Warn when the minimum voltage chosen is below what the demand needs."""
        kv, demand = self.min_kv.value(), self.demand.value()
        need = default_min_kv(demand) if demand > 0 else None
        low = kv is not None and need is not None and float(kv) < need
        if low:
            self.kv_warning.setText(
                tr(
                    "Below the {need} kV a {demand} MW campus needs: the score counts "
                    "substations that cannot supply it."
                ).format(need=fmt(need, 0), demand=fmt(demand, 0))
            )
        self.kv_warning.setVisible(low)

    def _fill_combos(self) -> None:
        current_kv = self.min_kv.value()
        self.min_kv.clear_items()
        self.min_kv.add(tr("from the demand (default)"), None)
        for kv in KV_LEVELS:
            self.min_kv.add(f"{fmt(kv, 0)} kV", kv)
        if current_kv is not None:
            self._select_kv(float(current_kv))
        current_sc = self.scenario.value()
        self.scenario.clear_items()
        for sc in SCENARIOS:
            self.scenario.add(tr(SCENARIO_LABELS[sc]), sc)
        if current_sc is not None:
            self.scenario.setCurrentIndex(max(0, self.scenario.index_of(current_sc)))

    def _select_kv(self, kv: float) -> None:
        index = self.min_kv.index_of(kv)
        if index < 0:
            self.min_kv.add(f"{fmt(kv, 0)} kV", kv)
            index = self.min_kv.count() - 1
        self.min_kv.setCurrentIndex(index)

    def set_project(self, project: Project, resolved: Mapping[str, Mapping[str, Any]]) -> None:
        """Show the project's parameters (as resolved by the last measurement)."""
        widgets: list[QWidget] = [self.demand, self.min_kv, self.route_factor]
        widgets += [self.scenario, self.above_pct, self.min_area]
        for w in widgets:
            w.blockSignals(True)
        self.demand.setValue(project.demand_mw or 0)
        power = project.criterion("power")
        if power is not None and power.params.get("min_kv") is not None:
            self._select_kv(float(power.params["min_kv"]))
        else:
            self.min_kv.setCurrentIndex(0)
        conn = {**resolved.get("connectivity", {}), **_params(project, "connectivity")}
        self.route_factor.setValue(float(conn.get("route_factor", 1.4)))
        flood = {**resolved.get("flood", {}), **_params(project, "flood")}
        self.scenario.setCurrentIndex(
            max(0, self.scenario.index_of(flood.get("exclude_scenario", "medium")))
        )
        self.above_pct.setValue(float(flood.get("exclude_above_pct", 0.0)))
        land = {**resolved.get("land", {}), **_params(project, "land")}
        self.min_area.setValue(float(land.get("min_area_ha", 10.0)))
        for w, name in (
            (self.min_kv, "power"),
            (self.route_factor, "connectivity"),
            (self.scenario, "flood"),
            (self.above_pct, "flood"),
            (self.min_area, "land"),
        ):
            w.setEnabled(project.criterion(name) is not None)
        for w in widgets:
            w.blockSignals(False)
        self.update_kv_warning()

    def _kv_changed(self, _index: int) -> None:
        self.update_kv_warning()
        self.paramsChanged.emit("power", {"min_kv": self.min_kv.value()})

    def _flood_changed(self, *_args: object) -> None:
        self.paramsChanged.emit(
            "flood",
            {
                "exclude_scenario": self.scenario.value(),
                "exclude_above_pct": self.above_pct.value(),
            },
        )


def _params(project: Project, name: str) -> dict[str, Any]:
    c = project.criterion(name)
    return dict(c.params) if c is not None else {}


def _spin(low: float, high: float, decimals: int, suffix: str, step: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    spin.setSingleStep(step)
    spin.setKeyboardTracking(False)
    return spin
