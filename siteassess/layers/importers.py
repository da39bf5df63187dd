"""Importers: one per file format a project can name in ``format = "..."``.

Each importer reads a file into features in the file's CRS with the standard columns of
its format; the registry ``IMPORTERS`` feeds both the project check and auto-detection.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from siteassess.errors import CRSError, DataIssue, LayerContentError, LayerLoadError, Reason
from siteassess.layers.crs import parse_crs
from siteassess.layers.model import Bounds
from siteassess.layers.plausibility import name_rows, row_names
from siteassess.layers.readers import (
    check_single_layer,
    gdal_source,
    kind_of,
    points_from_columns,
    read_table,
    read_table_header,
    read_vector,
    window_rows,
)
from siteassess.layers.voltage import parse_voltage_kv
from siteassess.project import LayerSpec


@dataclass(frozen=True)
class ReadRequest:
    """What an importer needs: the file, the layer's settings and the read window."""

    path: Path
    spec: LayerSpec
    window: tuple[Bounds, CRS] | None
    # Only the features whose id (column, trimmed and upper-cased) is in the set: the
    # parcels the sites name, read from a partition without holding the rest.
    keep: tuple[str, frozenset[str]] | None = None

    @property
    def label(self) -> str:
        """How messages name the layer."""
        return self.spec.label


@dataclass
class Imported:
    """An importer's result: features in ``crs`` and what it noticed."""

    data: gpd.GeoDataFrame
    crs: CRS
    rows_read: int
    issues: list[DataIssue] = field(default_factory=list)
    encoding: str | None = None


@dataclass(frozen=True)
class Importer:
    """A named file format: its kind (table, vector, raster) and how to read it."""

    name: str
    kinds: tuple[str, ...]  # of "table", "vector", "raster": the files it reads
    description: str
    read: Callable[[ReadRequest], Imported] | None
    matches: Callable[[Sequence[str]], bool] = lambda cols: False
    publisher: str | None = None  # provenance when the project does not give `source`
    licence: str | None = None


# ``table``, ``raster`` or ``vector`` from the file name: the readers' own rule.
file_kind = kind_of


# ------------------------------------------------------------------------------ generic


def read_request_vector(req: ReadRequest) -> tuple[gpd.GeoDataFrame, CRS]:
    """Read the vector file of a request (its sub-layer, CRS override, window, encoding)."""
    return read_vector(
        req.path,
        label=req.label,
        sublayer=req.spec.layer,
        crs_override=req.spec.crs,
        window=req.window,
        encoding=req.spec.encoding,
        keep=req.keep,
    )


def _read_generic_vector(req: ReadRequest) -> Imported:
    gdf, crs = read_request_vector(req)
    return Imported(data=gdf, crs=crs, rows_read=len(gdf), encoding=req.spec.encoding)


def _read_generic_table(req: ReadRequest) -> Imported:
    spec = req.spec
    # A windowed role keeps only the rows near the sites as the file is read.
    near = None if spec.wkt_field else window_rows(req.window, spec.crs, spec.x_field, spec.y_field)
    df, enc, _ = read_table(
        req.path, label=req.label, encoding=spec.encoding, separator=spec.separator, rows=near
    )
    if near is not None and not near.found:  # no row near: all of them, for the checks
        near = None
        df, enc, _ = read_table(
            req.path, label=req.label, encoding=spec.encoding, separator=spec.separator
        )
    total = near.seen if near is not None else len(df)
    if req.spec.crs is None:
        raise CRSError(
            f"layer {req.label}: {req.path} is a table of coordinates with no CRS; add "
            'crs = "EPSG:4326" (lon/lat) or the CRS of its columns to this layer'
        )
    crs = parse_crs(req.spec.crs, f"layer {req.label}: crs")
    gdf, bad = points_from_columns(
        df,
        label=req.label,
        path=req.path,
        x_field=req.spec.x_field,
        y_field=req.spec.y_field,
        wkt_field=req.spec.wkt_field,
        crs=crs,  # the rows were kept by the window as the file was read
    )
    issues = bad_rows_issue(req, gdf, bad, total)
    return Imported(data=with_geometry(gdf), crs=crs, rows_read=total, issues=issues, encoding=enc)


def with_geometry(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows that have a geometry."""
    # Rows without coordinates are reported once, by bad_rows_issue; dropping them here
    # keeps clean_geometries from counting them a second time as "no geometry".
    missing = gdf.geometry.isna().to_numpy()
    return gdf.loc[~missing] if missing.any() else gdf


def bad_rows_issue(
    req: ReadRequest, gdf: gpd.GeoDataFrame, bad: int, total: int | None = None
) -> list[DataIssue]:
    """The rows left without a geometry (blank, junk or non-finite coordinates), named;
    ``total`` is the file's rows when ``gdf`` holds only those of the read window."""
    if not bad:
        return []
    missing = gdf.geometry.isna().to_numpy()
    named = name_rows(row_names(gdf, missing, req.spec.id_field))
    return [
        DataIssue.of(
            req.label,
            Reason.of(
                "no_coordinates",
                "{n} of {total} rows have no usable coordinates (blank, not a number or not "
                "finite): {named}",
                n=bad,
                total=len(gdf) if total is None else total,
                named=named,
            ),
            source=str(req.path),
            action="skipped",
            count=bad,
        )
    ]


# ------------------------------------------------------------------------ RTE ODRÉ postes

_RTE_COLUMNS = ("Code poste", "Nom poste", "Etat", "Tension (kV)")
_RTE_LON = "Longitude poste (DD)"
_RTE_LAT = "Latitude poste (DD)"
_RTE_GEOPOINT = "Géo-point poste (DD)"
RTE_STATES = {
    "EN EXPLOITATION": "in_service",
    "ACCORD ADMINISTRATIF": "authorised",
}


def _rte_matches(cols: Sequence[str]) -> bool:
    return all(c in cols for c in _RTE_COLUMNS)


def _read_rte_odre(req: ReadRequest) -> Imported:
    """RTE's ODRÉ export ``postes-electriques-rte`` (``;``-separated, UTF-8 or Latin-1).

    One voltage per poste, its highest: ``400kV`` … ``45kV``, ``<45kV`` (kv NaN),
    ``HORS TENSION`` (de-energised: out of service) and ``COURANT CONTINU`` (DC converter,
    no AC voltage: kv NaN). ``Etat`` gives in service or authorised (not yet built).
    """
    df, enc, _ = read_table(
        req.path, label=req.label, encoding=req.spec.encoding, separator=req.spec.separator
    )
    missing = [c for c in _RTE_COLUMNS if c not in df.columns]
    if missing:
        raise LayerContentError(
            f"layer {req.label}: {req.path} is not an RTE ODRÉ postes export: no column "
            f"{', '.join(map(repr, missing))}; columns: {', '.join(df.columns)}"
        )
    x_field, y_field = _RTE_LON, _RTE_LAT
    if _RTE_LON not in df.columns and _RTE_GEOPOINT in df.columns:
        # "lat, lon"; extract (not split) so that a file of blank points still has both
        latlon = df[_RTE_GEOPOINT].astype("string").str.extract(r"^([^,]*),(.*)$")
        df = df.assign(_lat=latlon[0], _lon=latlon[1])
        x_field, y_field = "_lon", "_lat"
    crs = parse_crs(req.spec.crs or "EPSG:4326", f"layer {req.label}: crs")
    gdf, bad = points_from_columns(
        df,
        label=req.label,
        path=req.path,
        x_field=x_field,
        y_field=y_field,
        wkt_field=None,
        crs=crs,
        window=req.window,
    )
    tension = gdf["Tension (kV)"].astype("string").str.strip().str.upper()
    etat = gdf["Etat"].astype("string").str.strip().str.upper()
    state = etat.map(RTE_STATES).fillna("unknown")
    state = state.where(tension != "HORS TENSION", "out_of_service")
    out = gpd.GeoDataFrame(
        {
            "code": gdf["Code poste"].astype("string").str.strip(),
            "name": gdf["Nom poste"].astype("string").str.strip(),
            "kv": parse_voltage_kv(gdf["Tension (kV)"], "kV"),
            "kv_label": gdf["Tension (kV)"].astype("string").str.strip(),
            "state": state.astype("string"),
            "function": gdf.get("FONCTION", pd.Series("", index=gdf.index)).astype("string"),
            "dc": (tension == "COURANT CONTINU").to_numpy(dtype=bool),
        },
        geometry=gdf.geometry,
        crs=crs,
    )
    issues = bad_rows_issue(req, gdf, bad, len(df))
    unknown = int((state == "unknown").sum())
    if unknown:
        values = sorted(set(etat[state == "unknown"].dropna()))[:5]
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "unknown_state",
                    "{n} postes have an unknown state {values}",
                    n=unknown,
                    values=str(values),
                ),
                source=str(req.path),
                action="not counted as in service",
            )
        )
    return Imported(
        data=with_geometry(out), crs=crs, rows_read=len(df), issues=issues, encoding=enc
    )


# ------------------------------------------------------------------------------ rasters

RASTER_IMPORTER = Importer(
    name="raster",
    kinds=("raster",),
    description="GeoTIFF or Cloud-Optimised GeoTIFF (band 1)",
    read=None,  # rasters are opened lazily by open_layer and read by window
)

IMPORTERS: dict[str, Importer] = {
    "rte-odre": Importer(
        name="rte-odre",
        kinds=("table",),
        description="RTE ODRÉ substation export (postes-electriques-rte)",
        read=_read_rte_odre,
        matches=_rte_matches,
        publisher="RTE, ODRÉ dataset postes-electriques-rte",
        licence="Licence Ouverte 2.0",
    ),
    "csv": Importer(
        name="csv",
        kinds=("table",),
        description="delimited text with x/y or WKT columns",
        read=_read_generic_table,
        matches=lambda cols: True,
    ),
    "vector": Importer(
        name="vector",
        kinds=("vector",),
        description="GeoPackage, Shapefile (also zipped), GeoJSON, GeoParquet, FlatGeobuf",
        read=_read_generic_vector,
        matches=lambda cols: True,
    ),
    "raster": RASTER_IMPORTER,
}


def register(importer: Importer, *, before: str | None = None) -> None:
    """Add an importer; specific formats go ``before`` the generic one of their kind."""
    items = list(IMPORTERS.items())
    idx = next((i for i, (k, _) in enumerate(items) if k == before), len(items))
    items.insert(idx, (importer.name, importer))
    IMPORTERS.clear()
    IMPORTERS.update(items)


def choose_importer(path: Path, spec: LayerSpec, columns: Sequence[str] | None) -> Importer:
    """The importer named by the project, else the first that recognises the file."""
    kind = file_kind(path)
    if spec.format is not None:
        imp = IMPORTERS.get(spec.format)
        if imp is None:
            raise LayerLoadError(
                f"layer {spec.label} ({path}): format = {spec.format!r} is not known; use one "
                f"of {', '.join(IMPORTERS)}"
            )
        if kind not in imp.kinds:
            reads = " or ".join(imp.kinds)
            raise LayerLoadError(
                f"layer {spec.label}: format {spec.format!r} reads {reads} files, but "
                f"{path} is a {kind} file; remove format or give a {reads} file"
            )
        return imp
    cols = list(columns or [])
    for imp in IMPORTERS.values():
        if kind in imp.kinds and imp.matches(cols):
            return imp
    raise LayerLoadError(f"layer {spec.label}: no importer reads {path} (a {kind} file)")


def file_columns(path: Path, spec: LayerSpec) -> list[str]:
    """The attribute columns of a vector file, GeoParquet included (reads no features)."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        try:
            geo = json.loads((schema.metadata or {}).get(b"geo", b"{}"))
            geometry = set(geo.get("columns", {}))
        except (ValueError, AttributeError):
            geometry = set()
        return [n for n in schema.names if n not in geometry]
    return peek_columns(path, spec)


def peek_columns(path: Path, spec: LayerSpec) -> list[str]:
    """Column names of a table or vector file, for auto-detection (reads no features)."""
    kind = file_kind(path)
    if kind == "table":
        return read_table_header(
            path, label=spec.label, encoding=spec.encoding, separator=spec.separator
        )
    if kind == "vector" and path.suffix.lower() != ".parquet":
        import pyogrio

        try:
            layer = check_single_layer(path, spec.label, spec.layer)  # beside QGIS styles
            fields = pyogrio.read_info(gdal_source(path), layer=layer)["fields"]
            return [str(c) for c in fields]
        except Exception:
            return []  # the reader gives the real error message
    return []
