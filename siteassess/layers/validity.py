"""Geometry validity: drop null and empty geometries, open collections, repair invalid ones.

Each change is counted in a data issue. A GeometryCollection (a site drawn as POLYGON +
POINT, say) keeps the parts of its highest dimension: its polygons are the outline, the
stray points and lines are dropped and counted.
"""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import numpy as np
import shapely

from siteassess.errors import DataIssue, GeometryError, Reason


def clean_geometries(
    gdf: gpd.GeoDataFrame, layer: str, source: str, *, repair: bool, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """Return the features with usable geometry; every change is reported in ``issues``."""
    geoms = gdf.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        issues.append(
            DataIssue.of(
                layer,
                Reason.of(
                    "no_geometry",
                    "{n} of {total} features have no geometry{which}",
                    n=int(missing.sum()),
                    total=len(gdf),
                    which=_which(gdf, missing),
                ),
                source=source,
                action="skipped",
                count=int(missing.sum()),
            )
        )
        gdf = gdf.loc[~missing]
        geoms = gdf.geometry.values
    gdf = open_collections(gdf, layer, source, issues)
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
            DataIssue.of(
                layer,
                Reason.of("invalid_geometry", "{n} invalid geometries ({why})", n=n, why=why),
                source=source,
                action="repaired with make_valid",
            )
        )
    return gdf


def open_collections(
    gdf: gpd.GeoDataFrame, layer: str, source: str, issues: list[DataIssue]
) -> gpd.GeoDataFrame:
    """Replace each GeometryCollection by the union of its parts of the highest dimension."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    coll = np.asarray(shapely.get_type_id(geoms) == 7)
    if not coll.any():
        return gdf
    kept: list[shapely.Geometry] = []
    dropped = 0
    kinds: Counter[str] = Counter()
    for g in geoms[coll]:
        parts = [p for p in _flat_parts(g) if not shapely.is_empty(p)]
        kinds[" + ".join(sorted({p.geom_type.upper() for p in parts}))] += 1
        dim = max((int(shapely.get_dimensions(p)) for p in parts), default=-1)
        same = [p for p in parts if int(shapely.get_dimensions(p)) == dim]
        dropped += len(parts) - len(same)
        kept.append(_union(same) if same else shapely.Polygon())
    out = gdf.copy()
    out.loc[out.index[coll], out.geometry.name] = np.array(kept, dtype=object)
    n = int(coll.sum())
    which = _which(gdf, coll)
    issues.append(
        DataIssue.of(
            layer,
            Reason.of(
                "geometry_collections",
                "{n} of {total} features are geometry collections{which}: {kinds}",
                n=n,
                total=len(gdf),
                which=which,
                kinds="; ".join(f"{k} ×{v}" for k, v in kinds.most_common(3)),
            ),
            source=source,
            action=Reason.of(
                "highest_dimension_kept",
                "their parts of the highest dimension used (polygons as the outline), "
                "{dropped} smaller parts dropped",
                dropped=dropped,
            ),
            count=n,
        )
    )
    # A collection of empty parts only leaves an empty geometry: dropped like a missing one.
    empty = np.asarray(shapely.is_empty(out.geometry.values))
    return out.loc[~empty] if empty.any() else out


def _which(gdf: gpd.GeoDataFrame, mask: np.ndarray) -> str:
    """`` (a, b, c…)``: the site ids of the masked rows, for a sites layer only."""
    if gdf.index.name != "site_id":
        return ""
    ids = [str(v) for v in gdf.index[np.asarray(mask)]]
    return f" ({', '.join(ids[:8])}{'…' if len(ids) > 8 else ''})"


def _flat_parts(geom: shapely.Geometry) -> list[shapely.Geometry]:
    """The simple parts of a geometry, through nested collections and multi-geometries."""
    if shapely.get_type_id(geom) in (4, 5, 6, 7):
        return [q for p in shapely.get_parts(geom) for q in _flat_parts(p)]
    return [geom]


def _union(parts: list[shapely.Geometry]) -> shapely.Geometry:
    if len(parts) == 1:
        return parts[0]
    if all(shapely.is_valid(p) for p in parts):
        return shapely.union_all(parts)
    # Invalid parts cannot be unioned; the collection's polygons go on as a multi-geometry
    # to the validity check below, which repairs or refuses them.
    kind = shapely.get_type_id(parts[0])
    make = {0: shapely.multipoints, 1: shapely.multilinestrings, 2: shapely.multilinestrings}
    return make.get(kind, shapely.multipolygons)(parts)


def _keep_dimension(geom: shapely.Geometry, dim: int) -> shapely.Geometry:
    if shapely.get_type_id(geom) != 7:  # not a GeometryCollection
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == dim]
    return shapely.union_all(parts) if parts else geom
