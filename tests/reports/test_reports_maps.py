"""Static maps and charts: what they draw, their legends, and that they really drew."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import CRS

from siteassess.assessment import Assessment, assess
from siteassess.layers import basemap
from siteassess.project import load_project
from siteassess.reports.charts import radar_chart, score_bars
from siteassess.reports.locationmap import location_map
from siteassess.reports.mapkit import fit_extent, nice_length
from siteassess.reports.pdf.vector_charts import value_function_drawing
from siteassess.reports.staticmap import inset_maps, site_map
from siteassess.scoring import TransformSpec
from tests.conftest import squares
from tests.reports.conftest import OUTPUT

X0, Y0 = 700_000.0, 7_000_000.0


def pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def has_colour(img: np.ndarray, hex_colour: str, tol: int = 12) -> bool:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return bool((np.abs(img.astype(int) - rgb).max(axis=2) <= tol).any())


def plain(labels: list[str]) -> set[str]:
    """Legend labels with no-break spaces as spaces."""
    return {label.replace("\u00a0", " ") for label in labels}


def assert_drawn(png: bytes) -> np.ndarray:
    img = pixels(png)
    assert png.startswith(b"\x89PNG")
    assert (img < 250).any(axis=2).mean() > 0.02, "the image is (nearly) blank"
    return img


def test_site_map_draws_the_layers_with_a_legend(sample_assessment: Assessment) -> None:
    legend: list[str] = []
    img = assert_drawn(
        site_map(sample_assessment, "escaudain-soufflantes", "en", legend_out=legend)
    )
    labels = plain(legend)
    assert "Site outline (approximate)" in labels
    assert "Fibre route (ILLUSTRATIVE)" in labels
    assert {"Substation 225 kV", "Substation 400 kV"} <= labels
    assert "Shortest distance to a substation" in labels
    assert has_colour(img, "#d7301f")  # the site outline


def test_flood_zones_are_labelled_illustrative_in_french(sample_assessment: Assessment) -> None:
    legend: list[str] = []
    assert_drawn(site_map(sample_assessment, "loon-plage-edf", "fr", legend_out=legend))
    assert {"Zone inondable, scénario moyen (ILLUSTRATIF)", "Contour du site (approximatif)"} <= (
        plain(legend)
    )


@pytest.fixture
def communes_project(write_project: Callable[..., Path]) -> Path:
    """Two square sites, three substations, two power lines and a context layer of communes."""
    sites = squares([(X0, Y0), (X0 + 4000, Y0 + 800)], 600, name=["Alpha", "Beta"])
    subs = gpd.GeoDataFrame(
        {"name": ["NORD", "SUD", "EST"], "kv": [400, 225, 63]},
        geometry=shapely.points([(X0, Y0 + 2500), (X0, Y0 - 1500), (X0 + 3000, Y0)]),
        crs="EPSG:2154",
    )
    communes = gpd.GeoDataFrame(
        {"nom": ["Ville-Haute", "Ville-Basse"]},
        geometry=[
            shapely.box(X0 - 5000, Y0, X0 + 9000, Y0 + 5000),
            shapely.box(X0 - 5000, Y0 - 5000, X0 + 9000, Y0),
        ],
        crs="EPSG:2154",
    )
    lines = gpd.GeoDataFrame(
        {"kv": [400, 225]},
        geometry=[
            shapely.LineString([(X0 - 4000, Y0 + 2500), (X0 + 6000, Y0 + 2500)]),
            shapely.LineString([(X0, Y0 - 1500), (X0 + 3000, Y0 - 3000)]),
        ],
        crs="EPSG:2154",
    )
    return write_project(
        [
            {"role": "sites", "path": "sites.geojson", "data": sites},
            {"role": "substations", "path": "subs.geojson", "data": subs},
            {"role": "power_lines", "path": "lines.geojson", "data": lines},
            {"role": "context", "path": "communes.geojson", "name": "Communes", "data": communes},
        ],
        criteria={"power": {"weight": 1, "min_kv": 225}, "land": {"weight": 1}},
        demand_mw=100,
    )


def test_communes_of_a_context_layer_are_drawn(communes_project: Path) -> None:
    a = assess(load_project(communes_project))
    legend: list[str] = []
    png = site_map(a, "s0", "en", legend_out=legend)
    (OUTPUT / "map-communes.png").parent.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "map-communes.png").write_bytes(png)  # for a person to look at
    img = assert_drawn(png)
    assert "Communes" in legend
    assert {"Power line 400 kV", "Power line 225 kV"} <= plain(legend)
    assert "Site outline" in legend  # not approximate: no such flag in this layer
    assert "Other candidate site" in legend
    assert has_colour(img, "#8a96a3", tol=30)  # commune boundaries


def test_inset_maps_share_one_legend(sample_assessment: Assessment) -> None:
    ids = sample_assessment.ranked().index[:5].tolist()
    legend: list[str] = []
    colours = ["#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a"]
    img = assert_drawn(inset_maps(sample_assessment, ids, colours, "en", legend_out=legend))
    assert len(legend) == len(set(legend))
    for colour in colours:
        assert has_colour(img, colour, tol=20)


def without_context(a: Assessment) -> Assessment:
    """The assessment without its context layers (no commune outlines)."""
    m = a.measurements
    layers = tuple(lyr for lyr in m.layers if lyr.spec.role != "context")
    return replace(a, measurements=replace(m, layers=layers))


def test_location_map_draws_countries_without_communes(sample_assessment: Assessment) -> None:
    texts: list[str] = []
    a = without_context(sample_assessment)
    img = assert_drawn(location_map(a, "douai-euradouai", "fr", texts_out=texts))
    assert has_colour(img, "#f6f3ec", tol=3)  # France
    assert has_colour(img, "#dcebf5", tol=3)  # the sea
    assert "Pays (Natural Earth, généralisé)" in texts and "FRANCE" in texts


def test_location_map_names_communes_and_substations(sample_assessment: Assessment) -> None:
    texts: list[str] = []
    png = location_map(sample_assessment, "escaudain-soufflantes", "fr", texts_out=texts)
    (OUTPUT / "location-communes.png").parent.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "location-communes.png").write_bytes(png)  # for a person to look at
    img = assert_drawn(png)
    shown = plain(texts)
    assert "Communes" in shown  # the sample's context layer, in the legend
    assert "Escaudain" in shown  # the site's commune
    assert "Bouchain 400 kV" in shown  # its first supply option, always named
    assert not any("Natural Earth" in t or t in ("FRANCE", "BELGIQUE") for t in shown)
    assert any(t.startswith("SCR : EPSG:2154") and "IGN, Admin Express 2018" in t for t in shown)
    assert has_colour(img, "#8a96a3", tol=30)  # commune outlines


def test_a_dollar_in_a_name_is_drawn_as_written(sample_assessment: Assessment) -> None:
    sites = sample_assessment.measurements.sites.copy()
    sites.loc["douai-euradouai", "name"] = "Friche $x^2$ \\frac{a}{b}"
    m = replace(sample_assessment.measurements, sites=sites)
    a = replace(sample_assessment, measurements=m)
    texts: list[str] = []
    assert_drawn(location_map(a, "douai-euradouai", "en", texts_out=texts))
    assert "Friche $x^2$ \\frac{a}{b}" in texts
    assert_drawn(site_map(a, "escaudain-soufflantes", "en"))  # the name as another site


def test_the_site_map_frames_both_400_kv_supply_options(sample_assessment: Assessment) -> None:
    texts: list[str] = []
    site_map(sample_assessment, "escaudain-soufflantes", "fr", texts_out=texts)
    shown = plain(texts)
    assert "Bouchain\n400 kV" in shown and "Mastaing\n400 kV" in shown  # FACTS.md
    assert "3,4 km" in shown  # the criterion's distance, drawn on the dashed line
    assert {"Escaudain", "Abscon", "Mastaing", "Denain"} <= shown  # commune names


def test_location_map_without_natural_earth_still_draws(
    sample_assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(basemap, "natural_earth_path", lambda: None)
    basemap._countries_wgs84.cache_clear()
    try:
        assert_drawn(location_map(sample_assessment, "douai-euradouai", "en"))
    finally:
        basemap._countries_wgs84.cache_clear()


def test_country_outlines_around_the_sample_sites() -> None:
    assert basemap.natural_earth_path() is not None, "pyogrio ships Natural Earth"
    bounds = (650_000.0, 7_020_000.0, 740_000.0, 7_110_000.0)  # Lambert-93, Nord
    countries = basemap.country_outlines(CRS.from_epsg(2154), bounds)
    assert countries is not None
    assert {"France", "Belgium"} <= set(countries["name"])
    assert countries.crs.to_epsg() == 2154


@pytest.mark.parametrize(
    ("target", "expected"), [(4_300.0, 2_000.0), (999.0, 500.0), (12_000.0, 10_000.0)]
)
def test_scale_bar_lengths_are_round(target: float, expected: float) -> None:
    assert nice_length(target) == expected


def test_fit_extent_keeps_the_centre_and_widens() -> None:
    x0, y0, x1, y1 = fit_extent((0.0, 0.0, 100.0, 100.0), 2.0)
    assert (x1 - x0) / (y1 - y0) == pytest.approx(2.0)
    assert ((x0 + x1) / 2, (y0 + y1) / 2) == (50.0, 50.0)
    assert y1 - y0 == 100.0


def test_comparison_charts_draw(sample_assessment: Assessment) -> None:
    ids = sample_assessment.ranked().index[:3].tolist()
    assert_drawn(radar_chart(sample_assessment, ids, ["#1f77b4", "#d95f02", "#1b9e77"], "fr"))
    assert_drawn(score_bars(sample_assessment, ids, "en"))


@pytest.mark.parametrize(
    "spec",
    [
        TransformSpec(kind="thresholds", points=((5000.0, 1.0), (10000.0, 0.5), (math.inf, 0.1))),
        TransformSpec(kind="piecewise", points=((0.0, 1.0), (10.0, 0.8), (40.0, 0.0))),
        TransformSpec(kind="linear", best=40.0, worst=5.0),
    ],
)
def test_value_function_drawing_for_every_kind(sample_assessment: Assessment, spec: Any) -> None:
    info = replace(sample_assessment.criteria[0], transform=spec)
    for measure in (1234.0, math.nan, None):
        drawing = value_function_drawing(info, measure, "fr")
        assert drawing.width > 0 and drawing.contents


def test_map_labels_keep_their_line_breaks_and_escape_the_rest() -> None:
    """« Brodel\\n225 kV » is drawn on two lines, never as a literal ``\\x0a``; a control
    character in a name (ESC) is still drawn as its escape."""
    from matplotlib.text import Text

    from siteassess.reports.mapkit import new_figure, to_png

    fig = new_figure(40, 30)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.text(0.2, 0.5, "Brodel\n225\u00a0kV")
    ax.text(0.6, 0.5, "Evil\x1bname\n63\u00a0kV")
    to_png(fig, dpi=30)
    texts = {t.get_text() for t in fig.findobj(Text)} - {""}
    assert "Brodel\n225\u00a0kV" in texts
    assert "Evil\\x1bname\n63\u00a0kV" in texts
