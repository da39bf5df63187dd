"""Overlap of sites with zones, and raster statistics per site, vectorised over sites.

Polygon overlap uses one STRtree query for all sites; raster statistics read the raster
by tiles (windowed reads) and test pixel centres against all sites of a tile at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

from siteassess.layers.model import RasterSource
from siteassess.layers.readers import read_window


def overlap_area(sites: np.ndarray, zones: np.ndarray) -> np.ndarray:
    """Area of each site covered by the union of ``zones`` (CRS units squared).

    Zones that overlap each other are not counted twice.
    """
    n = len(sites)
    area = np.zeros(n)
    if n == 0 or len(zones) == 0:
        return area
    tree = shapely.STRtree(zones)
    s_idx, z_idx = tree.query(sites, predicate="intersects")
    if len(s_idx) == 0:
        return area
    pieces = shapely.intersection(sites[s_idx], zones[z_idx])
    counts = np.bincount(s_idx, minlength=n)
    single = counts[s_idx] == 1
    np.add.at(area, s_idx[single], shapely.area(pieces[single]))
    multi = ~single
    if multi.any():
        order = np.argsort(s_idx[multi], kind="stable")
        ms, mp = s_idx[multi][order], pieces[multi][order]
        starts = np.flatnonzero(np.r_[True, ms[1:] != ms[:-1]])
        groups = np.split(mp, starts[1:])
        # Only sites touched by several zones are unioned (usually a handful).
        area[ms[starts]] = [shapely.area(shapely.union_all(g)) for g in groups]
    return area


@dataclass(frozen=True)
class RasterStats:
    """Per-site statistics of a raster (arrays aligned with the input sites)."""

    pixels: np.ndarray  # pixel centres inside the site (1 for a site smaller than a pixel)
    covered: np.ndarray  # of those, inside the raster and not nodata
    above: np.ndarray  # of the covered, value > threshold
    maximum: np.ndarray  # largest value over the covered pixels (NaN if none)

    @property
    def coverage_pct(self) -> np.ndarray:
        """Share of the site the raster covers with data (%)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.pixels > 0, 100.0 * self.covered / self.pixels, np.nan)

    @property
    def share_above_pct(self) -> np.ndarray:
        """Share of the covered part of the site above the threshold (%), NaN if uncovered."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.covered > 0, 100.0 * self.above / self.covered, np.nan)


def raster_stats(
    src: RasterSource,
    sites: np.ndarray,
    threshold: float,
    *,
    tile_px: int = 1024,
    progress: Callable[[float], None] | None = None,
) -> RasterStats:
    """Pixel statistics of ``src`` for each site polygon (given in the raster's CRS).

    A pixel belongs to a site when its centre is inside the polygon; a site that contains
    no pixel centre takes the pixel under its representative point.
    """
    n = len(sites)
    pixels = np.zeros(n, dtype=np.int64)
    covered = np.zeros(n, dtype=np.int64)
    above = np.zeros(n, dtype=np.int64)
    maximum = np.full(n, -np.inf)
    if n == 0:
        return RasterStats(pixels, covered, above, np.full(n, np.nan))
    a, _, c, _, e, f = src.transform
    shapely.prepare(sites)
    b = shapely.bounds(sites)
    # Pixel index ranges of each site's bounding box (columns from x, rows from y; e < 0).
    col0 = np.floor((b[:, 0] - c) / a).astype(np.int64)
    col1 = np.floor((b[:, 2] - c) / a).astype(np.int64)
    row0 = np.floor((b[:, 3] - f) / e).astype(np.int64)
    row1 = np.floor((b[:, 1] - f) / e).astype(np.int64)
    tile = (row0 // tile_px) * 1_000_003 + (col0 // tile_px)
    order = np.argsort(tile, kind="stable")
    starts = np.flatnonzero(np.r_[True, tile[order][1:] != tile[order][:-1]])
    groups = np.split(order, starts[1:])
    for gi, g in enumerate(groups):
        _tile_stats(
            src, sites, g, col0, col1, row0, row1, threshold, pixels, covered, above, maximum
        )
        if progress is not None:
            progress((gi + 1) / len(groups))
    maximum[~np.isfinite(maximum)] = np.nan
    return RasterStats(pixels, covered, above, maximum)


def _tile_stats(
    src: RasterSource,
    sites: np.ndarray,
    g: np.ndarray,
    col0: np.ndarray,
    col1: np.ndarray,
    row0: np.ndarray,
    row1: np.ndarray,
    threshold: float,
    pixels: np.ndarray,
    covered: np.ndarray,
    above: np.ndarray,
    maximum: np.ndarray,
) -> None:
    a, _, c, _, e, f = src.transform
    r_lo, r_hi = int(row0[g].min()), int(row1[g].max())
    c_lo, c_hi = int(col0[g].min()), int(col1[g].max())
    # One windowed read for every site of the tile (clipped to the raster by read_window).
    wx0, wx1 = c + a * c_lo, c + a * (c_hi + 1)
    wy0, wy1 = f + e * (r_hi + 1), f + e * r_lo
    data, wt = read_window(src, (wx0, wy0, wx1, wy1))
    w_c0 = round((wt[2] - c) / a) if data.size else 0
    w_r0 = round((wt[5] - f) / e) if data.size else 0
    values = np.ma.getdata(data).astype(float)
    valid = ~np.ma.getmaskarray(data)
    if data.size and np.issubdtype(values.dtype, np.floating):
        valid &= np.isfinite(values)
    # Every pixel of every site's bounding box, as flat arrays.
    ncols = col1[g] - col0[g] + 1
    nrows = row1[g] - row0[g] + 1
    counts = ncols * nrows
    site = np.repeat(g, counts)
    k = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    rr = row0[site] + k // np.repeat(ncols, counts)
    cc = col0[site] + k % np.repeat(ncols, counts)
    inside = shapely.contains_xy(sites[site], c + a * (cc + 0.5), f + e * (rr + 0.5))
    site, rr, cc = site[inside], rr[inside], cc[inside]
    # Sites smaller than a pixel: the pixel under their representative point.
    empty = g[np.bincount(site, minlength=len(sites))[g] == 0]
    if len(empty):
        pt = shapely.point_on_surface(sites[empty])
        site = np.r_[site, empty]
        cc = np.r_[cc, np.floor((shapely.get_x(pt) - c) / a).astype(np.int64)]
        rr = np.r_[rr, np.floor((shapely.get_y(pt) - f) / e).astype(np.int64)]
    lr, lc = rr - w_r0, cc - w_c0
    inwin = (lr >= 0) & (lc >= 0) & (lr < values.shape[0]) & (lc < values.shape[1])
    ok = np.zeros(len(site), dtype=bool)
    ok[inwin] = valid[lr[inwin], lc[inwin]]
    v = np.full(len(site), np.nan)
    v[ok] = values[lr[ok], lc[ok]]
    np.add.at(pixels, site, 1)
    np.add.at(covered, site[ok], 1)
    np.add.at(above, site[ok & (v > threshold)], 1)
    np.maximum.at(maximum, site[ok], v[ok])
