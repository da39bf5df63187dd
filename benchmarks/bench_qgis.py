"""Per-site cost of ``siteassess score`` against QGIS's ``qgis_process``, in one run.

Usage::

    .venv/bin/python benchmarks/bench_qgis.py [--sizes 1000 8000 32000] [--repeat 2]

On the same synthetic sites (the first N of one 32,000-site draw of ``synthetic.py``), the
same 25 m flood raster and the same nearest-target set (RTE's in-service substations of
at least 225 kV, the set siteassess scores), it times, each in a new process:

- QGIS: ``native:zonalstatisticsfb`` (count, mean, max) on the sites, then
  ``native:joinbynearest`` of that output with the substations (two ``qgis_process.bin``
  runs, as a planner chains them);
- siteassess: ``siteassess score project.toml --output ranking.gpkg`` (every file read,
  the four criteria, scoring, the 1,000-draw sensitivity, the ranking written).

It fits a line (least squares) to time against sites for each tool: the slope is the
marginal cost per site; it also reports the whole process at 8,000 sites, both as ratios
siteassess / QGIS. Then it checks that the tools agree on a sample of sites: QGIS's count
and max against siteassess's covered pixels and maximum depth, QGIS's mean against a
``rasterio.mask`` reference (pixel centres, ``all_touched=False``), and the nearest distance.
Needs ``qgis_process.bin`` (Debian package ``qgis``) and the real data of ``../shared/data``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import bench_scoring
import geopandas as gpd
import naive
import numpy as np
import synthetic

HERE = Path(__file__).resolve().parent
QGIS = "qgis_process.bin"


def qgis_env() -> dict[str, str]:
    """The environment for a headless ``qgis_process`` run."""
    return dict(os.environ, QT_QPA_PLATFORM="offscreen")


def write_inputs(data: Path, sizes: list[int], shared: Path) -> dict[int, dict[str, Path]]:
    """Sites of each size, the substations for QGIS and one siteassess project per size."""
    base = bench_scoring.prepare_data(shared, data, max(sizes), 0, regenerate=False)
    files = {k: Path(v) for k, v in base["files"].items()}
    sites = gpd.read_file(files["sites"], layer="sites")
    targets = data / "substations_225kv.gpkg"
    if not targets.is_file():
        # The set siteassess scores (in service, >= 225 kV): the naive reading of RTE's file.
        inputs = naive.load_inputs(
            files["sites"],
            shared / bench_scoring.SUBSTATIONS,
            files["exchanges"],
            files["flood"],
            bench_scoring.MIN_KV,
        )
        gpd.GeoDataFrame(
            {"poste": np.arange(len(inputs.eligible))}, geometry=inputs.eligible.values
        ).to_file(targets, layer="substations", driver="GPKG")
    out: dict[int, dict[str, Path]] = {}
    for n in sizes:
        folder = data / f"n{n}"
        folder.mkdir(exist_ok=True)
        path = folder / "sites.gpkg"
        if not path.is_file():
            sites.iloc[:n].to_file(path, layer="sites", driver="GPKG")
        project = folder / "project.toml"
        synthetic.write_project(
            project,
            sites=path,
            substations=shared / bench_scoring.SUBSTATIONS,
            exchanges=files["exchanges"],
            flood=files["flood"],
            min_kv=bench_scoring.MIN_KV,
        )
        out[n] = {"sites": path, "project": project, "flood": files["flood"], "targets": targets}
    return out


def run_qgis(f: dict[str, Path], work: Path) -> float:
    """Seconds of zonal statistics then join by nearest, two ``qgis_process`` runs."""
    zonal, joined = work / "qgis_zonal.gpkg", work / "qgis_nearest.gpkg"
    for p in (zonal, joined):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    for args in (
        [
            "native:zonalstatisticsfb",
            f"--INPUT={f['sites']}",
            f"--INPUT_RASTER={f['flood']}",
            "--RASTER_BAND=1",
            "--COLUMN_PREFIX=z_",
            "--STATISTICS=0,2,6",  # count, mean, max
            f"--OUTPUT={zonal}",
        ],
        [
            "native:joinbynearest",
            f"--INPUT={zonal}",
            f"--INPUT_2={f['targets']}",
            "--FIELDS_TO_COPY=poste",
            "--DISCARD_NONMATCHING=0",
            "--PREFIX=n_",
            "--NEIGHBORS=1",
            f"--OUTPUT={joined}",
        ],
    ):
        subprocess.run(
            [QGIS, "run", *args], check=True, capture_output=True, env=qgis_env(), timeout=900
        )
    return time.perf_counter() - t0


def run_siteassess(f: dict[str, Path], work: Path) -> float:
    """Seconds of ``siteassess score PROJECT --output ranking.gpkg`` in a new process."""
    out = work / "ranking.gpkg"
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "siteassess", "score", str(f["project"]), "--output", str(out)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return time.perf_counter() - t0


def slope(ns: list[int], ts: list[float]) -> float:
    """Least-squares slope of time against sites (seconds per site)."""
    return float(np.polyfit(np.asarray(ns, float), np.asarray(ts, float), 1)[0])


def agreement(f: dict[str, Path], work: Path, sample: int) -> dict[str, Any]:
    """Largest differences between QGIS and siteassess on ``sample`` sites of the last run."""
    import rasterio
    from rasterio.features import geometry_mask
    from rasterio.mask import mask

    q = gpd.read_file(work / "qgis_nearest.gpkg").drop_duplicates("site_id").set_index("site_id")
    s = gpd.read_file(work / "ranking.gpkg").set_index("site_id")
    rng = np.random.default_rng(11)
    ids = sorted(rng.choice(q.index.to_numpy(), size=min(sample, len(q)), replace=False))
    geoms = gpd.read_file(f["sites"], layer="sites").set_index("site_id").geometry
    counts, means, inside = [], [], []
    with rasterio.open(f["flood"]) as ds:
        for sid in ids:
            g = geoms.loc[sid]
            band, wt = mask(ds, [g], crop=True, all_touched=False, filled=False)
            band = band[0]
            counts.append(float(band.count()))
            means.append(float(band.mean()) if band.count() else np.nan)
            inside.append(float(geometry_mask([g], band.shape, wt, invert=True).sum()))
    ref_count, ref_mean = np.asarray(counts), np.asarray(means)
    ref_cover = 100.0 * ref_count / np.asarray(inside)

    def diff(a: np.ndarray, b: np.ndarray) -> dict[str, Any]:
        both = ~np.isnan(a) & ~np.isnan(b)
        d = np.abs(a[both] - b[both])
        return {
            "max_abs_diff": float(d.max()) if d.size else None,
            "compared": int(both.sum()),
            "nan_mismatches": int((np.isnan(a) != np.isnan(b)).sum()),
        }

    dist = "n_distance" if "n_distance" in q.columns else "distance"
    return {
        "sites": len(ids),
        "qgis_count_vs_rasterio_mask": diff(q.loc[ids, "z_count"].to_numpy(float), ref_count),
        "qgis_mean_vs_rasterio_mask": diff(q.loc[ids, "z_mean"].to_numpy(float), ref_mean),
        "qgis_max_vs_siteassess_max_depth": diff(
            q.loc[ids, "z_max"].to_numpy(float),
            s.loc[ids, "flood_max_depth_medium_m"].to_numpy(float),
        ),
        "siteassess_coverage_vs_rasterio_mask": diff(
            s.loc[ids, "flood_coverage_medium_pct"].to_numpy(float), ref_cover
        ),
        "qgis_nearest_vs_siteassess_distance": diff(
            q.loc[ids, dist].to_numpy(float), s.loc[ids, "substation_distance_m"].to_numpy(float)
        ),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 8000, 32000])
    ap.add_argument("--repeat", type=int, default=2, help="runs per tool and size (median)")
    ap.add_argument("--sample", type=int, default=300, help="sites checked for agreement")
    ap.add_argument("--out", type=Path, default=HERE / "output", help="output folder")
    args = ap.parse_args(argv)
    if shutil.which(QGIS) is None:
        print(f"bench_qgis: {QGIS} not found: apt-get install -y qgis", file=sys.stderr)
        return 2
    shared = bench_scoring.shared_data_dir()
    bench_scoring.check_shared_data(shared)
    out: Path = args.out.resolve()
    data = out / "data_qgis"
    data.mkdir(parents=True, exist_ok=True)
    inputs = write_inputs(data, sorted(args.sizes), shared)
    load = os.getloadavg()
    times: dict[str, dict[int, float]] = {"qgis": {}, "siteassess": {}}
    for n in sorted(args.sizes):
        work = data / f"n{n}"
        runs: dict[str, list[float]] = {"qgis": [], "siteassess": []}
        for _ in range(args.repeat):  # interleaved, so load from others hits both alike
            runs["qgis"].append(run_qgis(inputs[n], work))
            runs["siteassess"].append(run_siteassess(inputs[n], work))
        for tool, ts in runs.items():
            times[tool][n] = statistics.median(ts)
        print(
            f"{n:>6} sites: QGIS {times['qgis'][n]:.2f} s, siteassess "
            f"{times['siteassess'][n]:.2f} s",
            flush=True,
        )
    ns = sorted(args.sizes)
    per_site = {t: slope(ns, [times[t][n] for n in ns]) for t in times}
    at = 8000 if 8000 in ns else ns[len(ns) // 2]
    res: dict[str, Any] = {
        "sizes": ns,
        "repeat": args.repeat,
        "seconds": {t: {str(n): v for n, v in d.items()} for t, d in times.items()},
        "marginal_ms_per_site": {t: v * 1000 for t, v in per_site.items()},
        "marginal_ratio_siteassess_over_qgis": per_site["siteassess"] / per_site["qgis"],
        "whole_at": at,
        "whole_ratio_siteassess_over_qgis": times["siteassess"][at] / times["qgis"][at],
        "agreement": agreement(inputs[max(ns)], data / f"n{max(ns)}", args.sample),
        "load_average": list(load),
        "cores": bench_scoring.cores(),
    }
    print(json.dumps(res, indent=2))
    (out / "bench_qgis.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
