"""Coordinate reference systems: parse, choose the working CRS, reproject with checks.

Distances and areas are only ever measured in a projected CRS in metres: Lambert-93
(EPSG:2154) in metropolitan France, else the local UTM zone of the sites.
"""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Geod, Proj
from pyproj.exceptions import CRSError as PyprojCRSError

from siteassess.errors import CRSError, DataIssue, Reason

log = logging.getLogger(__name__)

LAMBERT93 = "EPSG:2154"
# A CRS is trusted to measure a site only while it distorts distances there by at most 1 %,
# the tolerance the tests allow against geodesic distances. In a UTM zone that is about
# 900 km east or west of the zone's central meridian (scale 0.9996 · (1 + x²/2R²)).
MAX_SCALE_ERROR = 0.01
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
    """The project's working CRS: as configured, else Lambert-93 in France, else local UTM.

    A UTM zone is refused when the sites spread so far that it would distort distances by
    more than 1 % at some of them (Quito and Nairobi would share one zone).
    """
    crs = configured_crs(configured, where)
    if crs is not None:
        return crs
    points = sites.geometry.representative_point().to_crs("EPSG:4326")
    if bool(in_metropolitan_france(points.x.to_numpy(), points.y.to_numpy()).all()):
        return CRS.from_user_input(LAMBERT93)
    utm: CRS = sites.estimate_utm_crs()
    lon, lat = points.x.to_numpy(), points.y.to_numpy()
    err = scale_error(utm, lon, lat)
    if (err > MAX_SCALE_ERROR).any():
        raise CRSError(_spread_message(utm, lon, lat, err, sites.index, where))
    log.info("sites outside France: working CRS %s", crs_label(utm))
    return utm


def scale_error(crs: CRS, lon: Any, lat: Any) -> np.ndarray:
    """How far ``crs`` stretches or shrinks distances at each lon/lat (0.01: 1 %; inf: cannot)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if not crs.is_projected:
        return np.zeros(len(lon))
    try:
        with np.errstate(all="ignore"):
            f = Proj(crs).get_factors(lon, lat, errcheck=False)
            k = np.maximum(
                np.abs(np.asarray(f.meridional_scale) - 1), np.abs(np.asarray(f.parallel_scale) - 1)
            )
    except Exception:  # a CRS PROJ cannot give factors for: no distortion known
        return np.zeros(len(lon))
    return np.where(np.isfinite(k), k, np.inf)


def _spread_message(
    utm: CRS, lon: np.ndarray, lat: np.ndarray, err: np.ndarray, ids: Any, where: str
) -> str:
    worst = [i for i in np.argsort(-err) if err[i] > MAX_SCALE_ERROR][:3]
    far = ", ".join(f"{ids[i]} (lon {lon[i]:.2f}, lat {lat[i]:.2f}: {_pct(err[i])})" for i in worst)
    _, _, across = Geod(ellps="WGS84").inv(lon.min(), lat.min(), lon.max(), lat.max())
    return (
        f"{where}: the sites are spread too far apart for one working CRS: they span lon "
        f"{lon.min():.2f} to {lon.max():.2f} and lat {lat.min():.2f} to {lat.max():.2f} (about "
        f"{across / 1000:,.0f} km across), and the UTM zone they would be measured in, "
        f"{crs_label(utm)}, distorts distances by more than {MAX_SCALE_ERROR:.0%} at {far}. "
        'Set crs = "EPSG:..." in the project to a projected CRS made for the whole region, or '
        "put the sites of each region in a project of their own"
    )


def _pct(err: float) -> str:
    return "cannot be projected" if not np.isfinite(err) else f"off by {err:.0%}"


def configured_crs(configured: str | None, where: str) -> CRS | None:
    """The project's ``crs`` parsed and checked to measure in metres (None when not set)."""
    if configured is None:
        return None
    crs = parse_crs(configured, f"{where}: crs")
    require_metric(crs, f"{where}: crs")
    return crs


def to_working(
    gdf: gpd.GeoDataFrame, target: CRS, layer: str, issues: list[DataIssue], *, source: str = ""
) -> gpd.GeoDataFrame:
    """Reproject a layer to the working CRS, noting the change as an info issue."""
    if gdf.crs is None:
        raise CRSError(f'layer {layer}: no CRS; set crs = "EPSG:..." for it in the project')
    if CRS.from_user_input(gdf.crs).equals(target):
        return gdf
    issues.append(
        DataIssue.of(
            layer,
            Reason.of(
                "reprojected",
                "reprojected from {a} to {b}",
                a=crs_label(gdf.crs),
                b=crs_label(target),
            ),
            source=source,
            severity="info",
        )
    )
    return gdf.to_crs(target)
