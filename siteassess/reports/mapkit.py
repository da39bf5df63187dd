"""Drawing primitives for the static maps: shapes, scale bar, north arrow, figure to PNG.

matplotlib only, through its object API with the Agg canvas (never pyplot, never Qt), so
a report draws maps in a process without a display.
"""

from __future__ import annotations

import io
import logging
import math
import warnings
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer

from siteassess.reports.i18n_reports import number
from siteassess.safetext import has_hidden, printable_lines

log = logging.getLogger(__name__)

Extent = tuple[float, float, float, float]  # xmin, ymin, xmax, ymax (working CRS, metres)
DPI = 200


def new_figure(width_mm: float, height_mm: float) -> Any:
    """A matplotlib figure on its own Agg canvas (no pyplot, no display).

    The canvas is attached to the figure directly, so the global backend (Qt in the app)
    is neither used nor changed.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    return fig


def to_png(fig: Any, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes.

    Every text is drawn as written: names from the data (``$`` in a site or commune name)
    are never read as mathtext, and control characters (ESC, carriage return, U+202E) are
    drawn as their escapes (``\\x1b``); the line breaks of a label stay breaks. A glyph
    the font lacks (a name in another script) is logged, not warned on stderr.
    """
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
        shown = text.get_text()
        if has_hidden(shown):
            # Line breaks are ours (« Brodel\n225 kV »): each line is made printable.
            text.set_text(printable_lines(shown))
    buf = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Light compression: the PDF compresses the pixels again anyway.
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white", pil_kwargs={"compress_level": 1})
    for w in caught:
        if issubclass(w.category, UserWarning) and "missing from font" in str(w.message):
            log.info("map text drawn with a missing glyph: %s", w.message)
        else:  # not ours to judge: passed on as it came
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return buf.getvalue()


def drawn_texts(fig: Any) -> list[str]:
    """Every non-empty text of a figure (labels, legend, notes), in drawing order."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def fit_extent(extent: Extent, aspect: float) -> Extent:
    """Widen ``extent`` in x or y so that width / height equals ``aspect``."""
    x0, y0, x1, y1 = extent
    w, h = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def map_axes(fig: Any, rect: tuple[float, float, float, float], extent: Extent, bg: str) -> Any:
    """Axes for a map at ``rect`` (figure fraction) showing ``extent`` at equal scale."""
    ax = fig.add_axes(rect)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(bg)
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color("#6b7785")
    return ax


def axes_aspect(fig: Any, rect: tuple[float, float, float, float]) -> float:
    """Width / height of an axes rectangle in inches."""
    w, h = fig.get_size_inches()
    return float((rect[2] * w) / (rect[3] * h))


def clip(geoms: Any, extent: Extent, pad: float = 0.05) -> np.ndarray:
    """Geometries cut to the extent (plus a margin), empty ones dropped."""
    x0, y0, x1, y1 = extent
    dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0:
        return arr
    cut = shapely.clip_by_rect(arr, x0 - dx, y0 - dy, x1 + dx, y1 + dy)
    return np.asarray(cut[~shapely.is_empty(cut) & ~shapely.is_missing(cut)], dtype=object)


def _polygon_parts(geoms: Iterable[Any]) -> list[Any]:
    parts = []
    for g in geoms:
        if g is None:
            continue
        if g.geom_type == "Polygon":
            parts.append(g)
        elif g.geom_type in ("MultiPolygon", "GeometryCollection"):
            parts.extend(p for p in g.geoms if p.geom_type == "Polygon")
    return parts


def polygon_path(geoms: Iterable[Any]) -> Any | None:
    """One compound matplotlib path for all the polygons (holes kept), or None."""
    from matplotlib.path import Path

    verts, codes = [], []
    for poly in _polygon_parts(geoms):
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)[:, :2]
            if len(c) < 3:
                continue
            verts.append(c)
            codes += [Path.MOVETO] + [Path.LINETO] * (len(c) - 2) + [Path.CLOSEPOLY]
    if not verts:
        return None
    return Path(np.concatenate(verts), codes)


def draw_polygons(ax: Any, geoms: Iterable[Any], **style: Any) -> None:
    """Fill and/or outline polygons in one patch."""
    from matplotlib.patches import PathPatch

    path = polygon_path(geoms)
    if path is not None:
        ax.add_patch(PathPatch(path, **style))


def line_coords(geoms: Iterable[Any]) -> list[np.ndarray]:
    """The coordinate arrays of every line part (polygon outlines included)."""
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        for part in getattr(g, "geoms", [g]):
            if part.geom_type == "LineString":
                out.append(np.asarray(part.coords)[:, :2])
            elif part.geom_type == "Polygon":
                out.append(np.asarray(part.exterior.coords)[:, :2])
            elif part.geom_type in ("MultiLineString", "GeometryCollection"):
                out.extend(line_coords(part.geoms))
    return out


def draw_lines(ax: Any, geoms: Iterable[Any], **style: Any) -> None:
    """Draw lines in one collection."""
    from matplotlib.collections import LineCollection

    segs = line_coords(geoms)
    if segs:
        ax.add_collection(LineCollection(segs, **style))


def halo(width: float = 1.8) -> list[Any]:
    """A white outline that keeps labels readable over any background."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


def nice_length(target: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``target`` (metres)."""
    k = 10 ** math.floor(math.log10(target))
    return float(next(m * k for m in (5, 2, 1) if m * k <= target))


def scale_bar(ax: Any, extent: Extent, lang: str, fontsize: float = 6) -> float:
    """A two-segment scale bar at the lower left, about a fifth of the map wide; its length."""
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = extent
    w, h = x1 - x0, y1 - y0
    length = nice_length(w / 5)
    bx, by, bh = x0 + w * 0.04, y0 + h * 0.06, h * 0.012
    ax.add_patch(
        Rectangle(
            (bx - w * 0.015, by - h * 0.035),
            length + w * 0.05,
            h * 0.095,
            facecolor="white",
            edgecolor="none",
            alpha=0.8,
            zorder=20,
        )
    )
    for k in range(2):
        ax.add_patch(
            Rectangle(
                (bx + k * length / 2, by),
                length / 2,
                bh,
                facecolor="#222222" if k == 0 else "white",
                edgecolor="#222222",
                linewidth=0.5,
                zorder=21,
            )
        )
    km = length >= 1000
    value = length / 1000 if km else length
    label = number(value, lang, 0 if value >= 1 else 1, "km" if km else "m")
    style = {"fontsize": fontsize, "va": "bottom", "zorder": 22, "color": "#222222"}
    ax.text(bx, by + bh * 1.6, "0", ha="center", **style)
    ax.text(bx + length, by + bh * 1.6, label, ha="center", **style)
    return length


@lru_cache(maxsize=8)
def _transformers(crs_wkt: str) -> tuple[Transformer, Transformer]:
    """Working CRS → WGS84 and back (built once per CRS: each costs milliseconds)."""
    return (
        Transformer.from_crs(crs_wkt, "EPSG:4326", always_xy=True),
        Transformer.from_crs("EPSG:4326", crs_wkt, always_xy=True),
    )


def north_arrow(ax: Any, extent: Extent, crs: CRS, size: float = 14) -> None:
    """An arrow to true north at the upper right (grid north differs in a conic CRS)."""
    x0, y0, x1, y1 = extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    try:
        to_geo, to_map = _transformers(crs.to_wkt())
        lon, lat = to_geo.transform(cx, cy)
        nx, ny = to_map.transform(lon, lat + 0.05)
        angle = math.atan2(nx - cx, ny - cy)
    except Exception:  # a CRS pyproj cannot invert: grid north
        angle = 0.0
    dx, dy = math.sin(angle), math.cos(angle)
    anchor = (0.95, 0.88)
    ax.annotate(
        "",
        xy=anchor,
        xycoords="axes fraction",
        xytext=(-dx * size, -dy * size),
        textcoords="offset points",
        arrowprops={
            "facecolor": "#222222",
            "edgecolor": "white",
            "linewidth": 0.5,
            "width": size * 0.16,
            "headwidth": size * 0.55,
            "headlength": size * 0.5,
            "shrink": 0.0,
        },
        zorder=22,
    )
    ax.annotate(
        "N",
        xy=anchor,
        xycoords="axes fraction",
        xytext=(dx * 6, dy * 6),
        textcoords="offset points",
        ha="center",
        va="center",
        fontsize=7,
        fontweight="bold",
        zorder=22,
        path_effects=halo(),
    )


def corner_note(ax: Any, text: str, fontsize: float = 5) -> None:
    """Small text at the lower right inside the map (CRS, attribution)."""
    ax.text(
        0.99,
        0.012,
        text,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=fontsize,
        color="#333333",
        zorder=22,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1.2},
    )


class LabelPlacer:
    """Greedy label placement: a label is skipped when it would overlap one already placed."""

    def __init__(self, ax: Any, extent: Extent, fontsize: float) -> None:
        self.ax = ax
        w, h = ax.figure.get_size_inches() * np.array(ax.get_position().size)
        # metres per point, x and y (equal aspect: nearly the same)
        self.mx = (extent[2] - extent[0]) / (w * 72)
        self.my = (extent[3] - extent[1]) / (h * 72)
        self.extent = extent
        self.fontsize = fontsize
        self.boxes: list[tuple[float, float, float, float]] = []

    def block(self, x: float, y: float, radius_pt: float = 4) -> None:
        """Keep labels off a point (a marker)."""
        r = radius_pt
        self.boxes.append((x - r * self.mx, y - r * self.my, x + r * self.mx, y + r * self.my))

    def block_box(self, bounds: tuple[float, float, float, float]) -> None:
        """Keep labels off an area (a site outline)."""
        self.boxes.append(bounds)

    def _size(self, text: str, bold: bool = False) -> tuple[float, float]:
        lines = text.split("\n")
        # DejaVu Sans averages about 0.6 em per character (bold about 0.68).
        tw = max(len(s) for s in lines) * self.fontsize * (0.68 if bold else 0.6) * self.mx
        th = len(lines) * self.fontsize * 1.2 * self.my
        return tw, th

    def place(
        self, x: float, y: float, text: str, gap_pt: float = 4, force: bool = False, **style: Any
    ) -> bool:
        """Put ``text`` right of (x, y), or left, or above, or below, if one is free.

        With ``force``, a label that finds no free place goes to the first that fits the map
        (for the one label a reader must find, such as the substation that counts).
        """
        tw, th = self._size(text, style.get("fontweight") == "bold")
        gx, gy = gap_pt * self.mx, gap_pt * self.my
        spots = [
            (x + gx, y - th / 2, "left", "center"),
            (x - gx - tw, y - th / 2, "right", "center"),
            (x - tw / 2, y + gy, "center", "bottom"),
            (x - tw / 2, y - gy - th, "center", "top"),
        ]
        inside = [s for s in spots if self._inside((s[0], s[1], s[0] + tw, s[1] + th))]
        free = [
            s
            for s in inside
            if not any(_overlap((s[0], s[1], s[0] + tw, s[1] + th), b) for b in self.boxes)
        ]
        for bx, by, ha, va in free or (inside[:1] if force else []):
            box = (bx, by, bx + tw, by + th)
            self.boxes.append(box)
            tx = {"left": x + gx, "right": x - gx, "center": x}[ha]
            ty = {"center": y, "bottom": y + gy, "top": y - gy}[va]
            self._draw(tx, ty, text, ha, va, style)
            return True
        return False

    def place_centred(self, x: float, y: float, text: str, **style: Any) -> bool:
        """Put ``text`` centred on (x, y) if that is free (area names)."""
        tw, th = self._size(text)
        box = (x - tw / 2, y - th / 2, x + tw / 2, y + th / 2)
        if not self._inside(box) or any(_overlap(box, b) for b in self.boxes):
            return False
        self.boxes.append(box)
        self._draw(x, y, text, "center", "center", style)
        return True

    def _draw(self, x: float, y: float, text: str, ha: str, va: str, style: dict[str, Any]) -> None:
        style = dict(style)
        self.ax.text(
            x,
            y,
            text,
            ha=ha,
            va=va,
            fontsize=style.pop("fontsize", self.fontsize),
            path_effects=halo(),
            zorder=style.pop("zorder", 15),
            **style,
        )

    def _inside(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = self.extent
        return box[0] >= x0 and box[2] <= x1 and box[1] >= y0 and box[3] <= y1


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])
