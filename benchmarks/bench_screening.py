"""Benchmark: screen the 2,111 real Cartofriches friches of Nord and Pas-de-Calais.

Times ``siteassess screen`` start to finish, as a planner runs it (a new Python process:
imports, reading the files, outlines, every criterion, scoring, 1,000-draw sensitivity,
writing the ranked GeoPackage), against RTE's 5,079 real substations and the exchanges.
Target: under 10 s on two cores. Also times the in-process call, to separate start-up.

    python benchmarks/bench_screening.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITEASSESS_SHARED_DATA", ROOT.parent / "shared" / "data"))
TARGET_S = 10.0


def write_project(folder: Path) -> Path:
    """A screening project over the real national files (absolute paths)."""
    exchanges = ROOT / "sample_sites" / "hauts-de-france" / "exchanges.csv"
    text = f"""schema = 1
name = "Cartofriches Nord and Pas-de-Calais, screening benchmark"
demand_mw = 700

[[layers]]
role = "sites"
path = "{(SHARED / "cartofriches_59_62.geojson").as_posix()}"

[[layers]]
role = "substations"
path = "{(SHARED / "rte_postes_electriques_france_odre_2024.csv").as_posix()}"

[[layers]]
role = "exchanges"
path = "{exchanges.as_posix()}"
crs = "EPSG:4326"

[criteria.power]
weight = 40
min_kv = 225
[criteria.connectivity]
weight = 25
[criteria.land]
weight = 10
"""
    path = folder / "project.toml"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    """Run the benchmark and print (and save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "output")
    args = parser.parse_args()
    if not (SHARED / "cartofriches_59_62.geojson").is_file():
        print(f"real data not found in {SHARED} (set SITEASSESS_SHARED_DATA)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(Path(tmp))
        ranked = Path(tmp) / "ranked.gpkg"
        cmd = [sys.executable, "-m", "siteassess", "screen", str(project), "--output", str(ranked)]
        wall = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            wall.append(time.perf_counter() - t0)
        from siteassess.project import load_project
        from siteassess.screening import screen

        inproc = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = screen(load_project(project))
            inproc.append(time.perf_counter() - t0)
        n = len(result.assessment.site_ids)
    figures = {
        "sites": n,
        "substations_in_file": 5079,
        "cli_start_to_finish_s": round(statistics.median(wall), 2),
        "in_process_screen_s": round(statistics.median(inproc), 2),
        "ms_per_site_cli": round(1000 * statistics.median(wall) / n, 3),
        "target_s": TARGET_S,
        "meets_target": statistics.median(wall) < TARGET_S,
        "cores": os.cpu_count(),
        "repeat": args.repeat,
    }
    (args.out / "bench_screening.json").write_text(json.dumps(figures, indent=2), "utf-8")
    for k, v in figures.items():
        print(f"{k:>24}: {v}")
    return 0 if figures["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
