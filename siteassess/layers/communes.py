"""The commune of each site, from a ``context`` layer of commune outlines.

Cartofriches names each site's commune (``comm_nom``, ``comm_insee``) and other site layers
can name their fields (``commune_field``, ``insee_field``). For sites still without one, a
``context`` layer of commune polygons (IGN Admin Express: ``nom``, ``code``; or the fields
its ``commune_field`` / ``insee_field`` name) gives the commune the site's representative
point lies in, in one spatial query for all sites.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siteassess.layers.model import Layer

NAME_FIELDS = ("nom", "nom_commune", "libelle", "name")
CODE_FIELDS = ("code", "insee", "code_insee", "insee_com", "code_commune")


def _field(frame: gpd.GeoDataFrame, given: str | None, candidates: Sequence[str]) -> str | None:
    if given is not None:
        return given if given in frame.columns else None
    lower = {str(c).lower(): str(c) for c in frame.columns}
    return next((lower[c] for c in candidates if c in lower), None)


def commune_layers(context: Sequence[Layer]) -> list[tuple[Layer, str, str | None]]:
    """The context layers that are commune outlines, with their name and code fields."""
    out = []
    for lyr in context:
        frame = lyr.data
        if frame is None or frame.empty:
            continue
        kinds = set(shapely.get_type_id(frame.geometry.values).tolist())
        if not kinds & {3, 6}:  # Polygon, MultiPolygon
            continue
        name = _field(frame, lyr.spec.commune_field, NAME_FIELDS)
        if name is None:
            continue
        out.append((lyr, name, _field(frame, lyr.spec.insee_field, CODE_FIELDS)))
    return out


def attach_communes(sites: gpd.GeoDataFrame, context: Sequence[Layer]) -> gpd.GeoDataFrame:
    """The sites with ``commune`` and ``insee`` columns, filled from commune outlines.

    Values the site layer gives are kept; only missing ones are looked up. Both columns
    exist afterwards (missing where no outline holds the site).
    """
    out = sites.copy()
    for col in ("commune", "insee"):
        if col not in out.columns:
            out[col] = pd.Series(pd.NA, index=out.index, dtype="string")
        else:
            out[col] = out[col].astype("string")
    todo = out["commune"].isna().to_numpy()
    if not todo.any():
        return out
    points = shapely.point_on_surface(out.geometry.values[todo])
    rows = np.flatnonzero(todo)
    for lyr, name_col, code_col in commune_layers(context):
        frame = lyr.frame()
        tree = shapely.STRtree(frame.geometry.values)
        src, tgt = tree.query(points, predicate="intersects")
        if not len(src):
            continue
        first = np.unique(src, return_index=True)[1]  # a point on a border: the first commune
        src, tgt = src[first], tgt[first]
        names = frame[name_col].astype("string").to_numpy()
        pos = out.columns.get_loc("commune")
        out.iloc[rows[src], pos] = names[tgt]
        if code_col is not None:
            codes = frame[code_col].astype("string").to_numpy()
            out.iloc[rows[src], out.columns.get_loc("insee")] = codes[tgt]
        keep = np.ones(len(rows), dtype=bool)
        keep[src] = False
        rows, points = rows[keep], points[keep]
        if not len(rows):
            break
    return out
