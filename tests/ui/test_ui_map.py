"""The web map in the app (QtWebEngine, offscreen): Leaflet loads offline, one shape per site,
no remote request, clicks and selections go both ways, popups escape data, screenshots."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from siteassess.ui.map_view import should_block
from tests.ui.conftest import OUTPUT, SAMPLE

EVIL = "<script>window.pwned = 1</script><b>gras</b>"


def wait_for(condition: Any, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the map")
        QTest.qWait(50)


def js(w: Any, code: str) -> Any:
    """Run JavaScript in the map page and return its JSON result."""
    box: list[Any] = []
    w.map.run_js(f"JSON.stringify({code})", box.append)
    wait_for(lambda: bool(box), 10)
    return json.loads(box[0]) if box[0] is not None else None


@pytest.fixture(scope="module")
def map_window(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One main window with the web map, on the sample project, for the whole module."""
    from siteassess.ui import dialogs
    from siteassess.ui.i18n_ui import set_language
    from siteassess.ui.main_window import MainWindow
    from siteassess.ui.settings import Settings

    state = tmp_path_factory.mktemp("map-state")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SITEASSESS_STATE_DIR", str(state))
        mp.setattr(dialogs, "show_error", lambda *a: None)
        mp.setattr(dialogs, "ask_save_changes", lambda *a: dialogs.DISCARD)
        set_language("fr")
        w = MainWindow(Settings(state / "settings.ini"), map_enabled=True)
        w.resize(1500, 950)
        w.show()
        t0 = time.monotonic()
        assert w.open_project(SAMPLE, ask=False)
        wait_for(lambda: w.assessment is not None, 60)
        print("assessed", time.monotonic() - t0)
        wait_for(lambda: w.map.html_path is not None, 60)
        print("built", time.monotonic() - t0)
        wait_for(lambda: w.map.loaded, 60)
        print("loaded", time.monotonic() - t0)
        wait_for(lambda: js(w, "typeof siteassess !== 'undefined' && siteassess.count()") == 7)
        yield w
        w.shutdown()
        w.close()


def test_the_page_loaded_leaflet_and_drew_one_shape_per_site(map_window: Any) -> None:
    info = js(
        map_window,
        "{L: typeof L, version: L.version, sites: siteassess.count(),"
        " drawn: Object.values(siteassess.sites).filter("
        "   l => l._path && document.body.contains(l._path)).length,"
        " dom: document.querySelectorAll('path.sa-site').length,"
        " dots: document.querySelectorAll('path.sa-site-marker').length}",
    )
    assert info == {"L": "object", "version": "1.9.3", "sites": 7, "drawn": 7, "dom": 7, "dots": 7}
    # Every layer can be switched on and off.
    overlays = js(
        map_window,
        "Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
        ".map(l => l.textContent.trim())",
    )
    assert len(overlays) == 5
    assert "Zones inondables — flood_illustrative.geojson (ILLUSTRATIF)" in overlays


def test_the_page_made_no_remote_request(map_window: Any) -> None:
    requests = map_window.map.requests
    assert requests, "the interceptor saw nothing"
    schemes = {url.split(":", 1)[0] for url, _ in requests}
    assert schemes <= {"file", "qrc", "data"}, requests
    assert any(url.endswith("/leaflet.js") for url, _ in requests)  # the local copy
    html = map_window.map.html_path.read_text(encoding="utf-8")
    remote = re.findall(r"<(?:script|link)[^>]+(?:src|href)=[\"']https?://", html)
    assert remote == []
    assert should_block("https", online=False) and should_block("http", online=False)
    from PySide6.QtWebEngineCore import QWebEngineSettings

    remote = QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls
    settings = map_window.map.page.settings()
    assert not settings.testAttribute(remote)
    map_window.map.set_online(True)
    try:
        assert settings.testAttribute(remote)
    finally:
        map_window.map.set_online(False)
    assert not settings.testAttribute(remote)
    assert not should_block("https", online=True) and not should_block("file", online=False)


def test_a_click_on_a_site_selects_its_row(map_window: Any) -> None:
    js(map_window, "(siteassess.sites['douai-euradouai'].fire('click'), 1)")
    wait_for(lambda: map_window.current_site() == "douai-euradouai", 10)
    assert "ZAC Euradouai" in map_window.detail.toPlainText()


def test_selecting_a_row_highlights_the_site(map_window: Any) -> None:
    map_window.select_site("escaudain-soufflantes")
    wait_for(lambda: js(map_window, "siteassess.selected") == "escaudain-soufflantes", 10)
    weight = js(map_window, "siteassess.sites['escaudain-soufflantes'].options.weight")
    assert weight == 4


def test_new_weights_recolour_the_sites(map_window: Any) -> None:
    w = map_window
    w.weights_panel.set_weight("land", 90)
    i = w.assessment.site_ids.index("douchy-total-solar")
    expected = round(float(w.assessment.table.scores[i]), 3)
    wait_for(lambda: js(w, "siteassess.scores['douchy-total-solar'].score") == expected, 10)
    w.weights_panel.set_weight("land", 10)


def test_screenshot_of_the_main_window_is_not_blank(map_window: Any) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    w = map_window
    w.select_site("douvrin-fm-ouest", pan=False)
    js(w, "(siteassess.map.closePopup(), siteassess.fitAll(), 1)")
    wait_for(lambda: all(r.p_first is not None for r in w.model.rows), 10)
    QTest.qWait(800)  # let the page repaint
    shot = map_window.grab()
    assert shot.save(str(OUTPUT / "main_window.png"))
    image = map_window.map.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    background = {QColor("#eef0ea").rgb(), QColor("white").rgb()}
    step = 4
    coloured = sum(
        image.pixel(x, y) not in background
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    )
    total = (image.width() // step) * (image.height() // step)
    assert coloured / total > 0.02, f"the map looks blank ({coloured} of {total} pixels)"
    # Sites are drawn in their score colour (nearly opaque dots): look for those colours.
    greens = [QColor("#1a9850"), QColor("#91cf60")]

    def is_site_colour(rgb: int) -> bool:
        c = QColor(rgb)
        return any(
            abs(c.red() - g.red()) + abs(c.green() - g.green()) + abs(c.blue() - g.blue()) < 30
            for g in greens
        )

    folded = js(map_window, "!document.querySelector('.sa-legend details').open")
    assert folded  # the legend's colour bar is hidden: the colours below are the sites'
    assert any(
        is_site_colour(image.pixel(x, y))
        for x in range(image.width())
        for y in range(0, image.height(), 2)
    ), "no site drawn in its score colour"


def test_screenshot_of_the_compare_view(qtbot: Any, map_window: Any) -> None:
    dialog = map_window.make_compare_dialog(
        ["douvrin-fm-ouest", "douai-euradouai", "escaudain-soufflantes", "courcelles-metaleurop"]
    )
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.qWait(200)
    assert dialog.grab().save(str(OUTPUT / "compare.png"))


def test_popups_show_attribute_values_as_text(map_window: Any, tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    shutil.copytree(SAMPLE.parent, folder)
    sites = folder / "sites.geojson"
    doc = json.loads(sites.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["name"] = EVIL
    evil_id = doc["features"][0]["properties"]["site_id"]
    sites.write_text(json.dumps(doc), encoding="utf-8")
    w = map_window
    old_page = w.map.html_path
    assert w.open_project(folder / "project.toml")
    wait_for(lambda: w.map.html_path != old_page and w.map.loaded, 60)
    wait_for(lambda: js(w, "typeof siteassess !== 'undefined' && siteassess.count()") == 7)
    result = js(
        w,
        f"(function () {{ var l = siteassess.sites[{json.dumps(evil_id)}]; l.openPopup();"
        " var el = document.querySelector('.leaflet-popup-content');"
        " return {text: el.textContent, scripts: el.querySelectorAll('script').length,"
        " bold: el.querySelectorAll('b b, td b').length,"
        " pwned: typeof window.pwned,"
        " label: document.querySelector('.sa-label').textContent}; })()",
    )
    assert EVIL in result["text"]  # shown as text
    assert result["scripts"] == 0 and result["pwned"] == "undefined"
    assert result["bold"] == 0
    # The table and the detail panel show it as text too.
    assert w.model.rows and any(r.name == EVIL for r in w.model.rows)
    w.select_site(evil_id)
    assert EVIL in w.detail.toPlainText()
