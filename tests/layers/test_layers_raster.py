"""Raster layers: a GeoTIFF opens with its CRS, pixel size and nodata; a missing CRS is refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import rasterio
from pyproj import CRS, Transformer
from rasterio.transform import from_origin

from siteassess.errors import CRSError
from siteassess.layers import open_layer, open_sites
from siteassess.layers.readers import read_window
from siteassess.project import Project

# 12 columns × 8 rows of 25 m pixels; top-left corner near the sites (conftest).
LEFT, TOP, PIXEL, WIDTH, HEIGHT = 704_900.0, 7_030_600.0, 25.0, 12, 8
NODATA = -9999.0


def _write_tif(path: Path, crs: str | None, **kw: Any) -> np.ndarray:
    depths = np.arange(WIDTH * HEIGHT, dtype="float32").reshape(HEIGHT, WIDTH) / 10
    depths[0, 0] = NODATA
    profile = {
        "driver": "GTiff",
        "width": WIDTH,
        "height": HEIGHT,
        "count": 1,
        "dtype": "float32",
        "transform": from_origin(LEFT, TOP, PIXEL, PIXEL),
        "nodata": NODATA,
        **kw,
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(depths, 1)
    return depths


@pytest.fixture
def flood_project(
    sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> Callable[..., Project]:
    def make(**keys: Any) -> Project:
        layer = {"role": "flood", "path": "depth.tif", "scenario": "medium", **keys}
        return make_project([sites_layer, layer])

    return make


def test_geotiff_opens_with_its_crs_pixel_size_and_nodata(
    tmp_path: Path, flood_project: Callable[..., Project]
) -> None:
    depths = _write_tif(tmp_path / "depth.tif", "EPSG:2154")
    project = flood_project()
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("flood")[0], project, working, sites.extent)

    assert layer.is_raster
    assert layer.data is None
    assert layer.provenance.format == "raster"
    assert layer.source_crs.startswith("EPSG:2154")
    raster = layer.raster
    assert raster is not None
    assert CRS.from_wkt(raster.crs_wkt).equals(CRS.from_epsg(2154))
    assert raster.pixel_size == (25.0, 25.0)
    assert raster.nodata == NODATA
    assert (raster.width, raster.height) == (WIDTH, HEIGHT)
    assert raster.dtype == "float32"
    right, bottom = LEFT + WIDTH * PIXEL, TOP - HEIGHT * PIXEL
    assert raster.bounds == pytest.approx((LEFT, bottom, right, TOP))
    assert layer.extent == pytest.approx((LEFT, bottom, right, TOP))
    with pytest.raises(TypeError, match="raster"):
        layer.frame()
    # the pixels read back masked where nodata, never as 0
    data, _ = read_window(raster, raster.bounds)
    assert data.shape == (HEIGHT, WIDTH)
    assert data.mask[0, 0] and data.mask.sum() == 1
    np.testing.assert_allclose(data.filled(np.nan)[1:, 1:], depths[1:, 1:])


def test_cog_opens_like_a_geotiff(tmp_path: Path, flood_project: Callable[..., Project]) -> None:
    _write_tif(tmp_path / "depth.tif", "EPSG:2154", tiled=True, blockxsize=16, blockysize=16)
    project = flood_project(format="raster")
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("flood")[0], project, working, sites.extent)
    assert layer.raster is not None and layer.raster.pixel_size == (25.0, 25.0)


def test_geotiff_without_crs_is_refused_naming_the_layer(
    tmp_path: Path, flood_project: Callable[..., Project]
) -> None:
    _write_tif(tmp_path / "depth.tif", None)
    project = flood_project(name="Hauteurs TRI")
    sites, working = open_sites(project)
    with pytest.raises(CRSError) as info:
        open_layer(project.layers_of("flood")[0], project, working, sites.extent)
    msg = str(info.value)
    assert "Hauteurs TRI" in msg and str(tmp_path / "depth.tif") in msg
    assert 'add crs = "EPSG:' in msg


def test_geotiff_without_crs_opens_when_the_layer_gives_it(
    tmp_path: Path, flood_project: Callable[..., Project]
) -> None:
    _write_tif(tmp_path / "depth.tif", None)
    project = flood_project(crs="EPSG:2154")
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("flood")[0], project, working, sites.extent)
    assert layer.raster is not None
    assert CRS.from_wkt(layer.raster.crs_wkt).equals(CRS.from_epsg(2154))
    assert layer.source_crs.startswith("EPSG:2154")


def test_raster_in_another_crs_reports_its_extent_in_the_working_crs(
    tmp_path: Path, flood_project: Callable[..., Project]
) -> None:
    # the same grid, placed in UTM 31N at the same spot as LEFT, TOP
    to_utm = Transformer.from_crs(2154, 32631, always_xy=True)
    left, top = to_utm.transform(LEFT, TOP)
    path = tmp_path / "depth.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=4,
        height=4,
        count=1,
        dtype="uint8",
        crs="EPSG:32631",
        transform=from_origin(left, top, 100.0, 100.0),
    ) as ds:
        ds.write(np.ones((4, 4), dtype="uint8"), 1)
    project = flood_project()
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("flood")[0], project, working, sites.extent)
    assert layer.source_crs.startswith("EPSG:32631")
    assert layer.raster is not None and layer.raster.nodata is None
    x0, y0, x1, y1 = layer.extent or (0, 0, 0, 0)
    # a 400 m square, turned slightly by the change of projection: corner within metres
    assert x0 == pytest.approx(LEFT, abs=20) and y1 == pytest.approx(TOP, abs=20)
    assert 395 < x1 - x0 < 420 and 395 < y1 - y0 < 420
