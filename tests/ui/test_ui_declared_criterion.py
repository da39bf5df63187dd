"""Issue 12 §1 in the app: the sample's declared criterion in every view, in French.

The sample project declares ``[criteria.natura2000]`` in its file (an overlap with the
ILLUSTRATIVE Natura 2000 layer, excluding any share). Opening the project registers it:
the weights panel, the ranking table, the detail panel and the web map's legend show it,
and a weight change re-scores it live. One main window, with the web map, for the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from siteassess.i18n import NBSP, format_number
from tests.ui.conftest import SAMPLE, legend_text, map_window_on, wait_for

NAME = "natura2000"
SHARE = "natura2000_share_pct"
LOON = "loon-plage-edf"


@pytest.fixture(scope="module")
def window(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with map_window_on(SAMPLE, tmp_path_factory.mktemp("declared-state")) as w:
        yield w


def _flat(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())


def test_the_weights_panel_weighs_it(window: Any) -> None:
    panel = window.weights_panel
    assert NAME in panel.names
    assert panel.labels[NAME].text() == "Natura 2000"
    assert panel.spins[NAME].value() == 5


def test_the_ranking_table_shows_its_headline(window: Any) -> None:
    model = window.model
    keys = [c.key for c in model.columns]
    assert SHARE in keys
    j = keys.index(SHARE)
    head = model.headerData(j, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert head == "Natura 2000"
    row = next(r for r in range(model.rowCount()) if model.site_at(r) == LOON)
    cell = str(model.data(model.index(row, j), Qt.ItemDataRole.DisplayRole))
    share = float(window.assessment.measurements.measures.loc[LOON, SHARE])
    assert cell == format_number(share, "fr", 1, "%")


def test_the_detail_panel_explains_it_and_its_rule(window: Any) -> None:
    window.select_site(LOON, pan=False)
    wait_for(lambda: "Natura 2000" in window.detail.toPlainText(), 10)
    text = _flat(window.detail.toPlainText())
    assert "Natura 2000 : part du site à l’intérieur : 20,0 %, au-dessus de la limite" in text
    assert "Mesure notée : Natura 2000 : part du site à l’intérieur" in text
    assert "Fonction de valeur : vaut 1 à 0 % et 0 à partir de 100 %" in text
    assert "share of the site" not in text


def test_the_web_map_legend_weighs_it(window: Any) -> None:
    assert f"Natura 2000 4{NBSP}%" in legend_text(window, "Natura")


def test_a_weight_change_rescores_it_live(window: Any) -> None:
    panel = window.weights_panel
    before = {c.name: c.weight for c in window.assessment.criteria}[NAME]
    panel.spins[NAME].setValue(20)
    wait_for(lambda: {c.name: c.weight for c in window.assessment.criteria}[NAME] > before, 10)
    weights = {c.name: c.weight for c in window.assessment.criteria}
    assert weights[NAME] == pytest.approx(20 / 130)
