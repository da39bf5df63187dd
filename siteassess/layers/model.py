"""What a layer is once opened: features in the working CRS (or a raster), and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from siteassess.errors import DataIssue
from siteassess.project import LayerSpec, is_illustrative_text

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class RasterSource:
    """An opened raster's metadata; pixels are read by window with ``read_window``."""

    path: Path
    crs_wkt: str
    transform: tuple[float, float, float, float, float, float]  # affine a, b, c, d, e, f
    width: int
    height: int
    nodata: float | None
    dtype: str
    bounds: Bounds  # in the raster's own CRS

    @property
    def pixel_size(self) -> tuple[float, float]:
        """Pixel width and height in the raster's CRS units."""
        return abs(self.transform[0]), abs(self.transform[4])


@dataclass(frozen=True)
class PartitionFile:
    """One file of a partitioned layer (a folder or glob of per-département files)."""

    path: str
    sha256: str
    modified: str  # file date, ISO 8601
    size_bytes: int
    features: int  # kept from this file


@dataclass(frozen=True)
class Provenance:
    """Where a layer's data came from, for the JSON output and the reports."""

    path: str
    format: str
    sha256: str
    modified: str  # file date, ISO 8601
    size_bytes: int
    source: str | None = None
    licence: str | None = None
    date: str | None = None
    encoding: str | None = None
    rows_read: int | None = None  # rows or features in the file (None: not counted)
    # A partitioned layer's files, each with its SHA-256 (``sha256`` is then the digest of
    # their names and checksums, ``path`` the folder or glob).
    partitions: tuple[PartitionFile, ...] = ()


@dataclass(frozen=True)
class Layer:
    """One project layer, opened: vector features in the working CRS, or a raster.

    ``read_bounds`` is the window (working CRS) that was read, or None when the whole file
    was; ``margin_m`` is how far beyond the sites the window reaches.
    """

    spec: LayerSpec
    provenance: Provenance
    source_crs: str  # the file's CRS, as a label
    features: int
    data: gpd.GeoDataFrame | None = None
    raster: RasterSource | None = None
    issues: tuple[DataIssue, ...] = field(default=())
    read_bounds: Bounds | None = None
    margin_m: float | None = None
    extent: Bounds | None = None  # of what was read, working CRS
    # Layers opened to build this one: the parcels the sites' outlines were made of.
    companions: tuple[Layer, ...] = field(default=())

    @property
    def label(self) -> str:
        """How messages name the layer."""
        return self.spec.label

    @property
    def is_raster(self) -> bool:
        """True for a raster layer."""
        return self.raster is not None

    @property
    def is_illustrative(self) -> bool:
        """True when the project or the file's provenance says the data are illustrative."""
        return self.spec.is_illustrative or is_illustrative_text(self.provenance.source)

    def source_text(self, lang: str) -> str | None:
        """Where the data came from, in ``lang`` when the project gives it (``source_fr``)."""
        if lang == "fr" and self.spec.source_fr:
            return self.spec.source_fr
        return self.provenance.source

    def frame(self) -> gpd.GeoDataFrame:
        """The vector features (raises for a raster layer)."""
        if self.data is None:
            raise TypeError(f"layer {self.label} is a raster, not vector features")
        return self.data
