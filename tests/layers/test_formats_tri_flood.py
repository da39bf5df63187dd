"""``tri-flood``: flood zones of the French flood-directive (TRI) maps.

Small files follow the COVADIS "Standard de données Directive inondation" v2 (2018/2019):
the surfaces inondables ``n_inondable_<type>_<scenario>_s`` of the Géorisques 2020
delivery (lower-case fields id_s_inond, typ_inond, typ_inond2, scenario, est_ref,
cours_deau, id_tri; scenario codes 01For, 02Moy, 03Mcc, 04Fai; flood types 01
débordement de cours d'eau, 02 ruissellement, 03 submersion marine) and, for the
first-cycle shapefiles, the same fields in upper case (SCENARIO, TYPE_INON).
Coordinates in Lambert-93 around Douai (X0, Y0 of tests/layers/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import tomli_w

from siteassess.assessment import measure
from siteassess.layers import Layer, open_layer, open_sites
from siteassess.layers.formats.tri_flood import flood_type_of, scenario_of
from siteassess.project import Project, load_project

X0, Y0 = 705_000.0, 7_030_000.0  # corner of square_site (tests/layers/conftest.py)
# Strips of the 500 m square site (X0, Y0)-(X0 + 500, Y0 + 500), from its west edge.
STRIPS = {"z1": 100, "z2": 250, "z3": 300, "z4": 400, "z5": 500}


def _strip(width: float) -> shapely.Polygon:
    return shapely.box(X0, Y0, X0 + width, Y0 + 500)


def _zones_2020() -> gpd.GeoDataFrame:
    """Surfaces inondables as delivered in 2020 (lower-case fields), one per scenario."""
    return gpd.GeoDataFrame(
        {
            "id_s_inond": list(STRIPS),
            "id_tri": ["FRA_TRI_DOUA"] * 5,
            "typ_inond": ["01", "01", "03", "03", "01"],
            "typ_inond2": [None] * 5,
            "scenario": ["01For", "02Moy", "03Mcc", "04Fai", "05Xyz"],
            "est_ref": ["t"] * 5,
            "cours_deau": ["La Scarpe"] * 5,
        },
        geometry=[_strip(w) for w in STRIPS.values()],
        crs="EPSG:2154",
    )


def _open(
    make_project: Callable[..., Project],
    sites_layer: dict[str, Any],
    path: Path,
    **keys: Any,
) -> Layer:
    project = make_project([sites_layer, {"role": "flood", "path": path.name, **keys}])
    sites, working = open_sites(project)
    return open_layer(project.layers_of("flood")[0], project, working, sites.extent)


def test_codes_map_to_scenarios_flood_types_and_climate_change() -> None:
    scen, cc = scenario_of(
        pd.Series(["01For", "02moy", " 03MCC ", "04Fai", "03Mcc_ct", "moyenne", "05Xyz", None])
    )
    assert scen.tolist()[:6] == ["frequent", "medium", "medium", "extreme", "medium", "medium"]
    assert scen.isna().tolist()[6:] == [True, True]
    assert cc.tolist() == [False, False, True, False, True, False, False, False]
    types = flood_type_of(
        pd.Series(["01", "2", "03", "04", "Submersion marine", "débordement de cours d'eau", "9"])
    )
    assert types.tolist()[:6] == ["river", "runoff", "sea", "groundwater", "sea", "river"]
    assert pd.isna(types.iloc[6])


def test_2020_zones_are_detected_mapped_and_the_unknown_code_reported_once(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    path = tmp_path / "n_inondable_01_s.gpkg"
    _zones_2020().to_file(path)
    layer = _open(make_project, sites_layer, path)  # no format: detected from the fields
    assert layer.provenance.format == "tri-flood"
    assert layer.provenance.source == "Géorisques / DREAL (TRI, Directive inondation)"
    assert layer.provenance.licence == "Licence Ouverte 2.0"
    out = layer.frame().set_index("id_s_inond")
    assert out["scenario"].to_dict() == {
        "z1": "frequent",
        "z2": "medium",
        "z3": "medium",
        "z4": "extreme",
    }
    assert out["climate_change"].to_dict() == {"z1": False, "z2": False, "z3": True, "z4": False}
    assert out["flood_type"].to_dict() == {"z1": "river", "z2": "river", "z3": "sea", "z4": "sea"}
    assert out["scenario_code"].to_dict()["z3"] == "03Mcc"
    assert out["cours_deau"].eq("La Scarpe").all()  # original attributes kept
    unknown = [i for i in layer.issues if "scenario" in i.message]
    assert len(unknown) == 1  # by the importer, not again by the flood normaliser
    assert unknown[0].count == 1 and unknown[0].action == "skipped"
    assert "05Xyz" in unknown[0].message and unknown[0].source == str(path)
    assert layer.provenance.rows_read == 5 and layer.features == 4


def test_first_cycle_shapefile_with_upper_case_fields_and_explicit_format(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    gdf = gpd.GeoDataFrame(
        {
            "ID_S_INOND": ["a", "b", "c"],
            "TYPE_INON": ["02", "Ruissellement", "02"],
            "SCENARIO": ["02Moy", "04FAI", ""],
        },
        geometry=[_strip(100), _strip(200), _strip(300)],
        crs="EPSG:2154",
    )
    gdf.to_file(tmp_path / "zones.shp")
    layer = _open(make_project, sites_layer, tmp_path / "zones.shp", format="tri-flood")
    assert layer.provenance.format == "tri-flood"
    out = layer.frame().set_index("ID_S_INOND")
    assert out["scenario"].to_dict() == {"a": "medium", "b": "extreme"}
    assert out["flood_type"].to_dict() == {"a": "runoff", "b": "runoff"}
    assert "SCENARIO" not in out.columns  # replaced by the standard column
    (issue,) = [i for i in layer.issues if "scenario" in i.message]
    assert issue.count == 1 and "<blank>" in issue.message


def test_numeric_flood_type_codes_and_a_named_scenario_field(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    gdf = gpd.GeoDataFrame(
        {"typ_inond": [1, 3], "scenario": ["01For", "bogus"], "scen_di": ["04Fai", "02Moy"]},
        geometry=[_strip(100), _strip(200)],
        crs="EPSG:2154",
    )
    gdf.to_file(tmp_path / "zones.gpkg")
    layer = _open(make_project, sites_layer, tmp_path / "zones.gpkg", scenario_field="scen_di")
    out = layer.frame()
    assert out["flood_type"].tolist() == ["river", "sea"]
    assert out["scenario"].tolist() == ["extreme", "medium"]  # from scen_di, not scenario
    assert not [i for i in layer.issues if "scenario" in i.message]


def test_generic_flood_polygons_with_a_user_named_scenario_field(
    tmp_path: Path, make_project: Callable[..., Project], sites_layer: dict[str, Any]
) -> None:
    gdf = gpd.GeoDataFrame(
        {"alea": ["Moyenne", "faible", "02Moy", "centennale"]},
        geometry=[_strip(100), _strip(200), _strip(300), _strip(400)],
        crs="EPSG:2154",
    )
    gdf.to_file(tmp_path / "pprI.gpkg")
    layer = _open(make_project, sites_layer, tmp_path / "pprI.gpkg", scenario_field="alea")
    assert layer.provenance.format == "vector"  # no typ_inond: not a TRI map
    assert layer.frame()["scenario"].tolist() == ["medium", "extreme", "medium"]
    (issue,) = [i for i in layer.issues if "scenario" in i.message]
    assert "centennale" in issue.message and issue.count == 1


def test_flood_criterion_measures_the_tri_zones(tmp_path: Path, sites_path: Path) -> None:
    _zones_2020().to_file(tmp_path / "tri.gpkg")
    doc = {
        "schema": 1,
        "name": "tri",
        "layers": [
            {"role": "sites", "path": sites_path.name, "id_field": "site_id"},
            {"role": "flood", "path": "tri.gpkg"},
        ],
        "criteria": {"flood": {"weight": 1}},
    }
    (tmp_path / "project.toml").write_text(tomli_w.dumps(doc), "utf-8")
    m = measure(load_project(tmp_path / "project.toml")).measures.loc["S1"]
    # Strips of 100, 250 and 300, 400 m of the 500 m site; the 05Xyz zone is skipped.
    assert m["flood_share_frequent_pct"] == pytest.approx(20)
    assert m["flood_share_medium_pct"] == pytest.approx(60)  # 02Moy ∪ 03Mcc
    assert m["flood_share_extreme_pct"] == pytest.approx(80)
    assert m["flood_share_any_pct"] == pytest.approx(80)


def test_project_accepts_the_format_name(tmp_path: Path) -> None:
    doc = {
        "schema": 1,
        "name": "p",
        "layers": [
            {"role": "sites", "path": "s.gpkg"},
            {"role": "flood", "path": "z.gpkg", "format": "tri-flood"},
        ],
        "criteria": {"flood": {"weight": 1}},
    }
    (tmp_path / "p.toml").write_text(tomli_w.dumps(doc), "utf-8")
    assert load_project(tmp_path / "p.toml").layers[1].format == "tri-flood"
