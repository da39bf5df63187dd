"""No partial output: a failing screen leaves neither file; a killed run's leftovers go."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from siteassess.atomic import atomic_write_bytes, remove_stale_temporaries
from tests.bad_input.harness import SAMPLE, assert_refused, project_file, run_cli


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_failing_shortlist_leaves_no_ranking(tmp_path: Path) -> None:
    """Every site excluded: --top has nothing to shortlist, and the ranking is not kept."""
    project = project_file(
        tmp_path,
        [{"role": "sites", "path": str(SAMPLE / "sites.geojson")}],
        {"land": {"weight": 1, "min_area_ha": 10_000}},  # no site is that large
        demand_mw=700,
    )
    out = tmp_path / "ranking.gpkg"
    ended = run_cli(["screen", project, "--output", out, "--top", "3"])
    assert_refused(
        ended,
        naming=["ranking-top3", "no site passed the exclusions"],
        outputs=[out, tmp_path / "ranking-top3"],
        project_fault=False,  # the project scores; only --top finds nothing to shortlist
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.toml"]


def test_a_successful_screen_writes_both_and_no_temporaries(tmp_path: Path) -> None:
    out = tmp_path / "ranking.csv"
    ended = run_cli(
        ["screen", SAMPLE / "project.toml", "--output", out, "--top", "2", "--csv-dialect", "plain"]
    )
    assert ended.code == 0, ended.err
    assert out.is_file() and (tmp_path / "ranking-top2" / "project.toml").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    # Again over the first: the shortlist folder is replaced whole, still no leftovers.
    assert run_cli(["screen", SAMPLE / "project.toml", "--output", out, "--top", "2"]).code == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(os.name == "nt", reason="process ids are probed with signals on POSIX")
def test_the_next_write_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    target = tmp_path / "ranking.csv"
    dead = _dead_pid()
    left = tmp_path / f".ranking.{dead}.abc123.csv"
    left.write_text("half a ranking")
    running = tmp_path / f".ranking.{os.getppid()}.def456.csv"  # a live process: kept
    running.write_text("being written")
    other = tmp_path / ".ranking.notes.csv"  # not one of ours: kept
    other.write_text("x")
    atomic_write_bytes(target, b"site_id\n")
    assert not left.exists() and running.exists() and other.exists()
    folder_left = tmp_path / f".ranking-top5.{dead}.xyz"
    folder_left.mkdir()
    (folder_left / "sites.gpkg").write_text("")
    assert remove_stale_temporaries(tmp_path / "ranking-top5") == [folder_left]
