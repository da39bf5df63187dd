"""Synthetic, deterministic benchmark data over Hauts-de-France (Lambert-93, EPSG:2154).

- :func:`make_sites` draws site polygons (5 to 150 ha) inside the union of the real
  département outlines and writes them as a GeoPackage ``sites`` layer.
- :func:`make_flood_raster` writes a 25 m flood-depth GeoTIFF over the region's bounding
  box, tile by tile (512 × 512, DEFLATE), so memory stays bounded.
- :func:`write_exchanges` and :func:`write_project` write the exchanges CSV (from
  ``../shared/FACTS.md``) and the project TOML that points at the real files.

Nothing here is real flood data: rivers and basins are drawn at random from a seed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import tomli_w
from shapely.geometry.base import BaseGeometry

CRS = "EPSG:2154"
PIXEL_M = 25.0
BLOCK_PX = 512
NODATA = -9999.0
MIN_HA, MAX_HA = 5.0, 150.0

# Exchanges table of ../shared/FACTS.md (main facility of each exchange, 2024).
EXCHANGES: tuple[tuple[str, str, float, float], ...] = (
    ("DE-CIX Frankfurt", "Frankfurt", 8.73463, 50.11967),
    ("LINX", "London", -0.014327, 51.498842),
    ("AMS-IX", "Amsterdam", 4.950837, 52.356394),
    ("France-IX Paris", "Paris", 2.38532, 48.856654),
    ("Lillix (ETIX Lille #3, Anzin)", "other", 3.521029, 50.380311),
    ("Lillix, France-IX Lille (ETIX Lille #2)", "other", 3.136511, 50.584099),
)


def region_outline(departements: Path) -> BaseGeometry:
    """The union of the département outlines, in Lambert-93."""
    gdf = gpd.read_file(departements).to_crs(CRS)
    return shapely.union_all(shapely.make_valid(gdf.geometry.values))


# ------------------------------------------------------------------------------- sites


def _centres(region: BaseGeometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points uniformly inside ``region`` (rejection sampling on its bounding box)."""
    x0, y0, x1, y1 = region.bounds
    shapely.prepare(region)
    out = np.empty((0, 2))
    while len(out) < n:
        xy = rng.uniform((x0, y0), (x1, y1), size=(2 * n, 2))
        out = np.vstack([out, xy[shapely.contains_xy(region, xy[:, 0], xy[:, 1])]])
    return out[:n]


def _irregular(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` convex-ish polygons of ``k`` vertices around the origin, shape (n, k + 1, 2)."""
    # Jittered even spacing keeps every gap below π: the ring stays simple (star-shaped).
    angles = (np.arange(k) + rng.uniform(-0.35, 0.35, size=(n, k))) * (2 * np.pi / k)
    radii = rng.uniform(0.7, 1.0, size=(n, k))
    stretch = rng.uniform(1.0, 2.5, size=(n, 1))
    rot = rng.uniform(0, np.pi, size=(n, 1))
    x, y = radii * np.cos(angles) * stretch, radii * np.sin(angles)
    xr, yr = x * np.cos(rot) - y * np.sin(rot), x * np.sin(rot) + y * np.cos(rot)
    ring = np.stack([xr, yr], axis=-1)
    return np.concatenate([ring, ring[:, :1]], axis=1)


def _rectangles(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` rotated rectangles (aspect 1 to 4) around the origin, shape (n, 5, 2)."""
    aspect = rng.uniform(1.0, 4.0, size=(n, 1))
    rot = rng.uniform(0, np.pi, size=(n, 1))
    ux = np.array([-1, 1, 1, -1, -1], dtype=float)[None, :] * aspect
    uy = np.array([-1, -1, 1, 1, -1], dtype=float)[None, :]
    xr, yr = ux * np.cos(rot) - uy * np.sin(rot), ux * np.sin(rot) + uy * np.cos(rot)
    return np.stack([xr, yr], axis=-1)


def make_sites(region: BaseGeometry, n: int, seed: int) -> gpd.GeoDataFrame:
    """``n`` site polygons (5–150 ha, log-uniform) centred inside ``region``, Lambert-93."""
    rng = np.random.default_rng(seed)
    centres = _centres(region, n, rng)
    area_m2 = np.exp(rng.uniform(np.log(MIN_HA), np.log(MAX_HA), size=n)) * 10_000
    kind = rng.integers(0, 3, size=n)  # 0: rectangle, 1: 6 vertices, 2: 9 vertices
    geoms = np.empty(n, dtype=object)
    for k in range(3):
        sel = np.flatnonzero(kind == k)
        rings = _rectangles(len(sel), rng) if k == 0 else _irregular(len(sel), 3 * k + 3, rng)
        geoms[sel] = shapely.polygons(rings)
    # Scale each unit shape to its target area, then move it to its centre.
    scale = np.sqrt(area_m2 / shapely.area(geoms))
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    coords = coords * scale[index, None] + centres[index]
    geoms = shapely.set_coordinates(geoms, coords)
    ids = [f"S{i:05d}" for i in range(1, n + 1)]
    return gpd.GeoDataFrame(
        {"site_id": ids, "name": [f"Synthetic site {i}" for i in range(1, n + 1)]},
        geometry=geoms,
        crs=CRS,
    )


# ------------------------------------------------------------------------------ raster


@dataclass(frozen=True)
class FloodShapes:
    """Depth bands to burn (nested buffers add up) and the no-data areas."""

    bands: list[tuple[BaseGeometry, float]]  # (polygon, depth increment in m)
    nodata: BaseGeometry  # no data inside (an unsurveyed block)
    region: BaseGeometry  # no data outside (beyond the region's outline)


def _river(
    start: tuple[float, float], heading: float, length_m: float, rng: np.random.Generator
) -> shapely.LineString:
    """A meandering centreline: a smooth random walk of 500 m steps."""
    steps = int(length_m / 500)
    turn = np.cumsum(rng.normal(0, 0.12, size=steps))
    turn = np.convolve(turn, np.ones(5) / 5, mode="same")
    ang = heading + turn
    xy = np.cumsum(np.c_[np.cos(ang), np.sin(ang)] * 500, axis=0) + start
    return shapely.LineString(np.vstack([start, xy]))


def flood_shapes(region: BaseGeometry, seed: int) -> FloodShapes:
    """River corridors and basins (depth 0–3 m) and a no-data block, from ``seed``."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = region.bounds
    bands: list[tuple[BaseGeometry, float]] = []
    # Corridor half-widths (m) and the depth each band adds (nested: the core gets all).
    river_bands = ((700.0, 0.4), (400.0, 0.6), (200.0, 0.8), (80.0, 1.2))
    for _ in range(22):
        start = (rng.uniform(x0, x1), rng.uniform(y0, y1))
        line = _river(start, rng.uniform(0, 2 * np.pi), rng.uniform(40_000, 140_000), rng)
        for width, inc in river_bands:
            bands.append((line.buffer(width * rng.uniform(0.6, 1.4)), inc))
    for _ in range(60):
        c = shapely.Point(rng.uniform(x0, x1), rng.uniform(y0, y1))
        r = rng.uniform(300, 2_500)
        for frac, inc in ((1.0, 0.5), (0.6, 0.8), (0.3, 1.0)):
            bands.append((c.buffer(r * frac), inc))
    # An unsurveyed 25 km × 18 km block in the middle of the region.
    nx, ny = x0 + 0.55 * (x1 - x0), y0 + 0.35 * (y1 - y0)
    nodata = shapely.box(nx, ny, nx + 25_000, ny + 18_000)
    return FloodShapes(bands=bands, nodata=nodata, region=region)


def make_flood_raster(path: Path, region: BaseGeometry, seed: int) -> dict[str, float]:
    """Write the flood-depth GeoTIFF tile by tile; return its size and timing facts."""
    import rasterio
    from rasterio.features import geometry_mask, rasterize
    from rasterio.transform import from_origin
    from rasterio.windows import Window
    from rasterio.windows import transform as window_transform

    shapes = flood_shapes(region, seed)
    x0, y0, x1, y1 = region.bounds
    x0, y0 = np.floor(x0 / 1000) * 1000 - 1000, np.floor(y0 / 1000) * 1000 - 1000
    x1, y1 = np.ceil(x1 / 1000) * 1000 + 1000, np.ceil(y1 / 1000) * 1000 + 1000
    width, height = int((x1 - x0) / PIXEL_M), int((y1 - y0) / PIXEL_M)
    transform = from_origin(x0, y1, PIXEL_M, PIXEL_M)
    band_geoms = np.array([g for g, _ in shapes.bands], dtype=object)
    band_inc = np.array([v for _, v in shapes.bands])
    tree = shapely.STRtree(band_geoms)
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": "float32",
        "crs": CRS,
        "transform": transform,
        "nodata": NODATA,
        "tiled": True,
        "blockxsize": BLOCK_PX,
        "blockysize": BLOCK_PX,
        "compress": "deflate",
        "BIGTIFF": "IF_SAFER",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", **profile) as dst:
        for row in range(0, height, BLOCK_PX):
            for col in range(0, width, BLOCK_PX):
                win = Window(col, row, min(BLOCK_PX, width - col), min(BLOCK_PX, height - row))
                wt = window_transform(win, transform)
                shape = (int(win.height), int(win.width))
                box = shapely.box(*rasterio.windows.bounds(win, transform))
                hits = tree.query(box, predicate="intersects")
                depth = np.zeros(shape, dtype=np.float32)
                if len(hits):
                    depth = rasterize(
                        zip(band_geoms[hits], band_inc[hits], strict=True),
                        out_shape=shape,
                        transform=wt,
                        fill=0.0,
                        merge_alg=rasterio.enums.MergeAlg.add,
                        dtype="float32",
                    )
                    # Smooth variation so depths are not a handful of steps.
                    cols = x0 + (col + np.arange(shape[1]) + 0.5) * PIXEL_M
                    rows = y1 - (row + np.arange(shape[0]) + 0.5) * PIXEL_M
                    mod = 0.8 + 0.2 * np.sin(rows[:, None] / 1_700.0) * np.cos(
                        cols[None, :] / 2_300.0
                    )
                    depth = np.clip(depth * mod, 0.0, 3.0).astype(np.float32)
                outside = geometry_mask(
                    [shapes.region], out_shape=shape, transform=wt, invert=False
                )
                if box.intersects(shapes.nodata):
                    outside |= geometry_mask(
                        [shapes.nodata], out_shape=shape, transform=wt, invert=True
                    )
                depth[outside] = NODATA
                dst.write(depth, 1, window=win)
    return {"width": width, "height": height, "pixel_m": PIXEL_M}


# ---------------------------------------------------------------------------- project


def write_exchanges(path: Path) -> None:
    """The exchanges of ../shared/FACTS.md as a CSV (name, market, lon, lat)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "market", "lon", "lat"])
        w.writerows(EXCHANGES)


def write_project(
    path: Path,
    *,
    sites: Path,
    substations: Path,
    exchanges: Path,
    flood: Path,
    demand_mw: float = 700.0,
    min_kv: float = 225.0,
) -> None:
    """The benchmark's project TOML, every layer by absolute path."""
    doc = {
        "schema": 1,
        "name": "Benchmark: synthetic sites over Hauts-de-France",
        "crs": CRS,
        "demand_mw": demand_mw,
        "layers": [
            {
                "role": "sites",
                "path": str(sites.resolve()),
                "layer": "sites",
                "id_field": "site_id",
                "name_field": "name",
                "source": "synthetic (benchmarks/bench_scoring.py)",
            },
            {
                "role": "substations",
                "path": str(substations.resolve()),
                "format": "rte-odre",
                "source": "RTE, ODRÉ postes-electriques-rte",
                "licence": "Licence Ouverte 2.0",
                "date": "2024",
            },
            {
                "role": "exchanges",
                "path": str(exchanges.resolve()),
                "x_field": "lon",
                "y_field": "lat",
                "crs": "EPSG:4326",
                "name_field": "name",
                "market_field": "market",
                "source": "../shared/FACTS.md",
            },
            {
                "role": "flood",
                "path": str(flood.resolve()),
                "scenario": "medium",
                "source": "synthetic depths (benchmarks/bench_scoring.py), not a flood map",
            },
        ],
        "criteria": {
            "power": {"weight": 40, "min_kv": min_kv},
            "flood": {"weight": 25},
            "connectivity": {"weight": 25, "route_factor": 1.4},
            "land": {"weight": 10},
        },
    }
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
