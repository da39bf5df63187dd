"""Start-up: ``python -m siteassess`` to a usable window with the sample project, timed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.ui.conftest import SAMPLE

LIMIT_S = 3.0
READY = re.compile(r"ready: (\d+) sites in the table after ([\d.]+) s; heavy modules loaded: (.*)")


def start_once(tmp_path: Path) -> tuple[float, float, str]:
    """Start the app; return the time to the filled table seen from outside and inside."""
    env = {
        **os.environ,
        "SITEASSESS_EXIT_WHEN_READY": "1",
        "SITEASSESS_STATE_DIR": str(tmp_path / "state"),
        "SITEASSESS_LANG": "fr",
        "QT_QPA_PLATFORM": "offscreen",
    }
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "siteassess", str(SAMPLE)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    seen = None
    line = ""
    for line in proc.stdout:  # the app prints the line once the table is filled
        if READY.search(line):
            seen = time.perf_counter() - t0
            break
    rest = proc.communicate(timeout=120)[0]
    assert proc.returncode == 0 and seen is not None, line + rest
    match = READY.search(line)
    assert match is not None and match.group(1) == "7"
    # faulthandler writes into the app's log file from the start (a hard crash leaves a trace).
    log = (tmp_path / "state" / "log" / "siteassess.log").read_text("utf-8")
    assert "a fatal error below this line is a crash" in log
    return seen, float(match.group(2)), match.group(3)


def test_start_up_to_a_filled_table_is_fast(tmp_path: Path) -> None:
    runs = []
    for _ in range(3):  # the best of three: other work on the machine adds noise
        outside, inside, heavy = start_once(tmp_path)
        assert heavy == "none"  # folium, QtWebEngine, matplotlib: not before the table
        runs.append((round(outside, 2), inside))
        if outside < LIMIT_S:
            break
    best_wall, best_ready = min(runs)
    print(f"start-up: table filled {best_wall:.2f} s after the process started; runs {runs}")
    assert best_wall < LIMIT_S, f"start-up too slow (seconds from outside, inside): {runs}"
