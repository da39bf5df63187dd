"""The data of the compare view's insets, read from the measurements (no drawing here)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from siteassess.ui.insets import Inset, Point

if TYPE_CHECKING:
    import geopandas as gpd

    from siteassess.assessment import Measurements

_LINE_COLOURS = {"fibre": "#7b3294", "power_lines": "#b2182b"}


def _frames(m: Measurements, role: str) -> list[gpd.GeoDataFrame]:
    return [lyr.data for lyr in m.layers if lyr.spec.role == role and lyr.data is not None]


def inset_for(m: Measurements, site_id: str, half_m: float, colour: str) -> Inset:
    """One inset centred on the site, with what lies within ``half_m`` metres of its centre."""
    i = [str(s) for s in m.sites.index].index(site_id)
    row = m.sites.iloc[i]
    geom = row.geometry
    c = geom.centroid
    x0, y0, x1, y1 = c.x - half_m, c.y - half_m, c.x + half_m, c.y + half_m
    inset = Inset(
        title=str(row.get("name", site_id)),
        centre=(c.x, c.y),
        site=geom,
        colour=colour,
        approximate=bool(row.get("approximate", False)),
    )
    for gdf in _frames(m, "flood"):
        near = gdf.cx[x0:x1, y0:y1]
        scen = near["scenario"] if "scenario" in near.columns else None
        for k in range(len(near)):
            inset.flood.append(
                (near.geometry.iloc[k], str(scen.iloc[k]) if scen is not None else "")
            )
    for role, line_colour in _LINE_COLOURS.items():
        for gdf in _frames(m, role):
            near = gdf.cx[x0:x1, y0:y1]
            inset.lines.extend((g, line_colour) for g in near.geometry)
    for gdf in _frames(m, "substations"):
        near = gdf.cx[x0:x1, y0:y1]
        for k in range(len(near)):
            pt = near.geometry.iloc[k].centroid
            kv = float(near["kv"].iloc[k]) if "kv" in near.columns else 0.0
            name = str(near["name"].iloc[k]) if "name" in near.columns else ""
            inset.substations.append(Point(pt.x, pt.y, name, 0.0 if math.isnan(kv) else kv))
    return inset


def nearest_target(m: Measurements, site_id: str) -> tuple[Point | None, float]:
    """The nearest eligible substation the power criterion found, and its distance (m)."""
    meas = m.measures
    if "substation_name" not in meas.columns:
        return None, math.nan
    key = meas.index.astype(str) == site_id
    name = meas.loc[key, "substation_name"].iloc[0] if key.any() else None
    dist = float(meas.loc[key, "substation_distance_m"].iloc[0]) if key.any() else math.nan
    if not isinstance(name, str) or not name:
        return None, math.nan
    geom = m.sites.geometry.iloc[[str(s) for s in m.sites.index].index(site_id)]
    best: tuple[float, Point] | None = None
    for gdf in _frames(m, "substations"):
        if "name" not in gdf.columns:
            continue
        same = gdf.loc[gdf["name"].astype(str) == name]
        for k in range(len(same)):
            g = same.geometry.iloc[k]
            d = float(geom.distance(g))
            kv = float(same["kv"].iloc[k]) if "kv" in same.columns else 0.0
            if best is None or d < best[0]:
                best = (d, Point(g.centroid.x, g.centroid.y, name, kv))
    return (best[1], dist) if best is not None else (None, math.nan)
