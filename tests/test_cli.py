"""The command line contract: sub-commands, outputs, exit codes and messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin

from siteassess import __version__
from siteassess.cli import main
from tests.conftest import squares

X0, Y0 = 700_000.0, 7_000_000.0


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"siteassess {__version__}"


def test_score_prints_a_ranked_table(
    capsys: pytest.CaptureFixture[str], sample_project: Path
) -> None:
    code, out, err = run_cli(capsys, "score", str(sample_project))
    assert code == 0, err
    lines = out.splitlines()
    assert "working CRS EPSG:2154" in lines[0]
    ranked = [ln for ln in lines if ln[:4].strip().isdigit()]
    assert [int(ln[:4]) for ln in ranked] == list(range(1, len(ranked) + 1))
    assert "excluded:" in out and "approximate" in out and "route factor 1.4" in out


def test_score_json_document_contract(
    capsys: pytest.CaptureFixture[str], sample_project: Path
) -> None:
    code, out, _ = run_cli(capsys, "score", str(sample_project), "--json")
    assert code == 0
    doc = json.loads(out)
    assert {"project", "working_crs", "version", "layers", "sites", "issues"} <= set(doc)
    assert doc["working_crs"].startswith("EPSG:2154") and doc["version"] == __version__
    for layer in doc["layers"]:
        assert {"role", "path", "sha256", "features", "crs"} <= set(layer)
        assert len(layer["sha256"]) == 64
    assert len(doc["sites"]) == 7
    site_keys = {
        "id",
        "name",
        "rank",
        "score",
        "excluded",
        "exclusions",
        "completeness",
        "measures",
        "contributions",
        "p_first",
    }
    needed = {
        "area_ha",
        "substation_distance_m",
        "substation_name",
        "substation_kv",
        "substation_400kv_distance_m",
        "rtt_paris_ms",
        "rtt_london_ms",
        "rtt_frankfurt_ms",
        "rtt_amsterdam_ms",
    }
    for site in doc["sites"]:
        assert site_keys <= set(site)
        assert needed <= set(site["measures"])
        assert any(k.startswith("flood_share_") for k in site["measures"])
        total = sum(site["contributions"].values())
        assert total == pytest.approx(site["score"], abs=0.01)
    ranks = [s["rank"] for s in doc["sites"] if not s["excluded"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert sum(s["p_first"] for s in doc["sites"]) == pytest.approx(1.0)
    excluded = [s for s in doc["sites"] if s["excluded"]]
    assert all(s["rank"] is None and s["exclusions"] for s in excluded)


@pytest.mark.parametrize("suffix", [".csv", ".json", ".gpkg"])
def test_score_output_by_extension(
    capsys: pytest.CaptureFixture[str], sample_project: Path, tmp_path: Path, suffix: str
) -> None:
    out_file = tmp_path / f"ranking{suffix}"
    dialect = ["--csv-dialect", "plain"] if suffix == ".csv" else []
    code, _, err = run_cli(
        capsys, "score", str(sample_project), "--output", str(out_file), *dialect
    )
    assert code == 0, err
    if suffix == ".csv":
        df = pd.read_csv(out_file)
        assert len(df) == 7 and df["rank"].iloc[0] == 1
    elif suffix == ".json":
        assert len(json.loads(out_file.read_text(encoding="utf-8"))["sites"]) == 7
    else:
        gdf = gpd.read_file(out_file)
        assert len(gdf) == 7 and gdf.crs.to_epsg() == 2154 and "score" in gdf.columns
    assert sorted(os.listdir(tmp_path)) == [out_file.name]


def test_validate_lists_layers(capsys: pytest.CaptureFixture[str], sample_project: Path) -> None:
    code, out, _ = run_cli(capsys, "validate", str(sample_project))
    assert code == 0
    for text in (
        "[substations]",
        "format: rte-odre",
        "CRS: EPSG:4326",
        "features: 7",
        "extent (working CRS)",
        "OK: the project can be assessed",
    ):
        assert text in out


# ------------------------------------------------------------------------- bad input


def _base(tmp_path: Path) -> dict[str, object]:
    squares([(X0, Y0), (X0 + 3000, Y0)], 500).to_file(tmp_path / "sites.gpkg")
    return {"role": "sites", "path": "sites.gpkg"}


BAD_CASES: dict[str, tuple[Callable[[Path], list[dict[str, object]]], str, str]] = {}


def bad_case(name: str, file: str, text: str) -> Callable[..., object]:
    def deco(fn: Callable[[Path], list[dict[str, object]]]) -> Callable[..., object]:
        BAD_CASES[name] = (fn, file, text)
        return fn

    return deco


@bad_case("missing file", "postes.csv", "file not found")
def _missing(tmp_path: Path) -> list[dict[str, object]]:
    return [_base(tmp_path), {"role": "substations", "path": "postes.csv"}]


@bad_case("corrupt geojson", "flood.geojson", "cannot be read")
def _corrupt(tmp_path: Path) -> list[dict[str, object]]:
    (tmp_path / "flood.geojson").write_text('{"type": "FeatureCollection", "features": [{"ty')
    return [_base(tmp_path), {"role": "flood", "path": "flood.geojson"}]


@bad_case("shapefile without prj", "subs.shp", "has no CRS")
def _no_prj(tmp_path: Path) -> list[dict[str, object]]:
    gdf = gpd.GeoDataFrame({"voltage": ["400"]}, geometry=gpd.points_from_xy([X0], [Y0]))
    with warnings.catch_warnings():  # writing a file with no CRS is the point here
        warnings.simplefilter("ignore", UserWarning)
        gdf.to_file(tmp_path / "subs.shp")
    (tmp_path / "subs.prj").unlink(missing_ok=True)
    return [_base(tmp_path), {"role": "substations", "path": "subs.shp", "kv_field": "voltage"}]


@bad_case("csv without coordinate columns", "ex.csv", "no column 'lon'")
def _no_xy(tmp_path: Path) -> list[dict[str, object]]:
    (tmp_path / "ex.csv").write_text("name;market;x;y\nA;Paris;2.3;48.8\n", encoding="utf-8")
    return [
        _base(tmp_path),
        {
            "role": "exchanges",
            "path": "ex.csv",
            "x_field": "lon",
            "y_field": "lat",
            "crs": "EPSG:4326",
        },
    ]


@bad_case("empty layer", "fibre.geojson", "no features")
def _empty(tmp_path: Path) -> list[dict[str, object]]:
    (tmp_path / "fibre.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    return [_base(tmp_path), {"role": "fibre", "path": "fibre.geojson"}]


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_layer_exits_2_naming_the_file_and_writes_nothing(
    case: str,
    capsys: pytest.CaptureFixture[str],
    write_project: Callable[..., Path],
    tmp_path: Path,
) -> None:
    build, file, text = BAD_CASES[case]
    project = write_project(
        build(tmp_path), criteria={"power": {"weight": 1}, "land": {"weight": 1}}
    )
    before = set(os.listdir(tmp_path))
    code, out, err = run_cli(capsys, "score", str(project), "--output", str(tmp_path / "o.csv"))
    assert code == 2
    assert file in err and text in err, err
    assert "Traceback" not in err and out == ""
    assert set(os.listdir(tmp_path)) == before  # no output, no temporary file
    code, out, err = run_cli(capsys, "validate", str(project))
    assert code == 2 and file in err and "NOT OK" in err and "NOT OK" not in out


@pytest.mark.parametrize(
    ("criteria", "weights", "text"),
    [
        ({"power": {"weight": 0}, "land": {"weight": 0}}, None, "all criterion weights are zero"),
        (
            {"power": {"weight": 1}, "flood": {"weight": 1}, "land": {"weight": 1}},
            {
                "method": "ahp",
                "criteria": ["power", "flood", "land"],
                "matrix": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]],
            },
            "consistency ratio",
        ),
    ],
)
def test_bad_weights_exit_2(
    capsys: pytest.CaptureFixture[str],
    write_project: Callable[..., Path],
    tmp_path: Path,
    criteria: dict[str, object],
    weights: dict[str, object] | None,
    text: str,
) -> None:
    extra = {"weights": weights} if weights else {}
    project = write_project([_base(tmp_path)], criteria=criteria, **extra)
    code, out, err = run_cli(capsys, "score", str(project), "--output", str(tmp_path / "o.json"))
    assert code == 2 and text in err and "project.toml" in err, err
    assert not (tmp_path / "o.json").exists()


def test_unknown_project_key_exits_2(
    capsys: pytest.CaptureFixture[str], write_project: Callable[..., Path], tmp_path: Path
) -> None:
    project = write_project([_base(tmp_path)], colour="red")
    code, _, err = run_cli(capsys, "score", str(project))
    assert code == 2 and "colour" in err and str(project.resolve()) in err


def test_sites_outside_a_raster_are_nan_and_an_issue(
    capsys: pytest.CaptureFixture[str], write_project: Callable[..., Path], tmp_path: Path
) -> None:
    with rasterio.open(
        tmp_path / "depth.tif",
        "w",
        driver="GTiff",
        width=10,
        height=10,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=from_origin(X0 + 50_000, Y0, 25, 25),
        nodata=-9999,
    ) as ds:
        ds.write(np.ones((10, 10), dtype="float32"), 1)
    project = write_project(
        [_base(tmp_path), {"role": "flood", "path": "depth.tif", "scenario": "medium"}],
        criteria={"flood": {"weight": 1}, "land": {"weight": 1}},
        demand_mw=700,
    )
    code, out, err = run_cli(capsys, "score", str(project), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert all(s["measures"]["flood_share_medium_pct"] is None for s in doc["sites"])
    assert all(s["completeness"] == 0.5 for s in doc["sites"])
    assert any("outside the raster" in i["message"] for i in doc["issues"])


def test_output_with_unknown_extension_exits_2(
    capsys: pytest.CaptureFixture[str], sample_project: Path, tmp_path: Path
) -> None:
    code, _, err = run_cli(
        capsys, "score", str(sample_project), "--output", str(tmp_path / "x.ods")
    )
    assert code == 2 and "x.ods" in err and ".xlsx" in err  # the message lists the types


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["score"])
    assert e.value.code == 2


def test_unexpected_error_exits_1_with_a_log_file(
    capsys: pytest.CaptureFixture[str],
    sample_project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import siteassess.assessment
    import siteassess.cli

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("simulated bug")

    log = tmp_path / "logs" / "siteassess.log"
    monkeypatch.setattr(siteassess.cli, "log_path", lambda: log)
    monkeypatch.setattr(siteassess.assessment, "assess", boom)
    code, _, err = run_cli(capsys, "score", str(sample_project))
    assert code == 1 and str(log) in err and "Traceback" not in err
    assert "RuntimeError: simulated bug" in log.read_text(encoding="utf-8")


def test_console_script_runs_as_a_process(sample_project: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "siteassess", "score", str(sample_project), "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["project"].startswith("Friches Hauts-de-France")


def test_score_prints_the_table_in_french_with_lang_fr(
    capsys: pytest.CaptureFixture[str], sample_project: Path
) -> None:
    code, out, err = run_cli(capsys, "score", str(sample_project), "--lang", "fr")
    assert code == 0, err
    assert "SCR de travail EPSG:2154" in out.splitlines()[0]
    assert "exclu\u00a0: 15,0\u00a0% du site est en zone inondable du scénario moyen" in out
    assert "facteur de détour 1,4" in out and "working CRS" not in out


def test_score_prints_the_best_rows_and_a_summary_of_the_rest(
    capsys: pytest.CaptureFixture[str], sample_project: Path, tmp_path: Path
) -> None:
    # Counts from the JSON document, not from the table under test.
    code, out, _ = run_cli(capsys, "score", str(sample_project), "--json")
    sites = json.loads(out)["sites"]
    ranked = sum(1 for s in sites if s["rank"] is not None)
    best = [s["name"] for s in sorted(sites, key=lambda s: (s["rank"] is None, s["rank"] or 0))]
    out_file = tmp_path / "all.csv"
    code, out, err = run_cli(
        capsys, "score", str(sample_project), "--rows", "3", "--output", str(out_file)
    )
    assert code == 0, err
    rows = [ln for ln in out.splitlines() if ln[:4].strip().isdigit()]
    assert [int(ln[:4]) for ln in rows] == [1, 2, 3]
    assert [name in ln for name, ln in zip(best, rows, strict=False)] == [True] * 3
    assert (
        f"3 of {len(sites)} sites shown; ranked: {ranked}; excluded by a hard rule: "
        f"{len(sites) - ranked}. All sites are in {out_file}."
    ) in out
    assert "route factor 1.4" in out  # the notes under the table stay
    code, out, _ = run_cli(capsys, "score", str(sample_project), "--rows", "all")
    assert "sites shown" not in out and "excluded:" in out
    assert len([ln for ln in out.splitlines() if ln[:4].strip().isdigit()]) == ranked
    code, out, _ = run_cli(capsys, "score", str(sample_project), "--rows", "2", "--lang", "fr")
    assert (
        f"2 sites affichés sur {len(sites)}\u202f; classés\u00a0: {ranked}\u202f; exclus par "
        f"une règle éliminatoire\u00a0: {len(sites) - ranked}. Tous les sites\u00a0: "
        "--rows all, ou --output FICHIER."
    ) in out


def test_score_refuses_a_bad_rows_value(
    capsys: pytest.CaptureFixture[str], sample_project: Path
) -> None:
    with pytest.raises(SystemExit) as e:
        main(["score", str(sample_project), "--rows", "-1"])
    assert e.value.code == 2 and "give a number of sites" in capsys.readouterr().err
