"""``exchanges``: internet exchanges and facilities from a CSV of lon/lat points.

Small files follow the columns of sample_sites/hauts-de-france/exchanges.csv (name,
market, facility, lon, lat) plus the optional ``kind`` (exchange | facility); the
coordinates are the public locations of the exchanges' host buildings, in WGS84.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w
from pyproj import CRS, Transformer

from siteassess.layers import Layer, open_layer
from siteassess.project import Project, load_project

TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
CSV = """name,market,facility,kind,lon,lat
France-IX Paris,paris,Telehouse Paris 2 (Voltaire),exchange,2.38532,48.856654
DE-CIX Frankfurt,Frankfurt,Digital Realty FRA1-16,,8.73463,50.11967
Equinix PA3,Paris,Equinix PA3 Saint-Denis,facility,2.36063,48.92213
LINX,London,"Equinix LD8, Docklands",ixp,-0.014327,51.498842
Lost,Amsterdam,,exchange,,52.35
"""


def _open(path: Path, make_project: Callable[..., Project], **keys: Any) -> Layer:
    sites = {"role": "sites", "path": "sites.gpkg"}
    project = make_project([sites, {"role": "exchanges", "path": path.name, **keys}])
    return open_layer(project.layers_of("exchanges")[0], project, CRS.from_epsg(2154), None)


def test_detected_with_lon_lat_as_wgs84(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    path = tmp_path / "exchanges.csv"
    path.write_text(CSV, "utf-8")
    layer = _open(path, make_project)  # no format, no crs, no x_field/y_field
    assert layer.provenance.format == "exchanges"
    assert layer.source_crs.startswith("EPSG:4326")
    out = layer.frame()
    assert out["name"].tolist() == ["France-IX Paris", "DE-CIX Frankfurt", "Equinix PA3", "LINX"]
    assert out["market"].tolist() == ["Paris", "Frankfurt", "Paris", "London"]
    assert out["kind"].tolist() == ["exchange", "exchange", "facility", "ixp"]
    assert out["facility"].tolist()[3] == "Equinix LD8, Docklands"
    x, y = TO_L93.transform([2.38532, 8.73463], [48.856654, 50.11967])
    got = np.column_stack([out.geometry.x[:2], out.geometry.y[:2]])
    np.testing.assert_allclose(got, np.column_stack([x, y]), atol=0.01)
    (kind,) = [i for i in layer.issues if "kind" in i.message]
    assert kind.count == 1 and "ixp" in kind.message and "LINX" in kind.message
    (lost,) = [i for i in layer.issues if "coordinates" in i.message]
    assert lost.count == 1 and lost.action == "skipped"
    assert "line 6" in lost.message and "Lost" in lost.message and lost.source == str(path)
    assert layer.provenance.rows_read == 5 and layer.features == 4


def test_explicit_format_semicolons_and_a_project_crs(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    path = tmp_path / "ix.csv"
    path.write_text("name;market;lon;lat\nIX Lille;other;705000;7030000\n", "utf-8")
    layer = _open(path, make_project, format="exchanges", crs="EPSG:2154")
    assert layer.provenance.format == "exchanges"
    out = layer.frame()
    assert (out.geometry.x[0], out.geometry.y[0]) == pytest.approx((705_000, 7_030_000))
    assert out["kind"].tolist() == ["exchange"] and out["market"].tolist() == ["other"]


def test_the_sample_project_exchanges_are_read_by_this_importer(
    sample_project: Path,
) -> None:
    project = load_project(sample_project)
    spec = project.layers_of("exchanges")[0]
    layer = open_layer(spec, project, CRS.from_epsg(2154), None)
    assert layer.provenance.format == "exchanges"
    assert {"Paris", "London", "Frankfurt", "Amsterdam"} <= set(layer.frame()["market"])


def test_project_accepts_the_format_name(tmp_path: Path) -> None:
    doc = {
        "schema": 1,
        "name": "p",
        "layers": [
            {"role": "sites", "path": "s.gpkg"},
            {"role": "exchanges", "path": "ix.csv", "format": "exchanges"},
        ],
        "criteria": {"connectivity": {"weight": 1}},
    }
    (tmp_path / "p.toml").write_text(tomli_w.dumps(doc), "utf-8")
    assert load_project(tmp_path / "p.toml").layers[1].format == "exchanges"
