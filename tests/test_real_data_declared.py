"""Issue 12 §1 on the real data: declared criteria over the 2,111 friches of Nord and
Pas-de-Calais (Cerema, Cartofriches) and the OSM-derived HV grid (© OpenStreetMap
contributors, ODbL), each checked against a value computed independently with geopandas.
Skips with a reason when ../shared/data is absent (fails under CI=true)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import tomli_w

from siteassess.assessment import Assessment, assess
from siteassess.criteria.declared_build import uninstall_all
from siteassess.project import load_project
from tests.conftest import real_inventory_project

# The voltages (in volts, ";" between the circuits of one link) of the 380-400 kV links.
EHV = ["380000", "400000", "400000;400000;400000", "400000;400000;400000;400000;400000"]
POLLUTION = {
    "pollution inexistante": 1.0,
    "pollution peu probable": 0.8,
    "inconnu": 0.5,
    "pollution avérée": 0.0,
}


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Assessment:
    folder = tmp_path_factory.mktemp("real-declared")
    path = real_inventory_project(folder)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    data = Path(doc["layers"][0]["path"]).parent
    doc["layers"].append(
        {
            "role": "context",
            "name": "hv_links",
            "path": str(data / "osm_scigrid_hv_links_nord_2017.geojson"),
            "source": "OSM / SciGRID, HV links around Nord, 2017 (ODbL)",
        }
    )
    doc["criteria"]["hv400"] = {
        "kind": "distance",
        "layer": "hv_links",
        "label": "400 kV line (OSM)",
        "label_fr": "Ligne 400 kV (OSM)",
        "filter_field": "voltage",
        "filter_in": EHV,
        "weight": 10,
    }
    doc["criteria"]["pollution"] = {
        "kind": "attribute",
        "field": "sol_pollution_existe",
        "label": "Soil pollution (Cartofriches)",
        "label_fr": "Pollution des sols (Cartofriches)",
        "values": POLLUTION,
        "weight": 10,
        "exclude": [{"measure": "pollution_category", "in": ["pollution avérée"]}],
    }
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    try:
        yield assess(load_project(path))
    finally:
        uninstall_all()


def test_the_distance_to_the_filtered_real_lines_matches_geopandas(
    real: Assessment, shared_data: Path
) -> None:
    # The sites as the assessment outlines them (a disc of the stated area around the
    # Cartofriches point, in Lambert-93): the distance is from that outline.
    sites = real.measurements.sites
    lines = gpd.read_file(shared_data / "osm_scigrid_hv_links_nord_2017.geojson").to_crs(2154)
    lines = lines[lines["voltage"].isin(EHV)]
    assert len(lines) == 58  # 34 + 10 + 5 + 9 links of 380-400 kV
    expected = sites.geometry.apply(lambda g: lines.distance(g).min())
    got = real.measurements.measures["hv400_distance_m"]
    assert len(got) == 2111
    np.testing.assert_allclose(
        got.loc[expected.index].to_numpy(float), expected.to_numpy(float), atol=1.0
    )


def test_the_site_attribute_maps_its_real_categories_and_the_rule_excludes(
    real: Assessment, shared_data: Path
) -> None:
    raw = gpd.read_file(shared_data / "cartofriches_59_62.geojson").set_index("site_id")
    m = real.measurements.measures
    categories = raw["sol_pollution_existe"]
    assert (m.loc[raw.index, "pollution_category"] == categories).all()
    np.testing.assert_allclose(
        m.loc[raw.index, "pollution_value"].to_numpy(float),
        categories.map(POLLUTION).to_numpy(float),
    )
    excluded = {s for s, why in real.exclusions.items() if any("Soil pollution" in r for r in why)}
    assert excluded == set(raw.index[categories == "pollution avérée"])  # 46 sites
    assert len(excluded) == 46
