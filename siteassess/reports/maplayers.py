"""What the static maps draw, role by role: the opened layers and their legend entries.

Each ``draw_*`` function draws one role of the project's layers clipped to a map's extent
and adds its legend entries; layers whose source says ILLUSTRATIVE are labelled so.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from siteassess.assessment import Assessment
from siteassess.layers.model import Layer
from siteassess.reports.i18n_reports import display_name, number, tr
from siteassess.reports.mapkit import Extent, LabelPlacer, clip, draw_lines, draw_polygons
from siteassess.reports.mapstyle import COMMUNE, COMMUNE_TEXT, KV225, KV400, KV_LOW, ZONE_FILL
from siteassess.reports.supply import SupplyPoint, supply_points
from siteassess.roles import role

SUBJECT = role("sites").colour
OTHER_SITE = "#4d4d4d"
FLOOD = {"extreme": "#c6dbef", "medium": "#6baed6", "frequent": "#2171b5"}
FIBRE = role("fibre").colour
EXCHANGE = role("exchanges").colour


NAME_COLUMNS = ("nom", "name", "NOM", "nom_com", "libelle", "LIBELLE", "NOM_COM")


@dataclass(frozen=True)
class MapData:
    """The opened layers a map draws, by role, in the working CRS."""

    crs: CRS
    crs_label: str
    sites: gpd.GeoDataFrame
    substations: gpd.GeoDataFrame | None
    lines: gpd.GeoDataFrame | None
    flood: gpd.GeoDataFrame | None
    fibre: gpd.GeoDataFrame | None
    exchanges: gpd.GeoDataFrame | None
    context: tuple[tuple[str, gpd.GeoDataFrame, str | None], ...]  # label, features, name col
    illustrative: frozenset[str]  # roles with a layer whose source says ILLUSTRATIVE
    raster_flood: bool
    min_kv: float
    # The supply options of a site, as the power criterion listed them (never re-measured).
    supply: Callable[[str], tuple[SupplyPoint, ...]] = lambda site_id: ()
    zoning: gpd.GeoDataFrame | None = None  # PLU zones (zone_type, zone_label)


def _frame(layers: Sequence[Layer], crs: CRS) -> gpd.GeoDataFrame | None:
    frames = [lyr.data for lyr in layers if lyr.data is not None and not lyr.data.empty]
    if not frames:
        return None
    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)


def map_data(a: Assessment) -> MapData:
    """Collect what the maps draw from an assessment's opened layers."""
    m = a.measurements
    by_role: dict[str, list[Layer]] = {}
    for lyr in m.layers:
        by_role.setdefault(lyr.spec.role, []).append(lyr)
    context = []
    for lyr in by_role.get("context", []):
        if lyr.data is None or lyr.data.empty:
            continue
        col = lyr.spec.name_field or next((c for c in NAME_COLUMNS if c in lyr.data.columns), None)
        context.append((lyr.spec.name or lyr.label, lyr.data, col))
    illustrative = frozenset(lyr.spec.role for lyr in m.layers if lyr.is_illustrative)
    return MapData(
        crs=m.working_crs,
        crs_label=m.working_crs_label,
        sites=m.sites,
        substations=_frame(by_role.get("substations", []), m.working_crs),
        lines=_frame(by_role.get("power_lines", []), m.working_crs),
        flood=_frame([lyr for lyr in by_role.get("flood", []) if not lyr.is_raster], m.working_crs),
        fibre=_frame(by_role.get("fibre", []), m.working_crs),
        exchanges=_frame(by_role.get("exchanges", []), m.working_crs),
        context=tuple(context),
        illustrative=illustrative,
        raster_flood=any(lyr.is_raster for lyr in by_role.get("flood", [])),
        min_kv=float(m.params.get("power", {}).get("min_kv") or 225.0),
        supply=functools.lru_cache(maxsize=None)(functools.partial(supply_points, a)),
        zoning=_frame(by_role.get("zoning", []), m.working_crs),
    )


class Legend:
    """Legend entries in drawing order, each label once."""

    def __init__(self) -> None:
        self.entries: dict[str, Any] = {}

    def add(self, label: str, handle: Any) -> None:
        self.entries.setdefault(label, handle)

    def patch(self, label: str, **style: Any) -> None:
        from matplotlib.patches import Patch

        self.add(label, Patch(**style))

    def line(self, label: str, **style: Any) -> None:
        from matplotlib.lines import Line2D

        self.add(label, Line2D([], [], **style))

    def marker(self, label: str, **style: Any) -> None:
        from matplotlib.lines import Line2D

        self.add(label, Line2D([], [], linestyle="none", **style))

    def height_mm(self, ncol: int, size: float = 6) -> float:
        """The height the legend needs below a map, in millimetres."""
        rows = -(-len(self.entries) // ncol)
        return rows * size * 0.62 + 3.0

    def draw(
        self, fig: Any, rect: tuple[float, float, float, float], ncol: int, size: float = 6
    ) -> None:
        """The legend in its own axes at ``rect`` (figure fraction)."""
        ax = fig.add_axes(rect)
        ax.axis("off")
        if self.entries:
            ax.legend(
                list(self.entries.values()),
                list(self.entries.keys()),
                loc="upper left",
                ncol=ncol,
                fontsize=size,
                frameon=False,
                handlelength=2.2,
                columnspacing=1.4,
                borderaxespad=0.2,
            )


def _suffix(data: MapData, role: str, lang: str) -> str:
    return " " + tr("(ILLUSTRATIVE)", lang) if role in data.illustrative else ""


def _kv_style(kv: float) -> tuple[str, float, str, float]:
    """Colour, line width, marker and marker size for a voltage."""
    if kv >= 400:
        return KV400, 1.5, "^", 6.5
    if kv >= 225:
        return KV225, 1.1, "^", 5.5
    return KV_LOW, 0.7, "s", 3.5


def eligible_substations(data: MapData, min_kv: float) -> gpd.GeoDataFrame | None:
    subs = data.substations
    if subs is None:
        return None
    ok = (subs["kv"].to_numpy(dtype=float) >= min_kv) & (subs["state"] == "in_service").to_numpy()
    return subs[ok]


def scored_substation(
    data: MapData, site_id: str, list_name: str
) -> tuple[Any, str, float, float] | None:
    """The first supply option of one of the power criterion's lists (``LIST_MIN_KV``: the
    nearest in service that counts; ``LIST_400KV``): (point, name, kV, distance in m), as
    the criterion measured it."""
    option = next((o for o in data.supply(site_id) if list_name in o.lists), None)
    if option is None:
        return None
    return shapely.Point(option.x, option.y), option.name, option.kv, option.distance_m


def label_context(data: MapData, extent: Extent, labels: LabelPlacer) -> None:
    """The names of the context polygons (communes), largest first, where they fit."""
    for _, gdf, col in data.context:
        if col is None:
            continue
        inside = gdf[gdf.intersects(shapely.box(*extent))]
        areas = inside.geometry.area.to_numpy()
        for k in np.argsort(-areas)[:40]:
            pt = inside.geometry.iloc[k].intersection(shapely.box(*extent)).representative_point()
            if not pt.is_empty:
                labels.place(
                    pt.x,
                    pt.y,
                    str(inside[col].iloc[k]),
                    color=COMMUNE_TEXT,
                    fontstyle="italic",
                    zorder=3,
                )


def draw_context(
    ax: Any, data: MapData, extent: Extent, legend: Legend, labels: LabelPlacer | None
) -> None:
    """The context layers' outlines (and their names when ``labels`` is given)."""
    for label, gdf, _ in data.context:
        geoms = clip(gdf.geometry.values, extent)
        if geoms.size == 0:
            continue
        draw_polygons(ax, geoms, facecolor="none", edgecolor=COMMUNE, linewidth=0.45, zorder=2)
        draw_lines(
            ax,
            [g for g in geoms if g.geom_type not in ("Polygon", "MultiPolygon")],
            colors=COMMUNE,
            linewidths=0.45,
            zorder=2,
        )
        legend.line(label, color=COMMUNE, linewidth=0.8)
    if labels is not None:
        label_context(data, extent, labels)


def draw_flood(ax: Any, data: MapData, extent: Extent, legend: Legend, lang: str) -> None:
    if data.raster_flood:
        legend.patch(
            tr("Flood depth raster (measured, not drawn)", lang),
            facecolor="white",
            edgecolor=FLOOD["medium"],
            hatch="////",
        )
    if data.flood is None:
        return
    names = {
        "frequent": tr("Flood zone, frequent scenario", lang),
        "medium": tr("Flood zone, medium scenario", lang),
        "extreme": tr("Flood zone, extreme scenario", lang),
    }
    for scen in ("extreme", "medium", "frequent"):
        part = data.flood[data.flood["scenario"] == scen]
        geoms = clip(part.geometry.values, extent)
        if geoms.size == 0:
            continue
        draw_polygons(ax, geoms, facecolor=FLOOD[scen], edgecolor="none", alpha=0.65, zorder=3)
        legend.patch(names[scen] + _suffix(data, "flood", lang), facecolor=FLOOD[scen], alpha=0.65)


def draw_zoning(ax: Any, data: MapData, extent: Extent, legend: Legend, lang: str) -> None:
    """The PLU zones, filled by zone type (one legend entry per type drawn)."""
    from siteassess.criteria.zoning import TYPE_NAMES

    if data.zoning is None:
        return
    for ztype, fill in ZONE_FILL.items():
        part = data.zoning[data.zoning["zone_type"] == ztype]
        geoms = clip(part.geometry.values, extent)
        if geoms.size == 0:
            continue
        draw_polygons(ax, geoms, facecolor=fill, edgecolor=fill, alpha=0.3, zorder=2.5)
        name = tr(TYPE_NAMES[ztype], lang)
        legend.patch(
            name[:1].upper() + name[1:] + _suffix(data, "zoning", lang), facecolor=fill, alpha=0.3
        )


def draw_layer_lines(ax: Any, data: MapData, extent: Extent, legend: Legend, lang: str) -> None:
    if data.lines is not None:
        kv = data.lines["kv"].to_numpy(dtype=float)
        for lo, hi, text in (
            (0, 225, "Power line below 225 kV"),
            (225, 400, "Power line 225 kV"),
            (400, 1e9, "Power line 400 kV"),
        ):
            sel = (kv >= lo) & (kv < hi)
            geoms = clip(data.lines.geometry.values[sel], extent)
            if geoms.size == 0:
                continue
            colour, lw, _, _ = _kv_style(lo)
            draw_lines(ax, geoms, colors=colour, linewidths=lw, zorder=4)
            legend.line(tr(text, lang), color=colour, linewidth=lw)
    if data.fibre is not None:
        geoms = clip(data.fibre.geometry.values, extent)
        if geoms.size:
            draw_lines(ax, geoms, colors=FIBRE, linewidths=1.0, linestyles=(0, (4, 1.5)), zorder=5)
            legend.line(
                tr("Fibre route", lang) + _suffix(data, "fibre", lang),
                color=FIBRE,
                linewidth=1.0,
                linestyle=(0, (4, 1.5)),
            )


def draw_sites(
    ax: Any,
    data: MapData,
    extent: Extent,
    legend: Legend,
    lang: str,
    subject: str | None,
    colour: str,
    labels: LabelPlacer | None,
    shared_legend: bool = False,
) -> None:
    sites = data.sites
    box = shapely.box(*extent)
    for sid, row in sites.iterrows():
        geom = row.geometry
        if not geom.intersects(box):
            continue
        approx = bool(row.get("approximate", False))
        style = (0, (3, 1.5)) if approx else "solid"
        if str(sid) == subject:
            draw_polygons(ax, [geom], facecolor=colour, alpha=0.18, edgecolor="none", zorder=6)
            draw_polygons(
                ax,
                [geom],
                facecolor="none",
                edgecolor=colour,
                linewidth=1.8,
                linestyle=style,
                zorder=7,
            )
            text = tr("Site outline (approximate)", lang) if approx else tr("Site outline", lang)
            shown = colour if shared_legend is False else "#555555"
            legend.patch(
                text, facecolor=shown + "2e", edgecolor=shown, linewidth=1.4, linestyle=style
            )
        else:
            draw_polygons(
                ax,
                [geom],
                facecolor="none",
                edgecolor=OTHER_SITE,
                linewidth=0.8,
                linestyle=style,
                zorder=6,
            )
            legend.patch(
                tr("Other candidate site", lang),
                facecolor="none",
                edgecolor=OTHER_SITE,
                linewidth=0.8,
                linestyle=style,
            )
            if labels is not None:
                c = geom.centroid
                labels.place(
                    c.x, c.y, display_name(row.get("name", sid)), color=OTHER_SITE, zorder=16
                )


def draw_substations(
    ax: Any,
    data: MapData,
    extent: Extent,
    legend: Legend,
    lang: str,
    labels: LabelPlacer | None,
    anchor: Any,
    label_all: bool,
    must_names: Sequence[str] = (),
) -> None:
    subs = data.substations
    if subs is None:
        return
    inside = subs[subs.intersects(shapely.box(*extent))]
    if inside.empty:
        return
    kv = inside["kv"].to_numpy(dtype=float)
    built = (inside["state"] == "in_service").to_numpy()
    for lo, hi, text in (
        (0, 225, "Substation below 225 kV"),
        (225, 400, "Substation 225 kV"),
        (400, 1e9, "Substation 400 kV"),
    ):
        colour, _, marker, size = _kv_style(lo)
        for in_service in (True, False):
            sel = (kv >= lo) & (kv < hi) & (built == in_service)
            if not sel.any():
                continue
            pts = inside.geometry.values[sel]
            ax.scatter(
                shapely.get_x(pts),
                shapely.get_y(pts),
                s=size**2,
                marker=marker,
                facecolor=colour if in_service else "white",
                edgecolor="#222222" if in_service else colour,
                linewidth=0.5 if in_service else 1.0,
                zorder=9,
            )
            label = (
                tr(text, lang)
                if in_service
                else tr(text, lang) + " " + tr("(authorised, not built)", lang)
            )
            legend.marker(
                label,
                marker=marker,
                markersize=size,
                markerfacecolor=colour if in_service else "white",
                markeredgecolor="#222222" if in_service else colour,
            )
    if labels is None:
        return
    for x, y in zip(
        shapely.get_x(inside.geometry.values), shapely.get_y(inside.geometry.values), strict=True
    ):
        labels.block(float(x), float(y))
    # Label the substations nearest the site first, those that count first of all. The
    # scored ones (``must_names``: the nearest in service that counts and the nearest
    # 400 kV, as the criterion found them) are always named (the report's sentences name
    # them), even inside the outline or in a cluster.
    d = shapely.distance(inside.geometry.values, anchor)  # to order the labels, not a measure
    order = list(np.lexsort((d, kv < data.min_kv)))
    names = inside["name"].astype(str).to_numpy()
    must = [
        next((int(k) for k in order if names[k] == name and built[k]), -1) for name in must_names
    ]
    must = list(dict.fromkeys(k for k in must if k >= 0))
    placed = 0
    for k in must + [k for k in order if k not in must]:
        if not label_all and kv[k] < data.min_kv:
            continue
        pt = inside.geometry.values[k]
        text = f"{display_name(inside['name'].iloc[k])}\n{number(kv[k], lang, 0, 'kV')}"
        if labels.place(pt.x, pt.y, text, force=k in must, color="#222222", zorder=17):
            placed += 1
        if placed >= 10:
            break


def draw_exchanges(
    ax: Any, data: MapData, extent: Extent, legend: Legend, lang: str, labels: LabelPlacer | None
) -> None:
    ex = data.exchanges
    if ex is None:
        return
    inside = ex[ex.intersects(shapely.box(*extent))]
    if inside.empty:
        return
    xs, ys = shapely.get_x(inside.geometry.values), shapely.get_y(inside.geometry.values)
    ax.scatter(
        xs, ys, s=22, marker="D", facecolor=EXCHANGE, edgecolor="white", linewidth=0.6, zorder=10
    )
    legend.marker(
        tr("Internet exchange", lang),
        marker="D",
        markersize=4.5,
        markerfacecolor=EXCHANGE,
        markeredgecolor="white",
    )
    if labels is not None:
        for x, y, name in zip(xs, ys, inside["name"], strict=True):
            labels.place(float(x), float(y), display_name(name), color=EXCHANGE)
