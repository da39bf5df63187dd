"""Vector formats read through a Project: the same features back from every format."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from pyproj import CRS, Transformer

from siteassess.layers import Layer, open_layer, open_sites
from siteassess.project import Project, load_project

# Three points in lon/lat near Douai, Lille and Arras, with accented names.
POINTS_LONLAT = [
    (3.0800, 50.3700, "Douai-é"),
    (3.0573, 50.6292, "Lille Œuvre"),
    (2.7775, 50.2910, "Arras"),
]
TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


def _expected_l93() -> np.ndarray:
    lon = [p[0] for p in POINTS_LONLAT]
    lat = [p[1] for p in POINTS_LONLAT]
    x, y = TO_L93.transform(lon, lat)
    return np.column_stack([x, y])


def _write_gpkg(gdf: gpd.GeoDataFrame, folder: Path) -> tuple[str, dict[str, Any]]:
    path = folder / "points.gpkg"
    # A decoy first layer: the named sub-layer must be the one read.
    gdf.iloc[:1].to_file(path, driver="GPKG", layer="decoy")
    gdf.to_file(path, driver="GPKG", layer="postes")
    return path.name, {"layer": "postes"}


def _write_shp(gdf: gpd.GeoDataFrame, folder: Path) -> tuple[str, dict[str, Any]]:
    gdf.to_file(folder / "points.shp", driver="ESRI Shapefile")
    return "points.shp", {}


def _write_zip(gdf: gpd.GeoDataFrame, folder: Path) -> tuple[str, dict[str, Any]]:
    shp_dir = folder / "shp"
    shp_dir.mkdir()
    gdf.to_file(shp_dir / "points.shp", driver="ESRI Shapefile")
    path = folder / "points.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for part in sorted(shp_dir.iterdir()):
            zf.write(part, part.name)
    return path.name, {}


def _write_geojson(gdf: gpd.GeoDataFrame, folder: Path) -> tuple[str, dict[str, Any]]:
    gdf.to_file(folder / "points.geojson", driver="GeoJSON")
    return "points.geojson", {}


def _write_parquet(gdf: gpd.GeoDataFrame, folder: Path) -> tuple[str, dict[str, Any]]:
    gdf.to_parquet(folder / "points.parquet")
    return "points.parquet", {}


def _write_fgb(gdf: gpd.GeoDataFrame, folder: Path) -> tuple[str, dict[str, Any]]:
    gdf.to_file(folder / "points.fgb", driver="FlatGeobuf")
    return "points.fgb", {}


WRITERS: dict[str, Callable[[gpd.GeoDataFrame, Path], tuple[str, dict[str, Any]]]] = {
    "gpkg": _write_gpkg,
    "shapefile": _write_shp,
    "zipped-shapefile": _write_zip,
    "geojson": _write_geojson,
    "geoparquet": _write_parquet,
    "flatgeobuf": _write_fgb,
}


@pytest.fixture
def points_lonlat(write_points: Callable[..., gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    return write_points(POINTS_LONLAT, crs="EPSG:4326")


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_vector_format_reads_back_the_same_features_in_lambert93(
    fmt: str,
    tmp_path: Path,
    points_lonlat: gpd.GeoDataFrame,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    working_l93: CRS,
) -> None:
    name, extra = WRITERS[fmt](points_lonlat, tmp_path)
    project = make_project(
        [sites_layer, {"role": "context", "path": name, **extra}], crs="EPSG:2154"
    )
    layer = open_layer(project.layers_of("context")[0], project, working_l93, None)

    assert layer.features == 3
    assert layer.provenance.format == "vector"
    assert layer.source_crs.startswith("EPSG:4326")
    # FlatGeobuf stores features in spatial-index order: compare by name.
    gdf = layer.frame().set_index("name").loc[[p[2] for p in POINTS_LONLAT]]
    assert CRS.from_user_input(gdf.crs).equals(working_l93)
    got = np.column_stack([gdf.geometry.x, gdf.geometry.y])
    np.testing.assert_allclose(got, _expected_l93(), atol=0.01)
    assert layer.read_bounds is None  # no sites bounds given: the whole file


def test_gpkg_sublayer_is_the_one_named(
    tmp_path: Path,
    points_lonlat: gpd.GeoDataFrame,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    working_l93: CRS,
) -> None:
    name, _ = _write_gpkg(points_lonlat, tmp_path)
    project = make_project(
        [sites_layer, {"role": "context", "path": name, "layer": "decoy"}], crs="EPSG:2154"
    )
    layer = open_layer(project.layers_of("context")[0], project, working_l93, None)
    assert layer.features == 1
    assert list(layer.frame()["name"]) == [POINTS_LONLAT[0][2]]


def test_gpkg_unknown_sublayer_names_the_file_and_layer(
    tmp_path: Path,
    points_lonlat: gpd.GeoDataFrame,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    working_l93: CRS,
) -> None:
    from siteassess.errors import LayerLoadError

    name, _ = _write_gpkg(points_lonlat, tmp_path)
    project = make_project(
        [sites_layer, {"role": "context", "path": name, "layer": "nope"}], crs="EPSG:2154"
    )
    with pytest.raises(LayerLoadError, match="points.gpkg") as info:
        open_layer(project.layers_of("context")[0], project, working_l93, None)
    assert "nope" in str(info.value)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_sites_in_every_vector_format(
    fmt: str,
    tmp_path: Path,
    sites_gdf: gpd.GeoDataFrame,
    make_project: Callable[..., Project],
) -> None:
    name, extra = WRITERS[fmt](sites_gdf.rename(columns={"name": "nom"}), tmp_path)
    project = make_project([{"role": "sites", "path": name, "id_field": "site_id", **extra}])
    sites, working = open_sites(project)

    assert working.equals(CRS.from_user_input("EPSG:2154"))
    # FlatGeobuf stores features in spatial-index order: compare by id.
    gdf = sites.frame().sort_index()
    assert list(gdf.index) == ["S1", "S2"]
    assert gdf.index.name == "site_id"
    assert list(gdf["name"]) == ["Friche Sud", "Friche Œuvre-é"]
    # 500 m × 500 m and 300 m × 200 m, by hand.
    np.testing.assert_allclose(gdf.geometry.area.to_numpy(), [250_000.0, 60_000.0])
    assert not gdf["approximate"].any()
    assert sites.issues == ()


def test_project_written_as_toml_resolves_paths_next_to_it(
    tmp_path: Path, sites_path: Path, points_lonlat: gpd.GeoDataFrame
) -> None:
    _write_fgb(points_lonlat, tmp_path)
    toml = tmp_path / "project.toml"
    toml.write_text(
        'schema = 1\nname = "Test"\n\n'
        '[[layers]]\nrole = "sites"\npath = "sites.gpkg"\nid_field = "site_id"\n\n'
        '[[layers]]\nrole = "context"\npath = "points.fgb"\nname = "Villes"\n'
        'source = "fixture"\nlicence = "none"\n\n'
        "[criteria.land]\nweight = 10\n",
        encoding="utf-8",
    )
    project = load_project(toml)
    sites, working = open_sites(project)
    layer: Layer = open_layer(project.layers_of("context")[0], project, working, sites.extent)
    assert layer.label == "Villes"
    assert layer.provenance.path == str(tmp_path / "points.fgb")
    assert layer.provenance.source == "fixture"
    assert layer.provenance.size_bytes == (tmp_path / "points.fgb").stat().st_size
    assert len(layer.provenance.sha256) == 64
    # context is windowed (50 km), but Douai, Lille and Arras all lie within 30 km of the sites
    assert layer.read_bounds is not None
    assert layer.features == 3


@pytest.mark.parametrize(
    ("written", "given", "expected"),
    [
        ("cp1252", "cp1252", "Cœur-é"),
        ("utf-8", "utf-8", "Cœur-é"),
        ("ISO-8859-1", None, "Lestarquit-é"),  # no .cpg and no encoding: GDAL reads Latin-1
    ],
)
def test_shapefile_without_cpg_is_read_in_the_layer_encoding(
    written: str,
    given: str | None,
    expected: str,
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    write_points: Callable[..., gpd.GeoDataFrame],
    working_l93: CRS,
) -> None:
    import pyogrio

    gdf = write_points([(705_000.0, 7_030_000.0, expected)])
    pyogrio.write_dataframe(gdf, tmp_path / "p.shp", encoding=written)
    (tmp_path / "p.cpg").unlink()
    keys = {"encoding": given} if given else {}
    project = make_project([sites_layer, {"role": "context", "path": "p.shp", **keys}])
    layer = open_layer(project.layers_of("context")[0], project, working_l93, None)
    assert layer.frame()["name"].tolist() == [expected]
