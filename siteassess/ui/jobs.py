"""The app's long jobs, as plain functions the worker runs off the GUI thread.

Each takes the core's ``progress(fraction, message)`` callback and ``cancel()`` flag and
returns a frozen result; nothing here touches Qt, so the jobs are tested directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from siteassess.errors import CancelledError, CRSError, DataIssue, SiteAssessError
from siteassess.progress import CancelFlag, Progress
from siteassess.project import LayerSpec, Project
from siteassess.ui.i18n_ui import language, tr

if TYPE_CHECKING:
    from siteassess.assessment import Assessment, Measurements
    from siteassess.layers import Layer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LayerStatus:
    """What opening one layer of the project gave: its CRS, count and problems, or an error."""

    spec: LayerSpec
    path: Path
    features: int | None = None
    crs: str | None = None
    format: str | None = None
    raster: bool = False
    windowed: bool = False
    issues: tuple[DataIssue, ...] = ()
    error: str | None = None
    crs_problem: bool = False  # the error is about the CRS: the app offers to set one

    @property
    def checked(self) -> bool:
        """True when the layer was opened (or failed to open), False when not tried."""
        return self.features is not None or self.error is not None


@dataclass(frozen=True)
class Outcome:
    """The result of assessing a project: measurements and scores, or what stopped them."""

    project: Project
    measurements: Measurements | None
    assessment: Assessment | None
    layers: tuple[LayerStatus, ...]
    error: str | None = None


def assess_project(project: Project, progress: Progress, cancel: CancelFlag) -> Outcome:
    """Measure and score ``project``; on a data error, check each layer to show which one."""
    from siteassess.assessment import measure, score

    if not project.layers_of("sites"):
        statuses = tuple(LayerStatus(s, project.resolve(s)) for s in project.layers)
        msg = tr('Add a layer with the role "Sites (brownfields)" to assess the project.')
        return Outcome(project, None, None, statuses, msg)
    try:
        m = measure(project, progress=progress, cancel=cancel)
    except CancelledError:
        raise
    except SiteAssessError as exc:
        log.info("assessment failed: %s", exc)
        return Outcome(project, None, None, check_layers(project, cancel), str(exc))
    statuses = statuses_from(m)
    try:
        a = score(m, project, sensitivity=True)
    except SiteAssessError as exc:
        return Outcome(project, m, None, statuses, str(exc))
    return Outcome(project, m, a, statuses)


def statuses_from(m: Measurements) -> tuple[LayerStatus, ...]:
    """Per project layer, what the measurement read (matched by layer entry)."""
    by_spec: dict[LayerSpec, Layer] = {lyr.spec: lyr for lyr in m.layers}
    out = []
    for spec in m.project.layers:
        lyr = by_spec.get(spec)
        path = m.project.resolve(spec)
        if lyr is None:
            out.append(LayerStatus(spec, path))
            continue
        out.append(
            LayerStatus(
                spec=spec,
                path=path,
                features=lyr.features,
                crs=lyr.source_crs,
                format=lyr.provenance.format,
                raster=lyr.is_raster,
                windowed=lyr.read_bounds is not None,
                issues=lyr.issues,
            )
        )
    return tuple(out)


def check_layers(project: Project, cancel: CancelFlag | None = None) -> tuple[LayerStatus, ...]:
    """Open every layer on its own and keep each one's result or error."""
    from siteassess.layers.opening import open_every_layer

    opened = open_every_layer(project, cancel=cancel)
    out = []
    for o in opened.openings:
        if o.layer is not None:
            out.append(_opened(project, o.layer))
        elif o.error is not None:
            out.append(_failed(project, o.spec, o.error))
        else:
            out.append(LayerStatus(o.spec, o.path))
    return tuple(out)


def _opened(project: Project, lyr: Layer) -> LayerStatus:
    return LayerStatus(
        spec=lyr.spec,
        path=project.resolve(lyr.spec),
        features=lyr.features,
        crs=lyr.source_crs,
        format=lyr.provenance.format,
        raster=lyr.is_raster,
        windowed=lyr.read_bounds is not None,
        issues=lyr.issues,
    )


def _failed(project: Project, spec: LayerSpec, exc: SiteAssessError) -> LayerStatus:
    return LayerStatus(
        spec=spec,
        path=project.resolve(spec),
        error=str(exc),
        crs_problem=isinstance(exc, CRSError),
    )


@dataclass(frozen=True)
class ScreenRequest:
    """What the planner asked the screening for."""

    output: Path  # .gpkg, .csv or .json
    min_area_ha: float | None = None
    statuses: tuple[str, ...] = ()
    top: int = 0  # also write a project with the N best sites (0: no)


@dataclass(frozen=True)
class ScreenOutcome:
    """What screening wrote."""

    output: Path
    ranked: int
    excluded: int
    left_out: int
    shortlist: Path | None = None


def screen_project(
    project: Project, request: ScreenRequest, progress: Progress, cancel: CancelFlag
) -> ScreenOutcome:
    """Score a whole inventory with the project's criteria and write the ranking."""
    from siteassess.reports.tables import write_output
    from siteassess.screening import ScreenFilter, screen, write_shortlist

    flt = ScreenFilter(min_area_ha=request.min_area_ha, statuses=request.statuses)
    result = screen(project, flt, progress=progress, cancel=cancel)
    write_output(result.assessment, request.output, lang=language())  # headers as the UI
    ranked = result.assessment.ranked()
    excluded = int(ranked["excluded"].sum())
    shortlist = None
    if request.top > 0:
        folder = request.output.with_name(f"{request.output.stem}-top{request.top}")
        shortlist = write_shortlist(result, request.top, folder)
    return ScreenOutcome(
        output=request.output,
        ranked=len(ranked) - excluded,
        excluded=excluded,
        left_out=result.sites_read - len(ranked),
        shortlist=shortlist,
    )
