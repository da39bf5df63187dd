"""``osm-power``: OpenStreetMap grid topology exported by SciGRID (vertices and links).

The real files are ../shared/data/osm_scigrid_hv_vertices_nord_2017.geojson (155 vertices:
v_id, typ, voltage, frequency, name, operator, ref) and ..._links_nord_2017.geojson (240
links: l_id, v_id_1, v_id_2, voltage, cables, wires, frequency, name, operator, ref,
length_m, type); voltage in volts, ``;``-separated when several. Expected values are
computed here from the raw JSON, not from the importer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
import tomli_w
from pyproj import CRS, Transformer

from siteassess.assessment import measure
from siteassess.layers import Layer, open_layer
from siteassess.project import Project, load_project

VERTICES = "osm_scigrid_hv_vertices_nord_2017.geojson"
LINKS = "osm_scigrid_hv_links_nord_2017.geojson"
TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
X0, Y0 = 705_000.0, 7_030_000.0  # near Douai, Lambert-93 (as tests/layers/conftest.py)


def _features(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text("utf-8"))["features"])


def _max_kv(voltage: str | None) -> float:
    """Highest of ``;``-separated volts, in kV (written apart from the importer)."""
    if not voltage:
        return math.nan
    return max(int(v) for v in voltage.split(";")) / 1000


def _open(path: Path, role: str, make_project: Callable[..., Project], **keys: Any) -> Layer:
    sites = {"role": "sites", "path": "sites.gpkg"}
    project = make_project([sites, {"role": role, "path": str(path), **keys}], crs="EPSG:2154")
    spec = project.layers_of(role)[0]
    return open_layer(spec, project, CRS.from_epsg(2154), None)  # whole file


def test_real_vertices_are_detected_and_voltages_parsed(
    shared_data: Path, make_project: Callable[..., Project]
) -> None:
    raw = _features(shared_data / VERTICES)
    layer = _open(shared_data / VERTICES, "substations", make_project)
    assert layer.provenance.format == "osm-power"
    assert layer.provenance.source == "© OpenStreetMap contributors (SciGRID extract)"
    assert layer.provenance.licence == "ODbL 1.0"
    assert layer.provenance.rows_read == 155 and layer.features == 155
    out = layer.frame()
    assert out["v_id"].tolist() == [f["properties"]["v_id"] for f in raw]
    expected = np.array([_max_kv(f["properties"]["voltage"]) for f in raw])
    np.testing.assert_array_equal(out["kv"].to_numpy(dtype=float), expected)
    n380 = sum(1 for kv in expected if kv >= 380)
    assert n380 > 0 and int((out["kv"] >= 380).sum()) == n380
    subs = [f["properties"]["typ"] in ("substation", "sub_station") for f in raw]
    assert out["state"].tolist() == ["in_service" if s else "unknown" for s in subs]
    named = {f["properties"]["v_id"]: f["properties"]["name"] for f in raw}
    assert out.set_index("v_id")["name"]["36392"] == named["36392"] == "Elia Lint"
    assert not out["name"].isna().any()  # unnamed vertices get "OSM <typ> <v_id>"
    (others,) = [i for i in layer.issues if "not substations" in i.message]
    assert others.count == len(raw) - sum(subs)
    (no_kv,) = [i for i in layer.issues if "no voltage" in i.message]
    assert no_kv.count == sum(1 for f in raw if not f["properties"]["voltage"])


def test_real_links_read_as_power_lines(
    shared_data: Path, make_project: Callable[..., Project]
) -> None:
    raw = _features(shared_data / LINKS)
    layer = _open(shared_data / LINKS, "power_lines", make_project)
    assert layer.provenance.format == "osm-power"
    assert layer.provenance.rows_read == 240 and layer.features == 240
    out = layer.frame()
    expected = np.array([_max_kv(f["properties"]["voltage"]) for f in raw])
    np.testing.assert_array_equal(out["kv"].to_numpy(dtype=float), expected)
    assert int((out["kv"] >= 380).sum()) == sum(1 for kv in expected if kv >= 380)
    # Repeated per-circuit values are given once.
    ifa = out.loc[out["name"].str.startswith("IFA", na=False), "name"]
    assert set(ifa) == {"IFA 2000"}
    assert (out["operator"] == "RTE; Elia").sum() == 1


def test_voltage_unit_v_does_not_divide_the_kv_again(
    shared_data: Path, make_project: Callable[..., Project]
) -> None:
    plain = _open(shared_data / LINKS, "power_lines", make_project).frame()
    volts = _open(shared_data / LINKS, "power_lines", make_project, voltage_unit="V").frame()
    np.testing.assert_array_equal(volts["kv"].to_numpy(), plain["kv"].to_numpy())
    assert np.nanmax(volts["kv"].to_numpy(dtype=float)) == 400.0


def test_power_criterion_measures_distances_to_the_real_grid(
    shared_data: Path, tmp_path: Path
) -> None:
    site = shapely.box(X0, Y0, X0 + 500, Y0 + 500)
    gpd.GeoDataFrame({"site_id": ["S1"]}, geometry=[site], crs="EPSG:2154").to_file(
        tmp_path / "sites.gpkg"
    )
    doc = {
        "schema": 1,
        "name": "osm",
        "crs": "EPSG:2154",
        "layers": [
            {"role": "sites", "path": "sites.gpkg", "id_field": "site_id"},
            {"role": "substations", "path": str(shared_data / VERTICES)},
            {"role": "power_lines", "path": str(shared_data / LINKS)},
        ],
        "criteria": {"power": {"weight": 1, "min_kv": 225}},
    }
    (tmp_path / "project.toml").write_text(tomli_w.dumps(doc), "utf-8")
    m = measure(load_project(tmp_path / "project.toml")).measures.loc["S1"]

    # By hand: substations (typ) of at least 225 kV, in Lambert-93, nearest to the outline.
    best = (math.inf, "")
    best400 = math.inf
    for f in _features(shared_data / VERTICES):
        p = f["properties"]
        kv = _max_kv(p["voltage"])
        if p["typ"] not in ("substation", "sub_station") or not kv >= 225:
            continue
        x, y = TO_L93.transform(*f["geometry"]["coordinates"])
        d = site.distance(shapely.Point(x, y))
        best = min(best, (d, p["name"] or f"OSM {p['typ']} {p['v_id']}"))
        if kv >= 400:
            best400 = min(best400, d)
    line = math.inf
    for f in _features(shared_data / LINKS):
        if not _max_kv(f["properties"]["voltage"]) >= 225:
            continue
        xs, ys = TO_L93.transform(*zip(*f["geometry"]["coordinates"], strict=True))
        line = min(line, site.distance(shapely.LineString(zip(xs, ys, strict=True))))

    assert m["substation_distance_m"] == pytest.approx(best[0], abs=0.01)
    assert m["substation_name"] == best[1]
    assert m["substation_400kv_distance_m"] == pytest.approx(best400, abs=0.01)
    assert m["line_distance_m"] == pytest.approx(line, abs=0.01)
    assert 0 < m["line_distance_m"] < m["substation_distance_m"] < 50_000


# SciGRID schema, two vertices and one link, lon/lat (no shared data needed).
def _tiny(tmp_path: Path) -> tuple[Path, Path]:
    v = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [3.08, 50.52]},
                "properties": {
                    "v_id": "1",
                    "typ": "substation",
                    "voltage": "225000;400000",
                    "frequency": "50",
                    "name": "Avelin",
                    "operator": "RTE;RTE",
                    "ref": None,
                },
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [3.20, 50.40]},
                "properties": {
                    "v_id": "2",
                    "typ": "joint",
                    "voltage": "90000",
                    "frequency": None,
                    "name": None,
                    "operator": None,
                    "ref": None,
                },
            },
        ],
    }
    link = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[3.08, 50.52], [3.2, 50.4]]},
                "properties": {
                    "l_id": "9",
                    "v_id_1": "1",
                    "v_id_2": "2",
                    "voltage": "90000",
                    "cables": "3",
                    "name": None,
                    "operator": "RTE",
                    "length_m": 16000.0,
                    "type": "line",
                },
            }
        ],
    }
    (tmp_path / "v.geojson").write_text(json.dumps(v), "utf-8")
    (tmp_path / "l.geojson").write_text(json.dumps(link), "utf-8")
    return tmp_path / "v.geojson", tmp_path / "l.geojson"


def test_small_files_detection_and_explicit_format(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    vpath, lpath = _tiny(tmp_path)
    subs = _open(vpath, "substations", make_project, format="osm-power").frame()
    assert subs["kv"].tolist() == [400.0, 90.0]
    assert subs["state"].tolist() == ["in_service", "unknown"]
    assert subs["name"].tolist() == ["Avelin", "OSM joint 2"]
    assert subs["operator"].tolist()[0] == "RTE"
    lines = _open(lpath, "power_lines", make_project)
    assert lines.provenance.format == "osm-power"
    assert lines.frame()["kv"].tolist() == [90.0]
    assert lines.frame()["name"].tolist() == ["OSM line 9"]
    # voltage_unit = "V" (OSM's unit) must not divide the importer's kV again.
    volts = _open(lpath, "power_lines", make_project, voltage_unit="V")
    assert volts.frame()["kv"].tolist() == [90.0]
    assert not [i for i in volts.issues if "volts" in i.message]


def test_project_accepts_the_format_name(tmp_path: Path) -> None:
    doc = {
        "schema": 1,
        "name": "p",
        "layers": [
            {"role": "sites", "path": "s.gpkg"},
            {"role": "substations", "path": "v.geojson", "format": "osm-power"},
            {"role": "power_lines", "path": "l.geojson", "format": "osm-power"},
        ],
        "criteria": {"power": {"weight": 1}},
    }
    (tmp_path / "p.toml").write_text(tomli_w.dumps(doc), "utf-8")
    assert {s.format for s in load_project(tmp_path / "p.toml").layers[1:]} == {"osm-power"}
