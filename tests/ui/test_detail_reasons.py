"""The app shows exclusion reasons and layer problems in its language (French included)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from siteassess.assessment import Assessment, assess
from siteassess.criteria.base import missing_layer_issue
from siteassess.errors import DataIssue, Reason
from siteassess.i18n import NBSP
from siteassess.project import LayerSpec, load_project
from siteassess.ui.detail import issue_line, site_detail_html
from siteassess.ui.i18n_ui import set_language
from siteassess.ui.jobs import LayerStatus
from tests.conftest import SAMPLE_PROJECT

EXCLUDED = "loon-plage-edf"


@pytest.fixture(scope="module")
def sample() -> Assessment:
    return assess(load_project(SAMPLE_PROJECT))


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("en")


def test_the_detail_gives_the_exclusion_and_notes_in_french(
    sample: Assessment, french: None
) -> None:
    html = site_detail_html(sample, EXCLUDED)
    assert "du site est en zone inondable du scénario moyen (100 à 300 ans)" in html
    assert "medium flood scenario" not in html
    assert "reprojetée de EPSG:4326 (WGS 84) vers EPSG:2154" in html
    assert "reprojected from" not in html


def test_the_detail_keeps_english_in_english(sample: Assessment) -> None:
    set_language("en")
    html = site_detail_html(sample, EXCLUDED)
    assert "of the site is in the medium flood scenario" in html
    assert "reprojected from EPSG:4326 (WGS 84) to EPSG:2154" in html


def test_an_issue_line_names_the_layer_site_and_action(french: None) -> None:
    issue = DataIssue.of(
        "sites",
        Reason.of("not_polygons", "{n} sites are not polygons (points or lines)", n=2),
        site="s1",
        action="set demand_mw in the project",
    )
    assert issue_line(issue, "fr") == (
        f"Sites (friches) [site s1]{NBSP}: 2 sites ne sont pas des polygones (points ou lignes) "
        "— fixez la puissance du campus dans le projet"
    )
    assert issue_line(issue, "en") == (
        "sites [site s1]: 2 sites are not polygons (points or lines) — set demand_mw in the project"
    )


def test_the_layers_panel_lists_problems_in_french(qtbot: Any, french: None) -> None:
    from siteassess.ui.layers_panel import LayersPanel

    panel = LayersPanel()
    qtbot.addWidget(panel)
    spec = LayerSpec(role="substations", path="postes.csv")
    issue = missing_layer_issue("power", "substations")
    panel.set_statuses(
        [LayerStatus(spec=spec, path=Path("postes.csv"), features=3, issues=(issue,))]
    )
    html = panel.details.toHtml()
    assert "ne peut pas être mesuré" in html
    assert "cannot be measured" not in html
    assert "laissé non mesurable" in html
