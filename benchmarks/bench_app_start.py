"""Benchmark: from starting the app to a filled ranking table, on the real inventory.

Opens the 2,111 Cartofriches friches of Nord and Pas-de-Calais against RTE's 5,079 postes
(``../shared/data``) in the app, offscreen, and reads the time the app reports when its
table is filled (``SITEASSESS_EXIT_WHEN_READY=1``: measured from the start of the Python
process, imports included). The baseline in the same run is ``siteassess score`` of the
same project to a JSON file, start to finish, so the figures compare as a ratio on a noisy
machine. Target: a filled table in under 3 s.

    python benchmarks/bench_app_start.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_S = 3.0
READY = re.compile(r"ready: (\d+) sites in the table after ([\d.]+) s")


def app_to_table(project: Path, state: Path) -> tuple[int, float, float]:
    """(rows, seconds the app reports to a filled table, wall seconds of the process)."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SITEASSESS_EXIT_WHEN_READY": "1",
        "SITEASSESS_STATE_DIR": str(state),
    }
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "siteassess", "gui", str(project)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    wall = time.perf_counter() - t0
    m = READY.search(out.stdout)
    if out.returncode != 0 or m is None:
        raise SystemExit(f"the app did not fill its table:\n{out.stdout}\n{out.stderr[-2000:]}")
    return int(m.group(1)), float(m.group(2)), wall


def cli_score(project: Path, out: Path) -> float:
    """Wall seconds of ``siteassess score PROJECT --output out.json``."""
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "siteassess", "score", str(project), "--output", str(out)],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return time.perf_counter() - t0


def main() -> int:
    """Run the benchmark; print a JSON summary."""
    from tests.conftest import SHARED_DATA
    from tests.ui.test_ui_real_inventory import real_inventory_project

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    if not (SHARED_DATA / "cartofriches_59_62.geojson").is_file():
        print(f"skipped: the real data is not in {SHARED_DATA}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = real_inventory_project(SHARED_DATA, folder)
        app_s, wall_s, cli_s = [], [], []
        rows = 0
        for k in range(args.repeat):
            rows, reported, wall = app_to_table(project, folder / f"state{k}")
            app_s.append(reported)
            wall_s.append(wall)
            cli_s.append(cli_score(project, folder / "ranking.json"))
    app_med, cli_med = statistics.median(app_s), statistics.median(cli_s)
    summary = {
        "project": "2,111 Cartofriches friches (59, 62), 5,079 RTE postes, communes 59 + 62",
        "rows": rows,
        "app_start_to_filled_table_s": {"median": round(app_med, 2), "all": app_s},
        "app_process_wall_s": round(statistics.median(wall_s), 2),
        "baseline_cli_score_to_json_s": round(cli_med, 2),
        "ratio_app_to_cli": round(app_med / cli_med, 2),
        "target_s": TARGET_S,
        "within_target": app_med < TARGET_S,
    }
    print(json.dumps(summary, indent=2))
    return 0 if app_med < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
