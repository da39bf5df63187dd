"""The map page builder alone (no Qt): offline assets, escaping, big layers, labels."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pytest
import shapely

from siteassess.assessment import assess
from siteassess.project import load_project
from siteassess.reports.webmap import (
    BIG_LAYER_VERTICES,
    MapOptions,
    build_map_html,
    offline_assets,
    score_colour,
    site_scores,
)
from tests.ui.conftest import SAMPLE

REMOTE_ASSET = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


def in_page(text: str, html: str) -> bool:
    """True when ``text`` is in the page as HTML text or as a JSON string in a script."""
    return text in html or json.dumps(text)[1:-1] in html


@pytest.fixture(scope="module")
def sample_assessment() -> Any:
    return assess(load_project(SAMPLE))


def test_the_page_uses_only_local_web_assets(sample_assessment: Any) -> None:
    class_js = list(folium.Map.default_js)
    html = build_map_html(sample_assessment, MapOptions(lang="fr"))
    assert REMOTE_ASSET.findall(html) == []
    assert "cdn.jsdelivr" not in html and "code.jquery.com" not in html
    js, css = offline_assets()
    for _, uri in js + css:
        assert uri.startswith("file://") and uri in html
    assert any(name == "leaflet" and uri.endswith("leaflet.js") for name, uri in js)
    assert folium.Map.default_js == class_js  # folium's own lists are untouched
    assert "https://" in folium.Map.default_js[0][1]
    assert "AwesomeMarkers" not in html.split("</head>")[1]  # no folium.Icon markers


def test_the_online_basemap_is_the_only_remote_resource(sample_assessment: Any) -> None:
    html = build_map_html(sample_assessment, MapOptions(lang="fr", online_basemap=True))
    assert REMOTE_ASSET.findall(html) == []
    assert "tile.openstreetmap.org" in html  # tiles only, requested by Leaflet at run time


def test_french_labels_and_illustrative_layers(sample_assessment: Any) -> None:
    html = build_map_html(sample_assessment, MapOptions(lang="fr"))
    assert in_page("Zones inondables — flood_illustrative.geojson (ILLUSTRATIF)", html)
    assert in_page("Fibre optique — fibre_illustrative.geojson (ILLUSTRATIF)", html)
    assert in_page("ILLUSTRATIF, pas des données réelles", html)
    assert in_page("Contour approximatif (tirets)", html)
    english = build_map_html(sample_assessment, MapOptions(lang="en"))
    assert in_page("Flood zones — flood_illustrative.geojson (ILLUSTRATIVE)", english)


def test_attribute_values_are_escaped(sample_assessment: Any) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>{{ 7*7 }}'
    sites = sample_assessment.measurements.sites.copy()
    sites.loc[sites.index[0], "name"] = evil
    a = replace(
        sample_assessment, measurements=replace(sample_assessment.measurements, sites=sites)
    )
    html = build_map_html(a, MapOptions(lang="fr"))
    assert evil not in html
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "{{ 7*7 }}" not in html or "49" not in html  # never run as a template
    # The name reaches the page escaped once (shown as text by innerHTML).
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html.replace("\\u0026", "&")


def test_one_site_feature_per_site_with_its_score(sample_assessment: Any) -> None:
    html = build_map_html(sample_assessment, MapOptions(lang="fr"))
    scores = site_scores(sample_assessment)
    for sid in sample_assessment.site_ids:
        assert html.count(f'"site_id": "{sid}"') == 1
    assert scores["loon-plage-edf"]["excluded"] and scores["loon-plage-edf"]["rank"] is None
    assert scores["douvrin-fm-ouest"]["rank"] == 1
    assert score_colour(87.4, False) == "#1a9850"
    assert score_colour(87.4, True) == score_colour(float("nan"), False) == "#9e9e9e"


def test_big_layers_are_simplified_and_rounded(sample_assessment: Any) -> None:
    from siteassess.reports.webmap import _geometries_4326

    m = sample_assessment.measurements
    x0, y0, *_ = m.sites.total_bounds
    angles = np.linspace(0, 2 * np.pi, 400)
    ring = np.column_stack([np.cos(angles), np.sin(angles)]) * 800
    polys = [
        shapely.Polygon(ring + np.array([x0 + 2000 * (k % 20), y0 + 2000 * (k // 20)]))
        for k in range(100)
    ]
    big = gpd.GeoDataFrame(
        {"name": [f"p{k}" for k in range(100)]}, geometry=polys, crs=m.working_crs
    )
    raw = int(shapely.get_num_coordinates(big.geometry.values).sum())
    assert raw > BIG_LAYER_VERTICES
    out = _geometries_4326(big, m.working_crs)
    coords = shapely.get_coordinates(np.array(out))
    assert len(coords) < raw / 2  # simplified (3 m tolerance on 800 m circles)
    assert np.allclose(coords, np.round(coords, 5))  # about 1 m
    small = _geometries_4326(m.sites, m.working_crs)
    small_coords = shapely.get_coordinates(np.array(small))
    assert len(small_coords) == int(shapely.get_num_coordinates(m.sites.geometry.values).sum())
    assert np.allclose(small_coords, np.round(small_coords, 6))  # about 0.1 m
    # And the whole page stays small.
    layer = next(lyr for lyr in m.layers if lyr.spec.role == "flood")
    extra = replace(layer, spec=replace(layer.spec, role="context", name="grand"), data=big)
    a = replace(sample_assessment, measurements=replace(m, layers=(*m.layers, extra)))
    assert len(build_map_html(a, MapOptions(lang="fr"))) < 2_000_000
