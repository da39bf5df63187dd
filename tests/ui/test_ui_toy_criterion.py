"""Issue 11 §8 in the app: a registered toy criterion appears in every view, in French.

The criterion of :mod:`tests.toy_criterion` is registered before the window exists; the
weights panel, the parameter panel (its widget built from the declared parameter), the
ranking table, the detail panel and the web map's legend must then show it, with no other
file of siteassess knowing it. One main window, with the web map, for the whole module.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
import tomli_w
from PySide6.QtWidgets import QDoubleSpinBox

from siteassess import criteria, i18n
from siteassess.i18n import NBSP, format_number
from tests import toy_criterion as toy
from tests.ui.conftest import SAMPLE, legend_text, map_window_on, wait_for

REACH_M = 6000.0


@pytest.fixture(scope="module")
def toy_window(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The main window, with the web map, on the sample project weighing the toy too."""
    folder = tmp_path_factory.mktemp("toy") / "sample"
    shutil.copytree(SAMPLE.parent, folder)
    path = folder / "project.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    # The four criteria of issue 11 and the toy: the sample's zoning, heat and declared
    # Natura 2000 criteria are left out, so the weights stay those of the toy's tests.
    doc["criteria"] = {k: doc["criteria"][k] for k in ("power", "flood", "connectivity", "land")}
    doc["criteria"][toy.NAME] = {"weight": 10, "reach_m": REACH_M}
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    criteria.register(toy.HEAT_REUSE)
    i18n.register("fr", toy.FRENCH)
    try:
        with map_window_on(path, tmp_path_factory.mktemp("toy-state")) as w:
            yield w
    finally:
        criteria.unregister(toy.NAME)


def test_the_weights_panel_weighs_it(toy_window: Any) -> None:
    panel = toy_window.weights_panel
    assert toy.NAME in panel.names
    assert panel.labels[toy.NAME].text() == "Valorisation de la chaleur"
    assert panel.spins[toy.NAME].value() == 10


def test_its_parameter_gets_the_declared_widget(toy_window: Any) -> None:
    panel = toy_window.params_panel
    key = (toy.NAME, "reach_m")
    assert panel.labels[key].text() == "Portée d’un réseau de chaleur"
    spin = panel.widget(*key)
    assert isinstance(spin, QDoubleSpinBox)
    assert (spin.minimum(), spin.maximum(), spin.decimals()) == (500.0, 50_000.0, 0)
    assert spin.suffix() == " m" and panel.value(*key) == REACH_M
    tips = spin.toolTip() + panel.labels[key].toolTip()
    assert "la chaleur fatale ne vaut pas" in tips


def test_the_ranking_table_shows_its_headline(toy_window: Any) -> None:
    model = toy_window.model
    keys = [c.key for c in model.columns]
    assert toy.DISTANCE in keys
    j = keys.index(toy.DISTANCE)
    from PySide6.QtCore import Qt

    head = model.headerData(j, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert head == "Centre-bourg (chaleur)"
    cell = str(model.data(model.index(0, j), Qt.ItemDataRole.DisplayRole))
    a = toy_window.assessment
    metres = float(a.measurements.measures.loc[model.site_at(0), toy.DISTANCE])
    assert cell == format_number(metres / 1000, "fr", 1, "km")  # in km, as declared


def test_the_detail_panel_explains_it(toy_window: Any) -> None:
    w = toy_window
    sid = w.assessment.site_ids[0]
    w.select_site(sid, pan=False)
    wait_for(lambda: "Valorisation de la chaleur" in w.detail.toPlainText(), 10)
    text = w.detail.toPlainText()
    flat = " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())
    assert "Mesure notée : Centre-bourg le plus proche (chaleur)" in flat  # as declared
    assert "vaut 1 à 0 m et 0 à partir de 6 km, linéaire entre les deux" in flat  # its reach


def test_the_web_map_legend_weighs_it(toy_window: Any) -> None:
    assert f"Valorisation de la chaleur 9{NBSP}%" in legend_text(toy_window, "chaleur")


def test_a_new_project_weighs_it_as_it_declares(toy_window: Any) -> None:
    from siteassess.ui.document import new_project

    weights = {c.name: c.weight for c in new_project("x").criteria}
    assert weights == {
        "power": 40.0,
        "flood": 25.0,
        "connectivity": 25.0,
        "land": 10.0,
        toy.NAME: 10.0,
    }
