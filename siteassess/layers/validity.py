"""Geometry validity: drop null and empty geometries, repair invalid ones (counted)."""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import numpy as np
import shapely

from siteassess.errors import DataIssue, GeometryError


def clean_geometries(
    gdf: gpd.GeoDataFrame, layer: str, source: str, *, repair: bool, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """Return the features with usable geometry; every change is reported in ``issues``."""
    geoms = gdf.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        issues.append(
            DataIssue(
                layer=layer,
                source=source,
                message=f"{int(missing.sum())} of {len(gdf)} features have no geometry",
                action="skipped",
                count=int(missing.sum()),
            )
        )
        gdf = gdf.loc[~missing]
        geoms = gdf.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        n = int(invalid.sum())
        reasons = Counter(
            str(r).split("[")[0].strip() for r in shapely.is_valid_reason(geoms[invalid])
        )
        why = "; ".join(f"{k} ×{v}" for k, v in reasons.most_common(3))
        if not repair:
            raise GeometryError(
                f"layer {layer} ({source}): {n} invalid geometries ({why}); fix them or set "
                "repair_geometry = true in the project"
            )
        fixed = shapely.make_valid(geoms[invalid])
        # make_valid may return collections; keep the parts of the layer's dimension.
        dim = int(np.nanmax(shapely.get_dimensions(geoms[~invalid]))) if (~invalid).any() else 2
        fixed = np.array([_keep_dimension(g, dim) for g in fixed], dtype=object)
        gdf = gdf.copy()
        gdf.loc[gdf.index[invalid], gdf.geometry.name] = fixed
        issues.append(
            DataIssue(
                layer=layer,
                source=source,
                message=f"{n} invalid geometries ({why})",
                action="repaired with make_valid",
            )
        )
    return gdf


def _keep_dimension(geom: shapely.Geometry, dim: int) -> shapely.Geometry:
    if shapely.get_type_id(geom) != 7:  # not a GeometryCollection
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == dim]
    return shapely.union_all(parts) if parts else geom
