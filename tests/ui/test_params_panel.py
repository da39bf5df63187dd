"""The parameter panel is built from the criteria's declared parameters."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox

from siteassess.criteria import CRITERIA
from siteassess.criteria.base import Param
from siteassess.project_checks import open_project
from siteassess.ui.value_combo import ValueCombo
from siteassess.ui.weights_panel import ParamsPanel
from tests.ui.conftest import SAMPLE


def test_one_row_per_declared_panel_parameter_in_french(qtbot: Any) -> None:
    panel = ParamsPanel()
    qtbot.addWidget(panel)
    declared = {(c.name, n) for c in CRITERIA.values() for n, p in c.params.items() if p.panel}
    assert set(panel.widgets) == declared and declared
    assert panel.labels[("power", "min_kv")].text() == "Tension minimale du poste"
    kv = panel.widget("power", "min_kv")
    assert isinstance(kv, ValueCombo)
    assert kv.itemText(0) == "selon la puissance (par défaut)" and kv.value_at(0) is None
    assert [kv.value_at(i) for i in range(1, kv.count())] == [63.0, 90.0, 150.0, 225.0, 400.0]
    scenario = panel.widget("flood", "exclude_scenario")
    assert isinstance(scenario, ValueCombo)
    assert [scenario.itemText(i) for i in range(scenario.count())] == [
        "fréquent",
        "moyen",
        "extrême",
        "aucune règle",
    ]
    area = panel.widget("land", "min_area_ha")
    assert isinstance(area, QDoubleSpinBox) and area.suffix() == " ha"


def test_the_project_values_and_declared_defaults_are_shown(qtbot: Any) -> None:
    panel = ParamsPanel()
    qtbot.addWidget(panel)
    project = open_project(SAMPLE)
    panel.set_project(project, {})
    for (criterion, name), param in panel.params.items():
        settings = project.criterion(criterion)
        given = settings.params.get(name) if settings is not None else None
        assert panel.value(criterion, name) == (param.default if given is None else given)
    # A value the project sets that the list does not offer is added, not lost.
    panel.set_value("power", "min_kv", 132.0)
    assert panel.value("power", "min_kv") == 132.0


def test_a_change_emits_that_parameter_only(qtbot: Any) -> None:
    panel = ParamsPanel()
    qtbot.addWidget(panel)
    panel.set_project(open_project(SAMPLE), {})
    seen: list[tuple[str, dict[str, Any]]] = []
    panel.paramsChanged.connect(lambda c, p: seen.append((c, p)))
    spin = panel.widget("connectivity", "route_factor")
    assert isinstance(spin, QDoubleSpinBox)
    spin.setValue(1.6)
    spin.editingFinished.emit()
    assert seen == [("connectivity", {"route_factor": 1.6})]


def test_a_bool_parameter_gets_a_check_box(qtbot: Any) -> None:
    from siteassess.ui.weights_panel import _widget_for

    box = _widget_for(Param("bool", False, label="Count authorised substations", panel=True))
    qtbot.addWidget(box)
    assert isinstance(box, QCheckBox)
