"""Country outlines for location maps, read offline from the installed pyogrio wheel.

Natural Earth's 1:110m "admin 0" countries (public domain) ship inside pyogrio's test
fixtures; they are read from the installed package, never copied into the repository. The
outlines are generalised (kilometres off at the coast): fit for a location map, not for
measuring.
"""

from __future__ import annotations

import importlib.resources
import logging
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import CRS

from siteassess.layers.gdal_safety import check_local_file
from siteassess.layers.model import Bounds
from siteassess.layers.readers import bounds_in, gdal_messages

log = logging.getLogger(__name__)

NATURAL_EARTH = "tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp"
ATTRIBUTION = "Natural Earth 1:110m (public domain)"


def natural_earth_path() -> Path | None:
    """Where the installed pyogrio keeps Natural Earth's low-resolution countries, if it does."""
    try:
        path = Path(str(importlib.resources.files("pyogrio") / NATURAL_EARTH))
    except (ModuleNotFoundError, TypeError):
        return None
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def _countries_wgs84() -> gpd.GeoDataFrame | None:
    path = natural_earth_path()
    if path is None:
        log.warning("Natural Earth countries not found in the pyogrio package: no outlines")
        return None
    try:
        # Through the readers' gate: offline GDAL, a regular file that is a shapefile.
        check_local_file(path, "Natural Earth countries", "vector")
        with gdal_messages("Natural Earth countries", path):
            gdf = gpd.read_file(path, columns=["name", "iso_a3"], engine="pyogrio")
    except Exception as exc:  # a damaged fixture must not stop a report
        log.warning("cannot read %s: %s", path, exc)
        return None
    return gdf.set_crs("EPSG:4326", allow_override=True)


def country_outlines(crs: CRS, bounds: Bounds, margin: float = 0.2) -> gpd.GeoDataFrame | None:
    """Countries (``name``, ``iso_a3``) within ``bounds`` (in ``crs``), reprojected to ``crs``.

    The countries are cut to the bounds widened by ``margin`` (a fraction of their size)
    in longitude and latitude before reprojecting, so a conic working CRS never has to
    project the far side of the world. None when the outlines are not installed.
    """
    world = _countries_wgs84()
    if world is None:
        return None
    lon0, lat0, lon1, lat1 = bounds_in(bounds, crs, CRS.from_epsg(4326))
    dx, dy = (lon1 - lon0) * margin + 0.5, (lat1 - lat0) * margin + 0.5
    box = (
        max(lon0 - dx, -180.0),
        max(lat0 - dy, -89.0),
        min(lon1 + dx, 180.0),
        min(lat1 + dy, 89.0),
    )
    cut = world.assign(geometry=shapely.clip_by_rect(world.geometry.values, *box))
    cut = cut[~cut.geometry.is_empty]
    return cut.to_crs(crs)
