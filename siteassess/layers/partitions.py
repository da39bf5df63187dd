"""Partitioned layers: a folder or a glob of per-département files read as one layer.

A national layer (Etalab's cadastre, 90 M parcels) comes as one file per département.
Each partition is read on its own, on dask's workers (:mod:`siteassess.compute`), keeping
only what the sites need (the parcels they name, or the features within the read window),
so that peak memory follows the partition, not the country. Every partition passes the
same gate as a single file (:func:`~siteassess.layers.readers.check_source`: local, regular,
content matching its name, GDAL offline), and each is recorded in the layer's provenance.
"""

from __future__ import annotations

import glob
import hashlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from siteassess.errors import CRSError, DataIssue, LayerContentError, LayerLoadError
from siteassess.layers import gdal_safety
from siteassess.layers.crs import crs_label
from siteassess.layers.importers import (
    Imported,
    ReadRequest,
    choose_importer,
    file_columns,
    peek_columns,
)
from siteassess.layers.model import Bounds, PartitionFile
from siteassess.layers.readers import check_source, file_info
from siteassess.project import LayerSpec

# The per-département formats a partitioned layer may hold.
PARTITION_SUFFIXES = (".gpkg", ".parquet", ".geojson", ".json", ".json.gz", ".fgb")


def is_partitioned(path: Path) -> bool:
    """True for a folder, or for a glob (``parcelles/*.gpkg``) that is not an existing file."""
    if path.is_file():
        return False
    return path.is_dir() or glob.has_magic(str(path))


def _partition_name(path: Path) -> bool:
    return path.name.lower().endswith(PARTITION_SUFFIXES)


def partition_files(path: Path, label: str) -> tuple[Path, ...]:
    """The partition files of a folder or glob, sorted by name; an error when there are none."""
    gdal_safety.refuse_remote(path, label)
    kinds = ", ".join(PARTITION_SUFFIXES)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if _partition_name(p) and not p.is_dir())
        if not files:
            raise LayerLoadError(
                f"layer {label}: the folder {path} holds no partition file ({kinds}); put "
                "the per-département files in it or give the path of one file"
            )
        return tuple(files)
    matched = sorted(Path(p) for p in glob.glob(str(path)))  # noqa: PTH207 (an absolute pattern)
    if not matched:
        raise LayerLoadError(
            f"layer {label}: {path} matches no file; check the folder and the pattern "
            "(e.g. parcelles/cadastre-*-parcelles.json.gz)"
        )
    other = [p for p in matched if not _partition_name(p)]
    if other:
        raise LayerLoadError(
            f"layer {label}: {path} matches {other[0]}, which is not a partition file "
            f"({kinds}); narrow the pattern to the per-département files"
        )
    return tuple(matched)


@dataclass(frozen=True)
class PartitionRead:
    """What one partition gave: the kept features and what is needed to check and cite it."""

    file: PartitionFile
    importer: str
    columns: tuple[str, ...]
    imported: Imported


def read_partition(
    path: Path,
    spec: LayerSpec,
    window: tuple[Bounds, CRS] | None,
    keep_ids: frozenset[str] | None,
) -> PartitionRead:
    """Read one partition (runs on a dask worker): its kept features, schema and checksum."""
    from siteassess.layers.opening import reading  # here: opening imports this package

    with reading(f"layer {spec.label}: {path}"):
        check_source(path, spec.label, spec.layer)
        columns = tuple(file_columns(path, spec))
        importer = choose_importer(
            path, spec, peek_columns(path, spec) if not spec.format else None
        )
        assert importer.read is not None
        keep = None
        if keep_ids is not None:
            column = spec.id_field or next((c for c in ("idpar", "id") if c in columns), None)
            if column is not None:
                keep = (column, keep_ids)
        with np.errstate(over="ignore", invalid="ignore"):
            imported = importer.read(ReadRequest(path=path, spec=spec, window=window, keep=keep))
        sha, modified, size = file_info(path)
    return PartitionRead(
        file=PartitionFile(
            path=str(path),
            sha256=sha,
            modified=modified,
            size_bytes=size,
            features=len(imported.data),
        ),
        importer=importer.name,
        columns=columns,
        imported=imported,
    )


def read_partitioned(
    path: Path,
    spec: LayerSpec,
    window: tuple[Bounds, CRS] | None,
    keep_ids: frozenset[str] | None,
    scheduler: str | None,
) -> tuple[Imported, str, tuple[PartitionFile, ...]]:
    """Read every partition of a layer in parallel and join what they kept.

    The partitions must share one CRS, one schema and one format; the error names the file
    that differs from the first.
    """
    from siteassess.compute import run_tasks

    files = partition_files(path, spec.label)
    if spec.format is not None:
        choose_importer(files[0], spec, None)  # a format of the wrong kind is said first
    reads = run_tasks(
        read_partition, [(f, spec, window, keep_ids) for f in files], scheduler=scheduler
    )
    first = reads[0]
    crs = first.imported.crs
    for r in reads[1:]:
        if not r.imported.crs.equals(crs):
            raise CRSError(
                f"layer {spec.label}: the partitions of {path} are in different CRSs: "
                f"{first.file.path} is in {crs_label(crs)}, {r.file.path} in "
                f"{crs_label(r.imported.crs)}; reproject them to one CRS (ogr2ogr -t_srs)"
            )
        if r.columns != first.columns or r.importer != first.importer:
            missing = sorted(set(first.columns) - set(r.columns))
            extra = sorted(set(r.columns) - set(first.columns))
            raise LayerContentError(
                f"layer {spec.label}: the partitions of {path} differ: {r.file.path} has "
                f"{'no column ' + ', '.join(map(repr, missing)) if missing else 'the columns'}"
                f"{' and more: ' + ', '.join(map(repr, extra)) if extra else ''} against "
                f"{first.file.path} (read as {first.importer}, this one as {r.importer}); "
                "give every partition the same columns"
            )
    frames = [r.imported.data for r in reads]
    data = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)
    issues: list[DataIssue] = [i for r in reads for i in r.imported.issues]
    imported = Imported(
        data=data,
        crs=crs,
        rows_read=sum(r.imported.rows_read for r in reads),
        issues=issues,
        encoding=first.imported.encoding,
    )
    return imported, first.importer, tuple(r.file for r in reads)


def partitions_digest(parts: tuple[PartitionFile, ...]) -> str:
    """One SHA-256 for a partitioned layer: of each partition's name and SHA-256, in order."""
    h = hashlib.sha256()
    for p in parts:
        h.update(f"{Path(p.path).name}\t{p.sha256}\n".encode())
    return h.hexdigest()
