"""Connectivity: round trips from pyproj Geod distances, and routing along a fibre network."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod, Transformer

from siteassess.assessment import measure, score
from siteassess.project import load_project
from tests.conftest import squares

# FACTS.md: the Cartofriches point of Escaudain and the exchanges (lat, lon).
ESCAUDAIN = (50.3209493, 3.3533556)
EXCHANGES = [
    ("DE-CIX Frankfurt", "Frankfurt", 50.11967, 8.73463),
    ("LINX", "London", 51.498842, -0.014327),
    ("AMS-IX", "Amsterdam", 52.356394, 4.950837),
    ("France-IX Paris", "Paris", 48.856654, 2.38532),
    ("Lillix Anzin", "Lille", 50.380311, 3.521029),
    ("Lillix Sainghin", "Lille", 50.584099, 3.136511),
]
GEOD = Geod(ellps="WGS84")
TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


def _exchanges_csv(path: Path, rows: list[tuple[str, str, float, float]]) -> None:
    pd.DataFrame(rows, columns=["name", "market", "lat", "lon"]).to_csv(path, index=False)


@pytest.fixture
def escaudain_project(write_project: Callable[..., Path], tmp_path: Path) -> Callable[..., Path]:
    def _make(**params: object) -> Path:
        x, y = TO_L93.transform(ESCAUDAIN[1], ESCAUDAIN[0])
        _exchanges_csv(tmp_path / "ex.csv", EXCHANGES)
        return write_project(
            [
                {"role": "sites", "path": "sites.gpkg", "data": squares([(x, y)], 600)},
                {
                    "role": "exchanges",
                    "path": "ex.csv",
                    "x_field": "lon",
                    "y_field": "lat",
                    "crs": "EPSG:4326",
                    "name_field": "name",
                    "market_field": "market",
                },
            ],
            criteria={"connectivity": {"weight": 1, **params}},
        )

    return _make


def test_round_trips_match_geodesic_distances(escaudain_project: Callable[..., Path]) -> None:
    m = measure(load_project(escaudain_project(route_factor=1.3)))
    s = m.measures.loc["s0"]
    # FACTS.md: great-circle distances from the Escaudain point (about).
    facts_km = {"paris": 177, "amsterdam": 252, "london": 270, "frankfurt": 383}
    for market, km in facts_km.items():
        assert s[f"exchange_{market}_km"] == pytest.approx(km, rel=0.01)
    for name, market, lat, lon in EXCHANGES[:4]:
        _, _, d = GEOD.inv(ESCAUDAIN[1], ESCAUDAIN[0], lon, lat)
        expected = 2 * 1.3 * (d / 1000) * 4.9e-3  # ms: 2 x factor x km x 4.9 us/km
        # the square is centred on the point: its centroid is the point (to a few mm)
        assert s[f"rtt_{market.lower()}_ms"] == pytest.approx(expected, rel=1e-6), name
    rtts = [s[f"rtt_{m}_ms"] for m in ("frankfurt", "london", "amsterdam", "paris")]
    assert s["rtt_flap_mean_ms"] == pytest.approx(np.mean(rtts))
    _, _, d_anzin = GEOD.inv(ESCAUDAIN[1], ESCAUDAIN[0], 3.521029, 50.380311)
    assert s["nearest_exchange_name"] == "Lillix Anzin"
    assert s["nearest_exchange_km"] == pytest.approx(d_anzin / 1000, rel=1e-6)
    assert s["route_factor"] == 1.3
    assert np.isnan(s["fibre_distance_m"])


def test_value_is_linear_in_the_mean_round_trip(escaudain_project: Callable[..., Path]) -> None:
    a = score(measure(load_project(escaudain_project(worst_rtt_ms=8))))
    mean = a.measurements.measures.loc["s0", "rtt_flap_mean_ms"]
    assert a.table.values[0, 0] == pytest.approx(1 - mean / 8)


def test_a_missing_market_is_nan_with_an_issue(
    write_project: Callable[..., Path], tmp_path: Path
) -> None:
    x, y = TO_L93.transform(ESCAUDAIN[1], ESCAUDAIN[0])
    _exchanges_csv(tmp_path / "ex.csv", EXCHANGES[1:])  # no Frankfurt
    p = load_project(
        write_project(
            [
                {"role": "sites", "path": "sites.gpkg", "data": squares([(x, y)], 600)},
                {"role": "exchanges", "path": "ex.csv", "crs": "EPSG:4326"},
            ],
            criteria={"connectivity": {"weight": 1}},
        )
    )
    m = measure(p)
    assert np.isnan(m.measures.loc["s0", "rtt_frankfurt_ms"])
    assert np.isnan(m.measures.loc["s0", "rtt_flap_mean_ms"])
    assert any("no exchange of the Frankfurt market" in i.message for i in m.issues)


X0, Y0 = 700_000.0, 7_000_000.0


def _network_project(
    write_project: Callable[..., Path], tmp_path: Path, lines: list[shapely.LineString]
) -> Path:
    to_ll = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform(X0 + 10_000, Y0 + 10_000)
    _exchanges_csv(tmp_path / "ex.csv", [("IX", "Paris", lat, lon)])
    fibre = gpd.GeoDataFrame(
        {"name": [f"l{i}" for i in range(len(lines))]}, geometry=lines, crs="EPSG:2154"
    )
    # A diamond whose top vertex (x0+2000, y0-550) is its unique nearest point to the fibre.
    cx, cy = X0 + 2000, Y0 - 600
    diamond = gpd.GeoDataFrame(
        {"site_id": ["s0"]},
        geometry=[shapely.Polygon([(cx, cy + 50), (cx + 50, cy), (cx, cy - 50), (cx - 50, cy)])],
        crs="EPSG:2154",
    )
    return write_project(
        [
            {"role": "sites", "path": "sites.gpkg", "data": diamond},
            {"role": "exchanges", "path": "ex.csv", "crs": "EPSG:4326"},
            {"role": "fibre", "path": "fibre.gpkg", "data": fibre},
        ],
        criteria={"connectivity": {"weight": 1, "route_factor": 1.4}},
    )


def test_routing_along_a_connected_fibre_network(
    write_project: Callable[..., Path], tmp_path: Path
) -> None:
    lines = [
        shapely.LineString([(X0, Y0), (X0 + 10_000, Y0)]),
        shapely.LineString([(X0 + 10_000, Y0), (X0 + 10_000, Y0 + 10_000)]),
    ]
    m = measure(load_project(_network_project(write_project, tmp_path, lines)))
    s = m.measures.loc["s0"]
    assert s["fibre_distance_m"] == pytest.approx(550, abs=1e-6)
    # 1.4 x 550 m to reach the line at x0+2000, then 8 km east and 10 km north to the IX.
    route_m = 1.4 * 550 + 8000 + 10_000
    assert s["rtt_paris_fibre_ms"] == pytest.approx(2 * route_m / 1000 * 4.9e-3, rel=1e-3)


def test_a_disconnected_network_gives_no_routed_estimate(
    write_project: Callable[..., Path], tmp_path: Path
) -> None:
    lines = [
        shapely.LineString([(X0, Y0), (X0 + 10_000, Y0)]),
        shapely.LineString([(X0 + 12_000, Y0), (X0 + 12_000, Y0 + 10_000)]),
    ]
    m = measure(load_project(_network_project(write_project, tmp_path, lines)))
    assert "rtt_paris_fibre_ms" not in m.measures.columns
    assert m.measures.loc["s0", "fibre_distance_m"] == pytest.approx(550, abs=1e-6)
    assert any("not form a connected network" in i.message for i in m.issues)
