"""Keep both GDALs offline and open only regular local files whose content fits their name.

pyogrio's and rasterio's wheels each carry their own GDAL. Either can be told, by a file's
content, to fetch data: a ``.vrt`` or OGR VRT XML under any name pointing at
``/vsicurl/http://…``, a ``<GDAL_WMS>`` file named ``.tif``. Measured in December 2026 with
a local HTTP server (pyogrio 0.13 / GDAL 3.12.4, rasterio 1.4.4 / GDAL 3.10.3):

- ``GDAL_SKIP`` only acts when GDAL registers its drivers: in the environment before
  pyogrio is imported (or before rasterio's first ``Env``). Set after that, pyogrio needs
  its drivers registered again and rasterio ignores it, so rasterio is also given the only
  driver siteassess reads rasters with (``driver="GTiff"``).
- ``CPL_VSIL_CURL_ALLOWED_FILENAME`` set to a name no URL has makes every ``/vsicurl/``,
  ``/vsicurl_streaming/`` and ``/vsis3/`` path "not exist" without a request, whatever
  ``NO_PROXY`` says; an unusable ``GDAL_HTTP_PROXY`` also stops GDAL's own HTTP fetches
  (the WMS driver's), but ``NO_PROXY=*`` bypasses it, hence the driver list as well.

:func:`check_local_file` is the gate every reader passes before GDAL, pandas or rasterio
sees a file.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import stat
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from siteassess.errors import LayerLoadError

log = logging.getLogger(__name__)

# Drivers that read from the network, run programs or follow file names found in a file.
SKIPPED_DRIVERS = (
    "VRT OGR_VRT GTI GDALG DERIVED WMS WMTS WCS WFS OAPIF OGCAPI CSW HTTP DAAS EEDA EEDAI "
    "PLMOSAIC PLSCENES STACIT STACTA NGW Carto AmigoCloud Elasticsearch GPSBabel ADBC "
    "AIVector KMLSUPEROVERLAY GNMDatabase GNMFile"
)
OFFLINE_CONFIG: dict[str, str] = {
    # No URL is ever called this: every /vsicurl/-based file system refuses all paths.
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/siteassess/opens/no/network/file",
    "GDAL_HTTP_PROXY": "siteassess-offline://0",
    "GDAL_HTTPS_PROXY": "siteassess-offline://0",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "PROJ_NETWORK": "OFF",
}
RASTER_DRIVER = "GTiff"  # GeoTIFF and Cloud-Optimised GeoTIFF
# GDAL's raster block cache, in MB, unless the user sets GDAL_CACHEMAX. GDAL's default is
# 5 % of the machine's memory (1.2 GB on 24 GB): zonal statistics of 24,000 sites over
# several départements filled it and the screen peaked at 2.3 GB; the tiles are read once
# each, so a small cache costs no time (benchmarks/bench_national.py).
BLOCK_CACHE_MB = "256"


def offline_options() -> dict[str, str]:
    """The GDAL configuration that keeps a GDAL offline (``GDAL_SKIP`` included)."""
    return {**OFFLINE_CONFIG, "GDAL_SKIP": _merged_skip(os.environ.get("GDAL_SKIP", ""))}


def _merged_skip(current: str) -> str:
    names = current.replace(",", " ").split()
    return " ".join(dict.fromkeys([*names, *SKIPPED_DRIVERS.split()]))


def configure() -> None:
    """Put the offline configuration in place for both GDALs; safe to call again."""
    os.environ.update(offline_options())
    # Read from the environment by each GDAL when its cache first fills (rasterio's Env
    # would take it in bytes): the user's own setting wins.
    os.environ.setdefault("GDAL_CACHEMAX", BLOCK_CACHE_MB)
    pyogrio = sys.modules.get("pyogrio")
    if pyogrio is not None:
        # Imported before us: its drivers are registered, GDAL_SKIP needs a new registration.
        pyogrio.set_gdal_config_options(offline_options())
        _reregister_pyogrio()
    if "pyproj" in sys.modules:
        import pyproj

        pyproj.network.set_network_enabled(active=False)  # type: ignore[attr-defined]


def _reregister_pyogrio() -> None:
    try:
        from pyogrio._ogr import _register_drivers
    except ImportError:  # pragma: no cover - a pyogrio without it; sniffing still refuses
        log.info("pyogrio drivers not registered again: VRT files are refused by content")
        return
    _register_drivers()  # GDALAllRegister ends with AutoSkipDrivers, which reads GDAL_SKIP


def vector_drivers_offline() -> bool:
    """Whether pyogrio's GDAL has none of the VRT drivers registered."""
    import pyogrio

    return not {"VRT", "OGR_VRT"} & set(pyogrio.list_drivers())


@contextmanager
def rasterio_env() -> Iterator[None]:
    """rasterio's GDAL, offline for the duration (its ``Env`` may predate our environment)."""
    import rasterio

    with rasterio.Env(**offline_options()):
        yield


# ------------------------------------------------------------------------ the file gate

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:{1,2}$")  # "http:" once Path folds "//"
_SAMPLE = 4096

# What a file's first bytes look like, in the order tried.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"II+\x00", "a TIFF image"),
    (b"MM\x00+", "a TIFF image"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x1f\x8b", "a gzip file"),
    (b"fgb\x03", "a FlatGeobuf file"),
    (b"PAR1", "a Parquet file"),
    (b"\x00\x00\x27\x0a", "a shapefile"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
# Content each name promises; a name not listed is left to GDAL (after the XML check).
_EXPECTED: dict[str, tuple[str, ...]] = {
    ".gpkg": ("an SQLite database",),
    ".sqlite": ("an SQLite database",),
    ".tif": ("a TIFF image",),
    ".tiff": ("a TIFF image",),
    ".zip": ("a zip archive",),
    ".gz": ("a gzip file",),
    ".fgb": ("a FlatGeobuf file",),
    ".parquet": ("a Parquet file",),
    ".shp": ("a shapefile",),
    ".geojson": ("JSON",),
    ".json": ("JSON",),
    ".geojsons": ("JSON",),
    ".geojsonl": ("JSON",),
}
# XML roots that make GDAL open other files or URLs.
_INDIRECT_XML = {
    "OGRVRTDataSource": "an OGR VRT (a file that makes GDAL open other files or URLs)",
    "VRTDataset": "a GDAL VRT (a file that makes GDAL open other files or URLs)",
    "GDAL_WMS": "a GDAL WMS service description (it makes GDAL download tiles)",
    "GDAL_WMTS": "a GDAL WMTS service description (it makes GDAL download tiles)",
    "WCS_GDAL": "a GDAL WCS service description (it makes GDAL download data)",
    "OGRWFSDataSource": "a GDAL WFS service description (it makes GDAL download data)",
    "GDALTileIndexDataset": "a GDAL tile index (a file that makes GDAL open other files)",
}
_XML_ROOT = re.compile(rb"<\s*([A-Za-z_][\w.\-]*)")


def check_local_file(path: Path, label: str, kind: str, *, content: bool = True) -> None:
    """Refuse what is not a regular local file whose content matches its name.

    ``kind`` is ``vector``, ``table`` or ``raster``. Refuses URLs and GDAL virtual file
    systems, folders, devices, FIFOs and sockets (before opening them), ``.vrt`` files and
    files whose first bytes are another format than their name says (unless not
    ``content``: then nothing is opened).
    """
    refuse_remote(path, label)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise LayerLoadError(f"layer {label}: file not found: {path}") from None
    except OSError as exc:
        raise LayerLoadError(f"layer {label}: {path} cannot be read: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise LayerLoadError(f"layer {label}: {path} is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise LayerLoadError(
            f"layer {label}: {path} is {_special(st.st_mode)}, not a regular file; siteassess "
            "reads layers only from files (save the data to a file and give its path)"
        )
    if kind != "table":
        _refuse_special_sidecars(path, label)
    suffix = path.suffix.lower()
    if suffix == ".vrt":
        hint = (
            "gdal_translate -of GTiff in.vrt out.tif"
            if kind == "raster"
            else "ogr2ogr -f GPKG out.gpkg in.vrt"
        )
        raise LayerLoadError(
            f"layer {label}: {path} is a VRT, which makes GDAL open the files or URLs it "
            f"names; siteassess does not open VRTs. Convert it to a real file ({hint}) "
            "and give that path"
        )
    if kind == "table" or not content:
        return  # tables are read by pandas, which follows no file name in the content
    head = _head(path, label)
    _check_content(head, suffix, label, path, where="")
    if suffix == ".zip":
        _check_zip(path, label)
    elif suffix == ".gz":
        _check_gzip(path, label)


def refuse_remote(path: Path | str, label: str) -> None:
    """Refuse a URL or a GDAL virtual file system path (``/vsicurl/``, ``/vsis3/``…)."""
    text = str(path).replace("\\", "/")
    parts = Path(path).parts
    scheme = next((i for i, p in enumerate(parts) if _URL.match(p)), None)
    if scheme is not None:
        # Path folds "http://host/x" into ".../http:/host/x": show the URL as written.
        shown = parts[scheme] + "//" + "/".join(parts[scheme + 1 :])
    elif text.lower().startswith("/vsi") or "://" in text:
        shown = text
    else:
        return
    raise LayerLoadError(
        f"layer {label}: {shown} ({path}) is not a local file but a URL or a GDAL virtual "
        "file system; siteassess never reads layers over the network. Download the file "
        "and give its local path"
    )


def _refuse_special_sidecars(path: Path, label: str) -> None:
    # GDAL opens the files beside a layer by itself (.dbf, .shx, .prj, .cpg, .ovr, .aux.xml,
    # .msk, world files): one of them a FIFO hangs the read forever, as the layer would.
    stem = path.stem.lower() + "."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        if not entry.name.lower().startswith(stem) or entry.name == path.name:
            continue
        try:
            mode = Path(entry.path).stat().st_mode  # follows links, as GDAL does
        except OSError:
            continue  # a broken link: GDAL cannot open it either
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise LayerLoadError(
                f"layer {label}: {entry.path}, beside {path.name}, is {_special(mode)}, not a "
                "regular file; GDAL opens the files beside a layer (.dbf, .prj, .ovr…) "
                "itself. Remove it or replace it with the real file"
            )


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def _head(path: Path, label: str) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(_SAMPLE)
    except OSError as exc:
        raise LayerLoadError(f"layer {label}: {path} cannot be read: {exc.strerror}") from None


def looks_like(head: bytes) -> str:
    """What the first bytes of a file look like, in words (``JSON``, ``a zip archive``…)."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if not text:
        return "an empty file"
    if text[:1] in (b"{", b"[", b"\x1e"):
        return "JSON"
    if text[:1] == b"<":
        root = _xml_root(text)
        if root is not None and root.lower() == "html":
            return "an HTML page"
        return f"XML (<{root}>)" if root else "XML"
    if b"\x00" in head:
        return "binary data"
    return "text"


def _xml_root(text: bytes) -> str | None:
    # The first element after the declaration, comments and doctype.
    for match in _XML_ROOT.finditer(text):
        before = text[max(0, match.start() - 1) : match.start() + 2]
        if b"<?" in before or b"<!" in before:
            continue
        return match.group(1).decode("ascii", "replace")
    return None


def _check_content(head: bytes, suffix: str, label: str, path: Path, *, where: str) -> None:
    what = looks_like(head)
    root = _xml_root(head.lstrip(b"\xef\xbb\xbf").lstrip()) if what.startswith("XML") else None
    if root in _INDIRECT_XML:
        raise LayerLoadError(
            f"layer {label}: {path}{where} is named {suffix or 'without an extension'} but "
            f"holds {_INDIRECT_XML[root]}; siteassess does not open such files. Give the "
            "data file itself"
        )
    expected = _EXPECTED.get(suffix)
    if what == "an empty file" and expected is not None:
        raise LayerLoadError(
            f"layer {label}: {path}{where} is empty (no data, not even a header); export the "
            "layer again or give the right file"
        )
    if expected is not None and what not in expected:
        raise LayerLoadError(
            f"layer {label}: {path}{where} is named {suffix} but its content looks like "
            f"{what}, not {' or '.join(expected)}; give a real {suffix} file (or rename the "
            "file to what it is)"
        )


def _check_zip(path: Path, label: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            for m in members[:10_000]:
                inner = Path(m.filename)
                where = f" (member {m.filename})"
                if inner.suffix.lower() in (".vrt", ".zip"):
                    what = "a VRT" if inner.suffix.lower() == ".vrt" else "a zip inside the zip"
                    raise LayerLoadError(
                        f"layer {label}: {path}{where} is {what}; siteassess does not open "
                        "it. Unzip the archive and give the data file itself"
                    )
                with zf.open(m) as fh:
                    head = fh.read(_SAMPLE)
                _check_content(head, inner.suffix.lower(), label, path, where=where)
    except LayerLoadError:
        raise
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise LayerLoadError(
            f"layer {label}: {path} is not a readable zip archive: {exc}"
        ) from None


def _check_gzip(path: Path, label: str) -> None:
    try:
        with gzip.open(path, "rb") as fh:
            head = fh.read(_SAMPLE)
    except (OSError, EOFError) as exc:
        raise LayerLoadError(f"layer {label}: {path} is not a readable gzip file: {exc}") from None
    inner = Path(path.stem).suffix.lower()
    _check_content(head, inner, label, path, where=" (once decompressed)")


def clean_warning(message: Any) -> str:
    """A library warning's text without the paths of its source files."""
    text = str(message).strip().splitlines()[0] if str(message).strip() else ""
    return re.sub(r"\S*site-packages\S*", "", text)[:300]
