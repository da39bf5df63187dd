"""Open every layer of a project: one function for the assessment, ``validate`` and the app.

``open_every_layer`` reads the sites (which fix the working CRS), then each other layer
within the read window around them, turning any library error into a
:class:`~siteassess.errors.LayerLoadError` that names the layer and its file. The
assessment stops at the first layer that fails; ``validate`` and the app's layer check go
on and keep each layer's result or error, so the planner sees every problem at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
from pyproj import CRS

from siteassess.errors import CancelledError, LayerLoadError, SiteAssessError
from siteassess.layers import Layer, open_layer, open_sites
from siteassess.project import LayerSpec, Project

log = logging.getLogger(__name__)

__all__ = [
    "LayerOpening",
    "OpenedLayers",
    "open_every_layer",
    "open_layer_checked",
    "open_sites_checked",
    "reading",
]


def _library_errors() -> tuple[type[BaseException], ...]:
    """What GDAL, GEOS, pandas and the csv module raise on a file they cannot handle."""
    import csv

    from rasterio.errors import RasterioError
    from shapely.errors import ShapelyError

    return (
        OSError,
        ValueError,
        TypeError,
        RuntimeError,  # pyogrio's errors, RecursionError
        ArithmeticError,
        MemoryError,
        csv.Error,
        RasterioError,
        ShapelyError,
    )


def _describe(exc: BaseException) -> str:
    """A library error as one line, with a hint for the common causes."""
    if isinstance(exc, RecursionError):
        return "its content is nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "it does not fit in memory"
    # rasterio's "Read failed. See previous exception" keeps GDAL's reason in the context.
    cause = exc.__cause__ or exc.__context__
    text = str(exc).strip()
    if cause is not None and "previous exception" in text:
        text = str(cause).strip()
    text = (text.splitlines()[0] if text else type(exc).__name__)[:300]
    from shapely.errors import ShapelyError

    if isinstance(exc, ShapelyError):
        text += " (a geometry GEOS cannot process: non-finite or out-of-range coordinates?)"
    return text


@contextmanager
def reading(where: str, verb: str = "read") -> Iterator[None]:
    """Turn a library's error while reading or measuring a user's file into LayerLoadError.

    ``where`` names the layer and file (``layer flood (flood.tif): /path/flood.tif``).
    Our own errors pass through, and so do AttributeError, KeyError, IndexError and the
    like, which only a bug of ours raises (they stay "unexpected", with a log).
    """
    try:
        yield
    except (SiteAssessError, KeyboardInterrupt):
        raise
    except _library_errors() as exc:
        log.debug("%s cannot be %s", where, verb, exc_info=True)
        raise LayerLoadError(
            f"{where} cannot be {verb}: {_describe(exc)}; check that the file is complete and "
            "in the format its name says"
        ) from exc


def _where(spec: LayerSpec, project: Project) -> str:
    return f"layer {spec.label}: {project.resolve(spec)}"


def open_sites_checked(project: Project) -> tuple[Layer, CRS]:
    """``open_sites``, with library errors turned into LayerLoadError naming the file."""
    with reading(_where(project.layers_of("sites")[0], project)):
        return open_sites(project)


def open_layer_checked(
    spec: LayerSpec,
    project: Project,
    working: CRS,
    bounds: tuple[float, ...] | None,
    *,
    full: bool = False,
    keep_ids: frozenset[str] | None = None,
) -> Layer:
    """``open_layer``, with library errors turned into LayerLoadError naming the file."""
    with reading(_where(spec, project)):
        return open_layer(spec, project, working, bounds, full=full, keep_ids=keep_ids)  # type: ignore[arg-type]


def _keep(spec: LayerSpec, sites: gpd.GeoDataFrame) -> frozenset[str] | None:
    """For a parcels layer, the parcel ids the sites name (None: keep all in the window)."""
    if spec.role != "parcels":
        return None
    from siteassess.layers.outlines import wanted_parcel_ids

    return wanted_parcel_ids(sites)


@dataclass(frozen=True)
class LayerOpening:
    """What opening one layer entry of the project gave: the layer, or the error."""

    spec: LayerSpec
    path: Path
    layer: Layer | None = None
    error: SiteAssessError | None = None

    @property
    def tried(self) -> bool:
        """False when the layer was not opened because the sites could not be."""
        return self.layer is not None or self.error is not None


@dataclass(frozen=True)
class OpenedLayers:
    """Every layer entry of a project, in the project's order, opened or failed."""

    openings: tuple[LayerOpening, ...]
    working: CRS | None  # None when the sites could not be opened
    sites: gpd.GeoDataFrame | None  # the sites whose bounds set the read windows

    @property
    def ok(self) -> bool:
        """True when every layer opened."""
        return all(o.layer is not None for o in self.openings)

    def errors(self) -> list[SiteAssessError]:
        """The errors, in the project's order."""
        return [o.error for o in self.openings if o.error is not None]

    def by_role(self) -> dict[str, tuple[Layer, ...]]:
        """The opened layers grouped by role, in the project's order."""
        out: dict[str, list[Layer]] = {}
        for o in self.openings:
            if o.layer is not None:
                out.setdefault(o.spec.role, []).append(o.layer)
        return {k: tuple(v) for k, v in out.items()}


SitesPrepare = Callable[[Layer], gpd.GeoDataFrame]
Step = Callable[[float, str], None]


def open_every_layer(
    project: Project,
    *,
    stop_at_first: bool = False,
    prepare_sites: SitesPrepare | None = None,
    step: Step | None = None,
    cancel: Callable[[], bool] | None = None,
) -> OpenedLayers:
    """Open the sites, then every other layer within the window around them.

    ``stop_at_first`` raises the first error (the assessment); otherwise each layer's
    error is kept and the others are still opened (``validate``, the app's layer check).
    ``prepare_sites`` gives the sites the read windows are drawn around (the assessment
    leaves out the sites its screening filters drop; default: every site). ``step``
    reports progress from 0 to 0.5; ``cancel`` is polled between layers.
    """
    specs = list(project.layers)
    sites_spec = project.layers_of("sites")[0]
    results: dict[int, LayerOpening] = {}
    si = specs.index(sites_spec)
    try:
        sites_layer, working = open_sites_checked(project)
        sites = (prepare_sites or (lambda lyr: lyr.frame()))(sites_layer)
    except SiteAssessError as exc:
        if stop_at_first:
            raise
        results[si] = LayerOpening(sites_spec, project.resolve(sites_spec), error=exc)
        openings = tuple(
            results.get(i, LayerOpening(s, project.resolve(s))) for i, s in enumerate(specs)
        )
        return OpenedLayers(openings, None, None)
    results[si] = LayerOpening(sites_spec, project.resolve(sites_spec), layer=sites_layer)
    bounds = tuple(float(v) for v in sites.total_bounds)
    others = [(i, s) for i, s in enumerate(specs) if i != si]
    for n, (i, spec) in enumerate(others):
        if cancel is not None and cancel():
            raise CancelledError("cancelled by the user")
        if step is not None:
            step(0.05 + 0.45 * n / max(len(others), 1), f"reading {spec.label}")
        # A partitioned parcels layer was read (only the parcels named) for the outlines.
        reuse = next(
            (c for c in sites_layer.companions if c.spec == spec and c.provenance.partitions),
            None,
        )
        if reuse is not None:
            results[i] = LayerOpening(spec, project.resolve(spec), layer=reuse)
            continue
        try:
            lyr = open_layer_checked(spec, project, working, bounds, keep_ids=_keep(spec, sites))
        except SiteAssessError as exc:
            if stop_at_first:
                raise
            results[i] = LayerOpening(spec, project.resolve(spec), error=exc)
        else:
            results[i] = LayerOpening(spec, project.resolve(spec), layer=lyr)
    return OpenedLayers(tuple(results[i] for i in range(len(specs))), working, sites)
