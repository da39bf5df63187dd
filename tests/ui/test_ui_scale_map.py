"""The map of a national screen (issue 13 §5): a light page above ``MANY_SITES`` sites.

Above the threshold the page carries each site's outline simplified by
``SITE_TOLERANCE_M`` metres in Lambert-93 (checked here by the Hausdorff distance to the
original, back in Lambert-93 through pyproj), its id and name, and no popup or supply
list; the sites show as points below ``OUTLINES_FROM_ZOOM``. The selected site gets its
full outline (every vertex, within 1e-6° of pyproj's own transform), popup and supply
options from the app, in the page and in the web view.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from siteassess.reports import webmap
from siteassess.reports.webmap import MapOptions, _Tr, build_map_html, site_detail_js, supply_data
from tests.ui.conftest import SAMPLE, map_window_on, page_js, wait_for
from tests.ui.scale import many_sites, sample_measurements

TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
TO_WGS = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)


def site_features(html: str) -> list[dict[str, Any]]:
    """The features of the page's sites layer (those with a ``site_id``)."""
    out = []
    for m in re.finditer(r"_add\((\{\"features\".*?\})\);\n", html):
        out += [f for f in json.loads(m.group(1))["features"] if "site_id" in f["properties"]]
    return out


def page_data(html: str) -> dict[str, Any]:
    """The data the page's ``siteassess`` API was made with."""
    m = re.search(r"\}\)\((\w+), (\{.*?\})\);\n", html, re.S)
    assert m is not None
    return dict(json.loads(m.group(2)))


def to_l93(geometry: dict[str, Any]) -> Any:
    geom = shapely.geometry.shape(geometry)
    return shapely.transform(geom, lambda xy: np.column_stack(TO_L93.transform(*xy.T)))


@pytest.fixture(scope="module")
def above() -> Any:
    """One site more than the threshold."""
    return many_sites(webmap.MANY_SITES + 1, seed=3)


def test_above_the_threshold_the_page_is_light(above: Any) -> None:
    html = build_map_html(above, MapOptions(lang="fr"))
    feats = site_features(html)
    assert len(feats) == webmap.MANY_SITES + 1
    assert all(set(f["properties"]) == {"site_id", "_name", "_approx"} for f in feats)
    data = page_data(html)
    assert data["light"] is True and data["supply"] == []
    assert data["outlinesFromZoom"] == webmap.OUTLINES_FROM_ZOOM
    # Simplified in metres: fewer vertices, none farther than the tolerance (+ rounding).
    sites = above.measurements.sites
    raw = int(shapely.get_num_coordinates(sites.geometry.to_numpy()).sum())
    drawn = sum(
        int(shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"]))) for f in feats
    )
    assert drawn < raw
    by_id = dict(zip(above.site_ids, sites.geometry, strict=True))
    for f in feats[:50]:
        back = to_l93(f["geometry"])
        original = by_id[f["properties"]["site_id"]]
        assert shapely.hausdorff_distance(back, original) <= webmap.SITE_TOLERANCE_M + 1.5
    # The page of the same sites at the threshold is the full one.
    at = many_sites(webmap.MANY_SITES, seed=3)
    full = build_map_html(at, MapOptions(lang="fr"))
    assert page_data(full)["light"] is False
    assert all("_popup" in f["properties"] for f in site_features(full))
    assert len(html) < len(full)


def test_the_threshold_is_the_number_of_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    from siteassess.assessment import score

    m = sample_measurements()
    a = score(m, sensitivity=False)
    monkeypatch.setattr(webmap, "MANY_SITES", len(a.site_ids))
    assert page_data(build_map_html(a))["light"] is False
    monkeypatch.setattr(webmap, "MANY_SITES", len(a.site_ids) - 1)
    assert page_data(build_map_html(a))["light"] is True


def _detail(code: str) -> tuple[str, dict[str, Any]]:
    m = re.fullmatch(r"siteassess\.siteDetail\((\".*?\"), (\{.*\})\);", code, re.S)
    assert m is not None, code[:200]
    return json.loads(m.group(1)), json.loads(m.group(2))


def test_the_selected_site_gets_its_full_outline(above: Any) -> None:
    sites = above.measurements.sites
    counts = shapely.get_num_coordinates(sites.geometry.to_numpy())
    k = int(np.argmax(counts))  # the most detailed outline
    sid = above.site_ids[k]
    got, detail = _detail(site_detail_js(above, sid, "fr"))
    assert got == sid
    coords = np.asarray(shapely.get_coordinates(shapely.geometry.shape(detail["outline"])))
    original = shapely.get_coordinates(sites.geometry.iloc[k])
    assert len(coords) == len(original) == counts[k]  # every vertex
    lon, lat = TO_WGS.transform(original[:, 0], original[:, 1])
    assert np.allclose(coords, np.column_stack([lon, lat]), atol=1e-6, rtol=0)
    # Its popup and the supply options the power criterion listed come with it.
    assert sid in detail["popup"] and "<!--score-->" in detail["popup"]
    # The same options a full page carries for the site, naming the substations the
    # power criterion listed.
    assert detail["supply"] and detail["supply"] == supply_data(above, _Tr("fr"), [sid])[sid]
    names = {o.name for o in above.supply(sid)}
    assert all(o["text"].split(" · ")[0] in names for o in detail["supply"])
    assert site_detail_js(above, "no-such-site", "fr") == ""


def test_the_map_panel_sends_the_outline_before_selecting(qtbot: Any, above: Any) -> None:
    from siteassess.ui.map_view import MapPanel
    from siteassess.ui.worker import TaskRunner

    panel = MapPanel(TaskRunner())
    qtbot.addWidget(panel)
    sent: list[str] = []
    panel._js = sent.append  # type: ignore[method-assign]
    panel._assessment = above
    panel.page, panel.loaded = object(), True
    sid = above.site_ids[7]
    panel.select_site(sid, pan=False)
    assert len(sent) == 2
    assert _detail(sent[0])[0] == sid
    assert sent[1] == f'siteassess.select("{sid}", false);'


# ------------------------------------------------------------------ in the web view


@pytest.fixture(scope="module")
def light_window(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The sample (7 sites) in the app with the threshold lowered to 3: a light page."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(webmap, "MANY_SITES", 3)
        with map_window_on(SAMPLE, tmp_path_factory.mktemp("light-map")) as w:
            wait_for(lambda: page_js(w.map, "siteassess.count()") == 7)
            yield w


def test_a_light_page_shows_points_zoomed_out_and_the_full_selected_outline(
    light_window: Any,
) -> None:
    w = light_window

    def js(code: str) -> Any:
        return page_js(w.map, code)

    assert js("siteassess.light") is True
    other = "douchy-total-solar"

    def zoom(level: int) -> None:
        # Asked again until it holds: Leaflet drops a view asked for during an animation.
        ask = f"(siteassess.map.setZoom({level}, {{animate: false}}), siteassess.map.getZoom())"
        wait_for(lambda: js(ask) == level, 10)

    zoom(9)
    # Zoomed out: points (on a canvas), the outlines not drawn.
    assert js(f"siteassess.sites['{other}'].options.stroke") is False
    assert js(f"siteassess.dots['{other}']._renderer instanceof L.Canvas") is True
    zoom(12)
    assert js(f"siteassess.sites['{other}'].options.stroke") is True
    # The selected site: its full outline, drawn instead of the simplified one.
    sid = "escaudain-soufflantes"
    w.select_site(sid)
    wait_for(lambda: js("siteassess.fullOutline && siteassess.fullOutline.id") == sid, 10)
    a = w.assessment
    original = a.measurements.sites.geometry.iloc[a.site_ids.index(sid)]
    n = js("siteassess.fullOutline.layer.getLayers()[0].getLatLngs().flat(3).length")
    # Every vertex (Leaflet drops the closing one of each ring).
    rings = sum(len(shapely.get_rings(p)) for p in shapely.get_parts(original))
    assert n == int(shapely.get_num_coordinates(original)) - rings
    assert js(f"siteassess.sites['{sid}'].options.stroke") is False
    assert js("siteassess.fullOutline.layer.getLayers()[0].options.weight") == 4
    # Its popup came with it.
    assert "Escaudain" in js(f"siteassess.popup('{sid}')")
