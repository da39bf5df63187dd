"""Land: area, power density and compactness of synthetic outlines."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from siteassess.assessment import measure, score
from siteassess.errors import Quantity
from siteassess.project import load_project

X0, Y0 = 700_000.0, 7_000_000.0


def test_area_density_compactness_and_minimum(write_project: Callable[..., Path]) -> None:
    sites = gpd.GeoDataFrame(
        {"site_id": ["square", "strip", "point"]},
        geometry=[
            shapely.box(X0, Y0, X0 + 600, Y0 + 600),  # 36 ha
            shapely.box(X0 + 1000, Y0, X0 + 1000 + 3000, Y0 + 20),  # 6 ha, 3 km x 20 m
            shapely.Point(X0 + 5000, Y0),
        ],
        crs="EPSG:2154",
    )
    p = load_project(
        write_project(
            [{"role": "sites", "path": "s.gpkg", "data": sites}],
            criteria={"land": {"weight": 1}},
            demand_mw=700,
        )
    )
    a = score(measure(p))
    m = a.measurements.measures
    assert m.loc["square", "area_ha"] == pytest.approx(36.0)
    assert m.loc["square", "power_density_mw_per_ha"] == pytest.approx(700 / 36)
    assert m.loc["square", "compactness"] == pytest.approx(math.pi / 4)
    assert m.loc["strip", "compactness"] == pytest.approx(4 * math.pi * 60_000 / 6040**2)
    assert np.isnan(m.loc["point", "area_ha"])
    assert a.exclusions["strip"] == ("area 6.0 ha is below the minimum 10 ha",)
    # linear 1 at 10 MW/ha to 0 at 25 MW/ha
    assert a.table.values[0, 0] == pytest.approx((25 - 700 / 36) / 15)
    assert any("not polygons" in i.message for i in a.issues)


def test_areas_are_measured_in_the_working_crs_not_degrees(
    write_project: Callable[..., Path],
) -> None:
    # A lon/lat square near Lille: the area must come out in hectares, not square degrees.
    lonlat = gpd.GeoDataFrame(
        {"site_id": ["a"]}, geometry=[shapely.box(3.0, 50.6, 3.01, 50.61)], crs="EPSG:4326"
    )
    p = load_project(write_project([{"role": "sites", "path": "s.geojson", "data": lonlat}]))
    m = measure(p)
    expected = lonlat.to_crs("EPSG:2154").area.iloc[0] / 10_000
    assert m.measures.loc["a", "area_ha"] == pytest.approx(expected)
    assert 70 < expected < 80  # about 0.71 km x 1.11 km


def test_land_reasons_and_issues_are_coded(write_project: Callable[..., Path]) -> None:
    sites = gpd.GeoDataFrame(
        {"site_id": ["strip", "point"]},
        geometry=[shapely.box(X0, Y0, X0 + 3000, Y0 + 20), shapely.Point(X0 + 5000, Y0)],
        crs="EPSG:2154",
    )
    p = load_project(
        write_project(
            [{"role": "sites", "path": "s.gpkg", "data": sites}], criteria={"land": {"weight": 1}}
        )
    )
    a = score(measure(p))
    (reason,) = a.reasons["strip"]
    assert reason.code == "area_too_small"
    assert reason.value_map == {
        "area": Quantity(pytest.approx(6.0), "ha", 1),
        "min": Quantity(10.0, "ha"),
    }
    codes = {i.code: i for i in a.issues}
    assert codes["not_polygons"].values == {"n": 1}
    assert codes["not_polygons"].message == "1 sites are not polygons (points or lines)"
    assert codes["no_demand"].action == "set demand_mw in the project"
