"""Believable coordinates and areas: what is skipped, refused or kept, and the real inventory.

Expected distortions are computed independently with the transverse Mercator point scale on
the sphere, k = k0 / sqrt(1 - (cos φ sin Δλ)²), not taken from pyproj's output.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS

from siteassess.errors import CRSError, DataIssue, LayerContentError
from siteassess.layers import open_layer, open_sites
from siteassess.layers.crs import choose_working_crs, scale_error
from siteassess.layers.plausibility import (
    MAX_SITE_AREA_M2,
    area_problems,
    check_site_locations,
    drop_unusable_coordinates,
    unmeasurable,
    unusable_coordinates,
)
from tests.layers.conftest import SHARED_DATA

WGS84 = CRS.from_epsg(4326)
L93 = CRS.from_epsg(2154)
UTM31 = CRS.from_epsg(32631)
TOWNS = {  # lon, lat
    "lille": (3.06, 50.63),
    "brest": (-4.49, 48.39),
    "strasbourg": (7.75, 48.58),
    "nice": (7.27, 43.70),
    "ajaccio": (8.74, 41.92),
    "reunion": (55.45, -20.88),
    "warsaw": (21.01, 52.23),
}


def _points(names: list[str], crs: CRS = WGS84) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(
        geometry=[shapely.Point(TOWNS[n]) for n in names], crs=WGS84, index=names
    ).to_crs(crs)
    gdf.index.name = "site_id"
    return gdf


# ------------------------------------------------------------------ unusable coordinates


def test_each_kind_of_unusable_coordinate_is_found() -> None:
    with np.errstate(invalid="ignore"):  # shapely warns when it builds a NaN ring
        nan_ring = shapely.Polygon([(3, 50), (3.1, 50), (math.nan, 50.1), (3, 50)])
    geoms = np.array(
        [
            shapely.Point(3.0, 50.0),
            shapely.Point(math.inf, 50.0),
            shapely.Point(math.nan, math.nan),
            # A NaN vertex leaves the bounds finite: the vertices themselves are checked.
            nan_ring,
            shapely.LineString([(3, 50), (1e308, 50)]),
            shapely.Point(400.0, 50.0),
            shapely.Point(3.0, -91.0),
            shapely.Point(359.0, 50.0),  # counted eastwards from Greenwich: kept
        ],
        dtype=object,
    )
    bad = unusable_coordinates(geoms, WGS84)
    assert bad.tolist() == [False, True, True, True, True, True, True, False]
    metres = np.array([shapely.Point(705_000, 7_030_000), shapely.Point(2e8, 7e6)], dtype=object)
    assert unusable_coordinates(metres, L93).tolist() == [False, True]


def test_unusable_rows_are_skipped_by_id_and_all_of_them_refused() -> None:
    gdf = gpd.GeoDataFrame(
        {"code": ["A", "B", "C"]},
        geometry=[shapely.Point(3, 50), shapely.Point(1e308, 50), shapely.Point(3.1, 50.1)],
        crs=WGS84,
    )
    issues: list[DataIssue] = []
    kept = drop_unusable_coordinates(gdf, WGS84, "substations", "p.csv", issues)
    assert kept["code"].tolist() == ["A", "C"]
    (issue,) = issues
    assert issue.action == "skipped" and issue.count == 1 and "code B" in issue.message
    with pytest.raises(LayerContentError, match="substations: p.csv: 1 of 1 features"):
        drop_unusable_coordinates(gdf.iloc[[1]], WGS84, "substations", "p.csv", [])


# ------------------------------------------------------------------ where a CRS can measure


@pytest.mark.parametrize("dlon", [2.0, 5.0, 8.0, 10.0])
def test_scale_error_is_the_transverse_mercator_point_scale(dlon: float) -> None:
    lat = 10.0
    b = math.cos(math.radians(lat)) * math.sin(math.radians(dlon))
    expected = 0.9996 / math.sqrt(1 - b * b) - 1  # UTM 31N: central meridian 3°E
    got = float(scale_error(UTM31, np.array([3.0 + dlon]), np.array([lat]))[0])
    assert got == pytest.approx(expected, rel=0.03, abs=2e-4)


def test_unmeasurable_needs_both_outside_the_area_and_over_one_percent() -> None:
    lon, lat = (np.array(v) for v in zip(*TOWNS.values(), strict=True))
    names = list(TOWNS)
    l93 = dict(zip(names, unmeasurable(lon, lat, L93), strict=True))
    assert [n for n, off in l93.items() if off] == ["reunion", "warsaw"]
    # UTM 31N covers 0-6°E only, but measures Brest (7.5° off its meridian) within 0.4 %.
    utm = dict(zip(names, unmeasurable(lon, lat, UTM31), strict=True))
    assert not utm["brest"] and not utm["strasbourg"] and utm["warsaw"] and utm["reunion"]


def test_a_project_in_utm31_for_all_of_france_keeps_every_site() -> None:
    sites = _points(["lille", "brest", "strasbourg", "nice", "ajaccio"])
    issues: list[DataIssue] = []
    assert len(check_site_locations(sites, UTM31, "sites", "s.geojson", issues)) == 5
    assert issues == []


def test_a_site_in_reunion_among_sites_in_france_is_skipped_and_named() -> None:
    sites = _points(["lille", "brest", "nice", "reunion"], L93)
    issues: list[DataIssue] = []
    kept = check_site_locations(sites, None, "sites", "s.geojson", issues)
    assert list(kept.index) == ["lille", "brest", "nice"]
    (issue,) = issues
    assert "reunion (lon 55.4500, lat -20.8800)" in issue.message and issue.action == "skipped"


@pytest.mark.parametrize(
    ("lons", "refused"),
    [((0.0, 12.7), False), ((0.0, 25.4), True)],  # about 1,000 km and 2,000 km across at 45°N
    ids=["1000km", "2000km"],
)
def test_one_utm_zone_is_refused_only_when_it_would_distort_by_over_one_percent(
    lons: tuple[float, float], refused: bool
) -> None:
    sites = gpd.GeoDataFrame(
        geometry=[shapely.Point(x, 45.0) for x in lons], crs=WGS84, index=["west", "east"]
    )
    if refused:
        with pytest.raises(CRSError, match="spread too far.*west"):
            choose_working_crs(sites, None, "p.toml")
    else:
        assert choose_working_crs(sites, None, "p.toml").to_epsg() == 32632


def test_a_swapped_layer_is_refused_with_the_advice(make_project, tmp_path: Path) -> None:
    swapped = gpd.GeoDataFrame(
        {"site_id": ["a", "b"]},
        geometry=[shapely.Point(50.63, 3.06), shapely.Point(48.39, -4.49)],
        crs=WGS84,
    )
    swapped.to_file(tmp_path / "sites.geojson")
    project = make_project([{"role": "sites", "path": "sites.geojson"}])
    with pytest.raises(LayerContentError, match="longitude and latitude look swapped"):
        open_sites(project)


# ------------------------------------------------------------------------------ areas


def test_area_problems_say_why() -> None:
    raw = pd.Series(["12,5", "", None, "0", "-3", "inf", "abc", "2e8", "nan"], dtype=object)
    values = pd.to_numeric(raw.astype("string").str.replace(",", "."), errors="coerce")
    why = area_problems(raw, values).tolist()
    assert why[:3] == ["", "", ""]
    assert why[3:7] == ["not positive", "not positive", "not finite", "not a number"]
    assert why[7].startswith("above 100 km²") and why[8] == "not a number"


def test_a_sites_file_of_any_format_with_an_absurd_stated_area_keeps_its_point(
    make_project, tmp_path: Path
) -> None:
    gpd.GeoDataFrame(
        {"site_id": ["big", "fine"], "stated_area_m2": [1e13, 50_000.0]},
        geometry=[shapely.Point(3.35, 50.32), shapely.Point(3.40, 50.33)],
        crs=WGS84,
    ).to_file(tmp_path / "sites.geojson")
    layer, _ = open_sites(make_project([{"role": "sites", "path": "sites.geojson"}]))
    sites = layer.frame()
    assert sites.loc["big"].geometry.geom_type == "Point"
    assert np.isnan(sites.loc["big", "stated_area_m2"])
    assert sites.loc["fine"].geometry.area == pytest.approx(50_000.0, rel=1e-6)
    assert [i.site for i in layer.issues if "believable" in i.message] == ["big"]


# ------------------------------------------------------------------------------ real data


def _require_real() -> Path:
    path = SHARED_DATA / "cartofriches_59_62.geojson"
    if not path.is_file():
        pytest.skip(f"real Cartofriches file not found in {SHARED_DATA}")
    return path


def test_nothing_of_the_real_inventory_is_skipped_or_flagged(make_project) -> None:
    friches = _require_real()
    postes = SHARED_DATA / "rte_postes_electriques_france_odre_2024.csv"
    project = make_project(
        [{"role": "sites", "path": str(friches)}, {"role": "substations", "path": str(postes)}]
    )
    sites_layer, working = open_sites(project)
    assert sites_layer.features == 2111 and working.to_epsg() == 2154
    assert not [i for i in sites_layer.issues if i.severity != "info"]
    assert sites_layer.frame()["stated_area_m2"].notna().all()
    postes_layer = open_layer(project.layers_of("substations")[0], project, working, None)
    assert postes_layer.features == 5079
    assert not [i for i in postes_layer.issues if i.action == "skipped"]


def test_the_area_bound_leaves_room_above_the_largest_real_land_unit() -> None:
    raw = gpd.read_file(_require_real())
    largest = float(pd.to_numeric(raw["unite_fonciere_surface"]).max())
    assert largest == pytest.approx(18_879_364.26)
    assert 5 * largest <= MAX_SITE_AREA_M2


def test_a_friche_with_a_wrong_area_says_so_in_its_outline_source(
    make_project, tmp_path: Path
) -> None:
    gpd.GeoDataFrame(
        {
            "site_id": ["huge", "fine"],
            "site_nom": ["Huge", "Fine"],
            "site_statut": ["friche sans projet"] * 2,
            "unite_fonciere_surface": [1e13, 20_000.0],
            "site_surface": [-1.0, 10_000.0],
        },
        geometry=[shapely.Point(3.35, 50.32), shapely.Point(3.40, 50.33)],
        crs=WGS84,
    ).to_file(tmp_path / "friches.geojson")
    layer, _ = open_sites(make_project([{"role": "sites", "path": "friches.geojson"}]))
    sites = layer.frame()
    assert layer.provenance.format == "cartofriches"
    assert sites.loc["huge"].geometry.geom_type == "Point"
    how = sites.loc["huge", "outline_source"]
    assert "not believable" in how and "site_surface not positive" in how
    assert sites.loc["fine"].geometry.area == pytest.approx(20_000.0, rel=1e-6)
    (issue,) = [i for i in layer.issues if i.site == "huge"]
    assert "unite_fonciere_surface = 1e+13 m² (above 100 km²" in issue.message


def test_a_cartofriches_csv_names_its_rows_without_coordinates(
    make_project, tmp_path: Path
) -> None:
    (tmp_path / "friches.csv").write_text(
        "site_id;site_nom;site_statut;unite_fonciere_surface;lon;lat\n"
        "59205_1;A;friche sans projet;20000;3,35;50,32\n"
        "59205_2;B;friche sans projet;20000;inf;50,33\n"
        "59205_3;C;friche sans projet;20000;;50,34\n",
        encoding="utf-8",
    )
    layer = {"role": "sites", "path": "friches.csv", "x_field": "lon", "y_field": "lat"}
    opened, _ = open_sites(make_project([layer]))
    assert list(opened.frame().index) == ["59205_1"]
    (issue,) = [i for i in opened.issues if i.action == "skipped"]
    assert "2 of 3 rows" in issue.message
    assert "site_id 59205_2" in issue.message and "site_id 59205_3" in issue.message


def test_sites_that_really_are_on_the_horn_of_africa_can_say_so(
    make_project, tmp_path: Path
) -> None:
    # Mogadishu and Kismayo: swapped, they would lie in France; with their UTM zone set in
    # the project they are measured where they are.
    gpd.GeoDataFrame(
        {"site_id": ["mogadishu", "kismayo"]},
        geometry=[shapely.Point(45.34, 2.05), shapely.Point(42.54, -0.36)],
        crs=WGS84,
    ).to_file(tmp_path / "sites.geojson")
    layer = [{"role": "sites", "path": "sites.geojson"}]
    with pytest.raises(LayerContentError, match="look swapped.*set crs in the project"):
        open_sites(make_project(layer))
    opened, working = open_sites(make_project(layer, crs="EPSG:32638"))
    assert opened.features == 2 and working.to_epsg() == 32638


def test_the_real_inventory_with_one_absurd_area_and_one_swapped_point(
    make_project, tmp_path: Path
) -> None:
    raw = gpd.read_file(_require_real())
    raw.loc[raw["site_id"] == "59205_12242", "unite_fonciere_surface"] = 1e13
    swapped = raw["site_id"] == "62249_4247"
    raw.loc[swapped, "geometry"] = raw.loc[swapped].geometry.map(lambda p: shapely.Point(p.y, p.x))
    raw.to_file(tmp_path / "friches.geojson")
    layer, _ = open_sites(make_project([{"role": "sites", "path": "friches.geojson"}]))
    sites = layer.frame()
    assert len(sites) == 2110 and "62249_4247" not in sites.index
    # The disc of its site_surface (42.9 ha in the file), not of 1e13 m².
    assert sites.loc["59205_12242"].geometry.area == pytest.approx(429_398.64, rel=1e-6)
    assert float(shapely.area(sites.geometry.values).max()) < MAX_SITE_AREA_M2
    warned = [i for i in layer.issues if i.severity != "info"]
    assert len(warned) == 2, warned
    assert any(i.site == "59205_12242" for i in warned)
    assert any("62249_4247" in i.message and i.action == "skipped" for i in warned)


def test_a_column_of_zero_areas_is_one_warning_not_one_per_site(
    make_project, tmp_path: Path
) -> None:
    n = 30
    gpd.GeoDataFrame(
        {
            "site_id": [f"f{i}" for i in range(n)],
            "site_nom": ["F"] * n,
            "site_statut": ["friche sans projet"] * n,
            "unite_fonciere_surface": [0.0] * n,
            "site_surface": [5_000.0] * (n - 1) + [0.0],
        },
        geometry=[shapely.Point(3.0 + i / 100, 50.3) for i in range(n)],
        crs=WGS84,
    ).to_file(tmp_path / "friches.geojson")
    layer, _ = open_sites(make_project([{"role": "sites", "path": "friches.geojson"}]))
    (issue,) = [i for i in layer.issues if "believable" in i.message]
    assert issue.count == n and f"{n} of {n} sites" in issue.message
    assert "not positive ×31" in issue.message and "f0, f1" in issue.message
    sites = layer.frame()
    assert sites.loc["f0"].geometry.area == pytest.approx(5_000.0, rel=1e-6)
    assert sites.loc[f"f{n - 1}"].geometry.geom_type == "Point"
