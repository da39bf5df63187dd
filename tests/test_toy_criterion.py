"""Issue 11 §8: a new criterion is its module, one registry line and its catalogue entries.

The toy criterion of :mod:`tests.toy_criterion` (heat reuse: the distance to the nearest
commune centre, with one parameter) is registered here and must then appear, with its
parameter, in the project file, the assessment, the JSON, the command line's table, the
site report, the comparison report and the web map's legend, in French, without any
other file knowing it. The app's views are checked in tests/ui/test_ui_toy_criterion.py.
Each check looks for the toy's own French words, so a presenter that lists the four
built-in criteria fails it.
"""

from __future__ import annotations

import io
import json
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
import tomli_w
from pypdf import PdfReader

from siteassess import criteria, i18n
from siteassess.assessment import Assessment, assess
from siteassess.i18n import NBSP
from siteassess.project import load_project
from siteassess.reports import i18n_reports
from tests import toy_criterion as toy
from tests.conftest import SAMPLE_PROJECT

REACH_M = 6000.0


@pytest.fixture
def registered() -> Iterator[None]:
    """The toy criterion registered, with its French, for the length of one test."""
    criteria.register(toy.HEAT_REUSE)
    i18n.register("fr", toy.FRENCH)
    try:
        yield
    finally:
        criteria.unregister(toy.NAME)


def _project(tmp_path: Path, weights: dict[str, object] | None = None) -> Path:
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE_PROJECT.parent, folder)
    path = folder / "project.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    # The four criteria of issue 11 and the toy: the sample's zoning, heat and declared
    # Natura 2000 criteria are left out, so the weights stay those of the toy's tests.
    doc["criteria"] = {k: doc["criteria"][k] for k in ("power", "flood", "connectivity", "land")}
    doc["criteria"][toy.NAME] = {"weight": 10, "reach_m": REACH_M}
    if weights is not None:
        doc["weights"] = weights
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def toy_assessment(registered: None, tmp_path: Path) -> Assessment:
    return assess(load_project(_project(tmp_path)))


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _flat(text: str) -> str:
    """PDF text with its line breaks and no-break spaces as plain spaces."""
    return " ".join(text.replace(NBSP, " ").replace("\u202f", " ").split())


def test_the_registry_takes_it_and_gives_it_back(registered: None) -> None:
    assert criteria.CRITERIA[toy.NAME] is toy.HEAT_REUSE
    assert criteria.MEASURES[toy.DISTANCE].named_by == toy.TOWN
    assert toy.DISTANCE in [m.key for m in criteria.headline_measures({})]
    with pytest.raises(ValueError, match="already registered"):
        criteria.register(toy.HEAT_REUSE)


def test_without_its_registry_line_the_project_refuses_it(tmp_path: Path) -> None:
    from siteassess.errors import ProjectError

    with pytest.raises(ProjectError, match="unknown criterion 'heat_reuse'"):
        assess(load_project(_project(tmp_path)))


def test_the_assessment_measures_and_scores_it(toy_assessment: Assessment) -> None:
    a = toy_assessment
    info = next(c for c in a.criteria if c.name == toy.NAME)
    assert info.params["reach_m"] == REACH_M
    assert info.weight == pytest.approx(10 / 110)
    # Expected distances from the layers themselves: site outline to commune centroid.
    folder = SAMPLE_PROJECT.parent
    sites = gpd.read_file(folder / "sites.geojson").to_crs(2154).set_index("site_id")
    centres = shapely.centroid(
        gpd.read_file(folder / "communes_admin_express.geojson").to_crs(2154).geometry.values
    )
    for sid in a.site_ids:
        expected = float(shapely.distance(sites.geometry[sid], centres).min())
        got = float(a.measurements.measures.loc[sid, toy.DISTANCE])
        assert got == pytest.approx(expected, abs=1.0)
    j = [c.name for c in a.criteria].index(toy.NAME)
    d = a.measurements.measures[toy.DISTANCE].to_numpy(dtype=float)
    np.testing.assert_allclose(a.table.values[:, j], np.clip(1 - d / REACH_M, 0, 1), atol=1e-9)


def test_the_project_file_weights_it_by_ahp(registered: None, tmp_path: Path) -> None:
    names = ["power", "flood", "connectivity", "land", toy.NAME]
    matrix = [[1.0 if i == k else (2.0 if i < k else 0.5) for k in range(5)] for i in range(5)]
    ahp = {"method": "ahp", "criteria": names, "matrix": matrix, "force": True}
    a = assess(load_project(_project(tmp_path, ahp)))
    weights = {c.name: c.weight for c in a.criteria}
    assert weights[toy.NAME] > 0 and weights[toy.NAME] < weights["power"]


def test_the_json_gives_its_measures_and_parameters(toy_assessment: Assessment) -> None:
    from siteassess.reports.tables import to_json

    doc = json.loads(to_json(toy_assessment))
    text = json.dumps(doc, ensure_ascii=False)
    assert f'"{toy.NAME}"' in text and '"reach_m": 6000.0' in text
    site = doc["sites"][0]
    assert toy.DISTANCE in json.dumps(site) and toy.TOWN in json.dumps(site)


def test_the_command_line_table_shows_its_headline(toy_assessment: Assessment) -> None:
    from siteassess.reports.text import ranking_text

    assert "Town centre (heat)" in ranking_text(toy_assessment)


def test_the_site_report_explains_it_in_french(toy_assessment: Assessment) -> None:
    from siteassess.reports.pdf.site_report import site_report_pdf

    a = toy_assessment
    sid = a.site_ids[0]
    i18n_reports.UNTRANSLATED.clear()
    pages = PdfReader(io.BytesIO(site_report_pdf(a, sid, lang="fr"))).pages
    cover = _flat(pages[0].extract_text())
    text = _flat("\n".join(p.extract_text() for p in pages))
    town = str(a.measurements.measures.loc[sid, toy.TOWN])
    assert "Centre-bourg le plus proche (chaleur)" in cover  # a key figure, named
    assert town.title() in cover or town in cover
    assert "Valorisation de la chaleur" in text  # its section and its row of the scores
    assert "Centre de commune le plus proche pour valoriser la chaleur" in text
    assert "un réseau de chaleur porte à 6 km" in text  # its parameter, in its sentence
    assert "distance au centre-bourg le plus proche" in text  # the scored measure
    assert "Linéaire de 1 au centre-bourg" in text  # its rationale
    assert "Heat reuse" not in text and "heat reuse" not in text
    assert set() == i18n_reports.UNTRANSLATED


def test_the_comparison_report_compares_it_in_french(toy_assessment: Assessment) -> None:
    from siteassess.reports.pdf.compare_report import compare_report_pdf

    a = toy_assessment
    i18n_reports.UNTRANSLATED.clear()
    text = _flat(_pdf_text(compare_report_pdf(a, a.site_ids[:3], lang="fr")))
    assert "Valorisation de la chaleur (sur 9,1)" in text  # a column of the points
    assert "Centre-bourg le plus proche (chaleur)" in text  # a row of the measures
    assert "Heat reuse" not in text
    assert set() == i18n_reports.UNTRANSLATED


def test_the_web_map_legend_weighs_it(toy_assessment: Assessment) -> None:
    from siteassess.reports.webmap import MapOptions, build_map_html

    page = build_map_html(toy_assessment, MapOptions(lang="fr"))
    legend = page[page.index('class="sa-legend"') :]
    assert f"Valorisation de la chaleur 9{NBSP}%" in legend
    assert f"Raccordement électrique 36{NBSP}%" in legend  # 40 of 110
