"""Low-level readers: vector files, delimited text, rasters, checksums.

These are the only functions in siteassess that open files.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import importlib.util
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Transformer

from siteassess.errors import CRSError, LayerContentError, LayerLoadError
from siteassess.layers import gdal_safety
from siteassess.layers.crs import parse_crs
from siteassess.layers.model import Bounds, RasterSource

log = logging.getLogger(__name__)

# Before anything is opened, and again whoever imported pyogrio or rasterio first.
gdal_safety.configure()

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


def kind_of(path: Path) -> str:
    """``table``, ``raster`` or ``vector`` from the file name."""
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return "table"
    if suffix in RASTER_SUFFIXES:
        return "raster"
    return "vector"


def check_exists(path: Path, label: str) -> None:
    """Refuse a URL, a missing file, a folder, a device, a FIFO or a VRT (opens nothing)."""
    gdal_safety.check_local_file(path, label, kind_of(path), content=False)


def check_source(path: Path, label: str, sublayer: str | None) -> None:
    """Refuse what :func:`check_exists` refuses, content unlike the file's name, and a
    multi-layer vector source without ``layer =``."""
    gdal_safety.check_local_file(path, label, kind_of(path))
    if kind_of(path) == "vector" and path.suffix.lower() != ".parquet":
        check_single_layer(path, label, sublayer)


def check_single_layer(path: Path, label: str, sublayer: str | None) -> str | None:
    """The layer of a vector source to read; refuse several when the project names none.

    GDAL would take the first and warn; the other layers' features would be ignored. One
    layer with geometry beside tables without (QGIS keeps its styles in a ``layer_styles``
    table) is that layer.
    """
    if sublayer is not None:
        return sublayer
    with gdal_messages(label, path):
        try:
            layers = pyogrio.list_layers(gdal_source(path))
        except Exception:
            return None  # the reader gives the real error message
    if len(layers) <= 1:
        return None
    spatial = [str(name) for name, geom in layers if geom]
    if len(spatial) == 1:
        return spatial[0]
    listed = ", ".join(f"{name!r} ({geom or 'no geometry'})" for name, geom in layers[:20]) + (
        f" and {len(layers) - 20} more" if len(layers) > 20 else ""
    )
    raise LayerContentError(
        f"layer {label}: {path} holds {len(layers)} layers: {listed}; add "
        f'layer = "{(spatial or [layers[0][0]])[0]}" (or the name of the one to read) to this '
        "layer in the project"
    )


@contextmanager
def gdal_messages(label: str, path: Path) -> Iterator[list[str]]:
    """Catch pyogrio's and rasterio's warnings: logged (without library paths), never printed.

    Yields the list of warning texts, for the caller to refuse on those that matter.
    """
    seen: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield seen
        finally:
            for w in caught:
                text = gdal_safety.clean_warning(w.message)
                seen.append(f"{w.category.__name__}: {text}")
            for text in dict.fromkeys(seen):  # logged even when the read failed
                log.info("layer %s (%s): GDAL said %s", label, path, text)


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
    keep: tuple[str, frozenset[str]] | None = None,
) -> tuple[gpd.GeoDataFrame, CRS]:
    """Read a vector file (GeoPackage, Shapefile, zip, GeoJSON, GeoParquet, FlatGeobuf).

    ``window`` is (bounds, CRS of the bounds): only features meeting it are read.
    ``encoding`` overrides the text encoding (a shapefile without .cpg is read as Latin-1).
    ``keep`` is (column, ids): only features whose trimmed, upper-cased id is in ids.
    Returns the features and their CRS (the file's, or ``crs_override``).
    """
    gdal_safety.check_local_file(path, label, "vector")
    if path.suffix.lower() == ".parquet":
        gdf, crs = _read_parquet(path, label=label, crs_override=crs_override, window=window)
        return (_kept(gdf, keep, label, path) if keep else gdf), crs
    sublayer = check_single_layer(path, label, sublayer)
    try:
        with gdal_messages(label, path):
            info = pyogrio.read_info(gdal_source(path), layer=sublayer)
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise LayerLoadError(
            f"layer {label}: {path} cannot be read: {_gdal_message(exc)}"
        ) from None
    _refuse_duplicate_names([str(f) for f in info.get("fields", [])], label, path)
    file_crs = info.get("crs")
    crs = _layer_crs(file_crs, crs_override, label, path)
    bbox = None
    if window is not None:
        bbox = bounds_in(window[0], window[1], crs)
    # GeoJSON has no index by feature: read it whole and keep the named features after.
    by_fid = keep is not None and not _is_geojson(path)
    try:
        with gdal_messages(label, path):
            fids = _fids_of(path, sublayer, keep, encoding, label) if by_fid else None
            gdf = pyogrio.read_dataframe(
                gdal_source(path),
                layer=sublayer,
                bbox=None if fids is not None else bbox,
                fids=fids,
                use_arrow=False,
                encoding=encoding,
            )
    except LayerContentError:
        raise
    except Exception as exc:
        raise LayerLoadError(
            f"layer {label}: {path} cannot be read: {_gdal_message(exc)}"
        ) from None
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise LayerContentError(f"layer {label}: {path} has no geometry column")
    gdf = gdf.set_crs(crs, allow_override=True)
    if keep is not None and not by_fid:
        gdf = _kept(gdf, keep, label, path)
    return gdf, crs


def _is_geojson(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".geojson", ".json", ".json.gz", ".geojson.gz"))


def normalised_ids(values: pd.Series) -> pd.Series:
    """Parcel ids as they are joined: text, trimmed, upper-case."""
    return values.astype("string").str.strip().str.upper()


def _no_id_column(column: str, label: str, path: Path, cols: list[str]) -> LayerContentError:
    return LayerContentError(
        f"layer {label}: {path} has no column {column!r} to find the parcels the sites name "
        f"by; columns: {', '.join(cols)}; set id_field for this layer"
    )


def _fids_of(
    path: Path,
    sublayer: str | None,
    keep: tuple[str, frozenset[str]] | None,
    encoding: str | None,
    label: str,
) -> np.ndarray:
    """The feature ids (in file order) whose id column is in the kept set: ids only read."""
    assert keep is not None
    column, ids = keep
    info = pyogrio.read_info(gdal_source(path), layer=sublayer)
    cols = [str(f) for f in info.get("fields", [])]
    if column not in cols:
        raise _no_id_column(column, label, path, cols)
    table = pyogrio.read_dataframe(
        gdal_source(path),
        layer=sublayer,
        columns=[column],
        read_geometry=False,
        fid_as_index=True,
        encoding=encoding,
    )
    hit = normalised_ids(table[column]).isin(ids).to_numpy(dtype=bool)
    return np.sort(table.index.to_numpy()[hit]).astype(np.int64)


def _kept(
    gdf: gpd.GeoDataFrame, keep: tuple[str, frozenset[str]] | None, label: str, path: Path
) -> gpd.GeoDataFrame:
    assert keep is not None
    column, ids = keep
    if column not in gdf.columns:
        raise _no_id_column(column, label, path, [c for c in gdf.columns if c != "geometry"])
    return gdf.loc[normalised_ids(gdf[column]).isin(ids).to_numpy(dtype=bool)]


def _read_parquet(
    path: Path, *, label: str, crs_override: str | None, window: tuple[Bounds, CRS] | None
) -> tuple[gpd.GeoDataFrame, CRS]:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        # pyarrow is a dependency and the installed build ships it: only an environment
        # installed without it (pip --no-deps, a distribution's packages) gets here.
        raise LayerLoadError(
            f"layer {label}: {path} is GeoParquet, which this installation of siteassess "
            "cannot read (pyarrow is not installed); install pyarrow, or save the layer as "
            "GeoPackage (in QGIS: Export > Save Features As > GeoPackage) and add that file "
            "instead"
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

_BLOCK = 1 << 20  # bytes read at a time when checking a table's encoding
_UTF8_NAMES = {"utf-8", "utf8", "utf_8", "u8", "utf-8-sig", "utf_8_sig"}


def _refuse_duplicate_names(names: list[str], label: str, path: Path) -> None:
    # pandas renames a second "lat" to "lat.1" and GDAL may rename or drop it: either way
    # the column the project names would silently be one of the two.
    seen: dict[str, int] = {}
    for name in (n.strip() for n in names):
        if name:
            seen[name] = seen.get(name, 0) + 1
    dupes = [n for n, count in seen.items() if count > 1]
    if dupes:
        listed = ", ".join(f"{n!r} ({seen[n]} times)" for n in dupes)
        raise LayerContentError(
            f"layer {label}: {path} has several columns named {listed}; which one holds the "
            "data is ambiguous. Rename or remove the extra column(s) in the file"
        )


def _detect_encoding(path: Path, encoding: str | None, label: str) -> tuple[str, str]:
    """The codec to read a table with and the encoding to report.

    As given, else UTF-8 (with or without BOM), then Windows-1252, then Latin-1 (which
    decodes any byte). The whole file is checked, a block at a time: a file that is UTF-8
    for its first megabytes and Windows-1252 further on is Windows-1252.
    """
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise LayerLoadError(
                f"layer {label}: {path} is not readable as {encoding}: unknown encoding; use "
                "e.g. utf-8, cp1252 or latin-1"
            ) from None
        codec = "utf-8-sig" if encoding.lower() in _UTF8_NAMES else encoding
        return codec, encoding
    decoders = {
        "utf-8": codecs.getincrementaldecoder("utf-8-sig")(),
        "cp1252": codecs.getincrementaldecoder("cp1252")(),
    }
    offset, not_utf8_at = 0, -1
    with path.open("rb") as fh:
        while decoders:
            block = fh.read(_BLOCK)
            for name, dec in list(decoders.items()):
                try:
                    dec.decode(block, final=not block)
                except UnicodeDecodeError as exc:
                    del decoders[name]
                    if name == "utf-8":
                        not_utf8_at = offset + exc.start
            if not block:
                break
            offset += len(block)
    if "utf-8" in decoders:
        return "utf-8-sig", "utf-8"
    fallback = "cp1252" if "cp1252" in decoders else "latin-1"
    if not_utf8_at >= _BLOCK:  # UTF-8 for a megabyte or more, then not: a mixed file
        log.info(
            "layer %s: %s is UTF-8 up to byte %d, not after: read whole as %s",
            label,
            path,
            not_utf8_at,
            fallback,
        )
    if "cp1252" in decoders:
        return "cp1252", "cp1252"
    return "latin-1", "latin-1"


def _blank(path: Path) -> bool:
    """Whether a file holds nothing but whitespace (read until its first other byte)."""
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            if block.lstrip(b"\xef\xbb\xbf").strip():
                return False
    return True


def _first_line(path: Path, codec: str, label: str, shown: str) -> str:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if b"\n" in head:
        head = head[: head.index(b"\n")]  # never cut a multi-byte character
    try:
        return head.decode(codec).removeprefix("\ufeff").rstrip("\r")
    except UnicodeDecodeError as exc:
        raise LayerLoadError(f"layer {label}: {path} is not readable as {shown}: {exc}") from None


def _guess_separator(header: str) -> str:
    """The most frequent of ``;``, ``,``, tab and ``|`` in the header line (default ``,``)."""
    counts = {sep: header.count(sep) for sep in (";", ",", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_table_header(
    path: Path, *, label: str, encoding: str | None, separator: str | None
) -> list[str]:
    """The column names of a delimited text file, from its first line only."""
    check_exists(path, label)
    line = ""
    for codec in [encoding] if encoding else ["utf-8-sig", "cp1252", "latin-1"]:
        try:
            line = _first_line(path, codec, label, codec)
            break
        except LayerLoadError:
            if encoding is not None:
                raise
    sep = separator or _guess_separator(line)
    return [c.strip() for c in next(csv.reader([line], delimiter=sep), [])]


class RowFilter(Protocol):
    """Which rows of a block of a table to keep (a boolean per row), seeing every block."""

    def __call__(self, block: pd.DataFrame) -> np.ndarray: ...


def read_table(
    path: Path,
    *,
    label: str,
    encoding: str | None,
    separator: str | None,
    rows: RowFilter | None = None,
) -> tuple[pd.DataFrame, str, str]:
    """Read a delimited text file; detect UTF-8 or Latin-1 and the ``;``, ``,`` or tab separator.

    The file is streamed (never held whole as one string). Returns the table (all columns
    as text), the encoding and the separator used. ``rows`` keeps only the rows it
    selects, block by block as the file is read: the whole table is never held (with
    pyarrow; pandas' parser reads it whole, then filters).
    """
    check_exists(path, label)
    if _blank(path):
        raise LayerContentError(f"layer {label}: {path} is empty")
    codec, encoding = _detect_encoding(path, encoding, label)
    header = _first_line(path, codec, label, encoding)
    if separator is None:
        separator = _guess_separator(header)
    _refuse_duplicate_names(
        next(csv.reader([header], delimiter=separator), []) if len(separator) == 1 else [],
        label,
        path,
    )
    try:
        df = _read_arrow(path, separator, codec, header, rows)
        if df is None:
            df = pd.read_csv(
                path,
                sep=separator,
                dtype=str,
                keep_default_na=False,
                encoding=codec,
                compression=None,
            )
            if rows is not None and isinstance(df.index, pd.RangeIndex):
                df.columns = [str(c).strip() for c in df.columns]
                df = df.loc[rows(df)].reset_index(drop=True)
    except pd.errors.EmptyDataError:
        raise LayerContentError(f"layer {label}: {path} is empty") from None
    except UnicodeDecodeError as exc:
        raise LayerLoadError(
            f"layer {label}: {path} is not readable as {encoding}: {exc}"
        ) from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise LayerLoadError(
            f"layer {label}: {path} is not a valid table with separator {separator!r}: "
            f"{str(exc).strip()}"
        ) from None
    if df.empty and not len(df.columns):
        raise LayerContentError(f"layer {label}: {path} is empty")
    if not isinstance(df.index, pd.RangeIndex):
        # pandas silently turns the first fields into an index when rows have more fields
        # than the header, which would shift every column (and coordinate) by one.
        raise LayerLoadError(
            f"layer {label}: {path}: {_long_row(path, codec, separator)} has more fields than "
            f"the header ({len(df.columns)} columns with separator {separator!r}); a decimal "
            "comma in a ','-separated file? Quote such values or separate with ';'"
        )
    df.columns = [str(c).strip() for c in df.columns]
    return df, encoding, separator


def _read_arrow(
    path: Path, separator: str, codec: str, header: str, rows: RowFilter | None = None
) -> pd.DataFrame | None:
    """The table read by pyarrow's CSV reader, when installed; None to read it with pandas'.

    pyarrow keeps the text in its own buffers, not one Python string per cell, and reads
    one megabyte at a time on one thread: reading a 222 MB file of 3.7 M rows takes 2.1
    times its size above the imports (2.8 with them), against 7.3 with the whole file
    decoded into one string and 7.1 with pandas' parser (benchmarks/bench_big_csv.py). The
    columns are the header's, all text, as pandas gives them (``large_string``, which
    pandas' strings keep: no copy). Any file it refuses (ragged rows, bad bytes) is read
    again by pandas' own parser, whose
    behaviour and messages are the reference.
    """
    # pyarrow is a dependency and the installed build ships it (trimmed): missing only in
    # an environment installed without it. Quoted names follow pandas' rules.
    if len(separator) != 1 or '"' in header or importlib.util.find_spec("pyarrow") is None:
        return None
    import pyarrow as pa
    from pyarrow import csv as pacsv

    names = next(csv.reader([header], delimiter=separator), [])
    if not names or "" in names:
        return None  # pandas names those "Unnamed: n"
    options = {
        "read_options": pacsv.ReadOptions(
            skip_rows=1,
            column_names=names,
            use_threads=False,
            block_size=1 << 20,
            encoding="utf-8" if codec == "utf-8-sig" else codec,
        ),
        "parse_options": pacsv.ParseOptions(delimiter=separator, newlines_in_values=True),
        "convert_options": pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()),  # pandas keeps large
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    }
    try:
        if rows is None:
            return _frame(pacsv.read_csv(path, **options), names)
        kept = []
        for batch in pacsv.open_csv(path, **options):
            block = _frame(batch, names)
            block.columns = [n.strip() for n in names]  # as read_table gives them
            kept.append(block.loc[rows(block)])
        if not kept:
            return _frame(pa.table({n: pa.array([], pa.large_string()) for n in names}), names)
        return pd.concat(kept, ignore_index=True)
    except Exception as exc:  # pyarrow's errors are not pandas': pandas says it again
        log.debug("pyarrow did not read %s (%s): reading it with pandas", path, exc)
        return None


def _frame(table: Any, names: list[str]) -> pd.DataFrame:
    """A pyarrow table or record batch as pandas text columns, without copying the text."""
    text = pd.StringDtype("pyarrow", na_value=np.nan)  # what dtype=str gives with pyarrow
    columns = {}
    for i, name in enumerate(names):
        columns[name] = pd.Series(pd.array(table.column(i), dtype=text), copy=False)
    return pd.DataFrame(columns, copy=False)


def _long_row(path: Path, codec: str, separator: str) -> str:
    with path.open(encoding=codec, newline="") as fh:
        rows = csv.reader(fh, delimiter=separator)
        width = len(next(rows, []))
        for row in rows:
            if len(row) > width:
                return f"line {rows.line_num}"
    return "a row"  # pragma: no cover - pandas and csv agree on quoting


def to_number(values: pd.Series) -> pd.Series:
    """Numbers from text, accepting decimal commas (``3,35``); blanks and junk become NaN."""
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


_SLICE = 1 << 18  # rows of a coordinate column parsed at a time


def _coordinates(values: pd.Series) -> np.ndarray:
    """:func:`to_number` of a column as floats (NaN for blanks and junk), a slice at a time.

    Whole, the stripped copy, the one with decimal points and pandas' parse of it would
    each be as long as the column: a 3.7 M-row file took twice its size more to parse two
    columns (benchmarks/bench_big_csv.py).
    """
    out = np.empty(len(values), dtype=float)
    for start in range(0, len(values), _SLICE):
        part = to_number(values.iloc[start : start + _SLICE])
        out[start : start + len(part)] = part.to_numpy(dtype=float, na_value=np.nan)
    return out


def points_from_columns(
    df: pd.DataFrame,
    *,
    label: str,
    path: Path,
    x_field: str | None,
    y_field: str | None,
    wkt_field: str | None,
    crs: CRS,
    window: tuple[Bounds, CRS] | None = None,
) -> tuple[gpd.GeoDataFrame, int]:
    """Geometry from x/y columns or a WKT column; returns the frame and rows without one.

    With a read ``window`` (bounds and their CRS), x/y rows outside it get no point and are
    left out: a point per row costs about four times the text it comes from, so a big
    table of a windowed role keeps only what lies near the sites (benchmarks/
    bench_big_csv.py). Rows without usable coordinates stay, to be reported; when no row
    lies in the window, every row stays, so that the checks of the whole layer (swapped or
    implausible coordinates) still see them.
    """
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
        box = None if window is None else _window_in(window, crs)
        near = None if box is None else _rows_in(df, x_field, y_field, box)
        if near is not None:
            df, x, y = near
        else:
            x, y = _coordinates(df[x_field]), _coordinates(df[y_field])
        geoms = shapely.points(x, y)
        geoms[~(np.isfinite(x) & np.isfinite(y))] = None
    gdf = gpd.GeoDataFrame(df, geometry=gpd.array.from_shapely(geoms), crs=crs)
    bad = int(shapely.is_missing(geoms).sum())
    return gdf, bad


_WINDOW_PAD_M = 1_000.0  # the window widened before it is taken to the file's CRS


def _window_in(window: tuple[Bounds, CRS], crs: CRS) -> Bounds | None:
    """A read window in the file's CRS, widened a little (the layer is clipped exactly
    later, in the working CRS); None when it cannot be taken there."""
    (x0, y0, x1, y1), wcrs = window
    pad = _WINDOW_PAD_M if wcrs.is_projected else 0.01
    try:
        box = bounds_in((x0 - pad, y0 - pad, x1 + pad, y1 + pad), wcrs, crs)
    except Exception:  # outside what the transformation knows: clip later, exactly
        return None
    return box if all(np.isfinite(v) for v in box) else None


class WindowRows:
    """A :class:`RowFilter` keeping the rows inside a box of the file's CRS, or without
    usable coordinates (to be reported); it counts the rows it saw, and whether any lay
    inside (when none did, the caller keeps every row, so that the checks of the whole
    layer, swapped or implausible coordinates, still see them)."""

    def __init__(self, box: Bounds, x_field: str | None, y_field: str | None) -> None:
        self.box, self.x_field, self.y_field = box, x_field, y_field
        self.seen = 0
        self.found = False

    def __call__(self, block: pd.DataFrame) -> np.ndarray:
        self.seen += len(block)
        x_field, y_field = self.x_field, self.y_field
        if x_field is None or y_field is None:
            x_field, y_field = _guess_xy(list(block.columns))
        if x_field not in block.columns or y_field not in block.columns:
            return np.ones(len(block), dtype=bool)  # the reader of the points says why
        x, y = _coordinates(block[x_field]), _coordinates(block[y_field])
        bx0, by0, bx1, by1 = self.box
        with np.errstate(invalid="ignore"):
            inside = (x >= bx0) & (x <= bx1) & (y >= by0) & (y <= by1)
        self.found = self.found or bool(inside.any())
        keep: np.ndarray = inside | ~(np.isfinite(x) & np.isfinite(y))
        return keep


def window_rows(
    window: tuple[Bounds, CRS] | None,
    crs: str | None,
    x_field: str | None,
    y_field: str | None,
) -> WindowRows | None:
    """The row filter of a table of x/y coordinates in ``crs`` (as the project writes it)
    for a read window; None when there is no window or the CRS cannot be told yet (the
    table is then read whole and its reader says what is wrong)."""
    if window is None or crs is None:
        return None
    try:
        file_crs = CRS.from_user_input(crs)
    except Exception:
        return None
    box = _window_in(window, file_crs)
    return None if box is None else WindowRows(box, x_field, y_field)


def _rows_in(
    df: pd.DataFrame, x_field: str, y_field: str, box: Bounds
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray] | None:
    """The rows inside ``box`` or without usable coordinates, with their x and y, a slice
    at a time (a boolean take of a whole text table copies every column first). None
    when no row lies inside."""
    keep = WindowRows(box, x_field, y_field)
    parts = [
        df.iloc[a : a + _SLICE].loc[keep(df.iloc[a : a + _SLICE])]
        for a in range(0, len(df), _SLICE)
    ]
    if not keep.found:
        return None
    near = pd.concat(parts)
    return near, _coordinates(near[x_field]), _coordinates(near[y_field])


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

    gdal_safety.check_local_file(path, label, "raster")
    try:
        with gdal_messages(label, path) as said, _raster(path) as ds:
            file_crs = ds.crs.to_wkt() if ds.crs else None
            transform = tuple(ds.transform)[:6]
            meta = (ds.width, ds.height, ds.nodata, str(ds.dtypes[0]), tuple(ds.bounds))
    except RasterioIOError as exc:
        raise LayerLoadError(
            f"layer {label}: {path} cannot be read as a GeoTIFF raster: {_gdal_message(exc)}"
        ) from None
    if any("NotGeoreferencedWarning" in w for w in said) or (
        transform == tuple(rasterio.Affine.identity())[:6] and file_crs is None
    ):
        raise LayerContentError(
            f"layer {label}: {path} has no georeferencing (no geotransform: pixels are not "
            "placed on the ground); georeference it (e.g. in QGIS, or gdal_translate -a_ullr "
            "-a_srs) and give the GeoTIFF"
        )
    crs = _layer_crs(file_crs, crs_override, label, path)
    width, height, nodata, dtype, bounds = meta
    src = RasterSource(
        path=path,
        crs_wkt=crs.to_wkt(),
        transform=transform,
        width=width,
        height=height,
        nodata=None if nodata is None else float(nodata),
        dtype=dtype,
        bounds=bounds,
    )
    return src, crs


@contextmanager
def _raster(path: Path) -> Iterator[Any]:
    """``rasterio.open`` with GDAL offline and the GeoTIFF driver only."""
    import rasterio

    with gdal_safety.rasterio_env(), rasterio.open(path, driver=gdal_safety.RASTER_DRIVER) as ds:
        yield ds


def read_window(src: RasterSource, bounds: Bounds) -> tuple[np.ma.MaskedArray, tuple[float, ...]]:
    """Band 1 of the raster inside ``bounds`` (raster CRS), masked where nodata or outside.

    Returns the masked array and the affine transform (a, b, c, d, e, f) of the window.
    """
    from rasterio.windows import Window, from_bounds

    gdal_safety.check_local_file(src.path, src.path.name, "raster")
    with gdal_messages(src.path.name, src.path), _raster(src.path) as ds:
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
