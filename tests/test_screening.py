"""Screening a whole inventory: filters, ranked output, shortlist project, clean stops."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from siteassess.cli import main
from siteassess.progress import TerminalProgress
from siteassess.project import load_project


@pytest.fixture
def inventory_project(shared_data: Path, write_project: Callable[..., Path]) -> Path:
    exchanges = Path(__file__).resolve().parents[1] / "sample_sites/hauts-de-france/exchanges.csv"
    return write_project(
        [
            {"role": "sites", "path": str(shared_data / "cartofriches_59_62.geojson")},
            {
                "role": "substations",
                "path": str(shared_data / "rte_postes_electriques_france_odre_2024.csv"),
            },
            {"role": "exchanges", "path": str(exchanges), "crs": "EPSG:4326"},
        ],
        criteria={
            "power": {"weight": 40, "min_kv": 225},
            "connectivity": {"weight": 25},
            "land": {"weight": 10},
        },
        demand_mw=700,
    )


def test_screen_the_whole_inventory_with_filters_and_a_shortlist(
    inventory_project: Path,
    shared_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    raw = gpd.read_file(shared_data / "cartofriches_59_62.geojson")
    area = raw["unite_fonciere_surface"].where(
        raw["unite_fonciere_surface"] > 0, raw["site_surface"]
    )
    statuses = {"friche sans projet", "friche avec projet"}
    expected = raw[(area / 10_000 >= 20) & raw["site_statut"].isin(statuses)]["site_id"]

    out = tmp_path / "ranked.gpkg"
    code = main(
        [
            "screen",
            str(inventory_project),
            "--output",
            str(out),
            "--min-area",
            "20",
            "--status",
            "friche sans projet",
            "--status",
            "friche avec projet",
            "--top",
            "5",
        ]
    )
    text = capsys.readouterr().out
    assert code == 0
    ranked = gpd.read_file(out)
    assert sorted(ranked["site_id"]) == sorted(expected)
    assert ranked.crs.to_epsg() == 2154 and (ranked.geom_type == "Polygon").all()
    assert "2111 rows read, 2111 used" in text
    assert f"sites assessed: {len(expected)} of 2111" in text
    assert "5079 rows read" in text
    # The shortlist is a project of its own, with the five best sites, that scores.
    short = load_project(tmp_path / "ranked-top5" / "project.toml")
    # One per land unit: a record on the land unit of a better one is not a candidate.
    leaders = ranked[ranked["same_land_unit_as"].isna() & ~ranked["excluded"]]
    best = leaders.sort_values("score", ascending=False, kind="stable")["site_id"].head(5)
    sites = gpd.read_file(tmp_path / "ranked-top5" / "sites.gpkg")
    assert list(sites["site_id"]) == list(best)
    assert ranked["same_land_unit_as"].notna().any(), "Cartofriches repeats land units"
    assert sites["approximate"].all()
    assert main(["score", str(short.path), "--json"]) == 0


def test_screen_csv_output_and_json_provenance(
    inventory_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["screen", str(inventory_project), "--output", str(tmp_path / "r.json")]) == 0
    import json

    doc = json.loads((tmp_path / "r.json").read_text("utf-8"))
    sites_layer = next(lyr for lyr in doc["layers"] if lyr["role"] == "sites")
    assert sites_layer["format"] == "cartofriches"
    assert sites_layer["source"] == "Cerema, Cartofriches"
    assert sites_layer["licence"] == "Licence Ouverte 2.0"
    assert sites_layer["rows_read"] == 2111 and len(sites_layer["sha256"]) == 64
    assert sites_layer["modified"]
    subs = next(lyr for lyr in doc["layers"] if lyr["role"] == "substations")
    assert subs["format"] == "rte-odre" and subs["licence"] == "Licence Ouverte 2.0"
    assert len(doc["sites"]) == 2111
    assert all(s["approximate_outline"] for s in doc["sites"])


def test_filters_that_leave_nothing_exit_2(
    inventory_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "screen",
            str(inventory_project),
            "--output",
            str(tmp_path / "r.csv"),
            "--status",
            "friche imaginaire",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--status 'friche imaginaire': no site of the inventory has this status" in err
    # The statuses Cartofriches holds, with their counts, so the planner can correct it.
    assert (
        "the statuses present are 'friche potentielle' (1747), 'friche sans projet' (227), "
        "'friche avec projet' (137)" in err
    )
    assert not (tmp_path / "r.csv").exists()


def test_status_filter_names_the_statuses_present_when_one_matches_nothing() -> None:
    from siteassess.errors import LayerContentError
    from siteassess.screening import ScreenFilter

    sites = gpd.GeoDataFrame(
        {"status": ["friche sans projet", "friche potentielle ", "friche potentielle", None]},
        geometry=gpd.points_from_xy([0, 1, 2, 3], [0, 0, 0, 0]),
        crs="EPSG:2154",
    )
    keep, _ = ScreenFilter(statuses=("FRICHE SANS PROJET ",))(sites)
    assert keep.tolist() == [True, False, False, False]  # case and spaces do not matter
    # A typo beside a good status would silently drop that status's sites: refused.
    with pytest.raises(LayerContentError) as err:
        ScreenFilter(statuses=("friche sans projet", "friche sans projt"))(sites)
    assert str(err.value) == (
        "--status 'friche sans projt': no site of the inventory has this status; the statuses "
        "present are 'friche potentielle' (2), 'friche sans projet' (1), no status (1) "
        "(case does not matter)"
    )


def test_ctrl_c_while_writing_leaves_no_file(
    sample_project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(self: gpd.GeoDataFrame, path: object, *a: object, **k: object) -> None:
        Path(str(path)).write_bytes(b"half a GeoPackage")  # a partial write, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", interrupted)
    code = main(["screen", str(sample_project), "--output", str(tmp_path / "r.gpkg")])
    assert code == 130
    assert "no output file was written" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_ctrl_c_while_measuring_stops_cleanly(
    sample_project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import siteassess.criteria.flood as flood

    def interrupted(*a: object, **k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(flood, "overlap_area", interrupted)
    code = main(["screen", str(sample_project), "--output", str(tmp_path / "r.csv")])
    assert code == 130 and os.listdir(tmp_path) == []


def test_progress_bar_only_after_a_second_and_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    now = [0.0]
    tty = Tty()
    bar = TerminalProgress(tty, clock=lambda: now[0])
    bar(0.1, "reading the sites")
    assert tty.getvalue() == ""  # the first second draws nothing
    now[0] = 1.5
    bar(0.5, "measuring power")
    assert "\r[###############...............]  50%  measuring power" in tty.getvalue()
    bar.close()
    assert tty.getvalue().endswith("\n")
    pipe = io.StringIO()
    quiet = TerminalProgress(pipe, clock=lambda: 10.0)
    quiet(0.5, "x")
    assert pipe.getvalue() == ""  # not a terminal: no bar in logs or pipes


def test_ranked_csv_has_every_site(sample_project: Path, tmp_path: Path) -> None:
    assert main(["screen", str(sample_project), "--output", str(tmp_path / "r.csv")]) == 0
    df = pd.read_csv(tmp_path / "r.csv")
    assert len(df) == 7 and df["rank"].iloc[0] == 1
