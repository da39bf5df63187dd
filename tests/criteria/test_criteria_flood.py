"""Flood: shares of synthetic squares inside zones and above raster depths, by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from siteassess.assessment import measure, score
from siteassess.errors import Quantity, Term
from siteassess.project import load_project
from tests.conftest import squares

X0, Y0 = 700_000.0, 7_000_000.0
SITE = (X0 + 50, Y0 + 50)  # a 100 m square: x and y from X0/Y0 to +100


def _zones(rows: list[tuple[str, float, float]]) -> gpd.GeoDataFrame:
    """Zones spanning x from X0 + x0 to X0 + x1 (over the full height of the site)."""
    return gpd.GeoDataFrame(
        {"scen": [r[0] for r in rows]},
        geometry=[shapely.box(X0 + a, Y0 - 10, X0 + b, Y0 + 110) for _, a, b in rows],
        crs="EPSG:2154",
    )


@pytest.fixture
def flood_project(write_project: Callable[..., Path]) -> Callable[..., Path]:
    def _make(zones: gpd.GeoDataFrame, **params: object) -> Path:
        return write_project(
            [
                {
                    "role": "sites",
                    "path": "sites.gpkg",
                    "data": squares([SITE, (X0 + 5000, Y0 + 5000)], 100),
                },
                {"role": "flood", "path": "flood.gpkg", "data": zones, "scenario_field": "scen"},
            ],
            criteria={"flood": {"weight": 1, **params}},
        )

    return _make


def test_shares_per_scenario_and_union(flood_project: Callable[..., Path]) -> None:
    zones = _zones(
        [("moyenne", 0, 30), ("extreme", 0, 60), ("extreme", 40, 60), ("extreme", 90, 95)]
    )
    m = measure(load_project(flood_project(zones)))
    s = m.measures.loc["s0"]
    assert s["flood_share_medium_pct"] == pytest.approx(30.0)
    # two overlapping extreme zones are not counted twice: 60 % + 5 %
    assert s["flood_share_extreme_pct"] == pytest.approx(65.0)
    assert s["flood_share_any_pct"] == pytest.approx(65.0)
    assert s["flood_share_excluding_pct"] == pytest.approx(30.0)  # medium or more frequent
    assert "flood_share_frequent_pct" not in m.measures.columns  # no such scenario present
    far = m.measures.loc["s1"]
    assert far["flood_share_any_pct"] == 0.0  # measured: no zone there (not NaN)


@pytest.mark.parametrize(
    ("rule", "limit", "excluded"),
    [
        ("medium", 0.0, True),
        ("medium", 30.0, False),
        ("frequent", 0.0, False),
        ("extreme", 64.0, True),
        ("none", 0.0, False),
    ],
)
def test_exclusion_rule(
    flood_project: Callable[..., Path], rule: str, limit: float, excluded: bool
) -> None:
    zones = _zones([("medium", 0, 30), ("extreme", 0, 65)])
    p = load_project(flood_project(zones, exclude_scenario=rule, exclude_above_pct=limit))
    a = score(measure(p))
    assert bool(a.table.excluded[0]) is excluded
    if excluded:
        assert f"in the {rule} flood scenario" in a.exclusions["s0"][0]


def test_value_function_on_any_share(flood_project: Callable[..., Path]) -> None:
    p = load_project(flood_project(_zones([("extreme", 0, 25)])))
    a = score(measure(p))
    # linear from 1 at 0 % to 0 at 50 %: 25 % -> 0.5
    assert a.table.values[0, 0] == pytest.approx(0.5)
    assert a.table.values[1, 0] == pytest.approx(1.0)


def test_unknown_scenario_code_is_skipped_with_an_issue(
    flood_project: Callable[..., Path],
) -> None:
    p = load_project(flood_project(_zones([("medium", 0, 30), ("Q1000?", 0, 100)])))
    m = measure(p)
    assert m.measures.loc["s0", "flood_share_any_pct"] == pytest.approx(30.0)
    issue = next(i for i in m.issues if "unknown scenario" in i.message)
    assert "Q1000?" in issue.message and issue.action == "skipped" and "flood.gpkg" in issue.source


def _depth_raster(path: Path) -> None:
    """10 m pixels over x X0-100..X0+200, y Y0-100..Y0+200; 1.2 m deep where x < X0 + 50."""
    data = np.zeros((30, 30), dtype="float32")
    data[:, :15] = 1.2  # columns for x from X0-100 to X0+50
    data[:, 14] = 0.3  # x from X0+40 to X0+50: shallow
    data[25:, :] = -9999  # rows for y below Y0-50: nodata
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=30,
        height=30,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=from_origin(X0 - 100, Y0 + 200, 10, 10),
        nodata=-9999,
    ) as ds:
        ds.write(data, 1)


def test_depth_raster_share_max_and_coverage(
    write_project: Callable[..., Path], tmp_path: Path
) -> None:
    _depth_raster(tmp_path / "depth.tif")
    sites = squares(
        [SITE, (X0 + 150, Y0 - 50), (X0 + 5000, Y0 + 5000)],
        100,
        site_id=["in", "edge", "outside"],
    )
    p = load_project(
        write_project(
            [
                {"role": "sites", "path": "sites.gpkg", "data": sites},
                {"role": "flood", "path": "depth.tif", "scenario": "medium"},
            ],
            criteria={"flood": {"weight": 1, "depth_threshold_m": 0.5}},
        )
    )
    m = measure(p)
    s = m.measures.loc["in"]
    # site x X0..X0+100: pixels x<X0+40 are 1.2 m (40 %), X0+40..50 0.3 m (below 0.5 m)
    assert s["flood_share_medium_pct"] == pytest.approx(40.0)
    assert s["flood_max_depth_medium_m"] == pytest.approx(1.2)
    assert s["flood_coverage_medium_pct"] == pytest.approx(100.0)
    e = m.measures.loc["edge"]
    # y Y0-100..Y0: the half below Y0-50 is nodata; x X0+100..X0+200 is dry (0 m)
    assert e["flood_coverage_medium_pct"] == pytest.approx(50.0)
    assert e["flood_share_medium_pct"] == pytest.approx(0.0)
    o = m.measures.loc["outside"]
    assert np.isnan(o["flood_share_medium_pct"]) and o["flood_coverage_medium_pct"] == 0.0
    issue = next(i for i in m.issues if "outside the raster" in i.message)
    assert "outside" in issue.message and "depth.tif" in issue.source
    a = score(m)
    assert a.table.excluded.tolist() == [True, False, False]  # 40 % in the medium scenario


def test_site_smaller_than_a_pixel_takes_the_pixel_under_it(
    write_project: Callable[..., Path], tmp_path: Path
) -> None:
    _depth_raster(tmp_path / "depth.tif")
    tiny = squares([(X0 + 12, Y0 + 12)], 4)  # 4 m square inside one flooded pixel
    p = load_project(
        write_project(
            [
                {"role": "sites", "path": "sites.gpkg", "data": tiny},
                {"role": "flood", "path": "depth.tif", "scenario": "extreme"},
            ],
            criteria={"flood": {"weight": 1}},
        )
    )
    s = measure(p).measures.loc["s0"]
    assert s["flood_share_extreme_pct"] == 100.0
    assert s["flood_max_depth_extreme_m"] == pytest.approx(1.2)


def test_raster_without_scenario_is_refused(
    write_project: Callable[..., Path], tmp_path: Path
) -> None:
    from siteassess.errors import LayerContentError

    _depth_raster(tmp_path / "depth.tif")
    p = load_project(
        write_project(
            [
                {"role": "sites", "path": "sites.gpkg", "data": squares([SITE], 100)},
                {"role": "flood", "path": "depth.tif"},
            ],
            criteria={"flood": {"weight": 1}},
        )
    )
    with pytest.raises(LayerContentError, match="needs scenario"):
        measure(p)


def test_the_exclusion_carries_its_share_scenario_and_limit(
    flood_project: Callable[..., Path],
) -> None:
    zones = _zones([("medium", 0, 30), ("extreme", 0, 65)])
    a = score(measure(load_project(flood_project(zones, exclude_scenario="medium"))))
    (reason,) = a.reasons["s0"]
    assert reason.code == "flood_zone"
    values = reason.value_map
    assert values["share"] == Quantity(pytest.approx(30.0), "%", 1)
    assert values["scenario"] == Term("medium (100 to 300 years)", plain="medium")
    assert values["limit"] == Quantity(0.0, "%")
    assert a.exclusions["s0"] == (
        "30.0% of the site is in the medium flood scenario or a more frequent one "
        "(rule: more than 0% excludes)",
    )
