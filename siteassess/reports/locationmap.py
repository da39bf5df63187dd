"""The location map of a site report: where the site lies among the candidates (PNG).

The places are the project's commune outlines (a ``context`` layer of named polygons, such
as IGN's Admin Express), with the names of the site's commune, of the other candidates'
communes and of a few of the largest; the 400 kV substations are named with their voltage,
the site's supply options first. Without such a layer the map falls back on Natural
Earth's country outlines (read offline by :mod:`siteassess.layers.basemap`). An overview
inset shows the home country with the map's frame.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from siteassess.assessment import Assessment
from siteassess.layers.basemap import ATTRIBUTION, country_outlines
from siteassess.reports.i18n_reports import display_name, number, tr
from siteassess.reports.mapkit import (
    Extent,
    LabelPlacer,
    axes_aspect,
    clip,
    corner_note,
    draw_polygons,
    drawn_texts,
    fit_extent,
    map_axes,
    new_figure,
    north_arrow,
    scale_bar,
    to_png,
)
from siteassess.reports.maplayers import (
    OTHER_SITE,
    SUBJECT,
    Legend,
    MapData,
    draw_exchanges,
    eligible_substations,
    map_data,
)
from siteassess.reports.mapstyle import COMMUNE, COMMUNE_TEXT, KV400
from siteassess.reports.names import shorten_chars

SEA, LAND, ABROAD = "#dcebf5", "#f6f3ec", "#e7e7e7"
NO_DATA = "#eceee9"  # beyond the commune outlines of the project
ALL_SITES_UP_TO = 40  # candidate sites; beyond, the map shows the site's surroundings
NEIGHBOURS_M = 40_000.0  # half the width of those surroundings
COMMUNE_NAMES = 10  # commune names at most
SUBSTATION_NAMES = 8  # 400 kV substation names at most
COUNTRIES_FR = {
    "Belgium": "Belgique",
    "Germany": "Allemagne",
    "Netherlands": "Pays-Bas",
    "United Kingdom": "Royaume-Uni",
    "Switzerland": "Suisse",
    "Italy": "Italie",
    "Spain": "Espagne",
    "Ireland": "Irlande",
    "Denmark": "Danemark",
    "Austria": "Autriche",
    "Poland": "Pologne",
    "Czechia": "Tchéquie",
}


def location_map(
    a: Assessment,
    site_id: str,
    lang: str,
    *,
    width_mm: float = 174,
    height_mm: float = 105,
    texts_out: list[str] | None = None,
) -> bytes:
    """Where the site is: communes (else countries), candidate sites, 400 kV substations
    with their names, exchanges (PNG). ``texts_out``, when given, receives every text
    drawn (for tests and callers that describe the map)."""
    data = map_data(a)
    fig = new_figure(width_mm, height_mm)
    rect = (0.005, 0.01, 0.7, 0.98)
    sites = data.sites
    many = len(sites) > ALL_SITES_UP_TO
    if many:
        # An inventory: the site among its neighbours, not one dot among thousands.
        c = sites.geometry.loc[site_id].centroid
        x0, y0, x1, y1 = (
            c.x - NEIGHBOURS_M,
            c.y - NEIGHBOURS_M,
            c.x + NEIGHBOURS_M,
            c.y + NEIGHBOURS_M,
        )
        pad = 0.0
    else:
        x0, y0, x1, y1 = sites.total_bounds
        pad = max(x1 - x0, y1 - y0) * 0.15 + 25_000
    extent = fit_extent((x0 - pad, y0 - pad, x1 + pad, y1 + pad), axes_aspect(fig, rect))
    communes = area_layers(data)
    ax = map_axes(fig, rect, extent, NO_DATA if communes else SEA)
    legend = Legend()
    labels = LabelPlacer(ax, extent, 6)
    countries = None if communes else country_outlines(data.crs, extent)
    attribution = ATTRIBUTION
    if communes:
        _draw_communes(ax, communes, extent, legend)
        attribution = _context_sources(a, lang)
    else:
        _draw_countries(ax, countries, _home_countries(countries, sites))
    if countries is not None:
        legend.patch(
            tr("Country (Natural Earth, generalised)", lang),
            facecolor=LAND,
            edgecolor="#8c8c8c",
            linewidth=0.6,
        )
    others = sites.drop(index=site_id)
    others = others[others.intersects(shapely.box(*extent))]
    if not others.empty:
        pts = others.geometry.centroid
        size, edge = (5, 0.2) if many else (12, 0.4)
        ax.scatter(
            pts.x, pts.y, s=size, color=OTHER_SITE, edgecolor="white", linewidth=edge, zorder=9
        )
        for x, y in zip(pts.x, pts.y, strict=True):
            labels.block(float(x), float(y), 1.5 if many else 3)
        legend.marker(
            tr("Other candidate site", lang),
            marker="o",
            markersize=4,
            markerfacecolor=OTHER_SITE,
            markeredgecolor="white",
        )
    # The site's name before any other label: none may hide it.
    c = sites.geometry.loc[site_id].centroid
    ax.scatter([c.x], [c.y], s=90, facecolor=SUBJECT, edgecolor="white", linewidth=1.2, zorder=12)
    labels.block(c.x, c.y, 5)
    labels.place(
        c.x,
        c.y,
        _short(display_name(sites.loc[site_id].get("name", site_id))),
        gap_pt=6,
        force=True,
        color=SUBJECT,
        fontweight="bold",
        fontsize=7,
        zorder=19,
    )
    legend.marker(
        tr("This site", lang),
        marker="o",
        markersize=7,
        markerfacecolor=SUBJECT,
        markeredgecolor="white",
    )
    _draw_substations(ax, data, site_id, extent, legend, lang, labels)
    draw_exchanges(ax, data, extent, legend, lang, labels)
    if communes:
        _label_communes(communes, data, site_id, extent, labels)
    _label_countries(countries, extent, lang, labels)
    scale_bar(ax, extent, lang)
    north_arrow(ax, extent, data.crs)
    credit = tr("CRS: {crs}", lang, crs=data.crs_label)
    corner_note(ax, f"{credit} · {attribution}" if attribution else credit)
    _overview(fig, (0.715, 0.42, 0.28, 0.56), data, extent, c)
    legend.draw(fig, (0.715, 0.0, 0.28, 0.4), ncol=1)
    if texts_out is not None:
        texts_out.extend(drawn_texts(fig))
    return to_png(fig)


def _short(text: str, limit: int = 42) -> str:
    """A long name cut after a word to fit a map label (the report's cover gives it whole)."""
    return shorten_chars(text, limit)


def area_layers(data: MapData) -> list[tuple[str, gpd.GeoDataFrame, str]]:
    """The context layers of named polygons (communes): label, features, name column."""
    out = []
    for label, gdf, col in data.context:
        if col is None or gdf.empty:
            continue
        kinds = set(shapely.get_type_id(gdf.geometry.values).tolist())
        if kinds and kinds <= {3, 6}:
            out.append((label, gdf, col))
    return out


def _draw_communes(
    ax: Any, communes: list[tuple[str, gpd.GeoDataFrame, str]], extent: Extent, legend: Legend
) -> None:
    """The commune outlines, filled as land (one legend entry for them all)."""
    # Several layers of communes (one per département) are one thing on the map.
    label = communes[0][0] if len(communes) == 1 else "Communes"
    for _, gdf, _ in communes:
        geoms = clip(gdf.geometry.values, extent)
        if geoms.size == 0:
            continue
        draw_polygons(ax, geoms, facecolor=LAND, edgecolor=COMMUNE, linewidth=0.25, zorder=1)
        legend.patch(label, facecolor=LAND, edgecolor=COMMUNE, linewidth=0.5)


def _context_sources(a: Assessment, lang: str) -> str:
    """The short source of the context layers ("IGN, Admin Express 2018"), for the credit."""
    sources = []
    for lyr in a.measurements.layers:
        text = (lyr.source_text(lang) or "").split("(")[0].strip(" ,;")
        if lyr.spec.role == "context" and text:
            sources.append(text)
    return ", ".join(dict.fromkeys(sources))


def _label_communes(
    communes: list[tuple[str, gpd.GeoDataFrame, str]],
    data: MapData,
    site_id: str,
    extent: Extent,
    labels: LabelPlacer,
) -> None:
    """A few commune names: the site's, the other candidates', then the largest."""
    box = shapely.box(*extent)
    frames = [(gdf[gdf.intersects(box)], col) for _, gdf, col in communes if not gdf.empty]
    centres = data.sites.geometry.centroid
    order = [site_id, *(s for s in data.sites.index if s != site_id)]
    chosen: list[tuple[Any, str, bool]] = []  # (polygon, name, is the site's)
    seen: set[str] = set()
    for sid in order:
        pt = centres.loc[sid]
        for frame, col in frames:
            hit = frame[frame.contains(pt)]
            if not hit.empty:
                name = str(hit[col].iloc[0])
                if name not in seen:
                    seen.add(name)
                    chosen.append((hit.geometry.iloc[0], name, sid == site_id))
                break
    for frame, col in frames:
        for k in np.argsort(-frame.geometry.area.to_numpy()):
            name = str(frame[col].iloc[k])
            if name not in seen:
                seen.add(name)
                chosen.append((frame.geometry.iloc[k], name, False))
    placed = 0
    for geom, name, own in chosen:
        part = geom.intersection(box)
        if part.is_empty:
            continue
        pt = part.representative_point()
        style: dict[str, Any] = {
            "fontsize": 6.5 if own else 5.5,
            "color": COMMUNE_TEXT,
            "fontstyle": "italic",
        }
        if own:
            style["fontweight"] = "bold"
        # Below the site's marker for its own commune, else centred in the commune.
        done = (
            labels.place(pt.x, pt.y, name, gap_pt=3, zorder=4, **style)
            if own
            else labels.place_centred(pt.x, pt.y, name, zorder=4, **style)
        )
        placed += bool(done)
        if placed >= COMMUNE_NAMES:
            break


def _draw_substations(
    ax: Any,
    data: MapData,
    site_id: str,
    extent: Extent,
    legend: Legend,
    lang: str,
    labels: LabelPlacer,
) -> None:
    """The 400 kV substations in service, named with their voltage (supply options first)."""
    subs = eligible_substations(data, 400.0)
    if subs is None:
        return
    inside = subs[subs.intersects(shapely.box(*extent))]
    if inside.empty:
        return
    xs, ys = shapely.get_x(inside.geometry.values), shapely.get_y(inside.geometry.values)
    ax.scatter(
        xs, ys, s=16, marker="^", facecolor=KV400, edgecolor="white", linewidth=0.4, zorder=8
    )
    legend.marker(
        tr("Substation 400 kV", lang),
        marker="^",
        markersize=5,
        markerfacecolor=KV400,
        markeredgecolor="white",
    )
    for x, y in zip(xs, ys, strict=True):
        labels.block(float(x), float(y), 3)
    names = inside["name"].astype(str).to_numpy()
    kvs = inside["kv"].to_numpy(dtype=float)
    # The site's supply options first (as the power criterion listed them), then the rest
    # in the order of the file.
    first = [str(o.name) for o in data.supply(site_id) if o.kv >= 400]
    rank = {name: k for k, name in enumerate(dict.fromkeys(first))}
    order = sorted(range(len(names)), key=lambda k: rank.get(names[k], len(rank) + k))
    placed = 0
    for n, k in enumerate(order):
        text = f"{display_name(names[k])} {number(kvs[k], lang, 0, 'kV')}"
        # The site's first supply option is always named.
        force = n == 0 and names[k] in rank
        style: dict[str, Any] = {"gap_pt": 4, "fontsize": 5.5, "color": KV400, "zorder": 14}
        if labels.place(float(xs[k]), float(ys[k]), text, force=force, **style):
            placed += 1
        if placed >= SUBSTATION_NAMES:
            break


def _home_countries(countries: gpd.GeoDataFrame | None, sites: gpd.GeoDataFrame) -> set[str]:
    if countries is None:
        return set()
    pts = sites.geometry.centroid.values
    return {
        str(name)
        for name, g in zip(countries["name"], countries.geometry, strict=True)
        if shapely.intersects(g, pts).any()
    }


def _draw_countries(ax: Any, countries: gpd.GeoDataFrame | None, home: set[str]) -> None:
    if countries is None:
        return
    for name, geom in zip(countries["name"], countries.geometry, strict=True):
        face = LAND if str(name) in home else ABROAD
        draw_polygons(ax, [geom], facecolor=face, edgecolor="#8c8c8c", linewidth=0.6, zorder=1)


def _label_countries(
    countries: gpd.GeoDataFrame | None, extent: Extent, lang: str, labels: LabelPlacer
) -> None:
    """Country names where they fit (after the site and exchange labels)."""
    if countries is None:
        return
    box = shapely.box(*extent)
    for name, geom in zip(countries["name"], countries.geometry, strict=True):
        part = geom.intersection(box)
        if part.is_empty or part.area < box.area * 0.03:
            continue
        text = COUNTRIES_FR.get(str(name), str(name)) if lang == "fr" else str(name)
        pts = [part.representative_point(), part.centroid]
        for pt in pts:
            if labels.place_centred(
                pt.x, pt.y, text.upper(), fontsize=6.5, color="#8a8a8a", zorder=2
            ):
                break


def _overview(
    fig: Any, rect: tuple[float, float, float, float], data: MapData, frame: Extent, site: Any
) -> None:
    """A small map of the home country (or a wide area) with the location map's frame."""
    from matplotlib.patches import Rectangle

    wide_pad = 700_000.0
    wide = (site.x - wide_pad, site.y - wide_pad, site.x + wide_pad, site.y + wide_pad)
    countries = country_outlines(data.crs, wide, margin=0.05)
    ext = wide
    if countries is not None:
        home = countries[countries.intersects(site)]
        parts = [
            p
            for g in home.geometry
            for p in getattr(g, "geoms", [g])
            if p.intersects(site.buffer(50_000))
        ]
        if parts:
            b = shapely.union_all(parts).bounds
            pad = max(b[2] - b[0], b[3] - b[1]) * 0.06
            ext = (b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad)
    ext = fit_extent(ext, axes_aspect(fig, rect))
    ax = map_axes(fig, rect, ext, SEA)
    _draw_countries(ax, countries, _home_countries(countries, data.sites))
    x0, y0, x1, y1 = frame
    ax.add_patch(
        Rectangle(
            (x0, y0), x1 - x0, y1 - y0, facecolor="none", edgecolor=SUBJECT, linewidth=1.0, zorder=5
        )
    )
