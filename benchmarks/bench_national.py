"""Benchmark: a national screen with partitioned parcels (issue 13 §1–§3), peak memory and time.

A synthetic France (Lambert-93): 24,000 Cartofriches-style friches whose ``l_idpar`` name
1 to 4 Etalab-style parcels each, 2 M parcels cut into 20 (and 40) département GeoPackages
(a strip of the country each; the parcels no friche names fill the strips), the real RTE
substations file and a 25 m flood-depth raster over several départements. Generated once
under ``benchmarks/output/national/`` (git-ignored).

Each screen runs in its own process (peak RSS from ``wait4``): the parcels as one file
(the in-memory path, the baseline) and partitioned at 20 and 40 files, on dask's threads
and on its process scheduler.

    python benchmarks/bench_national.py [--parcels 2000000] [--sites 24000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
SHARED = Path(os.environ.get("SITEASSESS_SHARED_DATA", ROOT.parent / "shared" / "data"))
RTE = SHARED / "rte_postes_electriques_france_odre_2024.csv"
OUT = ROOT / "benchmarks" / "output" / "national"
X0, X1, Y0, Y1 = 150_000.0, 1_150_000.0, 6_150_000.0, 7_050_000.0  # mainland France, roughly


def _parcel_ids(dep: int, n: int, start: int) -> np.ndarray:
    k = np.arange(start, start + n)
    return np.char.add(
        np.char.add(f"{dep + 1:02d}", np.char.zfill((k // 10_000 % 1000).astype(str), 3)),
        np.char.add("000AB", np.char.zfill((k % 10_000).astype(str), 4)),
    )


def generate(n_parcels: int, n_sites: int, seed: int = 13) -> dict[str, float]:
    """Write sites, parcels (one file, 20 and 40 partitions) and the flood raster."""
    from synthetic import make_flood_raster

    rng = np.random.default_rng(seed)
    OUT.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    deps = 40  # fine strips; 20 partitions are pairs of them
    width = (X1 - X0) / deps
    per_site = rng.integers(1, 5, n_sites)
    site_dep = rng.integers(0, deps, n_sites)
    sx = X0 + width * site_dep + rng.uniform(500, width - 1500, n_sites)
    sy = rng.uniform(Y0 + 500, Y1 - 1500, n_sites)
    frames = []
    lidpar: list[list[str]] = [[] for _ in range(n_sites)]
    filler_total = n_parcels - int(per_site.sum())
    for d in range(deps):
        mine = np.flatnonzero(site_dep == d)
        named = int(per_site[mine].sum())
        ids = _parcel_ids(d, named + filler_total // deps, 0)
        boxes, pos = [], 0
        for s in mine:
            for k in range(per_site[s]):
                boxes.append((sx[s] + 100 * k, sy[s], sx[s] + 100 * (k + 1), sy[s] + 100))
                lidpar[s].append(str(ids[pos]))
                pos += 1
        fx = X0 + width * d + rng.uniform(0, width - 60, len(ids) - named)
        fy = rng.uniform(Y0, Y1 - 60, len(ids) - named)
        b = np.vstack([np.array(boxes).reshape(-1, 4), np.c_[fx, fy, fx + 50, fy + 50]])
        frames.append(
            gpd.GeoDataFrame(
                {
                    "id": ids,
                    "commune": [i[:5] for i in ids],
                    "prefixe": "000",
                    "section": "AB",
                    "numero": [i[10:] for i in ids],
                    "contenance": 2500,
                },
                geometry=shapely.box(b[:, 0], b[:, 1], b[:, 2], b[:, 3]),
                crs="EPSG:2154",
            )
        )
    for n in (20, 40):
        folder = OUT / f"parcels-{n}"
        folder.mkdir(exist_ok=True)
        step = deps // n
        for i in range(n):
            part = gpd.pd.concat(frames[i * step : (i + 1) * step], ignore_index=True)
            part.to_file(folder / f"parcelles-{i + 1:02d}.gpkg", driver="GPKG", engine="pyogrio")
    whole = gpd.GeoDataFrame(gpd.pd.concat(frames, ignore_index=True), crs="EPSG:2154")
    whole.to_file(OUT / "parcelles-france.gpkg", driver="GPKG", engine="pyogrio")
    pts = gpd.GeoSeries(shapely.points(sx + 50, sy + 50), crs="EPSG:2154").to_crs(4326)
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.x, p.y]},
            "properties": {
                "site_id": f"F{i:05d}",
                "site_nom": f"Friche {i}",
                "site_statut": "friche sans projet",
                "comm_nom": "COMMUNE",
                "comm_insee": lidpar[i][0][:5],
                "site_surface": 10_000.0 * per_site[i],
                "unite_fonciere_surface": 10_000.0 * per_site[i],
                "l_idpar": lidpar[i],
            },
        }
        for i, p in enumerate(pts)
    ]
    (OUT / "friches.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8"
    )
    # 25 m flood depths over several départements of the north (200 × 150 km).
    make_flood_raster(OUT / "flood.tif", shapely.box(600_000, 6_900_000, 800_000, 7_050_000), seed)
    return {"generate_s": round(time.perf_counter() - t0, 1)}


def write_project(parcels: str, name: str) -> Path:
    text = f"""schema = 1
name = "national benchmark"
demand_mw = 700

[[layers]]
role = "sites"
path = "friches.geojson"
format = "cartofriches"

[[layers]]
role = "substations"
path = "{RTE.as_posix()}"
format = "rte-odre"

[[layers]]
role = "parcels"
path = "{parcels}"
format = "etalab-cadastre"

[[layers]]
role = "flood"
path = "flood.tif"
scenario = "medium"

[criteria.power]
weight = 40
min_kv = 225
[criteria.flood]
weight = 25
[criteria.land]
weight = 10
"""
    path = OUT / f"{name}.toml"
    path.write_text(text, "utf-8")
    return path


CHILD = """
import sys, time
import siteassess.compute as c
c.LOCAL_SCHEDULER = sys.argv[2]
from siteassess.project import load_project
from siteassess.screening import screen
t0 = time.perf_counter()
r = screen(load_project(sys.argv[1]), sensitivity=False)
print(time.perf_counter() - t0, len(r.assessment.site_ids))
r.assessment.ranked().to_parquet(sys.argv[3])
"""


def run(project: Path, engine: str) -> dict[str, float]:
    """One screen in a new process: wall time and peak RSS (MB)."""
    table = OUT / f"{project.stem}-{engine}.parquet"
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project), engine, str(table)], stdout=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    assert proc.stdout is not None
    out = proc.stdout.read().decode().split()
    if status != 0:
        raise SystemExit(f"{project} ({engine}) failed")
    return {
        "wall_s": round(wall, 1),
        "screen_s": round(float(out[0]), 1),
        "sites": int(out[1]),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
    }


def main() -> int:
    """Generate (once) and run the screens; print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=2_000_000)
    parser.add_argument("--sites", type=int, default=24_000)
    args = parser.parse_args()
    figures: dict[str, object] = {"parcels": args.parcels, "sites": args.sites}
    if not (OUT / "parcelles-france.gpkg").is_file():
        figures.update(generate(args.parcels, args.sites))
    runs = {
        "in_memory": (write_project("parcelles-france.gpkg", "whole"), "threads"),
        "partitioned_20_threads": (write_project("parcels-20", "p20"), "threads"),
        "partitioned_40_threads": (write_project("parcels-40", "p40"), "threads"),
        "partitioned_20_processes": (write_project("parcels-20", "p20"), "processes"),
    }
    tables = {}
    for name, (project, engine) in runs.items():
        figures[name] = run(project, engine)
        tables[name] = gpd.pd.read_parquet(OUT / f"{project.stem}-{engine}.parquet")
        print(name, figures[name], flush=True)
    base = tables["in_memory"]
    figures["identical_to_in_memory"] = {
        k: bool(t.equals(base)) for k, t in tables.items() if k != "in_memory"
    }
    (OUT / "bench_national.json").write_text(json.dumps(figures, indent=2), "utf-8")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
