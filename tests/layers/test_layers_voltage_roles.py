"""The voltage parser, and the standard columns each role gets from ordinary files."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from siteassess.errors import LayerContentError
from siteassess.layers import open_layer, open_sites
from siteassess.layers.voltage import parse_voltage_kv
from siteassess.project import Project

NAN = math.nan


@pytest.mark.parametrize(
    ("text", "unit", "kv"),
    [
        ("400kV", "kV", 400.0),
        ("225 kV", "kV", 225.0),
        ("63KV", "kV", 63.0),
        ("<45kV", "kV", NAN),
        ("HORS TENSION", "kV", NAN),
        ("COURANT CONTINU", "kV", NAN),
        ("225", "kV", 225.0),
        ("22,5", "kV", 22.5),
        ("400000;225000", "V", 400.0),
        ("225000;400000", "V", 400.0),  # the highest, wherever it is
        ("63000", "V", 63.0),
        ("400kV", "V", 400.0),  # an explicit kV wins over the bare-number unit
        ("", "kV", NAN),
        ("   ", "V", NAN),
        ("unknown", "V", NAN),
    ],
)
def test_parse_voltage_text(text: str, unit: str, kv: float) -> None:
    got = parse_voltage_kv(pd.Series([text], dtype="string"), unit)
    assert got.shape == (1,)
    if math.isnan(kv):
        assert math.isnan(got[0])
    else:
        assert got[0] == pytest.approx(kv)


def test_parse_voltage_missing_values_are_nan() -> None:
    got = parse_voltage_kv(pd.Series(["400kV", None, pd.NA, "63kV"], dtype="string"))
    np.testing.assert_array_equal(got, [400.0, NAN, NAN, 63.0])
    got = parse_voltage_kv(pd.Series(["400kV", None, "63kV"], dtype=object))
    np.testing.assert_array_equal(got, [400.0, NAN, 63.0])


@pytest.mark.parametrize(
    ("values", "unit", "expected"),
    [
        (pd.Series([400, 225, 63]), "kV", [400.0, 225.0, 63.0]),
        (pd.Series([400_000.0, NAN, 63_000.0]), "V", [400.0, NAN, 63.0]),
        (pd.Series([400_000, None], dtype="Int64"), "V", [400.0, NAN]),
    ],
    ids=["int-kv", "float-volts-with-nan", "nullable-int-volts"],
)
def test_parse_voltage_numeric_columns(values: pd.Series, unit: str, expected: list[float]) -> None:
    got = parse_voltage_kv(values, unit)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, expected)


def test_parse_voltage_keeps_order_over_many_repeated_labels() -> None:
    labels = ["63kV", "400kV", "<45kV", "63kV", "", "400kV"] * 100
    got = parse_voltage_kv(pd.Series(labels, dtype="string"))
    expected = [{"63kV": 63.0, "400kV": 400.0}.get(v, NAN) for v in labels]
    np.testing.assert_array_equal(got, expected)


# ---------------------------------------------------------------- role columns from files


def _open(
    tmp_path: Path,
    make_project: Callable[..., Project],
    sites_layer: dict[str, Any],
    gdf: gpd.GeoDataFrame,
    role: str,
    **keys: Any,
) -> gpd.GeoDataFrame:
    gdf.to_file(tmp_path / "layer.gpkg")
    project = make_project([sites_layer, {"role": role, "path": "layer.gpkg", **keys}])
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of(role)[0], project, working, sites.extent)
    return layer.frame().set_index("ref")


def _points(**cols: list[Any]) -> gpd.GeoDataFrame:
    n = len(next(iter(cols.values())))
    geoms = [Point(705_000.0 + 100 * i, 7_031_000.0) for i in range(n)]
    return gpd.GeoDataFrame(cols, geometry=geoms, crs="EPSG:2154")


def test_substations_own_kv_and_state_columns_are_normalised(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    gdf = _points(
        ref=["a", "b", "c", "d", "e"],
        kv=["400kV", "225", "<45kV", "63 kV", "90kV"],
        state=["in_service", "En service", "Hors tension", "authorised", "En construction"],
    )
    out = _open(tmp_path, make_project, sites_layer, gdf, "substations")
    np.testing.assert_array_equal(out["kv"].to_numpy(dtype=float), [400, 225, NAN, 63, 90])
    assert out["state"].tolist() == [
        "in_service",
        "in_service",
        "out_of_service",
        "authorised",
        "authorised",
    ]


def test_substations_voltage_in_volts_and_status_field(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    gdf = _points(
        ref=["a", "b", "c"],
        voltage=["400000;225000", "63000", ""],
        statut=["operational", "disused", "planned"],
        nom=["Poste A", "Poste B", "Poste C"],
    )
    out = _open(
        tmp_path,
        make_project,
        sites_layer,
        gdf,
        "substations",
        voltage_unit="V",
        status_field="statut",
    )
    np.testing.assert_array_equal(out["kv"].to_numpy(dtype=float), [400, 63, NAN])
    assert out["state"].tolist() == ["in_service", "out_of_service", "authorised"]
    assert out["name"].tolist() == ["Poste A", "Poste B", "Poste C"]


def test_substations_without_a_voltage_column_are_refused(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    gdf = _points(ref=["a"], nom=["A"])
    with pytest.raises(LayerContentError, match="kv_field"):
        _open(tmp_path, make_project, sites_layer, gdf, "substations")


def test_power_lines_own_kv_column_is_parsed(
    tmp_path: Path, sites_layer: dict[str, Any], make_project: Callable[..., Project]
) -> None:
    gdf = gpd.GeoDataFrame(
        {"ref": ["l1", "l2"], "kv": ["400kV", "225000"]},
        geometry=[
            LineString([(705_000, 7_031_000), (706_000, 7_031_000)]),
            LineString([(705_000, 7_032_000), (706_000, 7_032_000)]),
        ],
        crs="EPSG:2154",
    )
    out = _open(tmp_path, make_project, sites_layer, gdf, "power_lines", voltage_unit="V")
    np.testing.assert_array_equal(out["kv"].to_numpy(dtype=float), [400.0, 225.0])


def test_flood_scenario_column_is_normalised_and_unknown_values_skipped(
    tmp_path: Path,
    sites_layer: dict[str, Any],
    make_project: Callable[..., Project],
    square_site: Any,
) -> None:
    gdf = gpd.GeoDataFrame(
        {"ref": ["z1", "z2", "z3", "z4"], "scenario": ["Moyenne", "forte", "medium", "centennale"]},
        geometry=[square_site] * 4,
        crs="EPSG:2154",
    )
    gdf.to_file(tmp_path / "layer.gpkg")
    project = make_project([sites_layer, {"role": "flood", "path": "layer.gpkg"}])
    sites, working = open_sites(project)
    layer = open_layer(project.layers_of("flood")[0], project, working, sites.extent)
    out = layer.frame().set_index("ref")
    assert out["scenario"].to_dict() == {"z1": "medium", "z2": "frequent", "z3": "medium"}
    skipped = [i for i in layer.issues if "unknown scenario" in i.message]
    assert len(skipped) == 1 and "centennale" in skipped[0].message


def test_volts_given_as_kv_are_reported_and_converted(tmp_path: Path) -> None:
    from siteassess.layers.roles import power_lines
    from siteassess.project import LayerSpec

    gdf = gpd.GeoDataFrame(
        {"voltage": ["400000", "225"]},
        geometry=[LineString([(0, 0), (1, 1)])] * 2,
        crs="EPSG:2154",
    )
    issues: list = []
    spec = LayerSpec(role="power_lines", path="l.gpkg", kv_field="voltage")
    out = power_lines(gdf, spec, "l.gpkg", issues)
    assert out["kv"].tolist() == [400.0, 225.0]
    assert len(issues) == 1 and 'voltage_unit = "V"' in issues[0].message
