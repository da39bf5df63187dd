"""Small charts drawn as PDF vector graphics (reportlab), in the report's embedded font.

The value function of a criterion with the site marked on it, and the points won per
criterion. Vector drawings stay sharp when printed and cost a few milliseconds, where a
matplotlib figure costs a tenth of a second.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from siteassess.assessment import Assessment, CriterionInfo
from siteassess.reports.i18n_reports import is_missing, number, tr, trim_zeros
from siteassess.reports.mapkit import nice_length
from siteassess.reports.pdf.fonts import SANS
from siteassess.reports.pdf.styles import CRITERION_COLOURS, INK, MM, MUTED, RULE
from siteassess.scoring import apply_transform

MARK = "#d7301f"
CURVE = "#1f5f8b"


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    step = nice_length((hi - lo) / n) if hi > lo else 1.0
    first = math.ceil(lo / step) * step
    out = []
    v = first
    while v <= hi + step * 1e-9:
        out.append(round(v, 10))
        v += step
    return out


def _domain(info: CriterionInfo, x: float | None) -> tuple[float, float]:
    spec = info.transform
    pts = [spec.best, spec.worst] if spec.kind == "linear" else [p for p, _ in spec.points]
    pts = [p for p in pts if math.isfinite(p)]
    if x is not None and math.isfinite(x):
        pts.append(x)
    lo, hi = min(pts), max(pts)
    span = (hi - lo) or max(abs(hi), 1.0)
    lo = lo - span * 0.08
    if min(pts) >= 0:
        lo = max(lo, 0.0)
    return lo, hi + span * 0.12


def value_function_drawing(
    info: CriterionInfo, measure: Any, lang: str, *, width: float = 64 * MM, height: float = 34 * MM
) -> Any:
    """The criterion's value function, 0 to 1 against the measure, with this site marked."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib import colors

    x_site = None if is_missing(measure) or isinstance(measure, str) else float(measure)
    lo, hi = _domain(info, x_site)
    scale, unit = (1000.0, "km") if info.unit == "m" and hi >= 2000 else (1.0, info.unit)
    x0, x1, y0, y1 = 11 * MM, width - 3 * MM, 8 * MM, height - 5 * MM
    d = Drawing(width, height)

    def px(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)

    def py(v: float) -> float:
        return y0 + v * (y1 - y0)

    grid, muted = colors.HexColor(RULE), colors.HexColor(MUTED)
    for v in (0.0, 0.5, 1.0):
        d.add(Line(x0, py(v), x1, py(v), strokeColor=grid, strokeWidth=0.4))
        d.add(
            String(
                x0 - 1.5,
                py(v) - 2,
                number(v, lang, 1),
                fontName=SANS,
                fontSize=5.5,
                fillColor=muted,
                textAnchor="end",
            )
        )
    for t in _ticks(lo / scale, hi / scale):
        xv = px(t * scale)
        if x0 - 0.5 <= xv <= x1 + 0.5:
            d.add(Line(xv, y0, xv, y0 - 1.5, strokeColor=muted, strokeWidth=0.5))
            d.add(
                String(
                    xv,
                    y0 - 7,
                    trim_zeros(number(t, lang, 2), lang),
                    fontName=SANS,
                    fontSize=5.5,
                    fillColor=muted,
                    textAnchor="middle",
                )
            )
    d.add(Line(x0, y0, x1, y0, strokeColor=muted, strokeWidth=0.6))
    d.add(String(x1, y0 - 14, unit, fontName=SANS, fontSize=5.5, fillColor=muted, textAnchor="end"))
    d.add(
        String(
            x0 - 1.5,
            y1 + 1.5,
            tr("value", lang),
            fontName=SANS,
            fontSize=5.5,
            fillColor=muted,
            textAnchor="end",
        )
    )
    xs = np.linspace(lo, hi, 160)
    ys = apply_transform(info.transform, xs)
    pts: list[float] = []
    for xv, yv in zip(xs, ys, strict=True):
        if math.isfinite(float(yv)):
            pts += [px(float(xv)), py(float(yv))]
    d.add(PolyLine(pts, strokeColor=colors.HexColor(CURVE), strokeWidth=1.2))
    if x_site is not None:
        yv = float(apply_transform(info.transform, np.array([x_site]))[0])
        mark = colors.HexColor(MARK)
        d.add(
            Line(
                px(x_site),
                y0,
                px(x_site),
                py(yv),
                strokeColor=mark,
                strokeWidth=0.6,
                strokeDashArray=[2, 1.5],
            )
        )
        d.add(
            Circle(
                px(x_site), py(yv), 2.2, fillColor=mark, strokeColor=colors.white, strokeWidth=0.5
            )
        )
        low = yv >= 0.5  # the curve is high here: write under it, by the axis
        d.add(
            String(
                px(x_site) + 2,
                y0 + 2 if low else py(yv) + 3,
                tr("this site", lang),
                fontName=SANS,
                fontSize=5.5,
                fillColor=mark,
            )
        )
    return d


def contributions_drawing(a: Assessment, site_id: str, lang: str, *, width: float) -> Any:
    """Points won per criterion against the points its weight allows, as bars."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors

    i = a.site_ids.index(site_id)
    k = len(a.criteria)
    row_h = 6.5 * MM
    height = k * row_h + 9 * MM
    d = Drawing(width, height)
    label_w, x0 = 52 * MM, 54 * MM
    x1 = width - 30 * MM
    maxima = a.table.weights * 100
    top = float(maxima.max()) or 1.0

    def px(v: float) -> float:
        return x0 + v / top * (x1 - x0)

    muted = colors.HexColor(MUTED)
    for j, c in enumerate(a.criteria):
        y = height - (j + 1) * row_h
        won = float(np.nan_to_num(a.table.contributions[i, j]))
        d.add(
            Rect(
                x0,
                y + 1.2 * MM,
                px(maxima[j]) - x0,
                row_h - 2.4 * MM,
                fillColor=colors.HexColor("#e6ebef"),
                strokeColor=None,
            )
        )
        colour = colors.HexColor(CRITERION_COLOURS[j % len(CRITERION_COLOURS)])
        d.add(
            Rect(
                x0, y + 1.2 * MM, px(won) - x0, row_h - 2.4 * MM, fillColor=colour, strokeColor=None
            )
        )
        d.add(
            String(
                label_w,
                y + row_h / 2 - 2.5,
                tr(c.title, lang),
                fontName=SANS,
                fontSize=7,
                fillColor=colors.HexColor(INK),
                textAnchor="end",
            )
        )
        text = f"{number(won, lang, 1)} / {number(maxima[j], lang, 1)}"
        if math.isnan(a.table.values[i, j]):
            text += f" ({tr('not measured', lang)})"
        d.add(
            String(
                px(maxima[j]) + 2 * MM,
                y + row_h / 2 - 2.5,
                text,
                fontName=SANS,
                fontSize=7,
                fillColor=colors.HexColor(INK),
            )
        )
    base = 6 * MM
    d.add(Line(x0, base, x1, base, strokeColor=muted, strokeWidth=0.5))
    for t in _ticks(0, top):
        d.add(Line(px(t), base, px(t), base - 1.5, strokeColor=muted, strokeWidth=0.5))
        d.add(
            String(
                px(t),
                base - 7,
                number(t, lang, 0),
                fontName=SANS,
                fontSize=5.5,
                fillColor=muted,
                textAnchor="middle",
            )
        )
    d.add(
        String(
            x1,
            0,
            tr("points (score out of 100)", lang),
            fontName=SANS,
            fontSize=5.5,
            fillColor=muted,
            textAnchor="end",
        )
    )
    return d
