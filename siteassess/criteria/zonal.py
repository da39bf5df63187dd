"""Overlap of sites with zones, and raster statistics per site, vectorised over sites.

Polygon overlap uses one STRtree query for all sites; raster statistics read the raster
by tiles (windowed reads, a few tiles at a time on worker threads) and find the pixel
centres inside all sites of a tile at once, by scanlines through the rings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import shapely

from siteassess.errors import LayerLoadError
from siteassess.layers.model import RasterSource
from siteassess.layers.readers import read_window

# Tiles measured at once: reading (GDAL) and the array work release the GIL. Each site
# belongs to one tile, so threads never share a prepared geometry or a total.
MAX_THREADS = 4


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
    box = _Boxes(col0, col1, row0, row1)
    # Valid (multi)polygons on a north-up grid are scanned row by row; anything else
    # (points, lines, collections, invalid or empty geometries) tests every pixel centre.
    # The tolerance is far above the rounding of a crossing (~1e-9 m in Lambert-93) and
    # must stay far below a pixel.
    tol = 1e-6 * abs(a) + 1e-12 * float(np.nanmax(np.abs(b), initial=0.0))
    scan = np.zeros(n, dtype=bool)
    if a > 0 and e < 0 and 8 * tol < a:
        scan = (
            np.isin(shapely.get_type_id(sites), (3, 6))
            & ~shapely.is_empty(sites)
            & shapely.is_valid(sites)
        )
    tile = (row0 // tile_px) * 1_000_003 + (col0 // tile_px)
    order = np.argsort(tile, kind="stable")
    starts = np.flatnonzero(np.r_[True, tile[order][1:] != tile[order][:-1]])
    groups = np.split(order, starts[1:])
    threads = max(1, min(MAX_THREADS, os.cpu_count() or 1, len(groups)))
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = pool.map(lambda g: _tile_stats(src, sites, g, scan, box, threshold, tol), groups)
        for gi, part in enumerate(parts):
            # Integer counts and maxima: the order tiles finish in cannot change a total.
            np.add.at(pixels, part.site, part.pixels)
            np.add.at(covered, part.site, part.covered)
            np.add.at(above, part.site, part.above)
            np.maximum.at(maximum, part.site, part.maximum)
            if progress is not None:
                progress((gi + 1) / len(groups))
    maximum[~np.isfinite(maximum)] = np.nan
    return RasterStats(pixels, covered, above, maximum)


@dataclass(frozen=True)
class _Boxes:
    """Pixel index ranges (inclusive) of each site's bounding box."""

    col0: np.ndarray
    col1: np.ndarray
    row0: np.ndarray
    row1: np.ndarray


@dataclass(frozen=True)
class _Totals:
    """One tile's totals for its sites ``site`` (indices into all the sites)."""

    site: np.ndarray
    pixels: np.ndarray
    covered: np.ndarray
    above: np.ndarray
    maximum: np.ndarray


def _tile_stats(
    src: RasterSource,
    sites: np.ndarray,
    g: np.ndarray,
    scan: np.ndarray,
    box: _Boxes,
    threshold: float,
    tol: float,
) -> _Totals:
    """Statistics of the sites ``g`` of one tile (one windowed read for all of them)."""
    a, _, c, _, e, f = src.transform
    r_lo, r_hi = int(box.row0[g].min()), int(box.row1[g].max())
    c_lo, c_hi = int(box.col0[g].min()), int(box.col1[g].max())
    # One windowed read for every site of the tile (clipped to the raster by read_window).
    wx0, wx1 = c + a * c_lo, c + a * (c_hi + 1)
    wy0, wy1 = f + e * (r_hi + 1), f + e * r_lo
    data, wt = _read_pixels(src, (wx0, wy0, wx1, wy1))
    w_c0 = round((wt[2] - c) / a) if data.size else 0
    w_r0 = round((wt[5] - f) / e) if data.size else 0
    values = np.ma.getdata(data)
    if values.dtype not in (np.float32, np.float64):
        values = values.astype(float)
    # float32 is kept as read (its values are exactly those as float64: same counts, maxima).
    valid = ~np.ma.getmaskarray(data)
    if data.size:
        valid &= np.isfinite(values)
    runs, (site, rr, cc) = _scanline(sites, g[scan[g]], box, src.transform, tol)
    s2, r2, c2 = _bbox_pixels(sites, g[~scan[g]], box, src.transform)
    site, rr, cc = np.r_[site, s2], np.r_[rr, r2], np.r_[cc, c2]
    # Sites smaller than a pixel: the pixel under their representative point.
    found = np.bincount(site, minlength=len(sites)) + np.bincount(
        runs.site, weights=runs.hi - runs.lo + 1, minlength=len(sites)
    )
    empty = g[found[g] == 0]
    if len(empty):
        pt = shapely.point_on_surface(sites[empty])
        site = np.r_[site, empty]
        cc = np.r_[cc, np.floor((shapely.get_x(pt) - c) / a).astype(np.int64)]
        rr = np.r_[rr, np.floor((shapely.get_y(pt) - f) / e).astype(np.int64)]
    # Totals indexed by position in g.
    pos = np.zeros(len(sites), dtype=np.int64)
    pos[g] = np.arange(len(g))
    acc = _Totals(
        g,
        np.zeros(len(g), dtype=np.int64),
        np.zeros(len(g), dtype=np.int64),
        np.zeros(len(g), dtype=np.int64),
        np.full(len(g), -np.inf),
    )
    site = pos[site]
    runs = _Runs(pos[runs.site], runs.row, runs.lo, runs.hi)
    lr, lc = rr - w_r0, cc - w_c0
    inwin = (lr >= 0) & (lc >= 0) & (lr < values.shape[0]) & (lc < values.shape[1])
    ok = np.zeros(len(site), dtype=bool)
    ok[inwin] = valid[lr[inwin], lc[inwin]]
    v = np.full(len(site), np.nan)
    v[ok] = values[lr[ok], lc[ok]].astype(float)
    np.add.at(acc.pixels, site, 1)
    np.add.at(acc.covered, site[ok], 1)
    np.add.at(acc.above, site[ok & (v > threshold)], 1)
    np.maximum.at(acc.maximum, site[ok], v[ok])
    _add_runs(runs, values, valid, w_r0, w_c0, threshold, acc)
    return acc


def _read_pixels(
    src: RasterSource, bounds: tuple[float, float, float, float]
) -> tuple[np.ma.MaskedArray, tuple[float, ...]]:
    """``read_window``, refusing a raster whose pixels cannot be read (truncated, damaged)."""
    from rasterio.errors import RasterioError

    try:
        return read_window(src, bounds)
    except (RasterioError, OSError) as exc:
        # rasterio's "Read failed. See previous exception" keeps GDAL's reason in the context.
        reason = exc.__cause__ or exc.__context__ or exc
        text = (str(reason).strip().splitlines() or [type(exc).__name__])[0][:300]
        x0, y0, x1, y1 = bounds
        raise LayerLoadError(
            f"raster {src.path}: its pixels cannot be read ({text}) in the window "
            f"{x0:.0f}, {y0:.0f}, {x1:.0f}, {y1:.0f}; the file is truncated or damaged: copy "
            "or download it again"
        ) from None


def _bbox_pixels(
    sites: np.ndarray, g: np.ndarray, box: _Boxes, transform: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Site, row and column of every pixel whose centre is inside a site of ``g``.

    Tests every pixel centre of each site's bounding box (any geometry type).
    """
    a, _, c, _, e, f = transform
    ncols = box.col1[g] - box.col0[g] + 1
    nrows = box.row1[g] - box.row0[g] + 1
    counts = ncols * nrows
    site = np.repeat(g, counts)
    k = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    rr = box.row0[site] + k // np.repeat(ncols, counts)
    cc = box.col0[site] + k % np.repeat(ncols, counts)
    inside = shapely.contains_xy(sites[site], c + a * (cc + 0.5), f + e * (rr + 0.5))
    return site[inside], rr[inside], cc[inside]


@dataclass(frozen=True)
class _Runs:
    """Runs of pixels surely inside a site: row ``row``, columns ``lo`` to ``hi``."""

    site: np.ndarray
    row: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


_NO_RUNS = _Runs(*(np.zeros(0, dtype=np.int64) for _ in range(4)))


def _scanline(
    sites: np.ndarray, g: np.ndarray, box: _Boxes, transform: tuple[float, ...], tol: float
) -> tuple[_Runs, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Pixels of valid (multi)polygons by scanlines through the pixel centres.

    Gives exactly the pixels ``shapely.contains_xy`` accepts: for each pixel row, the
    crossings of the centre line with the rings (half-open rule) pair up into runs of
    centres surely inside; centres within ``2 * tol`` of a crossing, and rows whose centre
    line passes through a vertex, are decided by ``contains_xy`` itself.
    Returns the runs and (site, row, column) of the pixels decided one by one.
    """
    none = np.zeros(0, dtype=np.int64)
    if len(g) == 0:
        return _NO_RUNS, (none, none, none)
    a, _, c, _, e, f = transform
    parts, part_of = shapely.get_parts(sites[g], return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    xy, vert_of = shapely.get_coordinates(rings, return_index=True)
    same = vert_of[:-1] == vert_of[1:]
    x0, y0 = xy[:-1, 0][same], xy[:-1, 1][same]
    x1, y1 = xy[1:, 0][same], xy[1:, 1][same]
    esite = g[part_of[ring_of[vert_of[:-1][same]]]]
    ylo, yhi = np.minimum(y0, y1), np.maximum(y0, y1)

    # Rows whose centre line passes exactly through a vertex (a spike's tip, a horizontal
    # edge) are decided pixel by pixel: on other rows every boundary point is a crossing.
    vr = np.floor((y0 - f) / e - 0.5).astype(np.int64)
    vs, vr, vy = np.r_[esite, esite], np.r_[vr, vr + 1], np.r_[y0, y0]
    hit = (f + e * (vr + 0.5) == vy) & _in_rows(box, vs, vr)
    exact_rows = np.unique(np.c_[vs[hit], vr[hit]], axis=0)

    # Each edge crosses the centre lines of the rows with ylo <= y < yhi (half-open rule).
    sl = ylo < yhi
    ei = np.flatnonzero(sl)
    ra, rb = (yhi[sl] - f) / e - 0.5, (ylo[sl] - f) / e - 0.5  # e < 0: ra <= rb
    lo = np.maximum(np.floor(ra).astype(np.int64) - 1, box.row0[esite[sl]])
    hi = np.minimum(np.ceil(rb).astype(np.int64) + 1, box.row1[esite[sl]])
    n = np.maximum(hi - lo + 1, 0)
    ei = np.repeat(ei, n)
    row = np.repeat(lo, n) + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    yc = f + e * (row + 0.5)
    keep = (ylo[ei] <= yc) & (yc < yhi[ei])
    ei, row, yc = ei[keep], row[keep], yc[keep]
    xc = x0[ei] + (yc - y0[ei]) * (x1[ei] - x0[ei]) / (y1[ei] - y0[ei])
    site = esite[ei]

    # Sort the crossings of each (site, row); rows with an odd count (never for a valid
    # ring) and rows through a vertex are decided pixel by pixel.
    order = np.lexsort((xc, row, site))
    site, row, xc = site[order], row[order], xc[order]
    new = np.r_[True, (site[1:] != site[:-1]) | (row[1:] != row[:-1])]
    gid = np.cumsum(new) - 1
    odd = (np.bincount(gid) % 2 == 1)[gid]
    on_vertex = _member(site, row, exact_rows)
    bad = odd | on_vertex
    exact_rows = np.unique(np.r_[exact_rows, np.c_[site[bad], row[bad]]], axis=0)
    site, row, xc = site[~bad], row[~bad], xc[~bad]

    # Centres within the tolerance of a crossing: the two nearest columns of each.
    j = np.floor((xc - c) / a - 0.5).astype(np.int64)
    ns, nr, nc = np.r_[site, site], np.r_[row, row], np.r_[j, j + 1]
    near = np.abs(c + a * (nc + 0.5) - np.r_[xc, xc]) <= 2 * tol
    near &= (nc >= box.col0[ns]) & (nc <= box.col1[ns])
    near_px = np.unique(np.c_[ns[near], nr[near], nc[near]], axis=0)

    # Runs between pairs of crossings, without their end columns when these are near.
    xa, xb = xc[0::2], xc[1::2]
    rs, rrow = site[0::2], row[0::2]
    jl = np.floor((xa - c) / a - 0.5).astype(np.int64) + 1
    jh = np.ceil((xb - c) / a - 0.5).astype(np.int64) - 1
    jl += np.abs(c + a * (jl + 0.5) - xa) <= 2 * tol
    jh -= np.abs(c + a * (jh + 0.5) - xb) <= 2 * tol
    jl, jh = np.maximum(jl, box.col0[rs]), np.minimum(jh, box.col1[rs])
    full = jl <= jh
    runs = _Runs(rs[full], rrow[full], jl[full], jh[full])

    # Pixels decided by contains_xy: near a crossing, or on a row through a vertex.
    es, er = exact_rows[:, 0], exact_rows[:, 1]
    ncols = box.col1[es] - box.col0[es] + 1
    k = np.arange(ncols.sum()) - np.repeat(np.cumsum(ncols) - ncols, ncols)
    ps = np.r_[near_px[:, 0], np.repeat(es, ncols)]
    pr = np.r_[near_px[:, 1], np.repeat(er, ncols)]
    pc = np.r_[near_px[:, 2], np.repeat(box.col0[es], ncols) + k]
    inside = shapely.contains_xy(sites[ps], c + a * (pc + 0.5), f + e * (pr + 0.5))
    return runs, (ps[inside], pr[inside], pc[inside])


def _in_rows(box: _Boxes, site: np.ndarray, row: np.ndarray) -> np.ndarray:
    """True where ``row`` is within the bounding-box rows of ``site``."""
    return np.asarray((row >= box.row0[site]) & (row <= box.row1[site]), dtype=bool)


def _member(site: np.ndarray, row: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """True where (site, row) is one of ``pairs`` (an (m, 2) array)."""
    if len(pairs) == 0 or len(site) == 0:
        return np.zeros(len(site), dtype=bool)
    base = min(int(row.min()), int(pairs[:, 1].min()))
    span = max(int(row.max()), int(pairs[:, 1].max())) - base + 1
    keys = site * span + (row - base)
    return np.asarray(np.isin(keys, pairs[:, 0] * span + (pairs[:, 1] - base)), dtype=bool)


def _add_runs(
    runs: _Runs,
    values: np.ndarray,
    valid: np.ndarray,
    w_r0: int,
    w_c0: int,
    threshold: float,
    acc: _Totals,
) -> None:
    """Add the runs' pixels, and their covered, above and largest values, to the totals."""
    np.add.at(acc.pixels, runs.site, runs.hi - runs.lo + 1)
    h, w = values.shape
    lr = runs.row - w_r0
    lo, hi = np.maximum(runs.lo - w_c0, 0), np.minimum(runs.hi - w_c0, w - 1)
    sel = (lr >= 0) & (lr < h) & (lo <= hi)
    if not sel.any():
        return
    # Rows padded with one column, so that every run's stop is a valid reduceat index.
    start, stop = lr[sel] * (w + 1) + lo[sel], lr[sel] * (w + 1) + hi[sel] + 1
    order = np.argsort(start, kind="stable")
    site = runs.site[sel][order]
    # reduceat over [start, stop) pairs; sorted starts keep the gaps' work within the window.
    idx = np.empty(2 * len(order), dtype=np.int64)
    idx[0::2], idx[1::2] = start[order], stop[order]
    ok = np.zeros((h, w + 1), dtype=bool)
    ok[:, :w] = valid
    over = np.zeros((h, w + 1), dtype=bool)
    # Compared as float64, like the single pixels (a float32 array would round threshold).
    np.greater(values, np.float64(threshold), out=over[:, :w], where=valid)
    top = np.full((h, w + 1), -np.inf, dtype=values.dtype)
    np.copyto(top[:, :w], values, where=valid)
    cov = np.add.reduceat(ok.ravel(), idx, dtype=np.int64)[0::2]
    np.add.at(acc.covered, site, cov)
    np.add.at(acc.above, site, np.add.reduceat(over.ravel(), idx, dtype=np.int64)[0::2])
    big = np.maximum.reduceat(top.ravel(), idx)[0::2].astype(float)
    np.maximum.at(acc.maximum, site[cov > 0], big[cov > 0])
