"""Charts for the comparison report (PNG bytes): the radar of values and the score bars.

matplotlib's object API on the Agg canvas; no pyplot, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from siteassess.assessment import Assessment
from siteassess.reports.i18n_reports import display_name, number, tr
from siteassess.reports.mapkit import new_figure, to_png
from siteassess.reports.mapstyle import CRITERION_COLOURS, INK, MUTED
from siteassess.reports.names import shorten_chars

GRID = "#d5dde4"


def _style(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
        ax.spines[side].set_linewidth(0.6)
    ax.tick_params(labelsize=6.5, colors=INK, length=2, width=0.5)


def radar_chart(
    a: Assessment,
    site_ids: Sequence[str],
    colours: Sequence[str],
    lang: str,
    *,
    size_mm: float = 88,
) -> bytes:
    """Each site's value (0 to 1) on every criterion, one polygon per site (PNG)."""
    k = len(a.criteria)
    angles = np.linspace(0, 2 * np.pi, k, endpoint=False) + np.pi / 2
    fig = new_figure(size_mm, size_mm)
    ax = fig.add_axes((0.18, 0.2, 0.64, 0.68), projection="polar")
    closed = np.append(angles, angles[0])
    for n, (sid, colour) in enumerate(zip(site_ids, colours, strict=True)):
        i = a.site_ids.index(sid)
        vals = np.nan_to_num(a.table.values[i], nan=0.0)
        ring = np.append(vals, vals[0])
        ax.plot(closed, ring, color=colour, linewidth=1.4, label=f"{n + 1}")
        ax.fill(closed, ring, color=colour, alpha=0.08)
    ax.set_ylim(0, 1)
    ax.set_yticks([0.25, 0.5, 0.75, 1.0])
    sep = "," if lang == "fr" else "."
    ax.set_yticklabels([f"0{sep}25", f"0{sep}5", f"0{sep}75", "1"], fontsize=5.5, color=MUTED)
    ax.set_xticks(angles)
    ax.set_xticklabels([tr(c.title, lang).replace(" ", "\n", 1) for c in a.criteria], fontsize=6.5)
    ax.tick_params(axis="x", pad=6)
    ax.grid(color=GRID, linewidth=0.5)
    ax.spines["polar"].set_color(GRID)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=len(site_ids),
        fontsize=6.5,
        frameon=False,
        handlelength=1.5,
    )
    return to_png(fig)


def score_bars(a: Assessment, site_ids: Sequence[str], lang: str, *, width_mm: float = 84) -> bytes:
    """Each site's score as stacked contributions of the criteria (PNG)."""
    n = len(site_ids)
    fig = new_figure(width_mm, 18 + 9 * n)
    ax = fig.add_axes((0.36, 0.3, 0.55, 0.65))
    ys = np.arange(n)[::-1]
    left = np.zeros(n)
    rows = [a.site_ids.index(s) for s in site_ids]
    for j, c in enumerate(a.criteria):
        part = np.nan_to_num(a.table.contributions[rows, j])
        ax.barh(
            ys,
            part,
            left=left,
            height=0.6,
            color=CRITERION_COLOURS[j % len(CRITERION_COLOURS)],
            label=tr(c.title, lang),
        )
        left += part
    for y, total in zip(ys, left, strict=True):
        ax.text(total + 1.5, y, number(total, lang, 1), va="center", fontsize=6.5, color=INK)
    names = [
        _short(f"{k + 1}. {display_name(a.measurements.sites.loc[s].get('name', s))}")
        for k, s in enumerate(site_ids)
    ]
    ax.set_yticks(ys, names, fontsize=6.5)
    ax.set_xlim(0, 112)
    ax.set_xlabel(tr("score (0 to 100)", lang), fontsize=6.5, color=MUTED)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.35, -0.28),
        ncol=2,
        fontsize=5.5,
        frameon=False,
        handlelength=1.2,
    )
    _style(ax)
    return to_png(fig)


def _short(text: str, size: int = 22) -> str:
    return shorten_chars(text, size)  # cut after a whole word
