"""Static maps for the PDF reports, drawn offline from the project's layers (PNG bytes).

- :func:`siteassess.reports.locationmap.location_map` (its own module): where the site is.
- :func:`site_map`: the site and what was measured around it (substations with voltage,
  power lines, flood zones, fibre, communes), with the shortest distances drawn.
- :func:`inset_maps`: the compared sites side by side at one scale, with one legend.

Every map has a scale bar, a north arrow (true north), a legend and its CRS. An approximate
outline is dashed and labelled as approximate; layers whose source says ILLUSTRATIVE are
labelled so in the legend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shapely

from siteassess.assessment import Assessment
from siteassess.reports.i18n_reports import colon, display_name, distance_text, number, tr
from siteassess.reports.mapkit import (
    Extent,
    LabelPlacer,
    axes_aspect,
    corner_note,
    draw_lines,
    drawn_texts,
    fit_extent,
    map_axes,
    new_figure,
    north_arrow,
    scale_bar,
    to_png,
)
from siteassess.reports.maplayers import (
    SUBJECT,
    Legend,
    MapData,
    draw_context,
    draw_exchanges,
    draw_flood,
    draw_layer_lines,
    draw_sites,
    draw_substations,
    draw_zoning,
    label_context,
    map_data,
    scored_substation,
)
from siteassess.reports.names import id_tail, shorten_chars
from siteassess.reports.supply import LIST_400KV, LIST_MIN_KV

# ------------------------------------------------------------------------------ drawing


def _draw_distance(
    ax: Any,
    site: Any,
    target: tuple[Any, str, float, float] | None,
    extent: Extent,
    lang: str,
    labels: LabelPlacer | None,
    fractions: tuple[float, ...] = (0.5, 0.35, 0.65, 0.2, 0.8),
) -> bool:
    """A dashed line from the outline to a substation, labelled with the distance the
    power criterion measured (``target``: point, name, kV, distance in m).

    ``fractions`` are where along the line (from the site) the label may go, in order.
    """
    if target is None or site.distance(target[0]) <= 0:
        return False
    line = shapely.shortest_line(site, target[0])
    box = shapely.box(*extent)
    visible = line.intersection(box)
    if visible.is_empty:
        return False
    draw_lines(ax, [line], colors="#222222", linewidths=1.1, linestyles=(0, (2, 1.5)), zorder=8)
    dist = distance_text(target[3], lang)
    if target[0].within(box):
        text = dist  # the substation carries its own name label
    else:
        kv = number(target[2], lang, 0, "kV")
        text = f"{display_name(target[1])} {kv}{colon(lang)}{dist}"
    if labels is not None:
        for frac in fractions:
            at = visible.interpolate(frac, normalized=True)
            boxed = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#222222", "lw": 0.4}
            if labels.place(
                at.x,
                at.y,
                text,
                gap_pt=6,
                color="#222222",
                fontweight="bold",
                bbox=boxed,
                zorder=18,
            ):
                break
    return True


def _site_scene(
    fig: Any,
    rect: tuple[float, float, float, float],
    data: MapData,
    site_id: str,
    extent: Extent,
    legend: Legend,
    lang: str,
    *,
    colour: str = SUBJECT,
    fontsize: float = 5.5,
    detail: bool = True,
) -> Any:
    ax = map_axes(fig, rect, extent, "white")
    labels = LabelPlacer(ax, extent, fontsize)
    site = data.sites.geometry.loc[site_id]
    labels.block_box(site.bounds)
    if data.substations is not None:  # their symbols stay clear of every label
        for pt in data.substations.geometry.values[
            data.substations.intersects(shapely.box(*extent))
        ]:
            labels.block(pt.x, pt.y)
    draw_context(ax, data, extent, legend, None)
    draw_zoning(ax, data, extent, legend, lang)
    draw_flood(ax, data, extent, legend, lang)
    draw_layer_lines(ax, data, extent, legend, lang)
    draw_sites(
        ax, data, extent, legend, lang, site_id, colour, labels if detail else None, not detail
    )
    near = scored_substation(data, site_id, LIST_MIN_KV)
    near400 = scored_substation(data, site_id, LIST_400KV)
    if near400 is not None and near is not None and near400[1] == near[1]:
        near400 = None
    # The second line's label goes near its substation, so two labels never read as one.
    for found, where in ((near, (0.5, 0.35, 0.65, 0.2)), (near400, (0.75, 0.85, 0.62, 0.9))):
        if _draw_distance(ax, site, found, extent, lang, labels, where):
            legend.line(
                tr("Shortest distance to a substation", lang),
                color="#222222",
                linewidth=1.1,
                linestyle=(0, (2, 1.5)),
            )
    scored = [t[1] for t in (near, near400) if t is not None]
    draw_substations(
        ax, data, extent, legend, lang, labels, site, label_all=detail, must_names=scored
    )
    draw_exchanges(ax, data, extent, legend, lang, labels)
    if detail:  # the commune names last: they give way to everything else
        label_context(data, extent, labels)
    scale_bar(ax, extent, lang, fontsize=fontsize)
    north_arrow(ax, extent, data.crs, size=16 if detail else 11)
    return ax


def site_extent(
    data: MapData, site_id: str, *, reach_m: float = 8000.0, min_half_m: float = 2500.0
) -> Extent:
    """Around the site, wide enough to show its scored supply options (up to a reach).

    The options are those the power criterion listed: the nearest in service that counts
    within ``reach_m``, the nearest 400 kV within three quarters of it, and the others the
    app frames with them when they lie within that reach too.
    """
    site = data.sites.geometry.loc[site_id]
    c = site.centroid
    x0, y0, x1, y1 = site.bounds
    half = max(x1 - x0, y1 - y0) * 0.9 + 800.0
    for list_name, reach in ((LIST_MIN_KV, reach_m), (LIST_400KV, reach_m * 0.75)):
        near = scored_substation(data, site_id, list_name)
        if near is not None and near[3] <= reach:
            half = max(half, c.distance(near[0]) + 900.0)
    for o in data.supply(site_id):
        if o.frame and o.distance_m <= reach_m * 0.75:
            half = max(half, c.distance(shapely.Point(o.x, o.y)) + 900.0)
    half = max(half, min_half_m)
    return (c.x - half, c.y - half, c.x + half, c.y + half)


def site_map(
    a: Assessment,
    site_id: str,
    lang: str,
    *,
    width_mm: float = 174,
    map_mm: float = 125,
    legend_out: list[str] | None = None,
    texts_out: list[str] | None = None,
) -> bytes:
    """The site map: outline, substations with voltage, lines, flood, fibre, communes (PNG).

    ``legend_out``, when given, receives the legend's labels, and ``texts_out`` every text
    drawn (for tests and callers that describe the map in text).
    """
    data = map_data(a)
    fig = new_figure(width_mm, map_mm)
    rect = (0.004, 0.004, 0.992, 0.992)
    extent = fit_extent(site_extent(data, site_id), axes_aspect(fig, rect))
    legend = Legend()
    ax = _site_scene(fig, rect, data, site_id, extent, legend, lang)
    corner_note(ax, tr("CRS: {crs}", lang, crs=data.crs_label))
    legend_mm = legend.height_mm(ncol=3)
    total = map_mm + legend_mm
    fig.set_size_inches(width_mm / 25.4, total / 25.4)
    ax.set_position((0.004, (legend_mm + 0.5) / total, 0.992, (map_mm - 1) / total))
    legend.draw(fig, (0.004, 0.0, 0.992, legend_mm / total), ncol=3)
    if legend_out is not None:
        legend_out.extend(legend.entries)
    if texts_out is not None:
        texts_out.extend(drawn_texts(fig))
    return to_png(fig)


def inset_maps(
    a: Assessment,
    site_ids: Sequence[str],
    colours: Sequence[str],
    lang: str,
    *,
    width_mm: float = 174,
    legend_out: list[str] | None = None,
) -> bytes:
    """The compared sites at one scale, side by side, with one shared legend (PNG)."""
    data = map_data(a)
    n = len(site_ids)
    cols = 3 if n in (3, 5, 6) else 2
    rows = -(-n // cols)
    legend_cell = n < rows * cols  # the legend takes the free cell, else a row below
    cell_mm = width_mm / cols
    title_mm = 5.5
    legend_mm = 0 if legend_cell else 24
    height_mm = rows * (cell_mm + title_mm) + legend_mm
    fig = new_figure(width_mm, height_mm)
    half = max(max(_half(data, sid) for sid in site_ids), 1500.0)
    legend = Legend()
    for k, sid in enumerate(site_ids):
        r, c = divmod(k, cols)
        x = c / cols + 0.006
        y = 1 - (r + 1) * (cell_mm + title_mm) / height_mm
        rect = (x, y + 0.004, 1 / cols - 0.012, cell_mm / height_mm - 0.008)
        cx, cy = data.sites.geometry.loc[sid].centroid.coords[0]
        extent = fit_extent((cx - half, cy - half, cx + half, cy + half), axes_aspect(fig, rect))
        ax = _site_scene(
            fig,
            rect,
            data,
            sid,
            extent,
            legend,
            lang,
            colour=colours[k],
            fontsize=4.8,
            detail=False,
        )
        name = display_name(data.sites.loc[sid].get("name", sid))
        if shorten_chars(name, 28) != name:  # a long name would run over the next map
            name = shorten_chars(name, 24) + id_tail(sid)
        ax.set_title(
            f"{k + 1}. {name}",
            fontsize=6.5,
            color=colours[k],
            fontweight="bold",
            loc="left",
            pad=2.5,
        )
    note = tr("CRS: {crs}", lang, crs=data.crs_label) + "\n" + tr("same scale on every map", lang)
    if legend_cell:
        r, c = divmod(n, cols)
        x = c / cols + 0.02
        y = 1 - (r + 1) * (cell_mm + title_mm) / height_mm
        legend.draw(
            fig, (x, y + 0.06, 1 / cols - 0.03, cell_mm / height_mm - 0.06), ncol=1, size=5.5
        )
        fig.text(x + 0.005, y + 0.01, note, ha="left", va="bottom", fontsize=5, color="#333333")
    else:
        legend.draw(fig, (0.005, 0.02, 0.99, (legend_mm - 2) / height_mm), ncol=3, size=5.5)
        fig.text(0.995, 0.002, note.replace("\n", " · "), ha="right", va="bottom", fontsize=5)
    if legend_out is not None:
        legend_out.extend(legend.entries)
    return to_png(fig)


def _half(data: MapData, site_id: str) -> float:
    x0, _, x1, _ = site_extent(data, site_id, reach_m=3000.0, min_half_m=1200.0)
    return (x1 - x0) / 2
