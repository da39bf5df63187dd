"""Bad input: each failure raises its SiteAssessError subclass with a message naming the file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest

from siteassess.errors import (
    LayerContentError,
    LayerLoadError,
    ProjectError,
    SiteAssessError,
)
from siteassess.layers import open_layer, open_sites
from siteassess.project import Project
from siteassess.project_checks import check_project

EMPTY_COLLECTION = {"type": "FeatureCollection", "features": []}


def _raises_naming(exc_type: type[SiteAssessError], path: Path, call: Callable[[], object]) -> str:
    with pytest.raises(exc_type) as info:
        call()
    msg = str(info.value)
    assert str(path) in msg, msg
    return msg


def _layer_call(
    project: Project, role: str = "context", *, windowed: bool = True
) -> Callable[[], object]:
    def call() -> object:
        sites, working = open_sites(project)
        spec = project.layers_of(role)[0]
        return open_layer(spec, project, working, sites.extent if windowed else None)

    return call


# ------------------------------------------------------------------ files that cannot be read


def test_missing_file(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    project = make_project([sites_layer, {"role": "context", "path": "absent.gpkg"}])
    msg = _raises_naming(LayerLoadError, tmp_path / "absent.gpkg", _layer_call(project))
    assert "not found" in msg
    assert issubclass(LayerLoadError, OSError)


def test_missing_sites_file(tmp_path: Path, make_project: Callable[..., Project]) -> None:
    project = make_project([{"role": "sites", "path": "absent.geojson"}])
    _raises_naming(LayerLoadError, tmp_path / "absent.geojson", lambda: open_sites(project))


def test_missing_raster(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    project = make_project([sites_layer, {"role": "flood", "path": "depth.tif"}])
    _raises_naming(LayerLoadError, tmp_path / "depth.tif", _layer_call(project, "flood"))


def test_truncated_geojson(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "a"},
                "geometry": {"type": "Point", "coordinates": [3.1, 50.4]},
            }
        ]
        * 3,
    }
    text = json.dumps(doc)
    (tmp_path / "cut.geojson").write_text(text[: len(text) // 2], encoding="utf-8")
    project = make_project([sites_layer, {"role": "context", "path": "cut.geojson"}])
    msg = _raises_naming(LayerLoadError, tmp_path / "cut.geojson", _layer_call(project))
    assert "cannot be read" in msg


def test_corrupt_raster(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    (tmp_path / "depth.tif").write_bytes(b"II*\x00 this is not a TIFF")
    project = make_project([sites_layer, {"role": "flood", "path": "depth.tif"}])
    _raises_naming(LayerLoadError, tmp_path / "depth.tif", _layer_call(project, "flood"))


def test_binary_junk_named_gpkg(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    (tmp_path / "junk.gpkg").write_bytes(bytes(range(256)) * 4)
    project = make_project([sites_layer, {"role": "context", "path": "junk.gpkg"}])
    _raises_naming(LayerLoadError, tmp_path / "junk.gpkg", _layer_call(project))


def test_folder_given_as_path(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    (tmp_path / "postes.gpkg").mkdir()
    project = make_project([sites_layer, {"role": "context", "path": "postes.gpkg"}])
    msg = _raises_naming(LayerLoadError, tmp_path / "postes.gpkg", _layer_call(project))
    assert "folder" in msg


def test_folder_given_as_sites_path(tmp_path: Path, make_project: Callable[..., Project]) -> None:
    (tmp_path / "friches").mkdir()
    project = make_project([{"role": "sites", "path": "friches"}])
    msg = _raises_naming(LayerLoadError, tmp_path / "friches", lambda: open_sites(project))
    assert "folder" in msg


# --------------------------------------------------------------------------- empty layers


@pytest.mark.parametrize("windowed", [True, False], ids=["windowed", "whole"])
def test_geojson_with_no_features(
    windowed: bool,
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
) -> None:
    (tmp_path / "none.geojson").write_text(json.dumps(EMPTY_COLLECTION), encoding="utf-8")
    project = make_project([sites_layer, {"role": "context", "path": "none.geojson"}])
    msg = _raises_naming(
        LayerContentError, tmp_path / "none.geojson", _layer_call(project, windowed=windowed)
    )
    assert "empty" in msg


def test_sites_geojson_with_no_features(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    (tmp_path / "sites.geojson").write_text(json.dumps(EMPTY_COLLECTION), encoding="utf-8")
    project = make_project([{"role": "sites", "path": "sites.geojson"}])
    _raises_naming(LayerContentError, tmp_path / "sites.geojson", lambda: open_sites(project))


@pytest.mark.parametrize("windowed", [True, False], ids=["windowed", "whole"])
def test_csv_with_only_a_header(
    windowed: bool,
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
) -> None:
    (tmp_path / "postes.csv").write_text("code;nom;lon;lat\n", encoding="utf-8")
    layer = {"role": "context", "path": "postes.csv", "crs": "EPSG:4326"}
    project = make_project([sites_layer, layer])
    msg = _raises_naming(
        LayerContentError, tmp_path / "postes.csv", _layer_call(project, windowed=windowed)
    )
    assert "empty" in msg


@pytest.mark.parametrize("windowed", [True, False], ids=["windowed", "whole"])
def test_csv_with_no_usable_coordinates(
    windowed: bool,
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
) -> None:
    (tmp_path / "postes.csv").write_text("code;nom;lon;lat\nA;a;;\nB;b;;\n", encoding="utf-8")
    layer = {"role": "context", "path": "postes.csv", "crs": "EPSG:4326"}
    project = make_project([sites_layer, layer])
    msg = _raises_naming(
        LayerContentError, tmp_path / "postes.csv", _layer_call(project, windowed=windowed)
    )
    assert "no feature with a geometry" in msg


def test_blank_csv(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    (tmp_path / "postes.csv").write_bytes(b"\xef\xbb\xbf\r\n  \n")
    layer = {"role": "context", "path": "postes.csv", "crs": "EPSG:4326"}
    project = make_project([sites_layer, layer])
    _raises_naming(LayerContentError, tmp_path / "postes.csv", _layer_call(project))


@pytest.mark.parametrize("windowed", [True, False], ids=["windowed", "whole"])
def test_empty_geoparquet(
    windowed: bool,
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    write_points: Callable[..., gpd.GeoDataFrame],
) -> None:
    write_points([(705_000.0, 7_030_000.0, "a")]).iloc[:0].to_parquet(tmp_path / "p.parquet")
    project = make_project([sites_layer, {"role": "context", "path": "p.parquet"}])
    msg = _raises_naming(
        LayerContentError, tmp_path / "p.parquet", _layer_call(project, windowed=windowed)
    )
    assert "empty" in msg


# ------------------------------------------------------------------------ formats and kinds


def test_unknown_format_name(
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    write_points: Callable[..., gpd.GeoDataFrame],
) -> None:
    write_points([(705_000.0, 7_030_000.0, "a")]).to_file(tmp_path / "p.geojson")
    layer = {"role": "context", "path": "p.geojson", "format": "shapefile", "name": "Villes"}
    # Refused where the project is opened to assess (the format registry is the layers'),
    # naming the layer entry, before any file is opened.
    with pytest.raises(ProjectError, match=r"layers\[1\]: format = 'shapefile' is not known") as e:
        check_project(make_project([sites_layer, layer]))
    msg = str(e.value)
    for known in ("rte-odre", "csv", "vector", "raster"):
        assert known in msg


@pytest.mark.parametrize(
    ("file_name", "fmt", "kind"),
    [
        ("p.geojson", "rte-odre", "vector"),
        ("p.geojson", "raster", "vector"),
        ("p.csv", "vector", "table"),
        ("depth.tif", "csv", "raster"),
        ("depth.tif", "rte-odre", "raster"),
    ],
)
def test_format_of_the_wrong_kind(
    file_name: str,
    fmt: str,
    kind: str,
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
) -> None:
    # the content does not matter: the kinds are refused before the file is read
    (tmp_path / file_name).write_text("x", encoding="utf-8")
    layer = {"role": "context", "path": file_name, "format": fmt, "name": "Couche"}
    project = make_project([sites_layer, layer])
    msg = _raises_naming(LayerLoadError, tmp_path / file_name, _layer_call(project))
    assert f"format {fmt!r}" in msg and f"is a {kind} file" in msg


def test_sites_given_as_a_raster_is_refused(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    (tmp_path / "sites.tif").write_text("x", encoding="utf-8")
    project = make_project([{"role": "sites", "path": "sites.tif"}])
    with pytest.raises(LayerLoadError, match=r"sites\.tif"):
        open_sites(project)
