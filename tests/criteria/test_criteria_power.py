"""Power: distances from site outlines to substations and lines, checked by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from siteassess.assessment import measure, score
from siteassess.criteria.power import default_min_kv, min_kv_warning
from siteassess.errors import Name, Quantity
from siteassess.project import load_project
from tests.conftest import squares

X0, Y0 = 700_000.0, 7_000_000.0  # Lambert-93, near Douai


def _substations() -> gpd.GeoDataFrame:
    pts = {
        # name: (x, y, voltage, status)
        "A225": (X0 + 500 + 300, Y0, "225kV", "en service"),  # 300 m east of site 1
        "B400": (X0, Y0 + 500 + 2000, "400kV", "en service"),  # 2 km north of site 1
        "C400auth": (X0 - 500 - 100, Y0, "400kV", "accord administratif"),  # 100 m west
        "D63": (X0, Y0, "63kV", "en service"),  # inside site 1, too low
        "E400": (X0 + 20_000, Y0, "400kV", "en service"),  # inside site 2
    }
    return gpd.GeoDataFrame(
        {
            "nom": list(pts),
            "voltage": [v[2] for v in pts.values()],
            "etat": [v[3] for v in pts.values()],
        },
        geometry=[shapely.Point(v[0], v[1]) for v in pts.values()],
        crs="EPSG:2154",
    )


@pytest.fixture
def power_project(write_project: Callable[..., Path]) -> Callable[..., Path]:
    def _make(demand: float = 700, **params: object) -> Path:
        line = gpd.GeoDataFrame(
            {"voltage": ["400000", "90000"]},
            geometry=[
                shapely.LineString([(X0 - 5000, Y0 + 550), (X0 + 25_000, Y0 + 550)]),
                shapely.LineString([(X0 - 5000, Y0 - 510), (X0 + 25_000, Y0 - 510)]),
            ],
            crs="EPSG:2154",
        )
        return write_project(
            [
                {
                    "role": "sites",
                    "path": "sites.gpkg",
                    "data": squares([(X0, Y0), (X0 + 20_000, Y0)], 1000),
                },
                {
                    "role": "substations",
                    "path": "subs.gpkg",
                    "data": _substations(),
                    "kv_field": "voltage",
                    "status_field": "etat",
                    "name_field": "nom",
                },
                {
                    "role": "power_lines",
                    "path": "lines.gpkg",
                    "data": line,
                    "kv_field": "voltage",
                    "voltage_unit": "V",
                },
            ],
            criteria={"power": {"weight": 1, **params}},
            demand_mw=demand,
        )

    return _make


def test_nearest_substations_lines_and_authorised(power_project: Callable[..., Path]) -> None:
    m = measure(load_project(power_project(min_kv=225)))
    s1, s2 = m.measures.loc["s0"], m.measures.loc["s1"]
    assert s1["substation_distance_m"] == pytest.approx(300, abs=1e-6)
    assert (s1["substation_name"], s1["substation_kv"]) == ("A225", 225)
    assert s1["substation_400kv_distance_m"] == pytest.approx(2000, abs=1e-6)
    assert s1["substation_400kv_name"] == "B400"
    assert s1["authorised_substation_distance_m"] == pytest.approx(100, abs=1e-6)
    assert s1["authorised_substation_name"] == "C400auth"
    assert s1["line_distance_m"] == pytest.approx(50, abs=1e-6)  # the 90 kV line is ignored
    assert s2["substation_distance_m"] == 0.0  # a substation inside the outline
    assert s2["substation_name"] == "E400"


def test_authorised_substations_count_only_when_asked(power_project: Callable[..., Path]) -> None:
    m = measure(load_project(power_project(min_kv=225, include_authorised=True)))
    assert m.measures.loc["s0", "substation_distance_m"] == pytest.approx(100, abs=1e-6)
    assert m.measures.loc["s0", "substation_name"] == "C400auth"


def test_default_min_kv_follows_the_demand(power_project: Callable[..., Path]) -> None:
    assert [default_min_kv(d) for d in (5, 39.9, 40, 399, 400, 700, None)] == [
        63,
        63,
        225,
        225,
        400,
        400,
        225,
    ]
    m = measure(load_project(power_project(demand=700)))
    assert m.params["power"]["min_kv"] == 400
    assert m.measures.loc["s0", "substation_name"] == "B400"
    assert m.measures.loc["s0", "substation_distance_m"] == pytest.approx(2000, abs=1e-6)


def test_max_distance_excludes_with_a_reason(power_project: Callable[..., Path]) -> None:
    p = load_project(power_project(min_kv=400, max_distance_m=1500))
    a = score(measure(p))
    assert a.exclusions["s0"] == ("no substation ≥ 400 kV within 1.5 km (nearest: B400 at 2.0 km)",)
    assert "s1" not in a.exclusions
    assert list(a.table.excluded) == [True, False]


def test_value_function_applies_to_the_distance(power_project: Callable[..., Path]) -> None:
    a = score(measure(load_project(power_project(min_kv=225, full_cost_distance_m=1000))))
    # linear 1 at 0 m to 0 at 1000 m: 300 m -> 0.7, 0 m -> 1
    assert np.allclose(a.table.values[:, 0], [0.7, 1.0])
    assert np.allclose(a.table.scores, [70.0, 100.0])


def test_no_substation_layer_is_nan_and_a_data_issue(
    write_project: Callable[..., Path],
) -> None:
    p = load_project(
        write_project(
            [{"role": "sites", "path": "s.gpkg", "data": squares([(X0, Y0)], 100)}],
            criteria={"power": {"weight": 1}, "land": {"weight": 1}},
            demand_mw=50,
        )
    )
    a = score(measure(p))
    assert np.isnan(a.measurements.measures.loc["s0", "substation_distance_m"])
    assert any("no substations layer" in i.message for i in a.issues)
    assert a.table.completeness[0] == pytest.approx(0.5)


def test_a_400kv_poste_beyond_the_read_window_is_still_found(
    write_project: Callable[..., Path],
) -> None:
    # With a 1 km read margin the 400 kV poste 1.2 km from the outline lies outside the
    # window; the nearest 225 kV one (300 m) is inside. The 400 kV distance must not be NaN.
    subs = gpd.GeoDataFrame(
        {"nom": ["near225", "far400"], "voltage": ["225kV", "400kV"]},
        geometry=[shapely.Point(X0 + 800, Y0), shapely.Point(X0 + 1700, Y0)],
        crs="EPSG:2154",
    )
    p = load_project(
        write_project(
            [
                {"role": "sites", "path": "s.gpkg", "data": squares([(X0, Y0)], 1000)},
                {
                    "role": "substations",
                    "path": "subs.gpkg",
                    "data": subs,
                    "kv_field": "voltage",
                    "name_field": "nom",
                },
            ],
            criteria={"power": {"weight": 1, "min_kv": 225}},
            read_margin_m=1000,
        )
    )
    m = measure(p)
    assert m.measures.loc["s0", "substation_distance_m"] == pytest.approx(300)
    assert m.measures.loc["s0", "substation_400kv_distance_m"] == pytest.approx(1200)
    subs_layer = next(lyr for lyr in m.layers if lyr.spec.role == "substations")
    assert subs_layer.read_bounds is None  # read whole after the window proved too small


def test_postes_and_lines_both_beyond_the_read_window_are_both_found(
    write_project: Callable[..., Path],
) -> None:
    # Site s0 is the square of side 1 km around (X0, Y0); its outline is 500 m from the
    # centre. With a 1 km margin the 400 kV poste (1.2 km from the outline) and the only
    # line of at least 225 kV (a horizontal line 2.5 km north of the outline) both lie
    # outside the window: the one re-read of the power criterion must find both.
    subs = gpd.GeoDataFrame(
        {"nom": ["near225", "far400"], "voltage": ["225kV", "400kV"]},
        geometry=[shapely.Point(X0 + 800, Y0), shapely.Point(X0 + 1700, Y0)],
        crs="EPSG:2154",
    )
    lines = gpd.GeoDataFrame(
        {"voltage": ["400000"]},
        geometry=[shapely.LineString([(X0 - 5000, Y0 + 3000), (X0 + 5000, Y0 + 3000)])],
        crs="EPSG:2154",
    )
    p = load_project(
        write_project(
            [
                {"role": "sites", "path": "s.gpkg", "data": squares([(X0, Y0)], 1000)},
                {
                    "role": "substations",
                    "path": "subs.gpkg",
                    "data": subs,
                    "kv_field": "voltage",
                    "name_field": "nom",
                },
                {
                    "role": "power_lines",
                    "path": "lines.gpkg",
                    "data": lines,
                    "kv_field": "voltage",
                    "voltage_unit": "V",
                },
            ],
            criteria={"power": {"weight": 1, "min_kv": 225}},
            read_margin_m=1000,
        )
    )
    m = measure(p)
    assert m.measures.loc["s0", "substation_400kv_distance_m"] == pytest.approx(1200)
    assert m.measures.loc["s0", "line_distance_m"] == pytest.approx(2500)
    supply = m.nearby["power"]["s0"]
    assert [(o.name, round(o.distance_m)) for o in supply] == [("near225", 300), ("far400", 1200)]
    for role in ("substations", "power_lines"):
        layer = next(lyr for lyr in m.layers if lyr.spec.role == role)
        assert layer.read_bounds is None  # read whole after the window proved too small


def test_the_exclusion_is_structured_with_its_values(power_project: Callable[..., Path]) -> None:
    a = score(measure(load_project(power_project(min_kv=400, max_distance_m=1500))))
    (reason,) = a.reasons["s0"]
    assert reason.code == "power_too_far"
    assert reason.value_map == {
        "kv": Quantity(400.0, "kV"),
        "limit": Quantity(1.5, "km"),
        "name": Name("B400"),
        "distance": Quantity(pytest.approx(2.0), "km", 1),
    }
    assert str(reason) == a.exclusions["s0"][0]  # the English text is the template filled


def test_too_low_a_minimum_voltage_is_a_coded_issue(power_project: Callable[..., Path]) -> None:
    m = measure(load_project(power_project(min_kv=225, demand=700)))
    (issue,) = [i for i in m.issues if i.code == "min_kv_below_demand"]
    assert issue.values == {
        "kv": Quantity(225.0, "kV"),
        "need": Quantity(400.0, "kV"),
        "demand": Quantity(700.0, "MW"),
    }
    assert issue.message == min_kv_warning(225, 700)
    assert issue.message.startswith("min_kv = 225 kV is below the 400 kV a 700 MW campus needs")
    assert issue.remedy is not None and issue.remedy.code == "remove_min_kv"
    assert issue.action == "remove min_kv (default 400 kV) or lower demand_mw"
