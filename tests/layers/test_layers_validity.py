"""Geometry validity (repair or refuse, null and empty skipped) and site ids."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, mapping

from siteassess.errors import GeometryError, LayerContentError
from siteassess.layers import open_layer, open_sites
from siteassess.project import Project


def _write_sites(path: Path, ids: list[Any], geoms: list[Any]) -> Path:
    """Sites as GeoJSON written by hand, so null and empty geometries stay as they are."""
    features = [
        {
            "type": "Feature",
            "properties": {"site_id": i, "name": f"Site {i}"},
            "geometry": g if isinstance(g, dict) or g is None else mapping(g),
        }
        for i, g in zip(ids, geoms, strict=True)
    ]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}
    doc = {"type": "FeatureCollection", "crs": crs, "features": features}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def sites_with_bowtie(
    tmp_path: Path, square_site: Polygon, bowtie_invalid: Polygon, second_site: Polygon
) -> Path:
    return _write_sites(
        tmp_path / "sites.geojson", ["S1", "BOW", "S2"], [square_site, bowtie_invalid, second_site]
    )


def test_bowtie_fixture_is_invalid_by_self_intersection(bowtie_invalid: Polygon) -> None:
    assert not bowtie_invalid.is_valid
    assert "Self-intersection" in shapely.is_valid_reason(bowtie_invalid)


def test_invalid_bowtie_is_repaired_and_counted(
    sites_with_bowtie: Path, make_project: Callable[..., Project]
) -> None:
    project = make_project([{"role": "sites", "path": sites_with_bowtie.name}])
    sites, _ = open_sites(project)
    gdf = sites.frame()
    assert list(gdf.index) == ["S1", "BOW", "S2"]
    assert gdf.geometry.is_valid.all()
    bow = gdf.loc["BOW"].geometry
    # two triangles, each with a 200 m base and its apex at the crossing 100 m away:
    # 2 × (200 × 100 / 2) = 20,000 m²
    assert bow.geom_type == "MultiPolygon"
    assert len(bow.geoms) == 2
    assert bow.area == pytest.approx(20_000.0)
    assert gdf.loc["S1"].geometry.area == pytest.approx(250_000.0)  # untouched
    repaired = [i for i in sites.issues if "invalid" in i.message]
    assert len(repaired) == 1
    assert repaired[0].message.startswith("1 invalid geometries")
    assert "Self-intersection" in repaired[0].message
    assert "make_valid" in repaired[0].action
    assert repaired[0].source == str(sites_with_bowtie)


def test_invalid_geometry_refused_when_repair_is_off(
    sites_with_bowtie: Path, make_project: Callable[..., Project]
) -> None:
    project = make_project(
        [{"role": "sites", "path": sites_with_bowtie.name}], repair_geometry=False
    )
    with pytest.raises(GeometryError) as info:
        open_sites(project)
    msg = str(info.value)
    assert "1 invalid geometries" in msg
    assert "Self-intersection" in msg
    assert str(sites_with_bowtie) in msg
    assert "repair_geometry" in msg


def test_invalid_polygons_in_another_layer_are_repaired(
    tmp_path: Path,
    sites_layer: dict[str, Any],
    bowtie_invalid: Polygon,
    square_site: Polygon,
    make_project: Callable[..., Project],
) -> None:
    zones = gpd.GeoDataFrame(
        {"scenario": ["moyenne", "forte", "Extrême"]},
        geometry=[bowtie_invalid, square_site, bowtie_invalid],
        crs="EPSG:2154",
    )
    zones.to_file(tmp_path / "zones.gpkg")
    project = make_project([sites_layer, {"role": "flood", "path": "zones.gpkg"}])
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("flood")[0], project, working, sites.extent)
    gdf = layer.frame()
    assert gdf.geometry.is_valid.all()
    assert list(gdf["scenario"]) == ["medium", "frequent", "extreme"]
    assert [i.message for i in layer.issues if "invalid" in i.message] == [
        "2 invalid geometries (Self-intersection ×2)"
    ]


def test_null_and_empty_geometries_are_skipped_and_counted(
    tmp_path: Path,
    square_site: Polygon,
    second_site: Polygon,
    empty_polygon: Polygon,
    make_project: Callable[..., Project],
) -> None:
    path = _write_sites(
        tmp_path / "sites.geojson",
        ["S1", "NULL", "EMPTY", "S2"],
        [square_site, None, {"type": "Polygon", "coordinates": []}, second_site],
    )
    assert empty_polygon.is_empty  # what the hand-written empty polygon stands for
    project = make_project([{"role": "sites", "path": path.name}])
    sites, _ = open_sites(project)
    assert list(sites.frame().index) == ["S1", "S2"]
    assert sites.features == 2
    skipped = [i for i in sites.issues if i.action == "skipped"]
    assert len(skipped) == 1
    assert "2 of 4 features have no geometry" in skipped[0].message


def test_sites_without_any_geometry_are_refused(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    path = _write_sites(tmp_path / "sites.geojson", ["A", "B"], [None, None])
    project = make_project([{"role": "sites", "path": path.name}])
    with pytest.raises(LayerContentError, match=r"sites\.geojson.*no site with a geometry"):
        open_sites(project)


# ------------------------------------------------------------------------------ site ids


def test_duplicate_site_ids_are_refused_naming_them(
    tmp_path: Path, square_site: Polygon, second_site: Polygon, make_project: Callable[..., Project]
) -> None:
    path = _write_sites(
        tmp_path / "sites.geojson",
        ["A", "B", "A", " B ", "C"],
        [square_site, second_site, square_site, second_site, square_site],
    )
    project = make_project([{"role": "sites", "path": path.name}])
    with pytest.raises(LayerContentError) as info:
        open_sites(project)
    msg = str(info.value)
    assert "not unique" in msg and "'site_id'" in msg and str(path) in msg
    assert "A, B" in msg  # " B " is B once trimmed


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_blank_site_ids_are_refused_with_their_count(
    blank: str | None,
    tmp_path: Path,
    square_site: Polygon,
    second_site: Polygon,
    make_project: Callable[..., Project],
) -> None:
    path = _write_sites(
        tmp_path / "sites.geojson",
        ["A", blank, blank, "D"],
        [square_site, second_site, square_site, second_site],
    )
    project = make_project([{"role": "sites", "path": path.name}])
    with pytest.raises(LayerContentError) as info:
        open_sites(project)
    msg = str(info.value)
    assert "2 sites have no id" in msg and str(path) in msg


def test_site_id_field_that_does_not_exist_lists_the_columns(
    sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    project = make_project([{**sites_layer, "id_field": "code_friche"}])
    with pytest.raises(LayerContentError) as info:
        open_sites(project)
    msg = str(info.value)
    assert "'code_friche'" in msg and "site_id, name" in msg and "sites.gpkg" in msg


def test_numeric_site_ids_become_text(
    tmp_path: Path, square_site: Polygon, second_site: Polygon, make_project: Callable[..., Project]
) -> None:
    path = _write_sites(tmp_path / "sites.geojson", [7, 12], [square_site, second_site])
    project = make_project([{"role": "sites", "path": path.name}])
    sites, _ = open_sites(project)
    assert list(sites.frame().index) == ["7", "12"]
