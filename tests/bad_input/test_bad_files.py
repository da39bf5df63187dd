"""Nothing hangs, memory stays bounded, content is what the name says (class 2 and 1).

``assert_refused`` also runs ``validate`` on each refused project, which must refuse it too.

A layer that is a device, a FIFO or a socket is refused before it is opened (``/dev/zero``
grew to 23 GB, a FIFO hung forever); ``run_cli``'s timeout fails a hang. A file whose first
bytes are another format than its name is refused with what the content looks like.
"""

from __future__ import annotations

import os
import socket
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import geopandas as gpd
import pytest

from tests.bad_input.harness import (
    SAMPLE,
    assert_refused,
    project_file,
    run_cli,
    sample_sites_layer,
)

pytestmark = pytest.mark.skipif(os.name == "nt", reason="devices, FIFOs and sockets of POSIX")

# the role and extra keys a layer of each kind needs
KINDS: dict[str, dict[str, object]] = {
    "vector": {"role": "context"},
    "table": {"role": "exchanges", "x_field": "lon", "y_field": "lat", "crs": "EPSG:4326"},
    "raster": {"role": "flood", "scenario": "medium"},
}
SUFFIX = {"vector": ".geojson", "table": ".csv", "raster": ".tif"}


def _score(tmp_path: Path, kind: str, layer_path: str | Path) -> tuple[Path, Path]:
    layer = {**KINDS[kind], "path": str(layer_path), "name": "Suspect"}
    project = project_file(tmp_path, [sample_sites_layer(), layer])
    return project, tmp_path / "ranking.csv"


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Makes a listening Unix socket at a name in ``tmp_path``."""
    opened: list[socket.socket] = []

    def make(name: str) -> Path:
        path = tmp_path / name
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(path))
        sock.listen(1)
        opened.append(sock)
        return path

    yield make
    for sock in opened:
        sock.close()


@pytest.mark.parametrize("kind", list(KINDS))
def test_dev_zero_is_refused_before_it_is_read(kind: str, tmp_path: Path) -> None:
    link = tmp_path / f"zero{SUFFIX[kind]}"  # a harmless name that leads to /dev/zero
    link.symlink_to("/dev/zero")
    project, out = _score(tmp_path, kind, link.name)
    ended = run_cli(["score", project, "--output", out], timeout=30)
    assert_refused(
        ended,
        naming=["Suspect", link.name, "a character device, not a regular file"],
        outputs=[out],
    )


def test_dev_zero_named_as_is(tmp_path: Path) -> None:
    project, out = _score(tmp_path, "vector", "/dev/zero")
    ended = run_cli(["score", project, "--output", out], timeout=30)
    assert_refused(ended, naming=["/dev/zero", "character device"], outputs=[out])


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_fifo_is_refused_and_nothing_hangs(kind: str, tmp_path: Path) -> None:
    fifo = tmp_path / f"pipe{SUFFIX[kind]}"
    os.mkfifo(fifo)
    project, out = _score(tmp_path, kind, fifo.name)
    ended = run_cli(["score", project, "--output", out], timeout=30)  # a blocked read: timeout
    assert_refused(ended, naming=[fifo.name, "named pipe (FIFO)"], outputs=[out])


def test_a_socket_is_refused(tmp_path: Path, unix_socket: Callable[[str], Path]) -> None:
    sock = unix_socket("zones.gpkg")
    project, out = _score(tmp_path, "vector", sock.name)
    ended = run_cli(["score", project, "--output", out], timeout=30)
    assert_refused(ended, naming=["zones.gpkg", "a socket, not a regular file"], outputs=[out])


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_folder_is_refused(kind: str, tmp_path: Path) -> None:
    """A vector layer's folder is read as per-département partitions (issue 13): an empty
    one is refused as such; a raster is never a folder."""
    folder = tmp_path / f"layer{SUFFIX[kind]}"
    folder.mkdir()
    project, out = _score(tmp_path, kind, folder.name)
    ended = run_cli(["score", project, "--output", out])
    why = "is a folder, not a file" if kind == "raster" else "holds no partition file"
    assert_refused(ended, naming=[folder.name, why], outputs=[out])


def _zip_of_text(path: Path) -> None:
    path.write_text("id;name\n1;not a zip\n", encoding="utf-8")


def _geojson_in_zip_is_csv(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("zones.geojson", "id;name\n1;x\n")


# (file name, how to write it, what its content is said to look like)
MISMATCHES: list[tuple[str, Callable[[Path], object], str]] = [
    ("zones.geojson", lambda p: p.write_text("id;lon;lat\n1;2.3;48.8\n"), "looks like text"),
    ("zones.gpkg", lambda p: p.write_text('{"type": "FeatureCollection"}'), "looks like JSON"),
    ("zones.shp", lambda p: p.write_bytes(b"PK\x03\x04" + bytes(96)), "a zip archive"),
    ("zones.zip", _zip_of_text, "looks like text, not a zip archive"),
    ("zones.fgb", lambda p: p.write_text("<html><body>Not found</body></html>"), "HTML page"),
    ("zones.zip", _geojson_in_zip_is_csv, "(member zones.geojson) is named .geojson"),
]


@pytest.mark.parametrize(
    ("name", "write", "looks"),
    [pytest.param(n, w, s, id=f"{n}-{s.split()[-1]}") for n, w, s in MISMATCHES],
)
def test_content_unlike_the_name_is_refused(
    name: str, write: Callable[[Path], object], looks: str, tmp_path: Path
) -> None:
    write(tmp_path / name)
    project, out = _score(tmp_path, "vector", name)
    ended = run_cli(["score", project, "--output", out])
    assert_refused(ended, naming=["Suspect", name, "is named .", looks], outputs=[out])


def test_a_tif_that_is_a_png_is_refused(tmp_path: Path) -> None:
    (tmp_path / "depth.tif").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    project, out = _score(tmp_path, "raster", "depth.tif")
    ended = run_cli(["score", project, "--output", out])
    assert_refused(ended, naming=["depth.tif", "a PNG image, not a TIFF image"], outputs=[out])


@pytest.mark.parametrize(
    ("layer", "sidecar"), [("sites.shp", "sites.dbf"), ("depth.tif", "depth.tif.ovr")]
)
def test_a_fifo_beside_the_layer_is_refused_and_nothing_hangs(
    layer: str, sidecar: str, tmp_path: Path
) -> None:
    """GDAL opens a shapefile's .dbf and a GeoTIFF's .ovr itself: a FIFO there hung it."""
    sites = gpd.read_file(SAMPLE / "sites.geojson")
    if layer.endswith(".shp"):
        sites.to_file(tmp_path / layer)
        (tmp_path / sidecar).unlink()
        entry: dict[str, object] = {"role": "sites", "path": layer}
        layers = [entry]
    else:
        _georeferenced_tif(tmp_path / layer)
        layers = [sample_sites_layer(), {"role": "flood", "path": layer, "scenario": "medium"}]
    os.mkfifo(tmp_path / sidecar)
    project = project_file(tmp_path, layers)
    out = tmp_path / "ranking.csv"
    ended = run_cli(["score", project, "--output", out], timeout=30)
    assert_refused(ended, naming=[sidecar, f"beside {layer}", "named pipe (FIFO)"], outputs=[out])


def _georeferenced_tif(path: Path) -> None:
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    profile = {"driver": "GTiff", "width": 20, "height": 18, "count": 1, "dtype": "float32"}
    with (
        rasterio.Env(),
        rasterio.open(
            path,
            "w",
            crs="EPSG:2154",
            transform=from_origin(640_000, 7_105_000, 5000, 5000),
            **profile,
        ) as ds,
    ):
        ds.write(np.zeros((1, 18, 20), dtype="float32"))


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_empty_file_is_refused_as_empty(kind: str, tmp_path: Path) -> None:
    (tmp_path / f"layer{SUFFIX[kind]}").write_bytes(b"")
    project, out = _score(tmp_path, kind, f"layer{SUFFIX[kind]}")
    ended = run_cli(["score", project, "--output", out])
    assert_refused(ended, naming=["Suspect", f"layer{SUFFIX[kind]}", "is empty"], outputs=[out])
