"""Benchmark: a PDF site report and a five-site comparison of the bundled sample project.

Times, for each report, the in-process work a planner waits for in the app (measure the
layers, score, draw the maps and charts, lay out and write the PDF; imports already done)
and ``siteassess report`` / ``siteassess compare`` start to finish in a new process (with
Python's start-up and the imports of geopandas, matplotlib and reportlab).
Targets: a site report under 3 s, a five-site comparison under 6 s (measure and report).

    python benchmarks/bench_reports.py [--repeat 3]
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
SAMPLE = ROOT / "sample_sites" / "hauts-de-france" / "project.toml"
SITE = "escaudain-soufflantes"
TARGETS_S = {"site_report": 3.0, "comparison_5_sites": 6.0}


def in_process(kind: str, out: Path) -> float:
    """Seconds to measure, score and write one report (imports already done)."""
    from siteassess.assessment import measure, score
    from siteassess.project import load_project
    from siteassess.reports.pdf import write_compare_report, write_site_report

    t0 = time.perf_counter()
    a = score(measure(load_project(SAMPLE)))
    if kind == "site_report":
        write_site_report(a, SITE, out, lang="fr")
    else:
        write_compare_report(a, None, out, lang="fr")
    return time.perf_counter() - t0


def cli(kind: str, out: Path) -> float:
    """Seconds for the command in a new process, start to finish."""
    args = ["--site", SITE] if kind == "site_report" else []
    command = "report" if kind == "site_report" else "compare"
    cmd = [sys.executable, "-m", "siteassess", command, str(SAMPLE), *args, "--output", str(out)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> int:
    """Run the benchmark and print (and save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "output")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"cores": os.cpu_count(), "repeat": args.repeat}
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for kind, target in TARGETS_S.items():
            pdf = Path(tmp) / f"{kind}.pdf"
            in_process(kind, pdf)  # warm-up: imports, fonts, Natural Earth
            warm = [in_process(kind, pdf) for _ in range(args.repeat)]
            start = [cli(kind, pdf) for _ in range(args.repeat)]
            figures[f"{kind}_in_process_s"] = round(statistics.median(warm), 2)
            figures[f"{kind}_cli_start_to_finish_s"] = round(statistics.median(start), 2)
            figures[f"{kind}_target_s"] = target
            figures[f"{kind}_pages"] = _pages(pdf)
            ok &= statistics.median(warm) < target
    figures["meets_targets_in_process"] = ok
    (args.out / "bench_reports.json").write_text(json.dumps(figures, indent=2), "utf-8")
    for k, v in figures.items():
        print(f"{k:>36}: {v}")
    return 0 if ok else 1


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


if __name__ == "__main__":
    raise SystemExit(main())
