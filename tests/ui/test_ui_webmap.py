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
    assert in_page("ILLUSTRATIF (données non réelles)", html)
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
    table = sample_assessment.table
    for i, sid in enumerate(sample_assessment.site_ids):
        if not table.excluded[i]:
            assert scores[sid]["rank"] == int(table.ranks[i])
    assert sorted(s["rank"] for s in scores.values() if s["rank"] is not None) == list(range(1, 7))
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


def _features_of(html: str, key: str) -> list[dict[str, Any]]:
    """The GeoJSON features of the page whose properties hold ``key``."""
    out = []
    for m in re.finditer(r"_add\((\{\"features\".*?\})\);\n", html):
        doc = json.loads(m.group(1))
        out += [f for f in doc["features"] if key in f["properties"]]
    return out


def test_communes_are_outlines_with_names_as_text(sample_assessment: Any) -> None:
    html = build_map_html(sample_assessment, MapOptions(lang="fr"))
    communes = _features_of(html, "_area_label")
    assert len(communes) == 287  # the sample's clip (sample_sites/README.md)
    names = {f["properties"]["_area_label"] for f in communes}
    assert {"Escaudain", "Lourches", "Douai", "Loon-Plage"} <= names
    first = communes[0]["properties"]
    assert first["style"]["fill"] is False and len(first["_at"]) == 2
    assert '"interactive": false' in html and 'pane: "sa-communes"' in html


def test_substations_carry_their_voltage_class_and_label(sample_assessment: Any) -> None:
    html = build_map_html(sample_assessment, MapOptions(lang="fr"))
    subs = {f["properties"]["_label"]: f["properties"] for f in _features_of(html, "_kv")}
    assert len(subs) == 71
    assert subs["BOUCHAIN 400 kV"]["_kv"] == "400" and subs["BOUCHAIN 400 kV"]["_built"]
    assert subs["GROS-CAILLOU 225 kV"]["_kv"] == "225"
    assert subs["DENAIN 63 kV"]["_kv"] == "low"
    assert subs["COUSLIET 400 kV"]["_built"] is False  # authorised, not built
    assert "siteassess.substation(f, ll)" in html


def test_the_frame_holds_the_supply_options_the_criterion_listed(sample_assessment: Any) -> None:
    from siteassess.reports.supply import supply_points
    from siteassess.reports.webmap import _Tr, supply_data

    a = sample_assessment
    points = supply_points(a, "escaudain-soufflantes")
    framed = [p.name for p in points if p.frame]
    assert framed[:2] == ["BOUCHAIN", "MASTAING"]  # both 400 kV postes (FACTS.md)
    # The distances are the criterion's, never measured again.
    scored = a.measurements.measures.loc["escaudain-soufflantes", "substation_400kv_distance_m"]
    assert points[0].distance_m == pytest.approx(float(scored))
    data = supply_data(a, _Tr("fr"))["escaudain-soufflantes"]
    assert data[0]["text"].replace("\u00a0", " ") == "BOUCHAIN · 400 kV · 3,4 km"
    assert data[0]["lat"] == pytest.approx(50.296261, abs=1e-5)


def test_without_supply_lists_the_scored_substations_stand_in(sample_assessment: Any) -> None:
    from siteassess.reports.supply import _from_measures, _with_frame

    points = _with_frame(_from_measures(sample_assessment, "escaudain-soufflantes"))
    assert [p.name for p in points] == ["BOUCHAIN"]  # nearest 400 kV, the scored one
    assert points[0].frame and set(points[0].lists) == {"min_kv", "400kv"}


def test_tiles_offline_and_online(sample_assessment: Any, tmp_path: Any) -> None:
    from siteassess.layers.tiles import open_tiles
    from tests.layers.test_layers_tiles import make_mbtiles, png_bytes

    offline = build_map_html(sample_assessment, MapOptions(lang="fr"))
    for host in ("openstreetmap.org", "geopf.fr", "http://", "https://"):
        assert host not in offline, host
    online = build_map_html(sample_assessment, MapOptions(lang="fr", online_basemap=True))
    assert "LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2" in online.replace("\\u0026", "&")
    assert "Plan IGN (en ligne)" in online and "Sans fond de carte" in online
    mb = open_tiles(make_mbtiles(tmp_path / "f.mbtiles", {(0, 0, 0): png_bytes()}))
    page = build_map_html(sample_assessment, MapOptions(lang="fr", tiles=mb))
    assert "siteassess.localTiles(" in page and "Tuiles locales — f" in page
    assert "https://" not in page
    xyz = tmp_path / "xyz" / "0" / "0"
    xyz.mkdir(parents=True)
    (xyz / "0.png").write_bytes(png_bytes())
    page = build_map_html(sample_assessment, MapOptions(tiles=open_tiles(tmp_path / "xyz")))
    assert (tmp_path / "xyz").resolve().as_uri() + "/{z}/{x}/{y}.png" in page


def test_a_kept_view_replaces_the_fit(sample_assessment: Any) -> None:
    from siteassess.reports.webmap import MapView, map_view_from_js

    view = map_view_from_js(
        '{"lat": 50.3, "lng": 3.3, "zoom": 12, "base": null,'
        ' "hidden": ["Fibre optique — fibre_illustrative.geojson (ILLUSTRATIF)"], "shown": []}'
    )
    assert view == MapView(
        50.3, 3.3, 12, None, ("Fibre optique — fibre_illustrative.geojson (ILLUSTRATIF)",)
    )
    assert map_view_from_js("") is None and map_view_from_js({"lat": "x"}) is None
    html = build_map_html(sample_assessment, MapOptions(lang="fr", view=view))
    assert "fitBounds(\n" not in html and "[50.3, 3.3]" in html and '"zoom": 12' in html
    fitted = build_map_html(sample_assessment, MapOptions(lang="fr"))
    assert ".fitBounds(" in fitted


def test_names_from_the_data_cannot_break_out_of_the_page(sample_assessment: Any) -> None:
    evil = "</script><script>window.pwned=1</script>$x^2$"
    m = sample_assessment.measurements
    layers = []
    for lyr in m.layers:
        if lyr.spec.role == "substations" or lyr.spec.name == "Communes":
            col = "name" if lyr.spec.role == "substations" else "nom"
            frame = lyr.data.copy()
            frame.loc[frame.index[0], col] = evil
            lyr = replace(lyr, data=frame)
        layers.append(lyr)
    a = replace(sample_assessment, measurements=replace(m, layers=tuple(layers)))
    html = build_map_html(a, MapOptions(lang="fr"))
    assert "<script>window.pwned" not in html
    # Labels carry the text as data (set by the page as text); popups carry it escaped.
    as_data = "\\u003c/script\\u003e\\u003cscript\\u003ewindow.pwned=1\\u003c/script\\u003e$x^2$"
    assert html.count(as_data) == 2  # a substation's label, a commune's name
    assert "\\u0026lt;script\\u0026gt;window.pwned" in html  # the popup, HTML-escaped


def test_long_site_names_are_cut_in_labels_not_in_popups(sample_assessment: Any) -> None:
    from siteassess.reports.webmap import LABEL_CHARS, _site_features, _Tr

    long_name = "Appel à projet Recyclage Foncier 2021 2nde édition (Dossier N° 5964179) - Nord"
    sites = sample_assessment.measurements.sites.copy()
    sites.loc["douai-euradouai", "name"] = long_name
    a = replace(
        sample_assessment, measurements=replace(sample_assessment.measurements, sites=sites)
    )
    props = next(
        f["properties"]
        for f in _site_features(a, _Tr("fr"))["features"]
        if f["properties"]["site_id"] == "douai-euradouai"
    )
    assert len(props["_name"]) == LABEL_CHARS and props["_name"].endswith("…")
    assert long_name in props["_popup"] and long_name in props["_tip"]
