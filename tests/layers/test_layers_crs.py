"""CRS handling: missing CRS, geographic working CRS, reprojection, default working CRS."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from pyproj import CRS, Transformer
from shapely.geometry import Point, box

from siteassess.errors import CRSError
from siteassess.layers import open_layer, open_sites
from siteassess.project import Project


def _utm_epsg(lon: float, lat: float) -> int:
    """The WGS 84 UTM zone's EPSG code, by the zone formula (no Norway/Svalbard exceptions)."""
    zone = math.floor((lon + 180.0) / 6.0) + 1
    return (32600 if lat >= 0 else 32700) + zone


def _sites_lonlat(folder: Path, lon: float, lat: float) -> dict[str, Any]:
    # ~700 m × 550 m sites around (lon, lat), written in lon/lat.
    gdf = gpd.GeoDataFrame(
        {"site_id": ["A", "B"]},
        geometry=[
            box(lon, lat, lon + 0.01, lat + 0.005),
            box(lon + 0.05, lat, lon + 0.06, lat + 0.005),
        ],
        crs="EPSG:4326",
    )
    gdf.to_file(folder / "sites.geojson", driver="GeoJSON")
    return {"role": "sites", "path": "sites.geojson"}


def test_shapefile_without_prj_is_refused_naming_the_layer(
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    write_points: Callable[..., gpd.GeoDataFrame],
    working_l93: CRS,
) -> None:
    write_points([(705_000.0, 7_030_000.0, "a")]).to_file(tmp_path / "postes.shp")
    (tmp_path / "postes.prj").unlink()
    project = make_project(
        [sites_layer, {"role": "context", "path": "postes.shp", "name": "Postes locaux"}]
    )
    with pytest.raises(CRSError) as info:
        open_layer(project.layers_of("context")[0], project, working_l93, None)
    msg = str(info.value)
    assert "Postes locaux" in msg
    assert str(tmp_path / "postes.shp") in msg
    assert 'add crs = "EPSG:' in msg
    assert ".prj" in msg


def test_shapefile_without_prj_loads_when_the_layer_gives_its_crs(
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    write_points: Callable[..., gpd.GeoDataFrame],
    working_l93: CRS,
) -> None:
    write_points([(705_000.0, 7_030_000.0, "a")]).to_file(tmp_path / "postes.shp")
    (tmp_path / "postes.prj").unlink()
    project = make_project(
        [sites_layer, {"role": "context", "path": "postes.shp", "crs": "EPSG:2154"}]
    )
    layer = open_layer(project.layers_of("context")[0], project, working_l93, None)
    assert layer.features == 1
    assert layer.source_crs.startswith("EPSG:2154")
    assert layer.frame().geometry.iloc[0].equals(Point(705_000.0, 7_030_000.0))
    assert layer.issues == ()


def test_geographic_working_crs_is_refused(
    sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    project = make_project([sites_layer], crs="EPSG:4326")
    with pytest.raises(CRSError) as info:
        open_sites(project)
    msg = str(info.value)
    assert "EPSG:4326" in msg
    assert "degrees" in msg
    assert "project.toml" in msg  # names the project file that sets it


def test_working_crs_in_feet_is_refused(
    sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    # NAD83 / California zone 3 (ftUS): projected, but not in metres
    project = make_project([sites_layer], crs="EPSG:2227")
    with pytest.raises(CRSError, match="EPSG:2227.*not metres"):
        open_sites(project)


def test_unknown_working_crs_is_refused(
    sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    project = make_project([sites_layer], crs="Lambert 93")
    with pytest.raises(CRSError, match="'Lambert 93' is not understood"):
        open_sites(project)


@pytest.mark.parametrize("epsg", [4326, 3857])
def test_layers_in_other_crs_are_reprojected_with_a_note(
    epsg: int,
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    write_points: Callable[..., gpd.GeoDataFrame],
) -> None:
    lon, lat = 3.10, 50.38
    x, y = Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
    write_points([(x, y, "p")], crs=f"EPSG:{epsg}").to_file(tmp_path / "p.gpkg")
    project = make_project([sites_layer, {"role": "context", "path": "p.gpkg"}])
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("context")[0], project, working, sites.extent)

    assert working.to_epsg() == 2154
    ex, ey = Transformer.from_crs(4326, 2154, always_xy=True).transform(lon, lat)
    got = layer.frame().geometry.iloc[0]
    assert (got.x, got.y) == pytest.approx((ex, ey), abs=0.01)
    notes = [i for i in layer.issues if "reprojected" in i.message]
    assert len(notes) == 1
    assert notes[0].severity == "info"
    assert f"EPSG:{epsg}" in notes[0].message and "EPSG:2154" in notes[0].message
    assert notes[0].source == str(tmp_path / "p.gpkg")
    assert layer.source_crs.startswith(f"EPSG:{epsg}")


def test_sites_in_lonlat_are_reprojected_to_lambert93(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    project = make_project([_sites_lonlat(tmp_path, 3.08, 50.37)])
    sites, working = open_sites(project)
    assert working.to_epsg() == 2154
    assert any("EPSG:4326" in i.message and i.severity == "info" for i in sites.issues)
    x0, y0 = Transformer.from_crs(4326, 2154, always_xy=True).transform(3.08, 50.37)
    minx, miny, _, _ = sites.frame().loc["A"].geometry.bounds
    # a lon/lat box's corners move a little under the projection: metres, not kilometres
    assert (minx, miny) == pytest.approx((x0, y0), abs=5.0)


@pytest.mark.parametrize(
    ("place", "lon", "lat"),
    [
        ("Bohemia", 15.05, 50.02),
        ("Andalusia", -4.5, 37.0),  # Spain: outside the box of France
        ("Cape Town", 18.42, -33.93),
    ],
)
def test_sites_outside_france_get_their_utm_zone(
    place: str, lon: float, lat: float, tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    project = make_project([_sites_lonlat(tmp_path, lon, lat)])
    _, working = open_sites(project)
    assert working.to_epsg() == _utm_epsg(lon + 0.03, lat), place
    assert working.is_projected


def test_utm_formula_gives_zone_33_north_near_15e_50n() -> None:
    # 15° E is in zone 33 (12°-18° E): 32600 + 33
    assert _utm_epsg(15.05, 50.02) == 32633


def test_sites_in_france_in_another_crs_get_lambert93(
    tmp_path: Path, sites_gdf: gpd.GeoDataFrame, make_project: Callable[..., Project]
) -> None:
    sites_gdf.to_crs(3857).to_file(tmp_path / "sites_wm.gpkg")
    project = make_project([{"role": "sites", "path": "sites_wm.gpkg"}])
    sites, working = open_sites(project)
    assert working.to_epsg() == 2154
    np.testing.assert_allclose(
        sites.frame().sort_index().geometry.area.to_numpy(), [250_000.0, 60_000.0], rtol=1e-6
    )


def test_configured_working_crs_is_used(
    sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    project = make_project([sites_layer], crs="EPSG:32631")
    sites, working = open_sites(project)
    assert working.to_epsg() == 32631
    assert CRS.from_user_input(sites.frame().crs).to_epsg() == 32631
