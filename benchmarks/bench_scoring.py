"""Benchmark of the scoring engine: siteassess against a naive per-site loop, same run.

Usage::

    .venv/bin/python benchmarks/bench_scoring.py [--sites 20000] [--out benchmarks/output]

Generates deterministic synthetic sites and a 25 m flood-depth raster over
Hauts-de-France, writes a project that uses the real RTE substations from
``../shared/data``, then times ``siteassess.assessment.assess`` end to end, a naive
per-site baseline on a random subset (extrapolated linearly), and re-scoring with new
weights. Prints a summary table and writes ``bench_scoring.json`` in the output folder.
See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import naive
import numpy as np
import pandas as pd
import synthetic

from siteassess.assessment import Assessment, Measurements, assess, score
from siteassess.project import load_project

HERE = Path(__file__).resolve().parent
SUBSTATIONS = "rte_postes_electriques_france_odre_2024.csv"
DEPARTEMENTS = "departements-hauts-de-france.geojson"
TARGET_SPEEDUP = 20.0
TARGET_ASSESS_S = 60.0
TARGET_RESCORE_MS = 50.0
MIN_KV = 225.0
# New weight sets the re-scoring cycles through, as a planner dragging sliders would.
WEIGHT_SETS = (
    {"power": 30, "flood": 30, "connectivity": 20, "land": 20},
    {"power": 50, "flood": 20, "connectivity": 20, "land": 10},
    {"power": 25, "flood": 25, "connectivity": 25, "land": 25},
)


def shared_data_dir() -> Path:
    """``../shared/data`` beside the repository, or ``$SITEASSESS_SHARED_DATA``."""
    env = os.environ.get("SITEASSESS_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


def check_shared_data(folder: Path) -> None:
    """Exit with status 2 and a clear message when the real data files are missing."""
    missing = [name for name in (SUBSTATIONS, DEPARTEMENTS) if not (folder / name).is_file()]
    if missing:
        print(
            f"bench_scoring: the real public data is missing from {folder}: "
            f"{', '.join(missing)}. Put ../shared/data beside the repository or set "
            "SITEASSESS_SHARED_DATA to the folder that holds these files.",
            file=sys.stderr,
        )
        sys.exit(2)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """Call ``fn`` and return its result and the wall-clock seconds it took."""
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


# --------------------------------------------------------------------------- data


def prepare_data(
    shared: Path, data: Path, n_sites: int, seed: int, regenerate: bool
) -> dict[str, Any]:
    """Write (or reuse, when made with the same parameters) the sites, raster and project."""
    data.mkdir(parents=True, exist_ok=True)
    manifest = data / "manifest.json"
    # Bump "format" when the generator changes, so old data is not reused.
    params = {
        "sites": n_sites,
        "seed": seed,
        "min_kv": MIN_KV,
        "substations": str(shared / SUBSTATIONS),
        "format": 1,
    }
    files = {
        "sites": data / "sites.gpkg",
        "flood": data / "flood_depth_25m.tif",
        "exchanges": data / "exchanges.csv",
        "project": data / "project.toml",
    }
    if not regenerate and manifest.is_file() and all(p.is_file() for p in files.values()):
        old = json.loads(manifest.read_text(encoding="utf-8"))
        if old.get("params") == params:
            print(f"reusing the benchmark data in {data} (--regenerate to rebuild it)")
            return dict(old["info"], reused=True, files={k: str(v) for k, v in files.items()})
    region, t_region = timed(lambda: synthetic.region_outline(shared / DEPARTEMENTS))
    sites, t_sites = timed(lambda: synthetic.make_sites(region, n_sites, seed))
    files["sites"].unlink(missing_ok=True)
    _, t_write = timed(lambda: sites.to_file(files["sites"], layer="sites", driver="GPKG"))
    raster, t_raster = timed(lambda: synthetic.make_flood_raster(files["flood"], region, seed + 1))
    synthetic.write_exchanges(files["exchanges"])
    synthetic.write_project(
        files["project"],
        sites=files["sites"],
        substations=shared / SUBSTATIONS,
        exchanges=files["exchanges"],
        flood=files["flood"],
        min_kv=MIN_KV,
    )
    info = {
        "generate_sites_s": t_region + t_sites + t_write,
        "generate_raster_s": t_raster,
        "raster": raster,
        "raster_mb": files["flood"].stat().st_size / 1e6,
    }
    manifest.write_text(json.dumps({"params": params, "info": info}, indent=2), "utf-8")
    return dict(info, reused=False, files={k: str(v) for k, v in files.items()})


# --------------------------------------------------------------------- siteassess


def run_assess(project_path: Path) -> tuple[Assessment, float, dict[str, float]]:
    """``assess`` once, end to end; its seconds and the seconds of each step it reports."""
    marks: list[tuple[float, str]] = []

    def progress(frac: float, msg: str) -> None:
        marks.append((time.perf_counter(), msg))

    t0 = time.perf_counter()
    result = assess(load_project(project_path), progress=progress)
    t1 = time.perf_counter()
    steps: dict[str, float] = {}
    ends = [t for t, _ in marks[1:]] + [t1]
    for (start, msg), end in zip(marks, ends, strict=True):
        name = "scoring + sensitivity" if msg == "measured" else msg
        steps[name] = steps.get(name, 0.0) + end - start
    return result, t1 - t0, steps


def rescore(measurements: Measurements, n: int, repeats: int) -> dict[str, Any]:
    """Median milliseconds of ``score`` with new weights on the first ``n`` sites.

    The measurements are sliced to those sites (measured once, in the full run); each
    repetition scores them with the next weight set of ``WEIGHT_SETS``.
    """
    ids = measurements.sites.index[:n]
    keep = set(map(str, ids))
    sub = replace(
        measurements,
        sites=measurements.sites.loc[ids],
        measures=measurements.measures.loc[ids],
        exclusions={
            c: {s: r for s, r in per.items() if s in keep}
            for c, per in measurements.exclusions.items()
        },
    )
    projects = [measurements.project.with_weights(w) for w in WEIGHT_SETS]
    score(sub, projects[0], sensitivity=False)  # warm-up: first-call imports and caches

    def median_ms(m: Measurements, sensitivity: bool, times: int) -> float:
        out = []
        for i in range(times):
            project = projects[i % len(projects)]
            t0 = time.perf_counter()
            score(m, project, sensitivity=sensitivity)
            out.append((time.perf_counter() - t0) * 1000)
        return statistics.median(out)

    few = max(5, repeats // 5)
    return {
        "sites": len(ids),
        "repeats": repeats,
        "median_ms": median_ms(sub, False, repeats),
        "median_ms_with_sensitivity": median_ms(sub, True, few),
        "all_sites": len(measurements.sites),
        "median_ms_all_sites": median_ms(measurements, False, few),
    }


# -------------------------------------------------------------------------- naive


def compare(ours: pd.DataFrame, theirs: pd.DataFrame) -> dict[str, Any]:
    """Largest differences between siteassess's measures and the naive ones, per measure."""
    out: dict[str, Any] = {}
    for col in theirs.columns:
        a = ours.loc[theirs.index, col].to_numpy(dtype=float)
        b = theirs[col].to_numpy(dtype=float)
        both = ~np.isnan(a) & ~np.isnan(b)
        diff = np.abs(a[both] - b[both])
        out[col] = {
            "max_abs_diff": float(diff.max()) if diff.size else None,
            "nan_mismatches": int((np.isnan(a) != np.isnan(b)).sum()),
        }
    return out


def run_naive(
    files: dict[str, str],
    shared: Path,
    measures: pd.DataFrame,
    n_total: int,
    n_subset: int,
    seed: int,
) -> dict[str, Any]:
    """Time the naive loop on a random subset, extrapolate, and check it agrees."""
    inputs, t_setup = timed(
        lambda: naive.load_inputs(
            Path(files["sites"]),
            shared / SUBSTATIONS,
            Path(files["exchanges"]),
            Path(files["flood"]),
            MIN_KV,
        )
    )
    rng = np.random.default_rng(seed)
    n_subset = min(n_subset, len(inputs.sites))
    subset = sorted(rng.choice(inputs.sites.index.to_numpy(), size=n_subset, replace=False))
    table, t_loop = naive.measure_naive(inputs, [str(s) for s in subset])
    per_site = t_loop / n_subset
    return {
        "subset_sites": n_subset,
        "subset_mix": flood_mix(measures.loc[table.index]),
        "setup_s": t_setup,
        "loop_s": t_loop,
        "per_site_ms": per_site * 1000,
        "extrapolated_s": t_setup + per_site * n_total,
        "extrapolation": f"setup + loop time per site × {n_total} sites (linear)",
        "agreement": compare(measures, table),
    }


# ------------------------------------------------------------------------ summary


def flood_mix(measures: pd.DataFrame) -> dict[str, int]:
    """How many sites are dry, partly or wholly flooded, partly or wholly outside data."""
    share = measures["flood_share_medium_pct"].to_numpy(dtype=float)
    cover = measures["flood_coverage_medium_pct"].to_numpy(dtype=float)
    return {
        "dry": int((share == 0).sum()),
        "partly_flooded": int(((share > 0) & (share < 100)).sum()),
        "wholly_flooded": int((share == 100).sum()),
        "partly_outside_data": int(((cover > 0) & (cover < 100)).sum()),
        "wholly_outside_data": int((cover == 0).sum()),
    }


def cores() -> int:
    """CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def versions() -> dict[str, str]:
    """Versions of Python, siteassess and the geospatial stack."""
    import geopandas
    import pandas
    import pyogrio
    import pyproj
    import rasterio
    import shapely

    import siteassess

    return {
        "python": platform.python_version(),
        "siteassess": siteassess.__version__,
        "numpy": np.__version__,
        "pandas": pandas.__version__,
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "geopandas": geopandas.__version__,
        "pyogrio": pyogrio.__version__,
        "pyproj": pyproj.__version__,
        "rasterio": rasterio.__version__,
        "gdal": rasterio.__gdal_version__,
        "platform": platform.platform(),
    }


def print_summary(res: dict[str, Any]) -> None:
    """The summary table on stdout."""
    nv, rs = res["naive"], res["rescore"]
    ok = {True: "PASS", False: "MISS"}
    data = res["data"]
    made = "reused" if data["reused"] else "generated"
    rows = [
        ("sites", f"{res['sites']:,}", ""),
        (
            f"data ({made})",
            f"sites {data['generate_sites_s']:.1f} s, raster {data['generate_raster_s']:.1f} s "
            f"({data['raster']['width']}×{data['raster']['height']} px, "
            f"{data['raster_mb']:.1f} MB)",
            "",
        ),
        ("assess() end to end", f"{res['assess_s']:.2f} s", ok[res["assess_under_60s"]]),
        (
            "naive, measured",
            f"{nv['loop_s']:.1f} s on {nv['subset_sites']:,} sites "
            f"({nv['per_site_ms']:.2f} ms/site) + {nv['setup_s']:.2f} s set-up",
            "",
        ),
        ("naive, extrapolated", f"{nv['extrapolated_s']:.0f} s for {res['sites']:,}", ""),
        (
            "speed-up",
            f"{res['speedup']:.1f}×  (target ≥ {TARGET_SPEEDUP:g}×)",
            ok[res["speedup_ok"]],
        ),
        (
            f"re-score {rs['sites']:,} sites",
            f"{rs['median_ms']:.1f} ms median of {rs['repeats']} (target < "
            f"{TARGET_RESCORE_MS:g} ms)",
            ok[res["rescore_ok"]],
        ),
        ("  with sensitivity", f"{rs['median_ms_with_sensitivity']:.1f} ms", ""),
        (
            f"re-score all {rs['all_sites']:,} sites",
            f"{rs['median_ms_all_sites']:.1f} ms (no sensitivity)",
            "",
        ),
        ("cores", f"{res['cores']} (load average at start {res['load_average'][0]:.2f})", ""),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    for name, value, flag in rows:
        print(f"{name:<{width}}  {value}  {flag}".rstrip())
    steps = res["assess_steps_s"]
    print("\nassess() steps (s):")
    for name, s in steps.items():
        print(f"  {name:<{max(map(len, steps))}}  {s:6.2f}")
    print(f"\nflood on all sites: {res['flood_mix']}")
    print(f"flood on the naive subset: {nv['subset_mix']}")
    print("\nagreement with the naive loop on its subset (max |difference|):")
    for col, d in nv["agreement"].items():
        diff = "n/a" if d["max_abs_diff"] is None else f"{d['max_abs_diff']:.3g}"
        print(f"  {col:<32} {diff:>10}   NaN mismatches: {d['nan_mismatches']}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sites", type=int, default=20_000, help="number of synthetic sites")
    ap.add_argument("--out", type=Path, default=HERE / "output", help="output folder")
    ap.add_argument("--seed", type=int, default=0, help="seed of the synthetic data")
    ap.add_argument("--naive-sites", type=int, default=1_000, help="naive subset size")
    ap.add_argument("--rescore-sites", type=int, default=2_000, help="sites re-scored")
    ap.add_argument("--repeats", type=int, default=50, help="re-scoring repetitions")
    ap.add_argument("--regenerate", action="store_true", help="rebuild the data")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)
    if args.sites < 2:
        ap.error("--sites must be at least 2")

    shared = shared_data_dir()
    check_shared_data(shared)
    load = os.getloadavg()
    out: Path = args.out.resolve()
    data = prepare_data(shared, out / "data", args.sites, args.seed, args.regenerate)
    files = data.pop("files")
    print(f"data: {files['sites']}, {files['flood']}")

    print("timing assess() …", flush=True)
    result, t_assess, steps = run_assess(Path(files["project"]))
    measures = result.measurements.measures
    print(f"timing the naive loop on {args.naive_sites:,} sites …", flush=True)
    nv = run_naive(files, shared, measures, args.sites, args.naive_sites, args.seed + 7)
    print(f"timing re-scoring of {args.rescore_sites:,} sites …", flush=True)
    rs = rescore(result.measurements, args.rescore_sites, args.repeats)

    speedup = nv["extrapolated_s"] / t_assess
    res: dict[str, Any] = {
        "sites": args.sites,
        "seed": args.seed,
        "data": data,
        "assess_s": t_assess,
        "assess_steps_s": steps,
        "assess_under_60s": t_assess < TARGET_ASSESS_S,
        "naive": nv,
        "speedup": speedup,
        "speedup_ok": speedup >= TARGET_SPEEDUP,
        "rescore": rs,
        "rescore_ok": rs["median_ms"] < TARGET_RESCORE_MS,
        "sites_excluded": len(result.exclusions),
        "flood_mix": flood_mix(measures),
        "cores": cores(),
        "load_average": list(load),
        "versions": versions(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    print_summary(res)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_scoring.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(f"\nwritten: {out / 'bench_scoring.json'}")
    missed = not (res["assess_under_60s"] and res["speedup_ok"] and res["rescore_ok"])
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
