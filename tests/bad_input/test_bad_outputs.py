"""Output contracts: excluded sites have no rank, an output never replaces an input, and
ILLUSTRATIVE layers are flagged in every output.

The refusals assert exit 2, a message naming the output and the input it would replace, no
traceback, the input file unchanged and no temporary file left beside it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.bad_input.harness import SAMPLE, assert_refused, project_file, run_cli

# The sample's one excluded site (15 % of it in the medium flood scenario).
EXCLUDED = "loon-plage-edf"


def sample_copy(folder: Path) -> Path:
    """The sample project and its layers copied into ``folder``; the project file."""
    for path in SAMPLE.iterdir():
        if path.suffix in (".geojson", ".csv") or path.name == "project.toml":
            shutil.copy(path, folder / path.name)
    return folder / "project.toml"


def no_temporaries(folder: Path) -> None:
    stray = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert not stray, f"temporary files left: {stray}"


# ------------------------------------------------------------------------ excluded sites


def _ranks_of(out: Path) -> dict[str, object]:
    """Site id -> the rank cell as written (None for an empty or NULL cell)."""
    if out.suffix == ".gpkg":
        with sqlite3.connect(out) as db:
            return dict(db.execute("SELECT site_id, rank FROM sites_ranked").fetchall())
    if out.suffix == ".json":
        return {s["id"]: s["rank"] for s in json.loads(out.read_text(encoding="utf-8"))["sites"]}
    if out.suffix == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(out).worksheets[0]
        header = [c.value for c in ws[1]]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        return {r[header.index("Site id")]: r[header.index("Rank")] for r in rows}
    text = out.read_bytes().decode("utf-8-sig")
    delimiter = ";" if text.count(";") > text.count(",") else ","
    table = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    id_key, rank_key = ("site_id", "rank") if "site_id" in table[0] else ("Site id", "Rank")
    return {r[id_key]: (r[rank_key] or None) for r in table}


@pytest.mark.parametrize(
    ("output", "options"),
    [
        ("plain.csv", ["--csv-dialect", "plain"]),
        ("excel.csv", ["--csv-dialect", "excel"]),
        ("r.xlsx", []),
        ("r.gpkg", []),
        ("r.json", []),
    ],
)
def test_an_excluded_site_has_no_rank(tmp_path: Path, output: str, options: list[str]) -> None:
    """Empty in CSV and XLSX, NULL in GPKG, null in JSON: never 0, which sorts first."""
    out = tmp_path / output
    ended = run_cli(["score", SAMPLE / "project.toml", "--output", out, "--lang", "en", *options])
    assert ended.code == 0, ended.err
    ranks = _ranks_of(out)
    assert ranks[EXCLUDED] is None, ranks
    kept = sorted(int(str(v)) for k, v in ranks.items() if k != EXCLUDED)
    assert kept == list(range(1, len(ranks)))


def test_screen_writes_no_rank_for_excluded_sites_either(tmp_path: Path) -> None:
    out = tmp_path / "screened.gpkg"
    ended = run_cli(["screen", SAMPLE / "project.toml", "--output", out])
    assert ended.code == 0, ended.err
    with sqlite3.connect(out) as db:
        rows = db.execute(
            "SELECT rank, rank_min, rank_max FROM sites_ranked WHERE excluded"
        ).fetchall()
    assert rows == [(None, None, None)]


# ------------------------------------------------------------------------ output = input


def _refuses_to_replace(tmp_path: Path, args: list[object], victim: Path, naming: str) -> None:
    before = victim.read_bytes()
    ended = run_cli(args)
    assert_refused(ended, naming=[naming, "would overwrite the input"], project_fault=False)
    assert victim.read_bytes() == before, f"{victim} was changed"
    no_temporaries(victim.parent)


@pytest.mark.parametrize("command", ["score", "screen"])
def test_the_output_may_not_be_a_layer_file(tmp_path: Path, command: str) -> None:
    project = sample_copy(tmp_path)
    victim = tmp_path / "postes_rte_extrait.csv"
    _refuses_to_replace(
        tmp_path,
        [command, project, "--output", victim],
        victim,
        "layer substations (postes_rte_extrait.csv)",
    )


def test_another_spelling_of_the_layer_path_is_caught(tmp_path: Path) -> None:
    project = sample_copy(tmp_path)
    (tmp_path / "sub").mkdir()
    victim = tmp_path / "exchanges.csv"
    before = victim.read_bytes()
    ended = run_cli(["score", project, "--output", "sub/../exchanges.csv"], cwd=tmp_path)
    assert_refused(
        ended,
        naming=["sub/../exchanges.csv", "layer exchanges (exchanges.csv)"],
        project_fault=False,
    )
    assert victim.read_bytes() == before
    no_temporaries(tmp_path)


@pytest.mark.skipif(os.name == "nt", reason="symbolic and hard links need privileges on Windows")
@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_a_link_to_a_layer_file_is_caught(tmp_path: Path, link: str) -> None:
    project = sample_copy(tmp_path)
    victim = tmp_path / "postes_rte_extrait.csv"
    alias = tmp_path / "out" / "ranking.csv"
    alias.parent.mkdir()
    if link == "symlink":
        alias.symlink_to(victim)
    else:
        os.link(victim, alias)
    _refuses_to_replace(
        tmp_path, ["score", project, "--output", alias], victim, "layer substations"
    )


def test_a_geopackage_sites_layer_is_not_replaced_by_the_ranking(tmp_path: Path) -> None:
    import geopandas as gpd

    sites = gpd.read_file(SAMPLE / "sites.geojson")
    sites.to_file(tmp_path / "sites.gpkg", driver="GPKG", layer="sites")
    project = project_file(
        tmp_path,
        [{"role": "sites", "path": "sites.gpkg", "id_field": "site_id", "name_field": "name"}],
        crs="EPSG:2154",
    )
    victim = tmp_path / "sites.gpkg"
    _refuses_to_replace(
        tmp_path, ["screen", project, "--output", victim], victim, "layer sites (sites.gpkg)"
    )


def test_the_shortlist_folder_may_not_hold_an_input(tmp_path: Path) -> None:
    """``--top 3`` replaces ``FILE-top3/`` whole: a layer kept there would be deleted."""
    folder = tmp_path / "ranking-top3"
    folder.mkdir()
    shutil.copy(SAMPLE / "sites.geojson", folder / "sites.geojson")
    project = project_file(
        tmp_path,
        [
            {
                "role": "sites",
                "path": "ranking-top3/sites.geojson",
                "id_field": "site_id",
                "name_field": "name",
            }
        ],
        crs="EPSG:2154",
    )
    out = tmp_path / "ranking.csv"
    ended = run_cli(["screen", project, "--output", out, "--top", "3"])
    assert_refused(
        ended,
        naming=["ranking-top3", "holds layer sites (sites.geojson)"],
        outputs=[out],
        project_fault=False,
    )
    assert (folder / "sites.geojson").read_bytes() == (SAMPLE / "sites.geojson").read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == ["sites.geojson"]


# ------------------------------------------------------------------------ illustrative layers


def test_illustrative_layers_are_flagged_in_every_output(tmp_path: Path) -> None:
    project = SAMPLE / "project.toml"
    flagged = {
        "flood (flood_illustrative.geojson)",
        "fibre (fibre_illustrative.geojson)",
        "grid_capacity (grid_capacity_illustrative.csv)",
        "heat_network (heat_networks_illustrative.geojson)",
        "zoning (zoning_illustrative.geojson)",
        "Natura 2000",
    }
    ended = run_cli(["score", project, "--json"])
    assert ended.code == 0, ended.err
    doc = json.loads(ended.out)
    assert all(isinstance(lyr["illustrative"], bool) for lyr in doc["layers"])
    assert {lyr["name"] for lyr in doc["layers"] if lyr["illustrative"]} == flagged
    assert {c["name"] for c in doc["criteria"] if c["illustrative"]} == {
        "power",  # its grid capacity layer
        "flood",
        "connectivity",
        "zoning",
        "heat",
        "natura2000",
    }
    assert not next(c for c in doc["criteria"] if c["name"] == "land")["illustrative"]

    text = run_cli(["score", project]).out
    assert "ILLUSTRATIVE layers, not real data: flood (flood_illustrative.geojson); fibre" in text

    plain = tmp_path / "r.csv"
    assert run_cli(["score", project, "--output", plain, "--csv-dialect", "plain"]).code == 0
    rows = list(csv.DictReader(io.StringIO(plain.read_text(encoding="utf-8"), newline="")))
    (cell,) = {r["illustrative_layers"] for r in rows}  # the same on every row, file order
    assert cell == "; ".join(lyr["name"] for lyr in doc["layers"] if lyr["illustrative"])

    from openpyxl import load_workbook

    book = tmp_path / "r.xlsx"
    assert run_cli(["score", project, "--output", book, "--lang", "fr"]).code == 0
    wb = load_workbook(book)
    header = [c.value for c in wb["Classement"][1]]
    assert header[-1] == "Couches ILLUSTRATIVES, pas de données réelles"
    method = [[c.value for c in r] for r in wb["Méthode"].iter_rows()]
    marked = {r[1]: r[10] for r in method if len(r) > 10 and r[10] in ("oui", "non")}
    # In French the layers are named by their role's title, never by the role key.
    assert {k for k, v in marked.items() if v == "oui"} == {
        "Zones inondables — flood_illustrative.geojson",
        "Fibre optique — fibre_illustrative.geojson",
        "Capacité du réseau — grid_capacity_illustrative.csv",
        "Réseaux de chaleur — heat_networks_illustrative.geojson",
        "Zonage (PLU) — zoning_illustrative.geojson",
        "Natura 2000",  # a named layer is named by its name
    }
    assert marked["Postes électriques — postes_rte_extrait.csv"] == "non"


def test_a_project_without_illustrative_layers_says_none(tmp_path: Path) -> None:
    project = project_file(
        tmp_path,
        [{"role": "sites", "path": str(SAMPLE / "sites.geojson"), "id_field": "site_id"}],
        crs="EPSG:2154",
    )
    ended = run_cli(["score", project, "--json"])
    assert ended.code == 0, ended.err
    doc = json.loads(ended.out)
    assert [lyr["illustrative"] for lyr in doc["layers"]] == [False]
    assert "ILLUSTRATIVE" not in run_cli(["score", project]).out
    out = tmp_path / "r.gpkg"
    assert run_cli(["score", project, "--output", out]).code == 0
    with sqlite3.connect(out) as db:
        assert {v for (v,) in db.execute("SELECT illustrative_layers FROM sites_ranked")} == {None}
