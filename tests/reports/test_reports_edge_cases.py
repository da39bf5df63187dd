"""Reports on projects unlike the sample: rasters, missing layers, custom value functions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from siteassess.assessment import assess
from siteassess.project import load_project
from siteassess.reports.pdf import write_compare_report, write_site_report
from siteassess.reports.pdf.compare_table import as_shown, best_columns
from siteassess.reports.staticmap import site_map
from tests.conftest import squares
from tests.reports.conftest import pdf_fonts, pdf_text
from tests.reports.test_reports_site import flat

X0, Y0 = 700_000.0, 7_000_000.0


@pytest.fixture
def raster_project(write_project: Callable[..., Path], tmp_path: Path) -> Path:
    """Three sites, one substation, a medium-scenario depth raster over the first site only;
    no exchanges layer, so connectivity cannot be measured."""
    with rasterio.open(
        tmp_path / "depth.tif",
        "w",
        driver="GTiff",
        width=40,
        height=40,
        count=1,
        dtype="float32",
        crs="EPSG:2154",
        transform=from_origin(X0 - 500, Y0 + 500, 25, 25),
        nodata=-9999,
    ) as ds:
        depth = np.zeros((40, 40), dtype="float32")
        depth[:20, :] = 0.8  # the northern half is flooded 0.8 m deep
        ds.write(depth, 1)
    sites = squares(
        [(X0, Y0), (X0 + 3000, Y0), (X0, Y0 + 3000)],
        800,
        name=["Nord & Fils <Sud>", "Deux", "Trois"],
    )
    subs = gpd.GeoDataFrame(
        {"name": ["POSTE"], "kv": [400]},
        geometry=[shapely.Point(X0 + 1500, Y0 - 1000)],
        crs="EPSG:2154",
    )
    return write_project(
        [
            {"role": "sites", "path": "sites.geojson", "data": sites},
            {"role": "substations", "path": "subs.geojson", "data": subs},
            {"role": "flood", "path": "depth.tif", "scenario": "medium"},
        ],
        criteria={
            "power": {
                "weight": 2,
                "transform": {"kind": "thresholds", "points": [[2000, 1.0], [5000, 0.5]]},
            },
            "flood": {"weight": 1, "exclude_scenario": "none"},
            "connectivity": {"weight": 1},
            "land": {"weight": 1},
        },
        demand_mw=300,
    )


def test_site_report_with_a_raster_and_an_unmeasurable_criterion(
    raster_project: Path, tmp_path: Path
) -> None:
    a = assess(load_project(raster_project))
    out = write_site_report(a, "s0", tmp_path / "s0.pdf", lang="en")
    text = flat(pdf_text(out))
    assert "Nord & Fils <Sud>" in text  # data with markup characters is escaped
    assert "Maximum depth, medium (100 to 300 years) scenario" in text
    assert "Not measured: Connectivity to the FLAP markets" in text
    assert "is 1 up to 2 km and 0.5 up to 5 km, then 0 beyond 5 km" in text
    assert "value function set in the project file" in text
    # Deux scores the same as this site: the report says they are tied, not "from 40% to 40%".
    assert "Nord & Fils <Sud> and Deux have the same score (60.0)" in text
    assert "-0.0" not in text and "n/a · n/a" not in text
    assert all(pdf_fonts(out).values())
    legend: list[str] = []
    site_map(a, "s0", "fr", legend_out=legend)
    assert "Raster de hauteurs d’eau (mesuré, non dessiné)" in legend


def test_comparison_with_an_unmeasurable_criterion(raster_project: Path, tmp_path: Path) -> None:
    a = assess(load_project(raster_project))
    out = write_compare_report(a, ["s0", "s1", "s2"], tmp_path / "c.pdf", lang="fr")
    text = flat(pdf_text(out))
    assert "Comparaison de 3 sites" in text
    assert "n.d." in text  # the round trips that could not be estimated


def test_values_that_look_equal_tie_for_best() -> None:
    keys = [as_shown("rtt_flap_mean_ms", v) for v in (3.7249, 3.7151, 3.7311)]
    assert best_columns(keys, "low") == [0, 1]
    assert as_shown("substation_distance_m", 13461.5) == 13500.0
    assert as_shown("substation_distance_m", 721.4) == 721.0
