"""Weights stay as the planner typed them when the sites are re-measured."""

from __future__ import annotations

from typing import Any

from siteassess.i18n import NBSP
from siteassess.project import load_project
from siteassess.ui.weights_panel import WeightsPanel
from tests.ui.conftest import SAMPLE

TYPED = {
    "power": 40,
    "flood": 25,
    "connectivity": 25,
    "land": 60,
    "zoning": 5,
    "heat": 5,
    "natura2000": 5,
}  # sums to 165


def test_remeasuring_keeps_the_typed_weights(qtbot: Any, sample_window: Any) -> None:
    w = sample_window
    for name, value in TYPED.items():
        w.weights_panel.set_weight(name, value)
    with qtbot.waitSignal(w.ready, timeout=30_000):
        w.set_params("connectivity", {"route_factor": 1.5})  # re-measures in the worker
    assert w.assessment.measurements.params["connectivity"]["route_factor"] == 1.5
    shown = {n: s.value() for n, s in w.weights_panel.spins.items()}
    assert shown == TYPED  # not 27/17/17/40
    assert {n: s.value() for n, s in w.weights_panel.sliders.items()} == TYPED
    assert {c.name: c.weight for c in w.doc.project.criteria} == TYPED
    # The shares (what scoring uses) are the normalised ones.
    assert w.weights_panel.shares["land"].text() == f"36{NBSP}%"  # 60 / 165
    assert w.weights_panel.shares["power"].text() == f"24{NBSP}%"


def test_fractional_weights_from_a_file_show_as_percentages(qtbot: Any) -> None:
    project = load_project(SAMPLE).with_weights(
        {"power": 0.4, "flood": 0.25, "connectivity": 0.1, "land": 0.1}
        | {"zoning": 0.05, "heat": 0.05, "natura2000": 0.05}
    )
    panel = WeightsPanel()
    qtbot.addWidget(panel)
    panel.set_project(project)
    assert {n: s.value() for n, s in panel.spins.items()} == {
        "power": 40,
        "flood": 25,
        "connectivity": 10,
        "land": 10,
        "zoning": 5,
        "heat": 5,
        "natura2000": 5,
    }
