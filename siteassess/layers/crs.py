"""Coordinate reference systems: parse, choose the working CRS, reproject with checks.

Distances and areas are only ever measured in a projected CRS in metres: Lambert-93
(EPSG:2154) in metropolitan France, else the local UTM zone of the sites.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from siteassess.errors import CRSError, DataIssue

log = logging.getLogger(__name__)

LAMBERT93 = "EPSG:2154"
# A coarse outline of metropolitan France and of Corsica (lon, lat), drawn for siteassess
# (coasts pushed a few km out to sea, land borders drawn close),
# to choose the working CRS only: it keeps London, Brussels, Luxembourg, Frankfurt, Geneva
# and Turin outside. It is widened by about 2 km so border sites stay in Lambert-93.
_MAINLAND = (
    (1.47, 50.98),
    (2.55, 51.14),
    (3.10, 50.78),
    (3.65, 50.48),
    (4.20, 50.25),
    (4.85, 50.17),
    (4.95, 49.75),
    (5.80, 49.55),
    (6.20, 49.45),
    (6.40, 49.47),
    (6.90, 49.20),
    (7.50, 49.10),
    (8.23, 48.97),
    (7.78, 48.60),
    (7.56, 47.60),
    (7.40, 47.45),
    (7.00, 47.45),
    (6.10, 46.60),
    (5.97, 46.21),
    (6.15, 46.12),
    (6.30, 46.30),
    (6.60, 46.42),
    (6.90, 46.10),
    (7.05, 45.90),
    (6.63, 45.10),
    (7.00, 44.20),
    (7.55, 43.78),
    (7.27, 43.52),
    (5.37, 43.08),
    (3.05, 42.98),
    (3.17, 42.43),
    (1.70, 42.45),
    (-1.78, 43.35),
    (-1.45, 44.60),
    (-1.40, 45.80),
    (-2.40, 47.10),
    (-4.85, 47.70),
    (-4.95, 48.45),
    (-3.00, 48.95),
    (-1.65, 48.68),
    (-2.00, 49.78),
    (0.05, 49.62),
    (1.52, 50.25),
    (1.50, 50.60),
)
_CORSICA = ((8.50, 41.30), (9.60, 41.30), (9.60, 43.05), (8.50, 43.05))
_FRANCE: Any = None


def in_metropolitan_france(lon: Any, lat: Any) -> Any:
    """True where a lon/lat point lies in metropolitan France (coarse outline, ±2 km)."""
    global _FRANCE
    if _FRANCE is None:
        _FRANCE = shapely.buffer(
            shapely.MultiPolygon([shapely.Polygon(_MAINLAND), shapely.Polygon(_CORSICA)]), 0.02
        )
        shapely.prepare(_FRANCE)
    return shapely.contains_xy(_FRANCE, lon, lat)


def parse_crs(text: Any, where: str) -> CRS:
    """A pyproj CRS from user text (``EPSG:2154``, WKT, PROJ string); message names ``where``."""
    try:
        return CRS.from_user_input(text)
    except (PyprojCRSError, TypeError, ValueError) as exc:
        raise CRSError(
            f'{where}: CRS {text!r} is not understood ({exc}); write it as "EPSG:2154"'
        ) from None


def crs_label(crs: CRS | None) -> str:
    """Short name of a CRS for messages: ``EPSG:2154 (RGF93 v1 / Lambert-93)``."""
    if crs is None:
        return "no CRS"
    auth = crs.to_authority()
    code = f"{auth[0]}:{auth[1]}" if auth else "custom CRS"
    return f"{code} ({crs.name})"


def require_metric(crs: CRS, where: str) -> None:
    """Refuse a CRS that does not measure in metres on a projection."""
    if not crs.is_projected:
        raise CRSError(
            f"{where}: working CRS {crs_label(crs)} is geographic (degrees); distances and "
            "areas cannot be measured in degrees. Use a projected CRS in metres, e.g. "
            'crs = "EPSG:2154" (Lambert-93) in France'
        )
    units = {(a.unit_name or "").lower() for a in crs.axis_info}
    if not units <= {"metre", "meter", "m"}:
        raise CRSError(
            f"{where}: working CRS {crs_label(crs)} is in {', '.join(sorted(units))}, not "
            "metres; choose a projected CRS in metres such as EPSG:2154"
        )


def choose_working_crs(sites: gpd.GeoDataFrame, configured: str | None, where: str) -> CRS:
    """The project's working CRS: as configured, else Lambert-93 in France, else local UTM."""
    if configured is not None:
        crs = parse_crs(configured, f"{where}: crs")
        require_metric(crs, f"{where}: crs")
        return crs
    points = sites.geometry.representative_point().to_crs("EPSG:4326")
    if bool(in_metropolitan_france(points.x.to_numpy(), points.y.to_numpy()).all()):
        return CRS.from_user_input(LAMBERT93)
    utm: CRS = sites.estimate_utm_crs()
    log.info("sites outside France: working CRS %s", crs_label(utm))
    return utm


def to_working(
    gdf: gpd.GeoDataFrame, target: CRS, layer: str, issues: list[DataIssue], *, source: str = ""
) -> gpd.GeoDataFrame:
    """Reproject a layer to the working CRS, noting the change as an info issue."""
    if gdf.crs is None:
        raise CRSError(f'layer {layer}: no CRS; set crs = "EPSG:..." for it in the project')
    if CRS.from_user_input(gdf.crs).equals(target):
        return gdf
    issues.append(
        DataIssue(
            layer=layer,
            source=source,
            message=f"reprojected from {crs_label(gdf.crs)} to {crs_label(target)}",
            severity="info",
        )
    )
    return gdf.to_crs(target)
