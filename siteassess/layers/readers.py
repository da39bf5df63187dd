"""Low-level readers: vector files, delimited text, rasters, checksums.

These are the only functions in siteassess that open files.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Transformer

from siteassess.errors import CRSError, LayerContentError, LayerLoadError
from siteassess.layers.crs import parse_crs
from siteassess.layers.model import Bounds, RasterSource

log = logging.getLogger(__name__)

VECTOR_SUFFIXES = {".gpkg", ".shp", ".zip", ".geojson", ".json", ".fgb", ".gz", ".parquet"}
RASTER_SUFFIXES = {".tif", ".tiff", ".vrt"}
TABLE_SUFFIXES = {".csv", ".txt", ".tsv"}


def file_info(path: Path) -> tuple[str, str, int]:
    """SHA-256, modification date (ISO) and size of a file."""
    st = path.stat()
    return _sha256(str(path), st.st_size, st.st_mtime_ns), _iso(st.st_mtime), st.st_size


@lru_cache(maxsize=64)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    # size and mtime are part of the cache key: a changed file is hashed again.
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, tz=dt.UTC).replace(microsecond=0).isoformat()


def check_exists(path: Path, label: str) -> None:
    """Refuse a missing file with a message naming the layer and the path."""
    if not path.exists():
        raise LayerLoadError(f"layer {label}: file not found: {path}")
    if path.is_dir():
        raise LayerLoadError(f"layer {label}: {path} is a folder, not a file")


def bounds_in(bounds: Bounds, src: CRS, dst: CRS) -> Bounds:
    """Transform a bounding box between CRSs (densified edges, so it stays enclosing)."""
    if src.equals(dst):
        return bounds
    t = Transformer.from_crs(src, dst, always_xy=True)
    x0, y0, x1, y1 = t.transform_bounds(*bounds, densify_pts=21)
    return (float(x0), float(y0), float(x1), float(y1))


# ------------------------------------------------------------------------------ vector


def gdal_source(path: Path) -> str | Path:
    """What GDAL opens for a vector file: a gzipped file (``.json.gz``) via ``/vsigzip/``."""
    name = path.name.lower()
    if name.endswith(".gz") and not name.endswith(".tar.gz"):
        return "/vsigzip/" + path.as_posix()
    return path


def read_vector(
    path: Path,
    *,
    label: str,
    sublayer: str | None,
    crs_override: str | None,
    window: tuple[Bounds, CRS] | None,
    encoding: str | None = None,
) -> tuple[gpd.GeoDataFrame, CRS]:
    """Read a vector file (GeoPackage, Shapefile, zip, GeoJSON, GeoParquet, FlatGeobuf).

    ``window`` is (bounds, CRS of the bounds): only features meeting it are read.
    ``encoding`` overrides the text encoding (a shapefile without .cpg is read as Latin-1).
    Returns the features and their CRS (the file's, or ``crs_override``).
    """
    if path.suffix.lower() == ".parquet":
        return _read_parquet(path, label=label, crs_override=crs_override, window=window)
    try:
        info = pyogrio.read_info(gdal_source(path), layer=sublayer)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise LayerLoadError(
            f"layer {label}: {path} cannot be read: {_gdal_message(exc)}"
        ) from None
    file_crs = info.get("crs")
    crs = _layer_crs(file_crs, crs_override, label, path)
    bbox = None
    if window is not None:
        bbox = bounds_in(window[0], window[1], crs)
    try:
        gdf = pyogrio.read_dataframe(
            gdal_source(path), layer=sublayer, bbox=bbox, use_arrow=False, encoding=encoding
        )
    except Exception as exc:
        raise LayerLoadError(
            f"layer {label}: {path} cannot be read: {_gdal_message(exc)}"
        ) from None
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise LayerContentError(f"layer {label}: {path} has no geometry column")
    gdf = gdf.set_crs(crs, allow_override=True)
    return gdf, crs


def _read_parquet(
    path: Path, *, label: str, crs_override: str | None, window: tuple[Bounds, CRS] | None
) -> tuple[gpd.GeoDataFrame, CRS]:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        # The installed (frozen) build leaves pyarrow out to stay small.
        raise LayerLoadError(
            f"layer {label}: {path} is GeoParquet, which this installation of siteassess "
            "cannot read (pyarrow is not included); save the layer as GeoPackage (in QGIS: "
            "Export > Save Features As > GeoPackage) and add that file instead"
        ) from None
    try:
        gdf = gpd.read_parquet(path)
    except Exception as exc:
        raise LayerLoadError(f"layer {label}: {path} cannot be read as GeoParquet: {exc}") from None
    crs = _layer_crs(gdf.crs, crs_override, label, path)
    gdf = gdf.set_crs(crs, allow_override=True)
    if window is not None:
        x0, y0, x1, y1 = bounds_in(window[0], window[1], crs)
        gdf = gdf.cx[x0:x1, y0:y1]
    return gdf, crs


def _layer_crs(file_crs: Any, override: str | None, label: str, path: Path) -> CRS:
    if override is not None:
        return parse_crs(override, f"layer {label}: crs")
    if file_crs is None:
        hint = (
            " (a shapefile keeps it in a .prj file beside the .shp)"
            if path.suffix.lower() in (".shp", ".zip")
            else ""
        )
        raise CRSError(
            f'layer {label}: {path} has no CRS{hint}; add crs = "EPSG:..." for this layer '
            "in the project (e.g. EPSG:2154 for Lambert-93, EPSG:4326 for lon/lat)"
        )
    return parse_crs(file_crs, f"layer {label} ({path})")


def _gdal_message(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


# ------------------------------------------------------------------------------- tables


def _decode(raw: bytes, encoding: str | None, label: str, path: Path) -> tuple[str, str]:
    """Text of a file and its encoding: as given, else UTF-8, then Windows-1252, Latin-1."""
    if encoding is not None:
        try:
            return raw.decode(encoding).removeprefix("\ufeff"), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise LayerLoadError(
                f"layer {label}: {path} is not readable as {encoding}: {exc}"
            ) from None
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc), "utf-8" if enc == "utf-8-sig" else enc
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"  # decodes any byte


def _guess_separator(header: str) -> str:
    """The most frequent of ``;``, ``,``, tab and ``|`` in the header line (default ``,``)."""
    counts = {sep: header.count(sep) for sep in (";", ",", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_table_header(
    path: Path, *, label: str, encoding: str | None, separator: str | None
) -> list[str]:
    """The column names of a delimited text file, from its first line only."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if b"\n" in head:
        head = head[: head.index(b"\n")]  # never cut a multi-byte character
    line, _ = _decode(head, encoding, label, path)
    line = line.rstrip("\r")
    sep = separator or _guess_separator(line)
    return [c.strip() for c in next(csv.reader([line], delimiter=sep), [])]


def read_table(
    path: Path, *, label: str, encoding: str | None, separator: str | None
) -> tuple[pd.DataFrame, str, str]:
    """Read a delimited text file; detect UTF-8 or Latin-1 and the ``;``, ``,`` or tab separator.

    Returns the table (all columns as text), the encoding and the separator used.
    """
    text, encoding = _decode(path.read_bytes(), encoding, label, path)
    if not text.strip():
        raise LayerContentError(f"layer {label}: {path} is empty")
    if separator is None:
        separator = _guess_separator(text.split("\n", 1)[0])
    try:
        df = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise LayerLoadError(
            f"layer {label}: {path} is not a valid table with separator {separator!r}: "
            f"{str(exc).strip()}"
        ) from None
    if not isinstance(df.index, pd.RangeIndex):
        # pandas silently turns the first fields into an index when rows have more fields
        # than the header, which would shift every column (and coordinate) by one.
        raise LayerLoadError(
            f"layer {label}: {path}: {_long_row(text, separator)} has more fields than the "
            f"header ({len(df.columns)} columns with separator {separator!r}); a decimal "
            "comma in a ','-separated file? Quote such values or separate with ';'"
        )
    df.columns = [str(c).strip() for c in df.columns]
    return df, encoding, separator


def _long_row(text: str, separator: str) -> str:
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    width = len(next(rows, []))
    for row in rows:
        if len(row) > width:
            return f"line {rows.line_num}"
    return "a row"  # pragma: no cover - pandas and csv agree on quoting


def to_number(values: pd.Series) -> pd.Series:
    """Numbers from text, accepting decimal commas (``3,35``); blanks and junk become NaN."""
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


def points_from_columns(
    df: pd.DataFrame,
    *,
    label: str,
    path: Path,
    x_field: str | None,
    y_field: str | None,
    wkt_field: str | None,
    crs: CRS,
) -> tuple[gpd.GeoDataFrame, int]:
    """Geometry from x/y columns or a WKT column; returns the frame and rows without one."""
    cols = list(df.columns)
    if wkt_field is not None:
        if wkt_field not in df.columns:
            raise LayerContentError(
                f"layer {label}: {path} has no column {wkt_field!r} (wkt_field); columns: "
                f"{', '.join(cols)}"
            )
        texts = df[wkt_field].astype("string").str.strip().replace("", pd.NA)
        geoms = shapely.from_wkt(texts.to_numpy(dtype=object, na_value=None), on_invalid="ignore")
    else:
        if x_field is None or y_field is None:
            x_field, y_field = _guess_xy(cols)
        if x_field is None or y_field is None:
            raise LayerContentError(
                f"layer {label}: {path} has no coordinate columns I recognise; set x_field and "
                f"y_field (or wkt_field) for this layer. Columns: {', '.join(cols)}"
            )
        missing = [f for f in (x_field, y_field) if f not in df.columns]
        if missing:
            raise LayerContentError(
                f"layer {label}: {path} has no column {', '.join(map(repr, missing))} "
                f"(x_field/y_field); columns: {', '.join(cols)}"
            )
        x = to_number(df[x_field]).to_numpy(dtype=float, na_value=np.nan)
        y = to_number(df[y_field]).to_numpy(dtype=float, na_value=np.nan)
        geoms = shapely.points(x, y)
        geoms[~(np.isfinite(x) & np.isfinite(y))] = None
    gdf = gpd.GeoDataFrame(df, geometry=gpd.array.from_shapely(geoms), crs=crs)
    bad = int(shapely.is_missing(geoms).sum())
    return gdf, bad


def _guess_xy(cols: list[str]) -> tuple[str | None, str | None]:
    pairs = [("lon", "lat"), ("longitude", "latitude"), ("lng", "lat"), ("x", "y")]
    lower = {c.lower(): c for c in cols}
    for x, y in pairs:
        if x in lower and y in lower:
            return lower[x], lower[y]
    return None, None


# ------------------------------------------------------------------------------ rasters


def open_raster(path: Path, *, label: str, crs_override: str | None) -> tuple[RasterSource, CRS]:
    """Open a GeoTIFF / COG and return its metadata (pixels are read later, by window)."""
    import rasterio
    from rasterio.errors import RasterioIOError

    try:
        with rasterio.open(path) as ds:
            file_crs = ds.crs.to_wkt() if ds.crs else None
            crs = _layer_crs(file_crs, crs_override, label, path)
            src = RasterSource(
                path=path,
                crs_wkt=crs.to_wkt(),
                transform=tuple(ds.transform)[:6],
                width=ds.width,
                height=ds.height,
                nodata=None if ds.nodata is None else float(ds.nodata),
                dtype=str(ds.dtypes[0]),
                bounds=tuple(ds.bounds),
            )
    except RasterioIOError as exc:
        raise LayerLoadError(f"layer {label}: {path} cannot be read as a raster: {exc}") from None
    return src, crs


def read_window(src: RasterSource, bounds: Bounds) -> tuple[np.ma.MaskedArray, tuple[float, ...]]:
    """Band 1 of the raster inside ``bounds`` (raster CRS), masked where nodata or outside.

    Returns the masked array and the affine transform (a, b, c, d, e, f) of the window.
    """
    import rasterio
    from rasterio.windows import Window, from_bounds

    with rasterio.open(src.path) as ds:
        win = from_bounds(*bounds, transform=ds.transform)
        win = win.round_offsets(op="floor").round_lengths(op="ceil")
        full = Window(0, 0, ds.width, ds.height)
        try:
            win = win.intersection(full)
        except Exception:  # no overlap with the raster
            empty = np.ma.MaskedArray(np.zeros((0, 0)), mask=np.ones((0, 0), dtype=bool))
            return empty, tuple(ds.transform)[:6]
        data = ds.read(1, window=win, masked=True)
        transform = tuple(ds.window_transform(win))[:6]
    return data, transform
