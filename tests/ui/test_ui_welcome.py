"""The welcome page states the sample's own campus demand, never a figure of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from siteassess.i18n import NBSP, NNBSP
from siteassess.project import load_project
from siteassess.ui.i18n_ui import set_language
from siteassess.ui.welcome import WelcomePage
from tests.ui.conftest import SAMPLE


def _project(tmp_path: Path, demand: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(
        f'schema = 1\nname = "p"\n{demand}\n[[layers]]\nrole = "sites"\npath = "s.geojson"\n'
        "[criteria.land]\nweight = 1\n",
        encoding="utf-8",
    )
    return path


def test_the_title_uses_the_samples_demand(qtbot: Any, tmp_path: Path) -> None:
    page = WelcomePage(_project(tmp_path, "demand_mw = 1250"))
    qtbot.addWidget(page)
    assert page.title.text() == f"Où implanter un centre de données de 1{NNBSP}250{NBSP}MW{NNBSP}?"
    set_language("en")
    page.retranslate()
    assert page.title.text() == f"Where can a 1,250{NBSP}MW data centre go?"


def test_without_a_known_demand_the_title_gives_no_figure(qtbot: Any, tmp_path: Path) -> None:
    for sample in (_project(tmp_path, ""), tmp_path / "missing.toml", None):
        page = WelcomePage(sample)
        qtbot.addWidget(page)
        assert page.title.text() == f"Où implanter un grand centre de données{NNBSP}?"
        assert "MW" not in page.title.text()
    assert not page.sample.isVisibleTo(page)  # no sample: no button to open it


def test_the_window_shows_the_bundled_samples_demand(window: Any) -> None:
    demand = load_project(SAMPLE).demand_mw
    assert demand is not None
    assert f"{demand:.0f}{NBSP}MW" in window.welcome.title.text()
