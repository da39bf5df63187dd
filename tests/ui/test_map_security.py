"""The map page against hostile data and hostile scripts (QtWebEngine, offscreen).

Site ids that are JavaScript's own names (``__proto__``, ``constructor``…) are drawn and
coloured like any other; a script in the page reaches no host, no file outside the page's
folders and no network share, and each request refused is logged; WebRTC is off.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
import tomli_w
from PySide6.QtTest import QTest

from siteassess.ui.request_policy import make_policy
from tests.ui.conftest import page_js, wait_for

# Site id → side of its square (m). With demand_mw = 700 the land criterion scores
# 100 × (25 − 700 / area_ha) / 15, clipped to 0..100 (1 at 10 MW/ha, 0 at 25 MW/ha):
#   900 m: 81 ha, 8.64 MW/ha → 100        700 m: 49 ha, 14.29 MW/ha → 71.4
#   680 m: 46.24 ha, 15.14 MW/ha → 65.7   640 m: 40.96 ha, 17.09 MW/ha → 52.7
#   600 m: 36 ha, 19.44 MW/ha → 37.0
SIDES = {"__proto__": 900, "constructor": 700, "a": 680, "toString": 640, "hasOwnProperty": 600}
# The colour of each, read off the score classes (≥80, ≥70, ≥60, ≥50, below) by hand.
COLOURS = {
    "__proto__": "#1a9850",
    "constructor": "#91cf60",
    "a": "#fee08b",
    "toString": "#fc8d59",
    "hasOwnProperty": "#d73027",
}


def js(panel: Any, code: str) -> Any:
    return page_js(panel, code)


def hostile_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    geoms = [
        shapely.box(700_000 + 3000 * i, 7_000_000, 700_000 + 3000 * i + side, 7_000_000 + side)
        for i, side in enumerate(SIDES.values())
    ]
    sites = gpd.GeoDataFrame({"site_id": list(SIDES)}, geometry=geoms, crs="EPSG:2154")
    sites.to_file(folder / "sites.geojson")
    doc = {
        "schema": 1,
        "name": "hostile ids",
        "demand_mw": 700,
        "layers": [{"role": "sites", "path": "sites.geojson"}],
        "criteria": {"land": {"weight": 1}},
    }
    path = folder / "project.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def panel(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A map panel showing the project whose site ids are JavaScript's own names."""
    from siteassess.assessment import assess
    from siteassess.project import load_project
    from siteassess.ui.map_view import MapPanel
    from siteassess.ui.worker import TaskRunner

    runner = TaskRunner()
    p = MapPanel(runner)
    p.resize(1000, 700)
    p.show()
    a = assess(load_project(hostile_project(tmp_path_factory.mktemp("hostile"))))
    p.show_assessment(a)
    wait_for(lambda: p.loaded, 60)
    wait_for(lambda: js(p, "typeof siteassess !== 'undefined' && siteassess.count()") == 5)
    yield p
    p.shutdown()
    p.close()


def test_site_ids_named_like_javascript_builtins_are_drawn_and_coloured(panel: Any) -> None:
    QTest.qWait(300)  # setScores runs once the page has loaded
    info = js(
        panel,
        "Object.keys(siteassess.sites).map(id => [id, siteassess.sites[id].options.fillColor,"
        " siteassess.dots[id].options.fillColor,"
        " !!siteassess.sites[id]._path && document.body.contains(siteassess.sites[id]._path),"
        " siteassess.sites[id]._path.getAttribute('fill')])",
    )
    seen = {row[0]: row[1:] for row in info}
    assert sorted(seen) == sorted(SIDES)
    for site_id, colour in COLOURS.items():
        assert seen[site_id] == [colour, colour, True, colour], site_id
    # The page's score table has each id as its own key, and nothing else.
    scores = js(panel, "Object.keys(siteassess.scores).sort()")
    assert scores == sorted(SIDES)
    assert js(panel, "siteassess.scores['__proto__'].rank") == 1
    # Recolouring after new scores (the path the weights panel takes) keeps every site.
    panel.update_scores(panel._assessment)
    QTest.qWait(200)
    again = js(panel, "Object.keys(siteassess.sites).map(id => siteassess.colour(id))")
    assert sorted(again) == sorted(COLOURS.values())
    # A click on the "__proto__" site selects it by that id.
    clicked: list[str] = []
    panel.siteClicked.connect(clicked.append)
    js(panel, "(siteassess.sites['__proto__'].fire('click'), 1)")
    wait_for(lambda: clicked == ["__proto__"], 10)
    assert js(panel, "siteassess.selected") == "__proto__"


class _Recorder(http.server.ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that records every connection and request."""

    def __init__(self) -> None:
        self.connections = 0
        self.paths: list[str] = []
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.paths.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"secret from the server")

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def get_request(self) -> tuple[socket.socket, Any]:
        self.connections += 1
        return super().get_request()


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    server = _Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


PROBE_JS = """
(function () {
  var out = window.probe = {};
  var here = "http://127.0.0.1:PORT";
  var settle = function (name, promise) {
    out[name] = "pending";
    promise.then(function (v) { out[name] = v; }, function (e) { out[name] = "error"; });
  };
  settle("fetch", fetch(here + "/fetch").then(function (r) { return r.text(); }));
  settle("fetch_file", fetch("file:///etc/passwd").then(function (r) { return r.text(); }));
  var xhr = function (url) {
    return new Promise(function (ok, fail) {
      var r = new XMLHttpRequest();
      r.onload = function () { ok(r.responseText || "empty"); };
      r.onerror = function () { fail(new Error("xhr")); };
      try { r.open("GET", url); r.send(); } catch (e) { fail(e); }
    });
  };
  settle("xhr_passwd", xhr("file:///etc/passwd"));
  settle("xhr_share", xhr("file://fileserver/share/x.gpkg"));
  settle("xhr_http", xhr(here + "/xhr"));
  var img = new Image();
  settle("img", new Promise(function (ok, fail) {
    img.onload = function () { ok("loaded"); }; img.onerror = function () { fail(); };
  }));
  img.src = here + "/img.png";
  document.body.appendChild(img);
  var frame = document.createElement("iframe");
  settle("frame_passwd", new Promise(function (ok) {
    frame.onload = function () {
      try { ok(frame.contentDocument.body.textContent || "empty"); } catch (e) { ok("error"); }
    };
  }));
  frame.src = "file:///etc/passwd";
  document.body.appendChild(frame);
  var link = document.createElement("link");
  link.rel = "preconnect";
  link.href = here + "/";
  document.head.appendChild(link);
  try { navigator.sendBeacon(here + "/beacon", "x"); } catch (e) { /* refused */ }
  try { new WebSocket("ws://127.0.0.1:PORT/ws"); } catch (e) { /* refused */ }
  return 1;
})()
"""


def test_a_script_in_the_page_reaches_no_host_and_no_file_outside_its_folders(
    panel: Any, recorder: _Recorder
) -> None:
    port = recorder.server_address[1]
    panel.blocked.clear()
    js(panel, PROBE_JS.replace("PORT", str(port)))
    names = ("fetch", "fetch_file", "xhr_passwd", "xhr_share", "xhr_http", "img", "frame_passwd")
    wait_for(lambda: all(v != "pending" for v in (js(panel, "window.probe") or {}).values()), 20)
    QTest.qWait(1500)  # time for anything that would still connect (beacon, preconnect)
    out = js(panel, "window.probe")
    assert recorder.connections == 0 and recorder.paths == []
    for name in names:
        assert out[name] in ("error", "empty"), (name, out[name])
    assert "root:" not in json.dumps(out)
    blocked = dict(panel.blocked)
    here = f"http://127.0.0.1:{port}"
    for url in (f"{here}/fetch", f"{here}/xhr", f"{here}/img.png", "file:///etc/passwd"):
        assert url in blocked, (url, blocked)
    assert blocked[f"{here}/img.png"] == "remote request with the online basemap off"
    assert blocked["file:///etc/passwd"] == "file outside the page's and its assets' folders"
    share = [why for url, why in panel.blocked if url.startswith("file://fileserver/")]
    assert share == ["file: URL on another host (a network share)"]
    # The page's own files were allowed: Leaflet from the asset folder, the page itself.
    allowed = [url for url, was_blocked in panel.requests if not was_blocked]
    assert any(url.endswith("/leaflet.js") for url in allowed)
    assert str(panel.html_path.name) in " ".join(allowed)


def test_every_blocked_request_is_logged(
    panel: Any, recorder: _Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    port = recorder.server_address[1]
    with caplog.at_level("WARNING", logger="siteassess.ui.map_view"):
        js(panel, f"(fetch('http://127.0.0.1:{port}/logged').catch(() => 0), 1)")
        wait_for(lambda: any("/logged" in r.getMessage() for r in caplog.records), 10)
    message = next(r.getMessage() for r in caplog.records if "/logged" in r.getMessage())
    assert message == (
        f"the map page's request was blocked: http://127.0.0.1:{port}/logged "
        "(remote request with the online basemap off)"
    )
    assert recorder.connections == 0


def _udp_listener() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.1)
    return sock


def test_webrtc_is_off_in_the_page_and_its_frames(panel: Any) -> None:
    stun = _udp_listener()
    port = stun.getsockname()[1]
    code = """
    (function () {
      var frame = document.createElement("iframe");
      document.body.appendChild(frame);
      var kinds = [typeof window.RTCPeerConnection, typeof frame.contentWindow.RTCPeerConnection];
      var PC = window.RTCPeerConnection || frame.contentWindow.RTCPeerConnection ||
               window.webkitRTCPeerConnection;
      if (PC) {
        var pc = new PC({iceServers: [{urls: "stun:127.0.0.1:PORT"}]});
        pc.createDataChannel("x");
        pc.createOffer().then(function (o) { return pc.setLocalDescription(o); });
      }
      return kinds;
    })()
    """.replace("PORT", str(port))
    kinds = js(panel, code)
    received = []
    end = time.monotonic() + 2.0
    while time.monotonic() < end:
        QTest.qWait(100)
        try:
            received.append(stun.recvfrom(2048))
        except TimeoutError:
            continue
    stun.close()
    # The engine sends no UDP: the ICE gathering above reached no STUN server.
    assert received == []
    # The page itself has no RTCPeerConnection; an empty frame still has one (user scripts do
    # not run in about:blank), which the engine's flags leave without UDP (above).
    assert kinds == ["undefined", "function"]


def test_the_online_basemap_opens_its_tile_hosts_only(panel: Any) -> None:
    from siteassess.reports.webmap import online_tile_hosts

    osm = "https://tile.openstreetmap.org/9/263/170.png"
    ign = "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&TILEMATRIX=9"
    assert online_tile_hosts() == {"tile.openstreetmap.org", "data.geopf.fr"}
    assert not panel.policy.decide(osm).allowed  # off by default
    panel.set_online(True)
    try:
        assert panel.policy.decide(osm).allowed and panel.policy.decide(ign).allowed
        for url in (
            "https://tracker.example/pixel.png",
            "http://tile.openstreetmap.org/9/263/170.png",  # not https
            "https://tile.openstreetmap.org:8443/9/263/170.png",
            "https://user@tile.openstreetmap.org/9/263/170.png",
            "wss://tile.openstreetmap.org/",
            "https://tile.openstreetmap.org.tracker.example/x.png",
            "ftp://tile.openstreetmap.org/x",
            "file:///etc/passwd",
        ):
            assert not panel.policy.decide(url).allowed, url
    finally:
        panel.set_online(False)
    assert not panel.policy.decide(osm).allowed


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("file:///srv/page/map-1.html", True),
        ("file:///srv/page/sub/x.png", True),
        ("file:///srv/assets/leaflet.js", True),
        ("file:///srv/page/../secret.txt", False),
        ("file:///srv/page%2F..%2Fsecret.txt", False),
        ("file:///srv/pages/x.html", False),  # a sibling folder whose name starts alike
        ("file:///etc/passwd", False),
        ("file://fileserver/share/x.gpkg", False),
        ("file://localhost/etc/passwd", False),
        ("file:////fileserver/share/x.gpkg", False),
        ("data:image/png;base64,AAAA", True),
        ("blob:file:///0b5f-4c", True),
        ("qrc:///qtwebchannel/qwebchannel.js", True),
        ("ftp://127.0.0.1/x", False),
        ("javascript:alert(1)", False),
        ("chrome://settings", False),
    ],
)
def test_the_request_policy_decides_by_folder_and_scheme(url: str, allowed: bool) -> None:
    policy = make_policy(["/srv/page", "/srv/assets"])
    assert policy.decide(url).allowed is allowed


def test_the_policy_resolves_symbolic_links(tmp_path: Path) -> None:
    page = tmp_path / "page"
    page.mkdir()
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (page / "link.txt").symlink_to(tmp_path / "outside.txt")
    (page / "own.txt").write_text("ok", encoding="utf-8")
    policy = make_policy([page])
    assert policy.decide((page / "own.txt").as_uri()).allowed
    assert not policy.decide((page / "link.txt").as_uri()).allowed


def test_the_engine_flags_send_connections_without_a_request_nowhere() -> None:
    from siteassess.ui.request_policy import NO_PROXY, engine_flags

    hosts = ["tile.openstreetmap.org", "data.geopf.fr"]
    flags = engine_flags("--no-sandbox", hosts).split()
    assert flags == [
        "--no-sandbox",
        f"--proxy-server={NO_PROXY}",
        "--proxy-bypass-list=<-loopback>;data.geopf.fr;tile.openstreetmap.org",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    ]
    assert engine_flags(" ".join(flags), hosts).split() == flags  # applied once only
    # A proxy the user chose is kept; WebRTC stays off the network either way.
    own = engine_flags("--proxy-server=http://proxy.corp:3128", hosts).split()
    assert own == [
        "--proxy-server=http://proxy.corp:3128",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    ]


def test_a_local_tile_folder_opens_its_tiles_only() -> None:
    # A project names the tile folder: even "/" may not open every file under it.
    policy = make_policy(["/srv/page"], tiles=("/", "png"))
    assert policy.decide("file:///6/32/21.png").allowed
    for url in (
        "file:///etc/passwd",
        "file:///6/32/21.jpg",
        "file:///6/32/x.png",
        "file:///home/6/32/21.png",
        "file:///6/32.png",
    ):
        assert not policy.decide(url).allowed, url
