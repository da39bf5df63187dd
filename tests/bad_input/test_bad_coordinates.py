"""Coordinates read wrong: swapped lon/lat, sites a continent away, non-finite numbers.

Each case writes real files to tmp_path and runs the command line. A refused layer exits 2
with a message naming the layer, the file and what is wrong; a few bad rows are skipped
with a data issue naming them, and the run goes on (exit 0) without them. No case lets a
library warning reach stderr with its source path.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from tests.bad_input.harness import Ended, assert_refused, project_file, run_cli

# Friche points of the Douaisis and Valenciennois (lon, lat), rounded from Cartofriches.
NORD = {
    "escaudain": (3.3533, 50.3209),
    "douchy": (3.4190, 50.3050),
    "denain": (3.3950, 50.3290),
    "douai": (3.0800, 50.3700),
    "lens": (2.8310, 50.4320),
    "valenciennes": (3.5230, 50.3570),
}
# A sites CSV's and a substations CSV's header, with lon/lat columns.
POSTES = "code;name;kv;lon;lat\n"


def _sites(folder: Path, points: dict[str, tuple[float, float]], name: str = "sites") -> Path:
    path = folder / f"{name}.geojson"
    gdf = gpd.GeoDataFrame(
        {"site_id": list(points), "name": [k.title() for k in points]},
        geometry=[shapely.Point(p) for p in points.values()],
        crs="EPSG:4326",
    )
    gdf.to_file(path, driver="GeoJSON")
    return path


def _postes(folder: Path, rows: list[str]) -> Path:
    path = folder / "postes.csv"
    path.write_text(POSTES + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _near_postes(folder: Path) -> Path:
    return _postes(
        folder,
        [
            "GCAIL;GROS-CAILLOU;400;3.3700;50.3200",
            "DENAI;DENAIN;225;3.4000;50.3300",
            "AVELI;AVELIN;400;3.0800;50.5400",
        ],
    )


def _substations(folder: Path, path: Path, **more: object) -> dict[str, object]:
    return {
        "role": "substations",
        "path": str(path),
        "x_field": "lon",
        "y_field": "lat",
        "crs": "EPSG:4326",
        "kv_field": "kv",
        "name_field": "name",
        **more,
    }


def _score(project: Path, out: Path) -> Ended:
    return run_cli(["score", project, "--output", out])


def _no_library_paths(ended: Ended) -> None:
    assert "site-packages" not in ended.err, ended.err
    assert "RuntimeWarning" not in ended.err, ended.err


def _issues(out: Path) -> list[dict[str, str]]:
    return json.loads(out.read_text("utf-8"))["issues"]


def _ranked(out: Path) -> list[str]:
    return [s["id"] for s in json.loads(out.read_text("utf-8"))["sites"]]


# ---------------------------------------------------------------------- whole layer wrong


@pytest.mark.parametrize("crs", [None, "EPSG:2154"], ids=["crs-chosen", "lambert93-set"])
def test_a_sites_layer_with_lon_and_lat_swapped_is_refused(tmp_path: Path, crs: str | None) -> None:
    swapped = {k: (lat, lon) for k, (lon, lat) in NORD.items()}  # off the Horn of Africa
    sites = _sites(tmp_path, swapped)
    top = {"crs": crs} if crs else {}
    project = project_file(tmp_path, [{"role": "sites", "path": sites.name}], **top)
    out = tmp_path / "ranking.json"
    ended = _score(project, out)
    assert_refused(ended, naming=["sites", "sites.geojson", "swapped", "escaudain"], outputs=[out])
    _no_library_paths(ended)


def test_a_csv_of_sites_with_x_and_y_fields_swapped_is_refused(tmp_path: Path) -> None:
    csv = tmp_path / "sites.csv"
    csv.write_text(
        "site_id;lon;lat\n" + "".join(f"{k};{x};{y}\n" for k, (x, y) in NORD.items()),
        encoding="utf-8",
    )
    layer = {"role": "sites", "path": csv.name, "x_field": "lat", "y_field": "lon"}
    project = project_file(tmp_path, [{**layer, "crs": "EPSG:4326"}], crs="EPSG:2154")
    out = tmp_path / "ranking.json"
    assert_refused(
        _score(project, out), naming=["sites.csv", "swapped", "x_field and y_field"], outputs=[out]
    )


@pytest.mark.parametrize("kind", ["csv", "geojson"])
def test_a_substations_layer_with_lon_and_lat_swapped_is_refused(tmp_path: Path, kind: str) -> None:
    sites = _sites(tmp_path, NORD)
    postes = _near_postes(tmp_path)
    if kind == "csv":
        layer = _substations(tmp_path, postes, x_field="lat", y_field="lon")
        advice, named = "Swap x_field and y_field", "code GCAIL"
    else:
        # A GeoJSON written (lat, lon): read whole only once the windowed read finds nothing.
        rows = [line.split(";") for line in postes.read_text("utf-8").splitlines()[1:]]
        gpd.GeoDataFrame(
            {"name": [r[1] for r in rows], "kv": [float(r[2]) for r in rows]},
            geometry=[shapely.Point(float(r[4]), float(r[3])) for r in rows],
            crs="EPSG:4326",
        ).to_file(tmp_path / "postes.geojson")
        postes = tmp_path / "postes.geojson"
        layer = {"role": "substations", "path": postes.name, "kv_field": "kv"}
        advice, named = "longitude first", "name GROS-CAILLOU"
    project = project_file(
        tmp_path, [{"role": "sites", "path": sites.name}, layer], {"power": {"weight": 1}}
    )
    out = tmp_path / "ranking.json"
    assert_refused(
        _score(project, out),
        naming=["substations", postes.name, "look swapped", named, advice],
        outputs=[out],
    )


def test_sites_in_quito_and_nairobi_are_not_measured_in_one_utm_zone(tmp_path: Path) -> None:
    sites = _sites(tmp_path, {"quito": (-78.50, -0.18), "nairobi": (36.82, -1.29)})
    project = project_file(tmp_path, [{"role": "sites", "path": sites.name}])
    out = tmp_path / "ranking.json"
    ended = _score(project, out)
    assert_refused(
        ended,
        naming=["project.toml", "spread too far", "quito", "nairobi", "UTM", 'crs = "EPSG:'],
        outputs=[out],
    )


def test_sites_spread_across_the_atlantic_with_lambert93_set_are_refused(tmp_path: Path) -> None:
    # Most of the sites are in Guadeloupe and Martinique, where Lambert-93 cannot measure.
    sites = _sites(
        tmp_path,
        {"basse-terre": (-61.73, 16.00), "fort-de-france": (-61.07, 14.60), "lens": NORD["lens"]},
    )
    project = project_file(tmp_path, [{"role": "sites", "path": sites.name}], crs="EPSG:2154")
    out = tmp_path / "ranking.json"
    assert_refused(
        _score(project, out),
        naming=["sites.geojson", "Lambert-93", "not made to measure", "basse-terre"],
        outputs=[out],
    )


def test_a_sites_layer_of_only_unusable_coordinates_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sites.geojson"
    feats = [
        {
            "type": "Feature",
            "properties": {"site_id": sid},
            "geometry": {"type": "Point", "coordinates": xy},
        }
        for sid, xy in (("a", [1e308, 50.3]), ("b", [3.3, 1e308]))
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    project = project_file(tmp_path, [{"role": "sites", "path": path.name}])
    out = tmp_path / "ranking.json"
    ended = _score(project, out)
    assert_refused(
        ended,
        naming=["sites.geojson", "not finite numbers or out of range", "site_id a"],
        outputs=[out],
    )
    _no_library_paths(ended)


def test_a_csv_in_metres_declared_as_lon_lat_is_refused_with_the_advice(tmp_path: Path) -> None:
    csv = tmp_path / "sites.csv"
    csv.write_text(
        "site_id;x;y\nescaudain;727310;7025640\ndouai;705000;7030000\n", encoding="utf-8"
    )
    layer = {"role": "sites", "path": csv.name, "x_field": "x", "y_field": "y"}
    project = project_file(tmp_path, [{**layer, "crs": "EPSG:4326"}])
    out = tmp_path / "ranking.json"
    assert_refused(
        _score(project, out),
        naming=["sites.csv", "out of range for EPSG:4326", "site_id escaudain", "look like metres"],
        outputs=[out],
    )


# --------------------------------------------------------------------- a few rows wrong


def test_one_site_a_continent_away_is_skipped_and_named(tmp_path: Path) -> None:
    far = {**NORD, "swapped-one": (50.3209, 3.3533)}  # 6,900 km away, off Somalia
    sites = _sites(tmp_path, far)
    project = project_file(
        tmp_path,
        [{"role": "sites", "path": sites.name}, _substations(tmp_path, _near_postes(tmp_path))],
        {"power": {"weight": 1}},
    )
    out = tmp_path / "ranking.json"
    ended = _score(project, out)
    assert ended.code == 0, ended.err
    _no_library_paths(ended)
    assert "swapped-one" not in _ranked(out)
    assert sorted(_ranked(out)) == sorted(NORD)
    (issue,) = [i for i in _issues(out) if "swapped-one" in i["message"]]
    assert issue["action"] == "skipped"
    assert "Lambert-93" in issue["message"] and "swapped" in issue["message"]
    layer = json.loads(out.read_text("utf-8"))["layers"][0]
    assert layer["skipped"] and layer["skipped"][0]["count"] == 1


@pytest.mark.parametrize(
    ("value", "why"),
    [("1e308", "1e308"), ("inf", "inf"), ("nan", "nan"), ("400", "longitude 400")],
    ids=["1e308", "inf", "nan", "lon-400"],
)
def test_a_poste_with_unusable_coordinates_is_skipped_and_named(
    tmp_path: Path, value: str, why: str
) -> None:
    sites = _sites(tmp_path, NORD)
    postes = _postes(
        tmp_path,
        [
            "GCAIL;GROS-CAILLOU;400;3.3700;50.3200",
            f"BROKE;BROKEN;400;{value};50.3300",
            "AVELI;AVELIN;400;3.0800;50.5400",
        ],
    )
    project = project_file(
        tmp_path,
        [{"role": "sites", "path": sites.name}, _substations(tmp_path, postes)],
        {"power": {"weight": 1}},
    )
    out = tmp_path / "ranking.json"
    ended = _score(project, out)
    assert ended.code == 0, ended.err
    _no_library_paths(ended)
    text = json.dumps(_issues(out))
    assert "postes.csv" in text and "BROKE" in text, text
    assert "sites.geojson" not in [i["source"] for i in _issues(out) if i["action"] == "skipped"]
    assert sorted(_ranked(out)) == sorted(NORD)  # the valid sites are all scored


@pytest.mark.parametrize(
    "xy",
    [[1e308, 1e308], [math.nan, 50.3], [3.3, math.inf]],
    ids=["1e308", "NaN", "Infinity"],  # json.dumps writes NaN and Infinity, GDAL reads them
)
def test_a_site_at_1e308_is_skipped_and_the_others_scored(tmp_path: Path, xy: list[float]) -> None:
    path = _sites(tmp_path, NORD)
    doc = json.loads(path.read_text("utf-8"))
    doc["features"].append(
        {
            "type": "Feature",
            "properties": {"site_id": "overflow", "name": "Overflow"},
            "geometry": {"type": "Point", "coordinates": xy},
        }
    )
    path.write_text(json.dumps(doc), "utf-8")
    project = project_file(
        tmp_path,
        [{"role": "sites", "path": path.name}, _substations(tmp_path, _near_postes(tmp_path))],
        {"power": {"weight": 1}},
    )
    out = tmp_path / "ranking.json"
    ended = _score(project, out)
    assert ended.code == 0, ended.err
    _no_library_paths(ended)
    (issue,) = [i for i in _issues(out) if "overflow" in i["message"]]
    assert issue["source"].endswith("sites.geojson") and issue["action"] == "skipped"
    assert sorted(_ranked(out)) == sorted(NORD)
    # The valid postes file is not blamed for the sites' numbers.
    assert not [
        i for i in _issues(out) if i["source"].endswith("postes.csv") and i["severity"] != "info"
    ]


def test_a_wkt_point_at_1e400_is_skipped_without_library_warnings(tmp_path: Path) -> None:
    csv = tmp_path / "sites.csv"
    rows = [f"{k};POINT ({x} {y})" for k, (x, y) in NORD.items()] + ["huge;POINT (1e400 1e400)"]
    csv.write_text("site_id;wkt\n" + "\n".join(rows) + "\n", encoding="utf-8")
    layer = {"role": "sites", "path": csv.name, "wkt_field": "wkt", "crs": "EPSG:4326"}
    project = project_file(tmp_path, [layer])
    out = tmp_path / "ranking.json"
    ended = _score(project, out)
    assert ended.code == 0, ended.err
    _no_library_paths(ended)
    assert "huge" not in _ranked(out)
    assert [i for i in _issues(out) if "huge" in i["message"] and i["action"] == "skipped"]
