"""Benchmark: the app on a national screen's result (2,000 and 24,000 synthetic sites).

Synthetic site polygons (``synthetic.make_sites``) spread over a synthetic metropolitan
France (the concave hull of the real RTE postes), scored against the real RTE postes of
``../shared/data`` and the exchanges of ``../shared/FACTS.md`` (power, connectivity, land).
For each size it opens the project in the app offscreen (no web map) and times:

- **re-ranking**: a weight change (``WeightsPanel.set_weight``, as a slider does) through
  the new scores and ranks to the table's model updated and its visible rows painted;
  baseline in the same run: the core's ``score(..., sensitivity=False)`` alone, so the
  figure is also given as a ratio (what the app adds on top of the scoring);
- what a re-ranking adds with the web map on: making the page's ``setScoreArrays`` call
  and the selected site's ``siteDetail`` call (Python side; the page recolours itself
  asynchronously, in QtWebEngine's own process);
- **sorting** the table by a measure (``numpy.argsort`` in the model) and the number of
  cells the model formatted for one paint (a virtual table formats only what is shown);
- with ``--map``: the map page's payload (bytes) and its build time, and the time the
  web view takes to build and load it (QtWebEngine offscreen, until the page answers
  ``siteassess.count()``);
- with ``--real``: the same on the 2,111 real Cartofriches friches of Nord and
  Pas-de-Calais (with their commune outlines), the project of ``tests/conftest.py``.

Targets (issue 13 §5): re-ranking under 50 ms for 2,000 sites, under 0.5 s for 24,000.

    python benchmarks/bench_app_scale.py [--sites 2000 24000] [--repeats 7] [--map] [--real]
                                         [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import shapely  # noqa: E402
import synthetic  # noqa: E402
import tomli_w  # noqa: E402

SUBSTATIONS = "rte_postes_electriques_france_odre_2024.csv"
TARGET_MS = {2000: 50.0, 24000: 500.0}
WEIGHTS = ("land", (10, 60, 25, 90, 40, 5, 75))  # values a planner drags a slider through


def shared_data_dir() -> Path:
    """``../shared/data`` beside the repository, or ``$SITEASSESS_SHARED_DATA``."""
    env = os.environ.get("SITEASSESS_SHARED_DATA")
    return Path(env) if env else HERE.parents[1] / "shared" / "data"


def france(postes_csv: Path) -> Any:
    """A synthetic outline of metropolitan France (Lambert-93): the concave hull of the
    real RTE postes on the mainland."""
    import pandas as pd
    from pyproj import Transformer

    df = pd.read_csv(postes_csv, sep=";")
    lon, lat = df["Longitude poste (DD)"].to_numpy(), df["Latitude poste (DD)"].to_numpy()
    keep = np.isfinite(lon) & np.isfinite(lat) & (lon > -5.5) & (lon < 8.5) & (lat > 42.2)
    x, y = Transformer.from_crs(4326, 2154, always_xy=True).transform(lon[keep], lat[keep])
    return shapely.concave_hull(shapely.multipoints(np.column_stack([x, y])), ratio=0.05)


def write_data(folder: Path, shared: Path, n: int, seed: int) -> Path:
    """The sites GeoPackage and project of ``n`` synthetic sites; returns the project."""
    folder.mkdir(parents=True, exist_ok=True)
    project = folder / f"project-{n}.toml"
    sites_path = folder / f"sites-{n}.gpkg"
    if project.is_file() and sites_path.is_file():
        return project
    sites = synthetic.make_sites(france(shared / SUBSTATIONS), n, seed)
    sites_path.unlink(missing_ok=True)
    sites.to_file(sites_path, layer="sites", driver="GPKG")
    exchanges = folder / "exchanges.csv"
    synthetic.write_exchanges(exchanges)
    doc = {
        "schema": 1,
        "name": f"Benchmark: {n} synthetic sites over France",
        "crs": synthetic.CRS,
        "demand_mw": 700,
        "layers": [
            {"role": "sites", "path": str(sites_path), "layer": "sites", "id_field": "site_id"},
            {"role": "substations", "path": str(shared / SUBSTATIONS), "format": "rte-odre"},
            {
                "role": "exchanges",
                "path": str(exchanges),
                "x_field": "lon",
                "y_field": "lat",
                "crs": "EPSG:4326",
                "name_field": "name",
                "market_field": "market",
            },
        ],
        "criteria": {
            "power": {"weight": 40, "min_kv": 225},
            "connectivity": {"weight": 25},
            "land": {"weight": 10},
        },
    }
    project.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return project


def wait(app: Any, condition: Any, timeout: float = 300.0) -> None:
    """Run Qt's event loop until ``condition()`` holds."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.01)


def measure_app(project: Path, repeats: int, with_map: bool, state: Path) -> dict[str, Any]:
    """Open ``project`` in the app and time re-ranking, sorting and (optionally) the map."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from siteassess.assessment import score
    from siteassess.ui import dialogs
    from siteassess.ui.i18n_ui import set_language
    from siteassess.ui.main_window import MainWindow
    from siteassess.ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    # No modal question when the window closes with changed weights, no message box.
    dialogs.ask_save_changes = lambda *a: dialogs.DISCARD  # type: ignore[assignment]
    dialogs.show_error = lambda *a: print("error:", *a[1:], file=sys.stderr)  # type: ignore[assignment]
    set_language("en")
    w = MainWindow(Settings(state / "settings.ini"), map_enabled=False)
    w.resize(1500, 950)
    w.show()
    t0 = time.perf_counter()
    assert w.open_project(project, ask=False)
    wait(app, lambda: w.assessment is not None and not w.runner.busy("assess"))
    open_s = time.perf_counter() - t0
    wait(app, lambda: not w.runner.busy("sensitivity"))
    a = w.assessment
    assert a is not None
    n = len(a.site_ids)

    # Re-ranking: the slider's signal to the painted table (sensitivity left to the worker).
    name, values = WEIGHTS
    app_ms, detail_ms, core_ms = [], [], []
    w.weights_panel.set_weight(name, 11)  # warm-up
    for k in range(repeats):
        value = values[k % len(values)]
        t = time.perf_counter()
        w.weights_panel.set_weight(name, value)
        w.table.viewport().repaint()
        app_ms.append((time.perf_counter() - t) * 1000)
        while getattr(w, "detail_timer", None) is not None and w.detail_timer.isActive():
            app.processEvents()
        detail_ms.append((time.perf_counter() - t) * 1000)
        assert w.doc.project is not None
        t = time.perf_counter()
        score(w.assessment.measurements, w.doc.project, sensitivity=False)
        core_ms.append((time.perf_counter() - t) * 1000)
        w.sensitivity_timer.stop()  # as if the planner kept dragging
    ranks_ok = _ranks_match(w)
    # What a re-ranking adds with the web map shown: the new scores and the selected
    # site's detail as JavaScript calls (the window above runs without the web view).
    from siteassess.reports.webmap import site_detail_js
    from siteassess.ui.map_view import _set_scores_js

    map_ms = []
    for k in range(repeats):
        t = time.perf_counter()
        _set_scores_js(w.assessment)
        site_detail_js(w.assessment, w.assessment.site_ids[k], "en")
        map_ms.append((time.perf_counter() - t) * 1000)

    # Sorting by a measure, and the cells one paint formats.
    col = w.model.column_of("area_ha")
    sort_ms = []
    for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder) * 2:
        t = time.perf_counter()
        w.table.sortByColumn(col, order)
        w.table.viewport().repaint()
        sort_ms.append((time.perf_counter() - t) * 1000)
    w.model.cells = 0
    w.table.viewport().repaint()
    cells = w.model.cells
    out: dict[str, Any] = {
        "sites": n,
        "open_and_assess_s": round(open_s, 2),
        "rerank_ms": {"median": round(statistics.median(app_ms), 1), "all": _r(app_ms)},
        "rerank_and_detail_ms": {
            "median": round(statistics.median(detail_ms), 1),
            "all": _r(detail_ms),
        },
        "map_calls_per_rerank_ms": round(statistics.median(map_ms), 1),
        "baseline_core_score_ms": round(statistics.median(core_ms), 1),
        "ratio_app_to_core": round(statistics.median(app_ms) / statistics.median(core_ms), 2),
        "target_ms": TARGET_MS.get(n),
        "within_target": statistics.median(app_ms) < TARGET_MS.get(n, math_inf()),
        "ranks_match_core": ranks_ok,
        "sort_by_area_ms": {"median": round(statistics.median(sort_ms), 1), "all": _r(sort_ms)},
        "cells_formatted_per_paint": cells,
        "rows_x_columns": n * w.model.columnCount(),
    }
    if with_map:
        out["map"] = measure_map(a, state)
    w.shutdown()
    w.close()
    return out


def _ranks_match(w: Any) -> bool:
    """The table's rank order is the core's (scores sorted by hand, excluded last)."""
    a = w.assessment
    t = a.table
    ids = np.asarray(a.site_ids, dtype=object)
    kept = ~t.excluded
    expected = ids[kept][np.argsort(-t.scores[kept], kind="stable")]
    from PySide6.QtCore import Qt

    w.table.sortByColumn(w.model.column_of("rank"), Qt.SortOrder.AscendingOrder)
    shown = [w.model.site_at(r) for r in range(int(kept.sum()))]
    scores = dict(zip(a.site_ids, t.scores, strict=True))
    # Ties may come in any order: compare the scores row by row.
    return bool(np.allclose([scores[s] for s in shown], [scores[s] for s in expected]))


def measure_map(a: Any, state: Path) -> dict[str, Any]:
    """The page's payload, build time, and load time in the web view (offscreen)."""
    from PySide6.QtWidgets import QApplication

    from siteassess.reports.webmap import MapOptions, build_map_html
    from siteassess.ui.map_view import MapPanel
    from siteassess.ui.worker import TaskRunner

    t = time.perf_counter()
    page = build_map_html(a, MapOptions(lang="en"))
    build_s = time.perf_counter() - t
    app = QApplication.instance()
    runner = TaskRunner()
    panel = MapPanel(runner)
    panel.resize(1000, 700)
    panel.show()
    t = time.perf_counter()
    panel.show_assessment(a)
    wait(app, lambda: panel.loaded, 600)
    box: list[Any] = []
    panel.run_js("typeof siteassess !== 'undefined' ? siteassess.count() : -1", box.append)
    wait(app, lambda: bool(box), 120)
    load_s = time.perf_counter() - t
    panel.shutdown()
    return {
        "payload_mb": round(len(page.encode("utf-8")) / 1e6, 2),
        "build_s": round(build_s, 2),
        "build_and_load_in_view_s": round(load_s, 2),
        "sites_drawn": box[0],
    }


def math_inf() -> float:
    return float("inf")


def _r(xs: list[float]) -> list[float]:
    return [round(x, 1) for x in xs]


def main() -> int:
    """Run the benchmark; print a JSON summary (exit 1 with ``--check`` if a target is missed)."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sites", type=int, nargs="*", default=[2000, 24000])
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--map", action="store_true", help="also the map page's payload and load")
    p.add_argument("--out", type=Path, default=HERE / "output" / "app_scale")
    p.add_argument("--check", action="store_true")
    p.add_argument(
        "--real", action="store_true", help="also the 2,111 real friches of Nord and Pas-de-Calais"
    )
    args = p.parse_args()
    shared = shared_data_dir()
    if not (shared / SUBSTATIONS).is_file():
        print(f"bench_app_scale: {shared / SUBSTATIONS} is missing", file=sys.stderr)
        return 2
    if args.map:
        # As the UI tests do (never the app): QtWebEngine runs as root only unsandboxed.
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
        import PySide6.QtWebEngineWidgets  # noqa: F401 - before the QApplication
    results = []
    runs = [(str(n), write_data(args.out, shared, n, args.seed)) for n in args.sites]
    if args.real:
        from tests.conftest import real_inventory_project

        runs.append(("real", real_inventory_project(args.out, shared_data=shared)))
    for name, project in runs:
        results.append(measure_app(project, args.repeats, args.map, args.out / f"state-{name}"))
        results[-1]["data"] = "real Cartofriches 59-62" if name == "real" else "synthetic"
        print(json.dumps(results[-1]), flush=True)
    summary = {
        "results": results,
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": sys.version.split()[0],
    }
    (args.out / "bench_app_scale.json").write_text(json.dumps(summary, indent=2), "utf-8")
    print(json.dumps(summary, indent=2))
    missed = [r for r in results if r["within_target"] is False]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
