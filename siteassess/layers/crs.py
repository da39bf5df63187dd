"""Coordinate reference systems: parse, choose the working CRS, reproject with checks.

Distances and areas are only ever measured in a projected CRS in metres: Lambert-93
(EPSG:2154) in metropolitan France, else the local UTM zone of the sites.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
from pyproj import CRS
from pyproj.exceptions import CRSError as PyprojCRSError

from siteassess.errors import CRSError, DataIssue

log = logging.getLogger(__name__)

LAMBERT93 = "EPSG:2154"
# Metropolitan France and Corsica in lon/lat (EPSG:2154's area of use, slightly widened).
_FRANCE_LONLAT = (-9.9, 41.1, 10.3, 51.6)


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
    lonlat = sites.to_crs("EPSG:4326").total_bounds
    x0, y0, x1, y1 = _FRANCE_LONLAT
    if lonlat[0] >= x0 and lonlat[1] >= y0 and lonlat[2] <= x1 and lonlat[3] <= y1:
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
