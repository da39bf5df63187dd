"""Site outlines for inventories that give points (Cartofriches).

With a ``parcels`` layer, a site's outline is the union of the cadastral parcels its
inventory row lists (a real outline). Without one, or when none of its parcels is found,
it is a disc of the stated area around the point, flagged approximate. A point with no
stated area and no parcel stays a point (its land criterion is then not measurable).
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from siteassess.errors import DataIssue, Quantity, Reason
from siteassess.layers.model import Layer
from siteassess.layers.plausibility import MAX_SITE_AREA_M2, plausible_area
from siteassess.project import Project

log = logging.getLogger(__name__)

DISC_SEGMENTS = 32  # the approximate outline is a regular 32-gon of exactly the stated area
APPROXIMATE_NOTE = "approximate: disc of the stated area around the inventory point"


def disc_of_area(points: np.ndarray, area_m2: np.ndarray) -> np.ndarray:
    """Regular 32-gons centred on ``points`` whose areas equal ``area_m2`` (working CRS)."""
    n = DISC_SEGMENTS
    # Area of a regular n-gon of circumradius r: (n / 2) r² sin(2π / n).
    radius = np.sqrt(2 * area_m2 / (n * np.sin(2 * np.pi / n)))
    return np.asarray(shapely.buffer(points, radius, quad_segs=n // 4))


def build_outlines(
    sites: gpd.GeoDataFrame, project: Project, working: CRS, issues: list[DataIssue]
) -> tuple[gpd.GeoDataFrame, tuple[Layer, ...]]:
    """Replace inventory points by outlines; record how each outline was made.

    Also returns the parcel layers the outlines were made of (each read once).
    """
    geoms = sites.geometry.values
    is_point = np.asarray(shapely.get_type_id(geoms) == 0)
    area = pd.to_numeric(sites["stated_area_m2"], errors="coerce").to_numpy(dtype=float)
    wrong = ~np.isnan(area) & ~plausible_area(area)
    if wrong.any():
        # Importers check their own area fields; this catches a sites file of any format
        # that carries stated_area_m2 itself, so no absurd value ever becomes a disc.
        for sid, value in zip(sites.index[wrong], area[wrong], strict=True):
            issues.append(
                DataIssue.of(
                    project.layers_of("sites")[0].label,
                    Reason.of(
                        "area_not_believable",
                        "stated_area_m2 = {area} is not a believable site area (expected more "
                        "than 0 and at most {most})",
                        area=Quantity(float(value), "m²"),
                        most=Quantity(float(MAX_SITE_AREA_M2), "m²"),
                    ),
                    site=str(sid),
                    action="area unknown: kept as a point unless its parcels give an outline",
                    count=1,
                )
            )
        area = np.where(wrong, np.nan, area)
    problem = np.full(len(sites), "", dtype=object)
    if "area_problem" in sites.columns:
        problem = sites["area_problem"].fillna("").astype(str).to_numpy(dtype=object)
    problem = np.where(wrong, "stated_area_m2 not believable", problem)
    outline = np.array(geoms, dtype=object)
    how = np.where(is_point, "", "as given").astype(object)
    approximate = sites["approximate"].to_numpy(dtype=bool).copy()

    from_parcels, parcel_layers = _parcel_outlines(sites[is_point], project, working, issues)
    if from_parcels is not None and len(from_parcels):
        idx = sites.index.get_indexer(from_parcels.index)
        outline[idx] = from_parcels["geometry"].to_numpy()
        how[idx] = from_parcels["how"].to_numpy()

    disc = is_point & (how == "") & np.isfinite(area)
    if disc.any():
        outline[disc] = disc_of_area(np.asarray(geoms[disc]), area[disc])
        how[disc] = APPROXIMATE_NOTE
        approximate[disc] = True
    left = is_point & (how == "")
    how[left] = "point: no stated area and no parcel found"
    flagged = left & (problem != "")
    how[flagged] = [
        f"point: stated area not believable ({p}), no parcel found" for p in problem[flagged]
    ]
    out = sites.copy()
    out[out.geometry.name] = gpd.GeoSeries(outline, index=sites.index, crs=working)
    out["approximate"] = approximate
    out["outline_source"] = how
    out["stated_area_m2"] = area
    return out, parcel_layers


def wanted_parcel_ids(sites: gpd.GeoDataFrame) -> frozenset[str] | None:
    """Every parcel id the sites list (``parcel_ids``), or None when they list none."""
    if "parcel_ids" not in sites.columns:
        return None
    ids = sites["parcel_ids"].astype("string").fillna("").str.split(",").explode()
    return frozenset(str(i).strip().upper() for i in ids if isinstance(i, str) and i.strip())


def _parcel_outlines(
    points: gpd.GeoDataFrame, project: Project, working: CRS, issues: list[DataIssue]
) -> tuple[pd.DataFrame | None, tuple[Layer, ...]]:
    """Union of the listed parcels per site (index: site id; columns geometry, how)."""
    specs = project.layers_of("parcels")
    if not specs or points.empty or "parcel_ids" not in points:
        return None, ()
    from siteassess.layers import open_layer

    bounds = tuple(float(v) for v in points.total_bounds)
    keep = wanted_parcel_ids(points)
    opened = tuple(
        open_layer(s, project, working, bounds, keep_ids=keep)  # type: ignore[arg-type]
        for s in specs
    )
    frames = [lyr.frame() for lyr in opened]
    parcels = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if "idpar" not in parcels.columns:
        issues.append(
            DataIssue.of(
                "parcels",
                Reason(
                    "no_parcel_id",
                    "the parcels layer has no parcel id column (idpar); set id_field",
                ),
                action="approximate outlines used",
            )
        )
        return None, opened
    wanted = (
        points["parcel_ids"]
        .astype("string")
        .fillna("")
        .str.split(",")
        .explode()
        .rename("idpar")
        .reset_index()
    )
    wanted = wanted[wanted["idpar"].str.len() > 0]
    if wanted.empty:
        return None, opened
    lookup = parcels[["idpar", parcels.geometry.name]].drop_duplicates("idpar")
    joined = wanted.merge(lookup, on="idpar", how="left")
    found = joined[joined.geometry.name].notna()
    site_col = joined.columns[0]
    per_site = joined.groupby(site_col).agg(asked=("idpar", "size"))
    per_site["found"] = found.groupby(joined[site_col]).sum()
    missing = joined.loc[~found].groupby(site_col)["idpar"].agg(list)
    if len(missing):
        sample = "; ".join(f"{sid}: {', '.join(ids[:3])}" for sid, ids in missing.head(5).items())
        issues.append(
            DataIssue.of(
                "parcels",
                Reason.of(
                    "parcels_not_found",
                    "{n} parcel ids listed by {sites} sites are not in the parcels layer "
                    "({sample})",
                    n=int((~found).sum()),
                    sites=len(missing),
                    sample=sample + ("…" if len(missing) > 5 else ""),
                ),
                action="outline from the parcels found; approximate disc where none was",
                count=int((~found).sum()),
            )
        )
    hits = gpd.GeoDataFrame(joined.loc[found], geometry=parcels.geometry.name, crs=working)
    unions = hits.dissolve(by=site_col)
    result = pd.DataFrame({"geometry": unions.geometry.values}, index=unions.index)
    counts = per_site.loc[result.index]
    result["how"] = [
        f"union of {f} cadastral parcels" + (f" ({a - f} of {a} listed not found)" if f < a else "")
        for f, a in zip(counts["found"].astype(int), counts["asked"].astype(int), strict=True)
    ]
    return result, opened
