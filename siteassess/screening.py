"""Screening a whole inventory: filter, score every site, rank, and shortlist the best.

Screening uses the project's own criteria and weights; the shortlist is a new project
file (with the N best sites' outlines) for a detailed assessment.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siteassess.assessment import Assessment, measure, score
from siteassess.atomic import (
    atomic_output,
    hidden_sibling,
    remove_stale_temporaries,
    replace_all,
)
from siteassess.errors import DataIssue, LayerContentError, OutputError
from siteassess.layers import Layer
from siteassess.output_guard import refuse_input_as_output
from siteassess.progress import CancelFlag, Progress
from siteassess.project import LayerSpec, Project, save_project
from siteassess.safetext import printable


@dataclass(frozen=True)
class ScreenFilter:
    """Which sites of the inventory to score: a minimum area and a set of statuses."""

    min_area_ha: float | None = None
    statuses: tuple[str, ...] = ()

    def __call__(self, sites: gpd.GeoDataFrame) -> tuple[np.ndarray, dict[str, int]]:
        """The sites kept, and how many each rule left out."""
        keep = np.ones(len(sites), dtype=bool)
        reasons: dict[str, int] = {}
        if self.min_area_ha is not None:
            area = _area_ha(sites)
            small = ~(area >= self.min_area_ha)  # an unknown area does not pass
            reasons[f"below --min-area {self.min_area_ha:g} ha (or with no known area)"] = int(
                (small & keep).sum()
            )
            keep &= ~small
        if self.statuses:
            if "status" not in sites.columns:
                raise LayerContentError(
                    "--status: the sites layer has no status column (Cartofriches gives "
                    "site_statut); leave --status out for this layer"
                )
            wanted = {s.strip().lower() for s in self.statuses}
            status = sites["status"].astype("string").str.strip().str.lower()
            unknown = sorted(wanted - set(status.dropna()))
            if unknown:
                # A typo would silently drop every site of that status: name the statuses
                # the inventory holds so the planner can correct the filter.
                raise LayerContentError(
                    f"--status {', '.join(repr(s) for s in unknown)}: no site of the inventory "
                    f"has this status; the statuses present are {statuses_present(sites)} "
                    "(case does not matter)"
                )
            other = ~status.isin(wanted).to_numpy(dtype=bool)
            reasons[f"with a status other than {', '.join(sorted(wanted))}"] = int(
                (other & keep).sum()
            )
            keep &= ~other
        return keep, reasons


def statuses_present(sites: gpd.GeoDataFrame) -> str:
    """The statuses of the sites with their counts, most frequent first: ``'a' (3), 'b' (1)``."""
    counts = sites["status"].astype("string").str.strip().value_counts(dropna=False)
    named = [(None if pd.isna(v) else str(v), int(n)) for v, n in counts.items()]
    named.sort(key=lambda vn: (-vn[1], vn[0] is None, vn[0] or ""))
    return ", ".join(f"{'no status' if v is None else repr(v)} ({n})" for v, n in named)


def _area_ha(sites: gpd.GeoDataFrame) -> np.ndarray:
    geoms = sites.geometry.values
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    area = np.where(polygonal, shapely.area(geoms) / 10_000, np.nan)
    if "stated_area_m2" in sites.columns:
        area = np.where(np.isnan(area), sites["stated_area_m2"].to_numpy(float) / 10_000, area)
    return np.asarray(area)


@dataclass(frozen=True)
class LayerRows:
    """How many rows of a layer were read, used and skipped, and why."""

    label: str
    path: str
    read: int | None
    used: int
    skipped: tuple[tuple[str, int], ...]


def layer_rows(layer: Layer, issues: Sequence[DataIssue]) -> LayerRows:
    """The row counts of one layer from its provenance and its data issues."""
    skipped = tuple(
        (i.message, i.count)
        for i in issues
        if i.layer == layer.label and i.action == "skipped" and i.count
    )
    return LayerRows(
        label=layer.label,
        path=layer.provenance.path,
        read=layer.provenance.rows_read,
        used=layer.features,
        skipped=skipped,
    )


@dataclass(frozen=True)
class ScreenResult:
    """A screened inventory: the assessment of the kept sites and the row accounting."""

    assessment: Assessment
    sites_read: int
    filtered: tuple[DataIssue, ...]
    rows: tuple[LayerRows, ...]


def screen(
    project: Project,
    flt: ScreenFilter | None = None,
    *,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
    sensitivity: bool = True,
) -> ScreenResult:
    """Score every site of the project's inventory that passes the filter."""
    m = measure(project, progress=progress, cancel=cancel, sites_filter=flt)
    a = score(m, sensitivity=sensitivity)
    sites_layer = next(lyr for lyr in m.layers if lyr.spec.role == "sites")
    return ScreenResult(
        assessment=a,
        sites_read=sites_layer.features,
        filtered=tuple(i for i in m.issues if i.action == "not assessed"),
        rows=tuple(layer_rows(lyr, m.issues) for lyr in m.layers),
    )


def write_shortlist(result: ScreenResult, n: int, folder: Path) -> Path:
    """Write a new project with the ``n`` best sites (outlines and attributes) in ``folder``.

    Other layers keep pointing at the same files (paths made relative to the new folder
    when they are on the same drive). Returns the new project file.
    """
    a = result.assessment
    project = a.project
    ranked = a.ranked()
    best = ranked.loc[a.best_sites(n)]  # one per land unit
    if best.empty:
        raise OutputError(f"{folder}: no site passed the exclusions; there is nothing to shortlist")
    sites = a.measurements.sites.loc[best.index]
    keep = [
        c
        for c in (
            "name",
            "approximate",
            "outline_source",
            "status",
            "commune",
            "insee",
            "cartofriches_id",
            "stated_area_m2",
            "pollution",
            "zoning",
        )
        if c in sites.columns
    ]
    out = gpd.GeoDataFrame(sites[keep], geometry=sites.geometry, crs=sites.crs)
    out.insert(0, "screening_rank", best["rank"].to_numpy())
    out.insert(1, "screening_score", best["score"].round(2).to_numpy())
    out = out.reset_index()
    for col in out.columns:
        if out[col].dtype == object and col != out.geometry.name:
            out[col] = out[col].astype("string")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder: {exc.strerror}") from None
    sites_file = folder / "sites.gpkg"
    with atomic_output(sites_file) as tmp:
        out.to_file(tmp, driver="GPKG", layer="sites")
    layers = []
    for spec in project.layers:
        if spec.role == "sites":
            layers.append(
                LayerSpec(
                    role="sites",
                    path="sites.gpkg",
                    name=spec.name,
                    id_field="site_id",
                    name_field="name",
                    approximate_field="approximate",
                    source=f"shortlist of {len(out)} sites screened from {spec.path}",
                    licence=spec.licence,
                    date=spec.date,
                )
            )
        else:
            # A path written relative to the old project stays relative (to the new one).
            path = (
                spec.path
                if Path(spec.path).is_absolute()
                else _relative(project.resolve(spec), folder)
            )
            layers.append(replace(spec, path=path))
    shortlist = replace(
        project,
        name=f"{project.name} — top {len(out)}",
        layers=tuple(layers),
        path=folder / "project.toml",
    )
    return save_project(shortlist)


def write_screen(
    result: ScreenResult,
    output: Path,
    top: int | None,
    write_ranking: Callable[[Path], object],
) -> tuple[Path, Path | None]:
    """Write the ranking (``write_ranking(path)``) and the ``top`` shortlist, both or none.

    Each is written under a hidden name beside its target, then both are moved into place:
    a failure of either (no site to shortlist, a full disk, an interruption) leaves neither.
    Returns the ranking and the shortlist project file.
    """
    folder = output.with_name(f"{output.stem}-top{top}") if top is not None else None
    # Neither the ranking nor the shortlist folder (replaced whole) may hold an input file.
    refuse_input_as_output(result.assessment.project, output)
    if folder is not None:
        refuse_input_as_output(result.assessment.project, folder, folder=True)
    for target in (output, folder):
        if target is not None:
            remove_stale_temporaries(target)
    tmp_out = hidden_sibling(output)
    tmp_folder = hidden_sibling(folder) if folder is not None else None
    try:
        write_ranking(tmp_out)
        if folder is not None and tmp_folder is not None:
            write_shortlist(result, top or 0, tmp_folder)
        moves = [(tmp_out, output)]
        if folder is not None and tmp_folder is not None:
            moves.append((tmp_folder, folder))
        replace_all(moves)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_out.unlink()
        if tmp_folder is not None:
            shutil.rmtree(tmp_folder, ignore_errors=True)
        raise
    return output, (folder / "project.toml") if folder is not None else None


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return str(path.resolve())


def rows_text(result: ScreenResult) -> str:
    """Plain-text account of the rows read, used and skipped, layer by layer.

    Layer labels and reasons are made printable (a control character in a file name or a
    value is shown as ``\\x1b``, never sent to the terminal).
    """
    lines = []
    for r in result.rows:
        read = "?" if r.read is None else str(r.read)
        lines.append(f"  {r.label}: {read} rows read, {r.used} used")
        lines.extend(f"      skipped {n}: {why}" for why, n in r.skipped)
    kept = len(result.assessment.site_ids)
    lines.append(f"  sites assessed: {kept} of {result.sites_read}")
    lines.extend(f"      not assessed: {i.message}" for i in result.filtered)
    shown = [lyr.label for lyr in result.assessment.measurements.layers if lyr.is_illustrative]
    if shown:
        lines.append(f"  ILLUSTRATIVE layers, not real data: {'; '.join(shown)}")
    return "\n".join(printable(line) for line in lines)
