"""Opening project layers: the only package that reads files.

``open_sites`` reads the sites and fixes the working CRS; ``open_layer`` reads any other
layer, reprojected to it, and only within a window around the sites when the role allows.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
from pyproj import CRS

from siteassess.errors import DataIssue, LayerContentError, Quantity, Reason
from siteassess.layers.crs import choose_working_crs, configured_crs, crs_label, to_working
from siteassess.layers.importers import (
    IMPORTERS,
    Imported,
    ReadRequest,
    choose_importer,
    file_kind,
    peek_columns,
)
from siteassess.layers.model import Bounds, Layer, PartitionFile, Provenance, RasterSource
from siteassess.layers.partitions import is_partitioned, partitions_digest, read_partitioned
from siteassess.layers.plausibility import (
    check_site_locations,
    drop_unusable_coordinates,
    refuse_swapped_layer,
)
from siteassess.layers.readers import (
    bounds_in,
    check_exists,
    check_source,
    file_info,
    gdal_source,
    open_raster,
    read_table,
)
from siteassess.layers.roles import NORMALISERS
from siteassess.layers.validity import clean_geometries
from siteassess.project import LayerSpec, Project
from siteassess.roles import REGISTRY

__all__ = [
    "IMPORTERS",
    "Layer",
    "Provenance",
    "RasterSource",
    "open_layer",
    "open_sites",
    "window_for",
]

log = logging.getLogger(__name__)

DEFAULT_MARGIN_M = 50_000.0
# Roles read only near the sites, and how far beyond them (None: the project's margin),
# from the role registry.
WINDOWED_ROLES: dict[str, float | None] = {r.name: r.window_m for r in REGISTRY if r.windowed}


def window_for(role: str, sites_bounds: Bounds, project: Project) -> tuple[Bounds, float] | None:
    """The read window (working CRS) and margin for a role, or None to read everything."""
    if role not in WINDOWED_ROLES:
        return None
    margin = WINDOWED_ROLES[role] or project.read_margin_m or DEFAULT_MARGIN_M
    x0, y0, x1, y1 = sites_bounds
    return (x0 - margin, y0 - margin, x1 + margin, y1 + margin), margin


def open_sites(project: Project) -> tuple[Layer, CRS]:
    """Read the sites layer and choose the working CRS from it (or from the project)."""
    spec = project.layers_of("sites")[0]
    path = project.resolve(spec)
    issues: list[DataIssue] = []
    imported, imp_name, parts = _read(path, spec, None, issues, scheduler=project.scheduler)
    gdf = NORMALISERS["sites"](imported.data, spec, str(path), issues)
    gdf = clean_geometries(
        gdf, spec.label, str(path), repair=project.repair_geometry, issues=issues
    )
    if gdf.empty:
        raise LayerContentError(f"layer {spec.label}: {path} has no site with a geometry")
    where = str(project.path) if project.path else "project"
    configured = configured_crs(project.crs, where)
    gdf = check_site_locations(gdf, configured, spec.label, str(path), issues)
    working = choose_working_crs(gdf, project.crs, where)
    gdf = to_working(gdf, working, spec.label, issues, source=str(path))
    companions: tuple[Layer, ...] = ()
    if "stated_area_m2" in gdf.columns:
        from siteassess.layers.outlines import build_outlines

        gdf, companions = build_outlines(gdf, project, working, issues)
    lyr = _layer(
        spec,
        path,
        imp_name,
        imported.crs,
        imported.encoding,
        gdf,
        None,
        issues,
        None,
        None,
        rows_read=imported.rows_read,
        partitions=parts,
    )
    return replace(lyr, companions=companions), working


def open_layer(
    spec: LayerSpec,
    project: Project,
    working_crs: CRS,
    sites_bounds: Bounds | None,
    *,
    full: bool = False,
    keep_ids: frozenset[str] | None = None,
) -> Layer:
    """Open one non-site layer in the working CRS (windowed around the sites unless ``full``).

    ``keep_ids``: of a partitioned layer, only the features with these ids are kept (the
    parcels the sites name); a single file is read as before.
    """
    path = project.resolve(spec)
    issues: list[DataIssue] = []
    win = None if full or sites_bounds is None else window_for(spec.role, sites_bounds, project)
    window = (win[0], working_crs) if win else None
    if file_kind(path) == "raster":
        check_exists(path, spec.label)
        if spec.format is not None:
            choose_importer(path, spec, None)  # refuses a format that is not a raster's
        raster, rcrs = open_raster(path, label=spec.label, crs_override=spec.crs)
        extent = bounds_in(raster.bounds, rcrs, working_crs)
        return _layer(
            spec, path, "raster", rcrs, None, None, raster, issues, None, None, extent=extent
        )
    if _is_attribute_table(spec, path):
        return _open_attribute_table(spec, path, working_crs, issues)
    imported, imp_name, parts = _read(
        path, spec, window, issues, scheduler=project.scheduler, keep_ids=keep_ids
    )
    gdf = NORMALISERS[spec.role](imported.data, spec, str(path), issues)
    gdf = clean_geometries(
        gdf, spec.label, str(path), repair=project.repair_geometry, issues=issues
    )
    refuse_swapped_layer(gdf, working_crs, spec.label, str(path), id_field=spec.id_field)
    gdf = to_working(gdf, working_crs, spec.label, issues, source=str(path))
    if win is not None:
        gdf = gdf.cx[win[0][0] : win[0][2], win[0][1] : win[0][3]]
        if gdf.empty:
            issues.append(
                DataIssue.of(
                    spec.label,
                    Reason.of(
                        "no_feature_near",
                        "no feature within {distance} of the sites",
                        distance=Quantity(win[1] / 1000, "km", 0),
                    ),
                    source=str(path),
                    severity="info",
                )
            )
    return _layer(
        spec,
        path,
        imp_name,
        imported.crs,
        imported.encoding,
        gdf,
        None,
        issues,
        win[0] if win else None,
        win[1] if win else None,
        rows_read=imported.rows_read,
        partitions=parts,
    )


def _is_attribute_table(spec: LayerSpec, path: Path) -> bool:
    """True for a table without coordinates in a role that accepts one (grid capacity per
    substation: its rows name the substations they belong to)."""
    accepts = any(r.name == spec.role and r.table for r in REGISTRY)
    coords = spec.x_field or spec.y_field or spec.wkt_field
    return accepts and file_kind(path) == "table" and not coords


def _open_attribute_table(
    spec: LayerSpec, path: Path, working_crs: CRS, issues: list[DataIssue]
) -> Layer:
    """A table of attributes (no geometry), normalised by its role, read whole."""
    df, enc, _ = read_table(
        path, label=spec.label, encoding=spec.encoding, separator=spec.separator
    )
    if df.empty:
        raise LayerContentError(f"layer {spec.label}: {path} has no rows (the table is empty)")
    gdf = gpd.GeoDataFrame(
        df, geometry=gpd.GeoSeries([None] * len(df), index=df.index), crs=working_crs
    )
    gdf = NORMALISERS[spec.role](gdf, spec, str(path), issues)
    return _layer(
        spec, path, "table", working_crs, enc, gdf, None, issues, None, None, rows_read=len(df)
    )


def _read(
    path: Path,
    spec: LayerSpec,
    window: tuple[Bounds, CRS] | None,
    issues: list[DataIssue],
    *,
    scheduler: str | None = None,
    keep_ids: frozenset[str] | None = None,
) -> tuple[Imported, str, tuple[PartitionFile, ...]]:
    if is_partitioned(path):
        imported, name, parts = read_partitioned(path, spec, window, keep_ids, scheduler)
        issues.extend(imported.issues)
        imported.data = drop_unusable_coordinates(
            imported.data, imported.crs, spec.label, str(path), issues, id_field=spec.id_field
        )
        if imported.data.empty and window is None and keep_ids is None:
            raise LayerContentError(f"layer {spec.label}: {path} has no feature in any partition")
        return imported, name, parts
    check_exists(path, spec.label)
    if spec.format is not None:
        choose_importer(path, spec, None)  # a format of the wrong kind is said first
    check_source(path, spec.label, spec.layer)  # content and layers, before anything opens it
    columns = peek_columns(path, spec) if spec.format is None else None
    importer = choose_importer(path, spec, columns)
    assert importer.read is not None
    # Coordinates such as 1e400 or nan make shapely and numpy warn on stderr while the file
    # is parsed; they are caught just below and reported with the rows that hold them.
    with np.errstate(over="ignore", invalid="ignore"):
        imported = importer.read(ReadRequest(path=path, spec=spec, window=window))
    issues.extend(imported.issues)
    imported.data = drop_unusable_coordinates(
        imported.data, imported.crs, spec.label, str(path), issues, id_field=spec.id_field
    )
    # Table importers read every row whatever the window (open_layer clips them later), so
    # what they return is the whole file; a windowed vector read asks the file itself.
    whole = window is None or file_kind(path) == "table"
    if imported.data.empty and (imported.rows_read == 0 if whole else _file_is_empty(path, spec)):
        raise LayerContentError(f"layer {spec.label}: {path} has no features (the layer is empty)")
    if whole and imported.data.empty:
        raise LayerContentError(f"layer {spec.label}: {path} has no feature with a geometry")
    return imported, importer.name, ()


def _file_is_empty(path: Path, spec: LayerSpec) -> bool:
    if file_kind(path) != "vector":
        return False
    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows) == 0
        import pyogrio

        return int(pyogrio.read_info(gdal_source(path), layer=spec.layer)["features"]) == 0
    except Exception:
        return False


def _layer(
    spec: LayerSpec,
    path: Path,
    fmt: str,
    src_crs: CRS,
    encoding: str | None,
    gdf: gpd.GeoDataFrame | None,
    raster: RasterSource | None,
    issues: list[DataIssue],
    read_bounds: Bounds | None,
    margin: float | None,
    *,
    extent: Bounds | None = None,
    rows_read: int | None = None,
    partitions: tuple[PartitionFile, ...] = (),
) -> Layer:
    if partitions:
        sha = partitions_digest(partitions)
        modified = max(p.modified for p in partitions)
        size = sum(p.size_bytes for p in partitions)
    else:
        sha, modified, size = file_info(path)
    importer = IMPORTERS.get(fmt)
    if gdf is not None and not gdf.empty and gdf.geometry.notna().any():
        extent = tuple(float(v) for v in gdf.total_bounds)  # type: ignore[assignment]
    return Layer(
        spec=spec,
        provenance=Provenance(
            path=str(path),
            format=fmt,
            sha256=sha,
            modified=modified,
            size_bytes=size,
            source=spec.source or (importer.publisher if importer else None),
            licence=spec.licence or (importer.licence if importer else None),
            date=spec.date,
            encoding=encoding,
            rows_read=rows_read,
            partitions=partitions,
        ),
        source_crs=crs_label(src_crs),
        features=len(gdf) if gdf is not None else 0,
        data=gdf,
        raster=raster,
        issues=tuple(issues),
        read_bounds=read_bounds,
        margin_m=margin,
        extent=extent,
    )


# Register the importers of real formats (each module adds itself to IMPORTERS).
import siteassess.layers.formats  # noqa: E402, F401
