"""Side panels: criterion weights (live re-ranking) and criterion parameters (re-measure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from siteassess.criteria.base import Param
from siteassess.project import Project
from siteassess.ui.i18n_ui import tr, trp
from siteassess.ui.labels import criterion_label, fmt, fmt_pct
from siteassess.ui.value_combo import ValueCombo


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
    """The criteria parameters that change what is measured (the sites are re-measured).

    Built from the criteria's declarations: one row per parameter a criterion marks for
    the panel (``Param.panel``), its widget chosen by the parameter's kind, its default the
    declared one. A new criterion's parameters appear here without touching this module.
    """

    paramsChanged = Signal(str, dict)  # noqa: N815 - criterion, parameters
    demandChanged = Signal(float)  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        from siteassess.criteria import CRITERIA

        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.demand = _spin(1, 5000, 0, " MW", 10)
        self.demand_label = QLabel()
        self.form.addRow(self.demand_label, self.demand)
        self.demand.editingFinished.connect(self.update_warnings)
        self.demand.editingFinished.connect(lambda: self.demandChanged.emit(self.demand.value()))
        self.params: dict[tuple[str, str], Param] = {}
        self.widgets: dict[tuple[str, str], QWidget] = {}
        self.labels: dict[tuple[str, str], QLabel] = {}
        self.warnings: dict[tuple[str, str], QLabel] = {}
        for crit in CRITERIA.values():
            for name, param in crit.params.items():
                if param.panel:
                    self._add_row(crit.name, name, param)
        self.retranslate()

    def _add_row(self, criterion: str, name: str, param: Param) -> None:
        key = (criterion, name)
        widget = _widget_for(param)
        self.params[key], self.widgets[key], self.labels[key] = param, widget, QLabel()
        self.form.addRow(self.labels[key], widget)
        if param.warning:
            warning = QLabel()
            warning.setWordWrap(True)
            warning.setStyleSheet("color: #8a4b00;")
            warning.setVisible(False)
            self.form.addRow(warning)
            self.warnings[key] = warning

        def changed(*_args: object) -> None:
            self.update_warnings()
            self.paramsChanged.emit(criterion, {name: self.value(criterion, name)})

        if isinstance(widget, ValueCombo):
            widget.activated.connect(changed)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(changed)
        elif isinstance(widget, QDoubleSpinBox):
            widget.editingFinished.connect(changed)
        else:
            assert isinstance(widget, QLineEdit)
            widget.editingFinished.connect(changed)

    def widget(self, criterion: str, name: str) -> QWidget:
        """The widget of one parameter."""
        return self.widgets[(criterion, name)]

    def value(self, criterion: str, name: str) -> Any:
        """The value a parameter's widget shows (None: the declared default)."""
        widget = self.widgets[(criterion, name)]
        if isinstance(widget, ValueCombo):
            return widget.value()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QDoubleSpinBox):
            return widget.value()
        assert isinstance(widget, QLineEdit)
        return widget.text() or None

    def set_value(self, criterion: str, name: str, value: Any) -> None:
        """Show ``value`` in a parameter's widget (None: its declared default), silently."""
        param, widget = self.params[(criterion, name)], self.widgets[(criterion, name)]
        shown = param.default if value is None else value
        widget.blockSignals(True)
        if isinstance(widget, ValueCombo):
            index = widget.index_of(shown)
            if index < 0 and shown is not None:  # a level the list does not offer
                widget.add(_level_text(param, float(shown)), float(shown))
                index = widget.count() - 1
            widget.setCurrentIndex(max(0, index))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(shown))
        elif isinstance(widget, QDoubleSpinBox):
            widget.setValue(float(shown or 0.0))
        else:
            assert isinstance(widget, QLineEdit)
            widget.setText("" if shown is None else str(shown))
        widget.blockSignals(False)

    def retranslate(self) -> None:
        """Texts in the current language."""
        self.setTitle(tr("Criteria parameters (re-measure)"))
        self.demand_label.setText(tr("Campus power demand"))
        for key, param in self.params.items():
            self.labels[key].setText(tr(param.label))
            self.widgets[key].setToolTip(tr(param.tip) if param.tip else "")
            widget = self.widgets[key]
            if isinstance(widget, ValueCombo):
                current = widget.value()
                _fill(widget, param)
                self.set_value(*key, current)
            elif isinstance(widget, QCheckBox):
                widget.setText(tr(param.label))
        self.update_warnings()

    def update_warnings(self) -> None:
        """Show the warnings the parameters declare for the values set (e.g. a minimum
        voltage below what the demand needs)."""
        demand = self.demand.value()
        for key, label in self.warnings.items():
            param = self.params[key]
            values = param.warn(self.value(*key), demand) if param.warn else None
            if values:
                shown = {k: fmt(v, 0) if isinstance(v, float) else v for k, v in values.items()}
                label.setText(tr(param.warning).format(**shown))
            label.setVisible(bool(values))

    def set_project(self, project: Project, resolved: Mapping[str, Mapping[str, Any]]) -> None:
        """Show the project's parameters (as resolved by the last measurement)."""
        self.demand.blockSignals(True)
        self.demand.setValue(project.demand_mw or 0)
        self.demand.blockSignals(False)
        for (criterion, name), param in self.params.items():
            given = _params(project, criterion)
            if param.levels and param.default is None:
                value = given.get(name)  # None: "from the demand", not the value it gave
            else:
                value = {**resolved.get(criterion, {}), **given}.get(name)
            self.set_value(criterion, name, value)
            self.widgets[(criterion, name)].setEnabled(project.criterion(criterion) is not None)
        self.update_warnings()


def _widget_for(param: Param) -> QWidget:
    """The widget of a parameter kind (number, levels or choice, bool, text)."""
    if param.kind == "choice" or (param.kind == "number" and param.levels):
        combo = ValueCombo()
        _fill(combo, param)
        return combo
    if param.kind == "bool":
        return QCheckBox()
    if param.kind == "number":
        low = param.minimum if param.minimum is not None else -1e9
        high = param.maximum if param.maximum is not None else 1e9
        suffix = f" {param.unit}" if param.unit else ""
        return _spin(low, high, param.decimals, suffix, param.step)
    return QLineEdit()


def _fill(combo: ValueCombo, param: Param) -> None:
    """The items of a list: the choices by their labels, or the levels with their unit."""
    combo.clear_items()
    if param.kind == "choice":
        for choice in param.choices:
            combo.add(trp(param.label, param.choice_labels.get(choice, choice)), choice)
        return
    if param.default is None:
        combo.add(tr(param.default_text or "default"), None)
    for level in param.levels:
        combo.add(_level_text(param, level), level)


def _level_text(param: Param, level: float) -> str:
    return fmt(level, param.decimals, param.unit)


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
