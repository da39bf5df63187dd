"""Check that ``raster_stats`` (scanlines) gives exactly the brute-force pixel statistics.

Usage::

    .venv/bin/python benchmarks/check_raster_stats.py [--out benchmarks/output]

The reference tests every pixel centre of each site's bounding box with
``shapely.contains_xy`` (the rule siteassess documents) on awkward geometries: edges and
vertices exactly on pixel centres, spikes, holes, touching multipolygon parts, sub-pixel
sites, slivers, non-polygons, an invalid bow-tie, on float32, float64 (NaN nodata), int16
and uint8 rasters, in metres and in degrees. Exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import rasterio
import shapely
from rasterio.transform import from_origin

from siteassess.criteria.zonal import RasterStats, raster_stats
from siteassess.layers.model import RasterSource
from siteassess.layers.readers import open_raster

HERE = Path(__file__).resolve().parent


def write_raster(
    path: Path, dtype: str, nodata: float | None, crs: str, grid: tuple[float, ...], seed: int
) -> RasterSource:
    """A random raster with quantised values and nodata holes; returns its source."""
    x0, y0, px, w, h = grid
    rng = np.random.default_rng(seed)
    arr = np.round(rng.uniform(-0.5, 3.0, size=(int(h), int(w))) * 4) / 4
    arr = np.clip(arr, 0, None) * (100 if np.dtype(dtype).kind in "iu" else 1)
    arr = arr.astype(dtype)
    hole = rng.uniform(size=arr.shape) < 0.1
    hole[: int(h) // 5, : int(w) // 3] = True
    if nodata is not None:
        arr[hole] = nodata
    elif arr.dtype.kind == "f":
        arr[hole] = np.nan
    with rasterio.open(
        path, "w", driver="GTiff", width=int(w), height=int(h), count=1, dtype=dtype,
        crs=crs, transform=from_origin(x0, y0, px, px), nodata=nodata, tiled=True,
        blockxsize=256, blockysize=256,
    ) as ds:  # fmt: skip
        ds.write(arr, 1)
    src, _ = open_raster(path, label=path.name, crs_override=None)
    return src


def awkward_sites(grid: tuple[float, ...], seed: int) -> np.ndarray:
    """Geometries that put pixel centres on edges and vertices, and other edge cases."""
    x0, y1, px = grid[:3]
    w, h = int(grid[3]), int(grid[4])
    y0 = y1 - px * h
    rng = np.random.default_rng(seed)
    out: list[shapely.Geometry] = []

    def centre(i: float, j: float) -> tuple[float, float]:
        return x0 + px * (i + 0.5), y0 + px * (j + 0.5)

    for _ in range(200):  # boxes with edges on pixel edges, centres and quarters
        cx, cy = x0 + px * rng.integers(-3, w + 3), y0 + px * rng.integers(-3, h + 3)
        off = rng.choice([0, 0.5, 0.25]) * px
        sx, sy = px * rng.integers(1, 30), px * rng.integers(1, 30)
        out.append(shapely.box(cx + off, cy + off, cx + sx + off, cy + sy))
    for _ in range(300):  # vertices on pixel centres: spikes, notches, horizontal edges
        base: np.ndarray = np.array(centre(float(rng.integers(0, w)), float(rng.integers(0, h))))
        k = rng.integers(3, 8)
        pts = base + px * (rng.integers(-15, 15, size=(k, 2)) + rng.choice([0, 0.5], (k, 2)))
        out.append(shapely.make_valid(shapely.Polygon(pts)))
    for _ in range(200):  # holes and multipolygons
        c = shapely.Point(rng.uniform(x0, x0 + px * w), rng.uniform(y0, y1))
        r = px * rng.uniform(1, 25)
        geom = c.buffer(r, quad_segs=int(rng.integers(1, 8))).difference(
            c.buffer(r * rng.uniform(0.1, 0.8))
        )
        if rng.uniform() < 0.5:
            geom = shapely.union(geom, shapely.Point(c.x + 3 * r, c.y).buffer(r / 2))
        out.append(geom)
    for _ in range(100):  # sub-pixel sites, slivers, triangles on a centre line
        ax, ay = float(rng.uniform(x0, x0 + px * w)), float(rng.uniform(y0, y1))
        out.append(shapely.box(ax, ay, ax + px * rng.uniform(0.01, 0.9), ay + px * 0.5))
        out.append(shapely.Polygon([(ax, ay), (ax + 40 * px, ay + px * 1e-7), (ax, ay + px)]))
        _, yc = centre(0, float(rng.integers(0, h)))
        out.append(shapely.Polygon([(ax, yc), (ax + 10 * px, yc), (ax + 5 * px, yc + 5 * px)]))
    out.append(shapely.Point(centre(10, 10)))
    out.append(shapely.LineString([(x0, y0), (x0 + px * w, y1)]))
    out.append(
        shapely.Polygon(
            [(x0, y0), (x0 + 9 * px, y0 + 9 * px), (x0 + 9 * px, y0), (x0, y0 + 9 * px)]
        )
    )
    return np.array(out, dtype=object)


def brute_force(src: RasterSource, sites: np.ndarray, threshold: float) -> RasterStats:
    """Every pixel centre of every bounding box tested with ``contains_xy``."""
    a, _, c, _, e, f = src.transform
    with rasterio.open(src.path) as ds:
        data = ds.read(1, masked=True)
    values = np.ma.getdata(data).astype(float)
    valid = ~np.ma.getmaskarray(data) & np.isfinite(values)
    n = len(sites)
    stats = np.zeros((n, 3), dtype=np.int64)
    top = np.full(n, np.nan)
    for i, geom in enumerate(sites):
        b = shapely.bounds(geom)
        cols = np.arange(np.floor((b[0] - c) / a), np.floor((b[2] - c) / a) + 1).astype(int)
        rows = np.arange(np.floor((b[3] - f) / e), np.floor((b[1] - f) / e) + 1).astype(int)
        rr, cc = (m.ravel() for m in np.meshgrid(rows, cols, indexing="ij"))
        inside = shapely.contains_xy(geom, c + a * (cc + 0.5), f + e * (rr + 0.5))
        rr, cc = rr[inside], cc[inside]
        if len(rr) == 0:
            pt = shapely.point_on_surface(geom)
            cc = np.array([int(np.floor((pt.x - c) / a))])
            rr = np.array([int(np.floor((pt.y - f) / e))])
        ok = (rr >= 0) & (cc >= 0) & (rr < values.shape[0]) & (cc < values.shape[1])
        ok[ok] = valid[rr[ok], cc[ok]]
        v = values[rr[ok], cc[ok]]
        stats[i] = (len(rr), ok.sum(), (v > threshold).sum())
        top[i] = v.max() if len(v) else np.nan
    return RasterStats(stats[:, 0], stats[:, 1], stats[:, 2], top)


def main(argv: list[str] | None = None) -> int:
    """Compare on every raster kind and threshold; return 1 on any difference."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / "output", help="output folder")
    args = ap.parse_args(argv)
    folder = args.out.resolve() / "check_raster_stats"
    folder.mkdir(parents=True, exist_ok=True)
    cases = [
        ("float32, Lambert-93, 25 m", "float32", -9999.0, "EPSG:2154", (650000, 7e6, 25, 700, 500)),
        ("float64, NaN nodata, 10 m", "float64", None, "EPSG:2154", (650000, 7e6, 10, 600, 700)),
        ("int16, offset grid, 5 m", "int16", -1, "EPSG:2154", (650012.5, 7000003, 5, 900, 400)),
        ("float32, degrees", "float32", -9999.0, "EPSG:4326", (2.0, 51.0, 0.0002, 800, 600)),
        ("uint8, no nodata, 1 m", "uint8", None, "EPSG:2154", (0.0, 1000.0, 1.0, 400, 400)),
    ]
    failed = 0
    for k, (label, dtype, nodata, crs, grid) in enumerate(cases):
        src = write_raster(folder / f"r{k}.tif", dtype, nodata, crs, tuple(map(float, grid)), k)
        sites = awkward_sites(tuple(map(float, grid)), seed=k)
        for threshold in (0.0, 0.5, 100.0):
            want = brute_force(src, sites, threshold)
            for tile in (1024, 64):
                got = raster_stats(src, sites.copy(), threshold, tile_px=tile)
                bad = [
                    name
                    for name in ("pixels", "covered", "above", "maximum")
                    if not np.array_equal(getattr(got, name), getattr(want, name), equal_nan=True)
                ]
                flag = "identical" if not bad else f"DIFFERENT: {', '.join(bad)}"
                print(f"{label:<28} threshold {threshold:<5g} tile {tile:<5} {flag}")
                failed += bool(bad)
    print("all identical" if not failed else f"{failed} comparisons differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
