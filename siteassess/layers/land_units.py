"""Sites that are one land unit: records listing the same parcels, or coinciding outlines.

Cartofriches lists several records on one land unit (Fretin 59256_4522, _4524, _4527,
_4530: the same five parcels, 69.2 ha). They are one candidate, not four: the ranking keeps
them, but ``--top``, the shortlist and the default comparison keep only the best of each
group, and every output flags the others "same land unit as …".
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

# Two outlines coincide when their intersection covers this share of their union.
COINCIDE_IOU = 0.95


def _parcel_keys(sites: gpd.GeoDataFrame) -> np.ndarray:
    if "parcel_ids" not in sites.columns:
        return np.full(len(sites), "", dtype=object)
    return np.array(
        [
            ",".join(sorted({p for p in str(v).split(",") if p.strip()}))
            if isinstance(v, str)
            else ""
            for v in sites["parcel_ids"].to_numpy(dtype=object)
        ],
        dtype=object,
    )


def land_units(sites: gpd.GeoDataFrame) -> dict[str, tuple[str, ...]]:
    """For each site on a shared land unit, the other sites of that unit (ids)."""
    n = len(sites)
    if n < 2:
        return {}
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    def union(a: np.ndarray, b: np.ndarray) -> None:
        for i, j in zip(a.tolist(), b.tolist(), strict=True):
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)

    keys = _parcel_keys(sites)
    listed = np.flatnonzero(keys != "")
    if len(listed):
        order = listed[np.argsort(keys[listed], kind="stable")]
        same = keys[order][1:] == keys[order][:-1]
        union(order[:-1][same], order[1:][same])

    geoms = sites.geometry.values
    areal = np.flatnonzero(shapely.area(geoms) > 0)
    if len(areal) > 1:
        g = geoms[areal]
        src, tgt = shapely.STRtree(g).query(g, predicate="intersects")
        pairs = src < tgt
        src, tgt = src[pairs], tgt[pairs]
        if len(src):
            inter = shapely.area(shapely.intersection(g[src], g[tgt]))
            union_area = shapely.area(g[src]) + shapely.area(g[tgt]) - inter
            close = inter >= COINCIDE_IOU * union_area
            union(areal[src[close]], areal[tgt[close]])

    roots = np.array([find(i) for i in range(n)])
    ids = sites.index.astype(str).to_numpy()
    out: dict[str, tuple[str, ...]] = {}
    counts = np.bincount(roots, minlength=n)
    for root in np.flatnonzero(counts > 1):
        members = ids[roots == root].tolist()
        for m in members:
            out[m] = tuple(x for x in members if x != m)
    return out
