"""A French site report with the heat criterion holds no English and no code key.

The sample project is copied into tmp_path with heat layers in France Chaleur Urbaine's
open-data schema (tests/layers/fcu_files.py: the GeoJSON of ``opendata-fcu.zip``,
data.gouv.fr « Tracés des réseaux de chaleur et de froid »): a trace east of Escaudain, a
network published as a point only beside Douai, a priority development perimeter over
Courcelles. The checks are those of tests/reports/test_french_everywhere.py.
"""

from __future__ import annotations

import io
import shutil
import tomllib

import geopandas as gpd
import pytest
import shapely
import tomli_w
from pypdf import PdfReader

from siteassess.assessment import Assessment, assess
from siteassess.i18n import NBSP, NNBSP
from siteassess.project_checks import open_project
from siteassess.reports import i18n_reports
from tests.conftest import SAMPLE_PROJECT
from tests.layers import fcu_files as fcu
from tests.reports.test_french_everywhere import (
    ENGLISH,
    SNAKE,
    data_values,
    findings,
    parameter_keys,
)

TRACE_SITE, POINT_SITE, PDP_SITE = (
    "escaudain-soufflantes",
    "douai-euradouai",
    "courcelles-metaleurop",
)


@pytest.fixture(scope="module")
def heat_assessment(tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    folder = tmp_path_factory.mktemp("heat") / "sample"
    shutil.copytree(SAMPLE_PROJECT.parent, folder)
    sites = gpd.read_file(folder / "sites.geojson").to_crs(2154).set_index("site_id")
    centre = {sid: sites.geometry[sid].centroid for sid in (TRACE_SITE, POINT_SITE, PDP_SITE)}
    x, y = centre[TRACE_SITE].x, centre[TRACE_SITE].y
    trace = shapely.LineString([(x + 1500, y - 800), (x + 1500, y + 800)])
    fcu.write_geojson(
        folder / "reseaux_de_chaleur.geojson",
        [fcu.network(trace, "5921C", "Réseau de Denain", "Dalkia (EDF)", 48_200.0)],
    )
    near_douai = shapely.Point(centre[POINT_SITE].x + 900, centre[POINT_SITE].y)
    fcu.write_geojson(
        folder / "reseaux_de_chaleur_sans_traces.geojson",
        [fcu.network(near_douai, "5922C", "Réseau de Douai-Frais-Marais", "Coriance", None)],
    )
    zone = centre[PDP_SITE].buffer(300)
    fcu.write_geojson(folder / "pdp.geojson", [fcu.perimeter(zone, "5921C", "Courcelles")])
    path = folder / "project.toml"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    doc["layers"] += [
        {"role": "heat_network", "path": "reseaux_de_chaleur.geojson"},
        {"role": "heat_network", "path": "reseaux_de_chaleur_sans_traces.geojson"},
        {"role": "heat_pdp", "path": "pdp.geojson"},
    ]
    doc["criteria"]["heat"] = {"weight": 10}
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return assess(open_project(path))


def _report(a: Assessment, site: str) -> str:
    from siteassess.reports.pdf.site_report import site_report_pdf

    pages = PdfReader(io.BytesIO(site_report_pdf(a, site, lang="fr"))).pages
    text = "\n".join(p.extract_text() for p in pages)
    return " ".join(text.replace(NBSP, " ").replace(NNBSP, " ").split())


@pytest.mark.parametrize("site", [TRACE_SITE, POINT_SITE, PDP_SITE])
def test_the_french_site_report_explains_heat_reuse_without_english(
    heat_assessment: Assessment, site: str
) -> None:
    a = heat_assessment
    i18n_reports.UNTRANSLATED.clear()
    text = _report(a, site)
    assert set() == i18n_reports.UNTRANSLATED
    values = data_values(a)
    texts = {f"site report {site}": text}
    params = parameter_keys()
    assert [f for f in findings(texts, SNAKE, values) if f.split("'")[1] not in params] == []
    assert [f for f in findings(texts, SNAKE, values) if f.split("'")[1] in params] == []
    assert list(findings(texts, ENGLISH, values)) == []
    assert "Valorisation de la chaleur fatale" in text
    assert "Réseau de chaleur le plus proche" in text  # its key figure and its row
    assert "directive européenne relative à l’efficacité énergétique" in text


def test_each_case_is_said_in_french(heat_assessment: Assessment) -> None:
    a = heat_assessment
    trace = _report(a, TRACE_SITE)
    assert "Réseau de Denain, géré par Dalkia (EDF)" in trace
    assert "Il livre 48,2 GWh par an." in trace
    assert "plus que ce que livre ce réseau" in trace  # 700 MW all year: 6 132 GWh
    point = _report(a, POINT_SITE)
    assert "Ce réseau n’est publié que par un point" in point
    assert "Cette distance est donc approximative." in point
    assert "Ses livraisons annuelles de chaleur ne sont pas publiées." in point
    pdp = _report(a, PDP_SITE)
    assert "du site est dans le périmètre de développement prioritaire de Réseau de Denain" in pdp
