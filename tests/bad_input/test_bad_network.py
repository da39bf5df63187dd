"""A project never makes siteassess reach the network (class 1 of the bad-input corpus).

A local HTTP server on 127.0.0.1 records every request. Each hostile layer points GDAL at it
(a VRT under another name, a ``.vrt`` raster, a WMS description named ``.tif``, a zip
holding a VRT, a layer path that is a URL or ``/vsicurl/``); ``score`` and ``validate``
must refuse it with exit 2, and the server must have seen no request at all.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from siteassess.layers import gdal_safety
from tests.bad_input.harness import (
    ROOT,
    SAMPLE,
    assert_refused,
    project_file,
    run_cli,
    sample_sites_layer,
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        body = b'{"type": "FeatureCollection", "features": []}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A recording HTTP server on 127.0.0.1: its base URL and the requests it received."""
    seen: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def _ogr_vrt(url: str) -> str:
    return (
        '<OGRVRTDataSource><OGRVRTLayer name="sites">'
        f"<SrcDataSource>/vsicurl/{url}/sites.geojson</SrcDataSource>"
        "</OGRVRTLayer></OGRVRTDataSource>"
    )


def _raster_vrt(url: str) -> str:
    return (
        '<VRTDataset rasterXSize="100" rasterYSize="100">'
        "<SRS>EPSG:2154</SRS><GeoTransform>600000, 100, 0, 7100000, 0, -100</GeoTransform>"
        '<VRTRasterBand dataType="Float32" band="1"><SimpleSource>'
        f"<SourceFilename>/vsicurl/{url}/depth.tif</SourceFilename><SourceBand>1</SourceBand>"
        "</SimpleSource></VRTRasterBand></VRTDataset>"
    )


def _wms(url: str) -> str:
    return (
        f'<GDAL_WMS><Service name="TMS"><ServerUrl>{url}/${{z}}/${{x}}/${{y}}.png</ServerUrl>'
        "</Service><DataWindow><UpperLeftX>-20037508.34</UpperLeftX>"
        "<UpperLeftY>20037508.34</UpperLeftY><LowerRightX>20037508.34</LowerRightX>"
        "<LowerRightY>-20037508.34</LowerRightY><TileLevel>18</TileLevel>"
        "<TileCountX>1</TileCountX><TileCountY>1</TileCountY><YOrigin>top</YOrigin>"
        "</DataWindow><Projection>EPSG:3857</Projection><BlockSizeX>256</BlockSizeX>"
        "<BlockSizeY>256</BlockSizeY><BandsCount>1</BandsCount></GDAL_WMS>"
    )


def _write(name: str, text: Callable[[str], str]) -> Callable[[Path, str], str]:
    def make(folder: Path, url: str) -> str:
        (folder / name).write_text(text(url), encoding="utf-8")
        return name

    return make


def _zip_with_vrt(folder: Path, url: str) -> str:
    with zipfile.ZipFile(folder / "zones.zip", "w") as zf:
        zf.writestr("zones.vrt", _ogr_vrt(url))
    return "zones.zip"


def _zip_with_disguised_vrt(folder: Path, url: str) -> str:
    with zipfile.ZipFile(folder / "zones.zip", "w") as zf:
        zf.writestr("zones.geojson", _ogr_vrt(url))
    return "zones.zip"


# (case id, role, how the file is made (returns the layer path), words the message holds)
CASES: list[tuple[str, str, Callable[[Path, str], str], list[str]]] = [
    (
        "ogr-vrt-named-geojson-sites",
        "sites",
        _write("sites.geojson", _ogr_vrt),
        ["sites.geojson", "OGR VRT", "does not open"],
    ),
    (
        "ogr-vrt-named-gpkg",
        "context",
        _write("zones.gpkg", _ogr_vrt),
        ["zones.gpkg", "OGR VRT"],
    ),
    (
        "vrt-raster",
        "flood",
        _write("depth.vrt", _raster_vrt),
        ["depth.vrt", "is a VRT", "gdal_translate"],
    ),
    (
        "raster-vrt-named-tif",
        "flood",
        _write("depth.tif", _raster_vrt),
        ["depth.tif", "GDAL VRT"],
    ),
    (
        "wms-named-tif",
        "flood",
        _write("depth.tif", _wms),
        ["depth.tif", "WMS service description"],
    ),
    ("zip-holding-a-vrt", "context", _zip_with_vrt, ["zones.zip", "zones.vrt", "VRT"]),
    (
        "zip-holding-vrt-named-geojson",
        "context",
        _zip_with_disguised_vrt,
        ["zones.zip", "member zones.geojson", "OGR VRT"],
    ),
    (
        "path-is-vsicurl",
        "context",
        lambda folder, url: f"/vsicurl/{url}/zones.geojson",
        ["/vsicurl/http:", "not a local file", "Download the file"],
    ),
    (
        "path-is-url",
        "context",
        lambda folder, url: f"{url}/zones.geojson",
        ["zones.geojson", "not a local file", "never reads layers over the network"],
    ),
]


def _project(tmp_path: Path, role: str, layer_path: str) -> Path:
    layer: dict[str, object] = {"role": role, "path": layer_path, "name": "Hostile"}
    if role == "flood":
        layer["scenario"] = "medium"
    layers = [layer] if role == "sites" else [sample_sites_layer(), layer]
    if role == "sites":
        layer.pop("name")
    return project_file(tmp_path, layers)


@pytest.mark.parametrize(
    ("role", "make", "naming"),
    [pytest.param(role, make, naming, id=case) for case, role, make, naming in CASES],
)
def test_score_and_validate_refuse_without_a_request(
    role: str,
    make: Callable[[Path, str], str],
    naming: list[str],
    tmp_path: Path,
    server: tuple[str, list[str]],
) -> None:
    url, requests = server
    project = _project(tmp_path, role, make(tmp_path, url))
    out = tmp_path / "ranking.csv"
    # assert_refused runs validate as well, which must refuse it (and stay offline) too
    assert_refused(run_cli(["score", project, "--output", out]), naming=naming, outputs=[out])
    assert requests == [], f"siteassess reached the network: {requests}"


def test_the_server_does_see_gdal_when_nothing_guards_it(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    """The server records what a bare pyogrio sends (so the tests above can fail)."""
    url, requests = server
    (tmp_path / "sites.geojson").write_text(_ogr_vrt(url), encoding="utf-8")
    code = f"import pyogrio\ntry: pyogrio.read_info({str(tmp_path / 'sites.geojson')!r})\n"
    code += "except Exception: pass\n"
    # without the offline settings siteassess put in this process's environment, if it did
    env = {k: v for k, v in os.environ.items() if k not in gdal_safety.offline_options()}
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, cwd=ROOT, env=env)
    assert any("/sites.geojson" in r for r in requests), requests


@pytest.mark.parametrize("first", ["pyogrio", "rasterio", "geopandas"])
def test_offline_holds_when_a_gdal_was_imported_first(
    first: str, tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    """Imported before siteassess, both GDALs still drop the VRT drivers and stay offline."""
    url, requests = server
    (tmp_path / "v.geojson").write_text(_ogr_vrt(url), encoding="utf-8")
    (tmp_path / "r.vrt").write_text(_raster_vrt(url), encoding="utf-8")
    code = f"""
import {first}
import pyogrio, rasterio
if {first!r} == "rasterio":
    with rasterio.Env():  # rasterio's drivers registered before siteassess
        pass
from siteassess.layers import gdal_safety, readers  # noqa
assert gdal_safety.vector_drivers_offline(), "pyogrio still has the VRT drivers"
for call in (
    lambda: pyogrio.read_info({str(tmp_path / "v.geojson")!r}),
    lambda: pyogrio.read_info("/vsicurl/{url}/x.geojson"),
    lambda: readers._raster(__import__("pathlib").Path({str(tmp_path / "r.vrt")!r})).__enter__(),
):
    try:
        call()
    except Exception:
        pass
print("done")
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert proc.returncode == 0 and "done" in proc.stdout, proc.stderr[-2000:]
    assert requests == [], f"a GDAL reached the network: {requests}"


def test_the_sample_still_scores_with_gdal_offline(tmp_path: Path) -> None:
    out = tmp_path / "ranking.csv"
    ended = run_cli(["score", SAMPLE / "project.toml", "--output", out])
    assert ended.code == 0, ended.err[-2000:]
    assert out.is_file()


def test_an_overview_sidecar_that_is_a_vrt_is_never_followed(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    """GDAL opens ``depth.tif.ovr`` by itself for a reduced read; plain rasterio then fetches
    what that VRT names, siteassess's raster opener does not (and the score still runs)."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    url, requests = server
    tif = tmp_path / "depth.tif"
    profile = {"driver": "GTiff", "width": 200, "height": 180, "count": 1, "dtype": "float32"}
    transform = from_origin(640_000, 7_105_000, 500, 500)  # the sample's sites, Lambert-93
    with (
        rasterio.Env(),
        rasterio.open(tif, "w", crs="EPSG:2154", transform=transform, **profile) as ds,
    ):
        ds.write(np.full((1, 180, 200), 0.5, dtype="float32"))
    (tmp_path / "depth.tif.ovr").write_text(_raster_vrt(url), encoding="utf-8")
    reduced = "ds.read(1, out_shape=(9, 10))"
    plain = f"import rasterio\nwith rasterio.open({str(tif)!r}) as ds:\n    {reduced}\n"
    guarded = "from pathlib import Path\nfrom siteassess.layers.readers import _raster\n"
    guarded += f"with _raster(Path({str(tif)!r})) as ds:\n    {reduced}\n"
    env = {k: v for k, v in os.environ.items() if k not in gdal_safety.offline_options()}
    subprocess.run([sys.executable, "-c", plain], timeout=60, cwd=ROOT, env=env, check=False)
    assert requests, "plain rasterio did not follow the overview: this test shows nothing"
    requests.clear()
    proc = subprocess.run(
        [sys.executable, "-c", guarded], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    project = project_file(
        tmp_path,
        [sample_sites_layer(), {"role": "flood", "path": "depth.tif", "scenario": "medium"}],
    )
    ended = run_cli(["score", project, "--json"])
    assert ended.code == 0, ended.err[-2000:]
    assert requests == [], f"siteassess reached the network: {requests}"
