"""Choosing the working CRS: Lambert-93 for sites in metropolitan France, UTM elsewhere."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from siteassess.layers.crs import choose_working_crs, in_metropolitan_france

# Town centres (lon, lat), rounded; border towns on both sides.
IN_FRANCE = {
    "Lille": (3.06, 50.63),
    "Strasbourg": (7.75, 48.58),
    "Dunkerque": (2.37, 51.03),
    "Perpignan": (2.90, 42.70),
    "Brest": (-4.49, 48.39),
    "Nice": (7.27, 43.70),
    "Ajaccio": (8.74, 41.92),
    "Bastia": (9.45, 42.70),
    "Maubeuge": (3.97, 50.28),
    "Thionville": (6.17, 49.36),
    "Annecy": (6.13, 45.90),
    "Chamonix": (6.87, 45.92),
    "Escaudain": (3.35, 50.32),
    "Hendaye": (-1.77, 43.36),
    "Menton": (7.50, 43.77),
    "Cherbourg": (-1.62, 49.64),
    "Evian": (6.59, 46.40),
    "Givet": (4.83, 50.14),
    "Forbach": (6.90, 49.19),
    "Wissembourg": (7.94, 49.04),
    "Saint-Louis": (7.56, 47.59),
    "Annemasse": (6.24, 46.19),
    "Loon-Plage": (2.21, 51.00),
}
ABROAD = {
    "London": (-0.10, 51.50),
    "Brussels": (4.35, 50.85),
    "Luxembourg": (6.13, 49.61),
    "Frankfurt": (8.68, 50.10),
    "Geneva": (6.14, 46.20),
    "Turin": (7.68, 45.07),
    "Mons": (3.95, 50.45),
    "Saarbrucken": (6.99, 49.23),
    "Kehl": (7.81, 48.57),
    "Basel": (7.59, 47.56),
    "Barcelona": (2.17, 41.39),
    "Jersey": (-2.10, 49.20),
    "Kortrijk": (3.26, 50.83),
    "Freiburg": (7.85, 47.99),
    "Lausanne": (6.63, 46.52),
}


@pytest.mark.parametrize(
    ("town", "inside"), [(t, True) for t in IN_FRANCE] + [(t, False) for t in ABROAD]
)
def test_france_outline(town: str, inside: bool) -> None:
    lon, lat = {**IN_FRANCE, **ABROAD}[town]
    assert bool(in_metropolitan_france(lon, lat)) is inside


def _sites(*points: tuple[float, float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[shapely.Point(p) for p in points], crs="EPSG:4326")


def test_sites_in_france_work_in_lambert93() -> None:
    crs = choose_working_crs(_sites(IN_FRANCE["Lille"], IN_FRANCE["Ajaccio"]), None, "p")
    assert crs.to_epsg() == 2154


def test_a_site_in_frankfurt_gets_its_utm_zone() -> None:
    # 8.68 E is in UTM zone 32 (6-12 E), northern hemisphere: EPSG:32632.
    crs = choose_working_crs(_sites(ABROAD["Frankfurt"]), None, "p")
    assert crs.to_epsg() == 32632
