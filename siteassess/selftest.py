"""``siteassess --self-test``: prove an installation works, end to end, on the sample project.

Reads the French message catalogue (the compiled .mo), reads a CSV and a GeoParquet layer
with pyarrow (and checks the bundle holds none of pyarrow's network modules), loads the
bundled sample project, scores it, renders the interactive map off screen (Qt
WebEngine, offline) and counts the sites it drew, and writes a PDF site report. Exits 0
only if every step worked; each step prints its result and time. Used by the frozen
bundle's tests and after installing on Windows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

SAMPLE = Path(__file__).resolve().parents[1] / "sample_sites" / "hauts-de-france" / "project.toml"


class StepError(RuntimeError):
    """A step failed for a known reason, stated with the fix (no traceback needed)."""


def run_self_test(stream: TextIO | None = None, *, map_check: bool = True) -> int:
    """Run every step; print one line per step; return 0 when all passed, else 1."""
    out = stream or sys.stdout
    from siteassess import __version__

    out.write(
        f"siteassess {__version__} self-test ({sys.platform}, frozen: "
        f"{bool(getattr(sys, 'frozen', False))})\n"
    )
    state: dict[str, object] = {}
    failures = 0
    with tempfile.TemporaryDirectory(prefix="siteassess-selftest-") as tmp:
        steps: list[tuple[str, Callable[[], str]]] = [
            ("read the French catalogue", _catalogue),
            ("read CSV and GeoParquet with pyarrow", lambda: _arrow(Path(tmp))),
            ("load the sample project", lambda: _load(state)),
            ("score it", lambda: _score(state)),
            ("write a PDF site report", lambda: _report(state, Path(tmp))),
        ]
        if map_check:
            steps.append(("render the map offscreen", lambda: _map(state, Path(tmp))))
        for name, step in steps:
            t0 = time.perf_counter()
            try:
                detail = step()
                out.write(f"  ok    {name}: {detail} ({time.perf_counter() - t0:.1f} s)\n")
            except StepError as exc:  # a known cause: its message says what to do
                failures += 1
                out.write(f"  FAIL  {name}: {exc}\n")
            except Exception as exc:  # a self-test reports every failure, whatever it is
                failures += 1
                out.write(f"  FAIL  {name}: {type(exc).__name__}: {exc}\n")
                out.write(
                    "".join("        " + ln for ln in traceback.format_exc().splitlines(True))
                )
                if name in ("load the sample project", "score it"):
                    break
            out.flush()
    out.write("self-test passed\n" if failures == 0 else f"self-test FAILED ({failures})\n")
    return 0 if failures == 0 else 1


def _catalogue() -> str:
    """The French .mo is there and gettext reads it: a text, a plural, a context."""
    from siteassess import i18n

    mo, _ = i18n.catalogue_files("fr")
    got = (
        i18n.translate("Score", "fr"),
        i18n.ngettext("{n} problem", "{n} problems", 1, "fr"),
        i18n.pgettext("flood scenario", "medium", "fr"),
    )
    if got != ("Note", "{n} problème", "moyen"):
        raise StepError(
            f"the French catalogue is missing or wrong ({mo} gives {got!r}): the bundle must "
            f"hold siteassess/locale/fr/LC_MESSAGES/siteassess.mo, built with pybabel compile"
        )
    return f"{mo.name}: Score → {got[0]}"


# pyarrow's modules that reach the network (RPC, cloud and HDFS file systems): the bundle
# leaves them out (build_installer.PYARROW_UNUSED), so no layer path can make them load.
PYARROW_NETWORK = (
    "pyarrow.flight",
    "pyarrow._s3fs",
    "pyarrow._gcsfs",
    "pyarrow._azurefs",
    "pyarrow._hdfs",
)


def _arrow(tmp: Path) -> str:
    """pyarrow reads a CSV layer (not pandas' fallback) and GeoParquet; no network module."""
    import importlib.util

    import geopandas as gpd
    import shapely

    from siteassess.layers import readers

    csv_path = tmp / "points.csv"
    csv_path.write_text("id;lon;lat\nA;2,35;48,85\nB;3,06;50,63\n", encoding="utf-8")
    # _read_arrow returns None when pyarrow is missing or fails (a module the bundle left
    # out, say), and read_table then quietly reads with pandas: ask it directly.
    table = readers._read_arrow(csv_path, ";", "utf-8", "id;lon;lat")
    if table is None or list(table["lat"]) != ["48,85", "50,63"]:
        raise RuntimeError(f"pyarrow did not read {csv_path} (got {table!r})")
    parquet = tmp / "points.parquet"
    gpd.GeoDataFrame(
        {"id": ["A"]}, geometry=[shapely.Point(2.35, 48.85)], crs="EPSG:4326"
    ).to_parquet(parquet)
    gdf, crs = readers.read_vector(
        parquet, label="self-test", sublayer=None, crs_override=None, window=None
    )
    if len(gdf) != 1 or crs.to_epsg() != 4326:
        raise RuntimeError(f"{parquet} read back as {len(gdf)} features in {crs}")
    found = [m for m in PYARROW_NETWORK if importlib.util.find_spec(m) is not None]
    if found and getattr(sys, "frozen", False):
        raise StepError(f"the bundle holds pyarrow's network modules {', '.join(found)}")
    import pyarrow

    where = f"network modules: {', '.join(found)} (not frozen)" if found else "no network module"
    return f"pyarrow {pyarrow.__version__}, {len(table)} CSV rows, 1 GeoParquet feature, {where}"


def _load(state: dict[str, object]) -> str:
    from siteassess.project_checks import open_project

    state["project"] = project = open_project(SAMPLE)
    return f"{project.name} ({len(project.layers)} layers)"


def _score(state: dict[str, object]) -> str:
    from siteassess.assessment import Assessment, assess

    a = assess(state["project"])  # type: ignore[arg-type]
    assert isinstance(a, Assessment)
    state["assessment"] = a
    ranked = a.ranked()
    if len(ranked) != 7 or ranked["score"].isna().any():
        raise RuntimeError(f"expected 7 scored sites, got {len(ranked)}")
    best = ranked.index[0]
    return f"{len(ranked)} sites, first {best} ({ranked['score'].iloc[0]:.1f})"


def _report(state: dict[str, object], tmp: Path) -> str:
    from siteassess.reports.pdf import write_site_report

    a = state["assessment"]
    site = a.ranked().index[0]  # type: ignore[attr-defined]
    pdf = write_site_report(a, str(site), tmp / "report.pdf", lang="fr")  # type: ignore[arg-type]
    head = pdf.read_bytes()[:5]
    size = pdf.stat().st_size
    if head != b"%PDF-" or size < 10_000:
        raise RuntimeError(f"{pdf} is not a plausible PDF ({size} bytes, starts {head!r})")
    return f"{size / 1000:.0f} kB"


def sandbox_refusal(environ: Mapping[str, str] | None = None) -> str | None:
    """Why Chromium (Qt WebEngine) will refuse to start here, or None.

    As root, Chromium exits the whole process from inside Qt ("Running as root without
    --no-sandbox is not supported") before Python can report anything, so the self-test
    checks first. It never turns the sandbox off itself: that is the user's decision.
    """
    env = os.environ if environ is None else environ
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    if (
        "QTWEBENGINE_DISABLE_SANDBOX" in env
        or "--no-sandbox" in env.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    ):
        return None
    return (
        "Chromium (Qt WebEngine) refuses to run as root without --no-sandbox, so the map "
        "cannot be drawn; run the self-test as a normal user, or, knowing that it turns "
        "Chromium's sandbox off, with QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox in the "
        "environment"
    )


def _map(state: dict[str, object], tmp: Path) -> str:
    refusal = sandbox_refusal()
    if refusal is not None:
        raise StepError(refusal)
    from siteassess.ui.selftest_map import count_drawn_sites

    a = state["assessment"]
    drawn = count_drawn_sites(a, tmp)  # type: ignore[arg-type]
    expected = len(a.site_ids)  # type: ignore[attr-defined]
    if drawn != expected:
        raise RuntimeError(f"the map drew {drawn} sites, expected {expected}")
    return f"Leaflet drew {drawn} sites, no remote request"
