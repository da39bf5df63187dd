"""The location map of a site report: where the site lies among the candidates (PNG).

Country borders come from Natural Earth (read offline by :mod:`siteassess.layers.basemap`);
an overview inset shows the home country with the map's frame.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely

from siteassess.assessment import Assessment
from siteassess.layers.basemap import ATTRIBUTION, country_outlines
from siteassess.reports.i18n_reports import display_name, tr
from siteassess.reports.mapkit import (
    Extent,
    LabelPlacer,
    axes_aspect,
    corner_note,
    draw_polygons,
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
from siteassess.reports.mapstyle import KV400

SEA, LAND, ABROAD = "#dcebf5", "#f6f3ec", "#e7e7e7"
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
    a: Assessment, site_id: str, lang: str, *, width_mm: float = 174, height_mm: float = 105
) -> bytes:
    """Where the site is: countries, candidate sites, 400 kV substations, exchanges (PNG)."""
    data = map_data(a)
    fig = new_figure(width_mm, height_mm)
    rect = (0.005, 0.01, 0.7, 0.98)
    sites = data.sites
    x0, y0, x1, y1 = sites.total_bounds
    pad = max(x1 - x0, y1 - y0) * 0.15 + 25_000
    extent = fit_extent((x0 - pad, y0 - pad, x1 + pad, y1 + pad), axes_aspect(fig, rect))
    ax = map_axes(fig, rect, extent, SEA)
    legend = Legend()
    labels = LabelPlacer(ax, extent, 6)
    countries = country_outlines(data.crs, extent)
    _draw_countries(ax, countries, _home_countries(countries, sites))
    if countries is not None:
        legend.patch(
            tr("Country (Natural Earth, generalised)", lang),
            facecolor=LAND,
            edgecolor="#8c8c8c",
            linewidth=0.6,
        )
    others = sites.drop(index=site_id)
    if not others.empty:
        pts = others.geometry.centroid
        ax.scatter(pts.x, pts.y, s=12, color=OTHER_SITE, edgecolor="white", linewidth=0.4, zorder=9)
        for x, y in zip(pts.x, pts.y, strict=True):
            labels.block(float(x), float(y), 3)
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
        display_name(sites.loc[site_id].get("name", site_id)),
        gap_pt=6,
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
    subs = eligible_substations(data, 400.0)
    if subs is not None:
        inside = subs[subs.intersects(shapely.box(*extent))]
        if not inside.empty:
            ax.scatter(
                shapely.get_x(inside.geometry.values),
                shapely.get_y(inside.geometry.values),
                s=16,
                marker="^",
                facecolor=KV400,
                edgecolor="white",
                linewidth=0.4,
                zorder=8,
            )
            legend.marker(
                tr("Substation 400 kV", lang),
                marker="^",
                markersize=5,
                markerfacecolor=KV400,
                markeredgecolor="white",
            )
    draw_exchanges(ax, data, extent, legend, lang, labels)
    _label_countries(countries, extent, lang, labels)
    scale_bar(ax, extent, lang)
    north_arrow(ax, extent, data.crs)
    corner_note(ax, tr("CRS: {crs}", lang, crs=data.crs_label) + " · " + ATTRIBUTION)
    _overview(fig, (0.715, 0.42, 0.28, 0.56), data, extent, c)
    legend.draw(fig, (0.715, 0.0, 0.28, 0.4), ncol=1)
    return to_png(fig)


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
