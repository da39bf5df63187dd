"""The table at the heart of the comparison: sites in columns, the best value per row marked."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from siteassess.assessment import Assessment
from siteassess.reports.i18n_reports import (
    colon,
    display_name,
    is_missing,
    measure_text,
    number,
    percent,
    tr,
    trn,
)
from siteassess.reports.names import break_compounds, fit_label, site_label
from siteassess.reports.pdf.document import markup, para, table
from siteassess.reports.pdf.fonts import SANS, SANS_BOLD
from siteassess.reports.pdf.styles import BEST, FRAME_W, MM, SITE_COLOURS, Styles
from siteassess.reports.pdf.wording import (
    commune_text,
    measures_of,
    p_first_text,
    rank_range_text,
    site_index,
)
from siteassess.scoring.separation import marked_best
from siteassess.vocabulary import resolution

BEST_MARK = "★"


@dataclass(frozen=True)
class Row:
    """One row of the comparison table: a label, a value per site, and which way is better."""

    label: str
    texts: list[str]
    keys: list[float]  # what "best" compares (NaN: not comparable)
    better: str  # "high" | "low" | "" (no best marked)
    section: bool = False
    resolution: float = 0.0  # differences below this (in the keys' unit) get no mark


def best_columns(keys: Sequence[float], better: str, resolution: float = 0.0) -> list[int]:
    """Columns holding the best value of a row (ties all marked; none below the resolution)."""
    return marked_best(keys, better, resolution)


def _m(a: Assessment, sid: str, key: str) -> Any:
    return measures_of(a, site_index(a, sid)).get(key)


def _f(v: Any) -> float:
    return float("nan") if is_missing(v) or isinstance(v, str) else float(v)


_SHOWN_DECIMALS = (("_mw_per_ha", 1), ("_pct", 1), ("_ms", 2), ("_km", 1), ("_ha", 1))


def as_shown(key: str, value: float) -> float:
    """A measure rounded as the table writes it, so values that look equal tie for best."""
    if not math.isfinite(value):
        return value
    if key.endswith("_m"):
        return float(round(value) if abs(value) < 1000 else round(value, -2))
    for suffix, decimals in _SHOWN_DECIMALS:
        if key.endswith(suffix):
            return round(value, decimals)
    return value


def subset_p_first(a: Assessment, ids: Sequence[str]) -> np.ndarray | None:
    """Probability of ranking first among these sites only (the core's, as in the window)."""
    return a.p_first_among(ids)


def comparison_rows(a: Assessment, ids: Sequence[str], lang: str) -> list[Row]:
    """The rows of the comparison table: result, points per criterion, key measures."""
    idx = [site_index(a, s) for s in ids]
    t = a.table
    rows: list[Row] = [Row(tr("Result", lang), [], [], "", section=True)]
    # The INSEE code on a line of its own: narrow columns would break the name mid-word.
    communes = [commune_text(a, s).replace(" (", "\n(") for s in ids]
    if any(communes):
        rows.append(Row(tr("Commune", lang), communes, [float("nan")] * len(ids), ""))
    rows.append(
        Row(
            tr("Score (0 to 100)", lang),
            [number(t.scores[i], lang, 1) for i in idx],
            [round(float(t.scores[i]), 1) for i in idx],
            "high",
        )
    )
    ranked = int((~t.excluded).sum())
    rows.append(
        Row(
            trn("Rank among {n} ranked site", "Rank among {n} ranked sites", ranked, lang),
            [tr("excluded", lang) if t.excluded[i] else str(int(t.ranks[i])) for i in idx],
            [float("nan") if t.excluded[i] else float(t.ranks[i]) for i in idx],
            "low",
        )
    )
    if a.sensitivity is not None:
        rows.append(
            Row(
                tr("Rank range when the weights vary", lang),
                [rank_range_text(a, s, lang) for s in ids],
                [float("nan")] * len(ids),
                "",
            )
        )
        rows.append(
            Row(
                tr("Chance of ranking first (all sites)", lang),
                [
                    tr("n/a", lang) if t.excluded[i] else p_first_text(a, s, lang)
                    for i, s in zip(idx, ids, strict=True)
                ],
                [
                    float("nan") if t.excluded[i] else round(a.sensitivity.p_first[i] * 100, 1)
                    for i in idx
                ],
                "high",
            )
        )
        sub = subset_p_first(a, ids)
        if sub is not None:
            rows.append(
                Row(
                    tr("Chance of ranking first (these sites)", lang),
                    [
                        tr("n/a", lang) if t.excluded[i] else percent(p, lang)
                        for i, p in zip(idx, sub, strict=True)
                    ],
                    [
                        float("nan") if t.excluded[i] else round(float(p) * 100, 1)
                        for i, p in zip(idx, sub, strict=True)
                    ],
                    "high",
                )
            )
    rows.append(
        Row(
            tr("Data completeness", lang),
            [percent(t.completeness[i], lang, 0) for i in idx],
            [round(float(t.completeness[i]) * 100) for i in idx],
            "high",
        )
    )
    rows.append(Row(tr("Points by criterion", lang), [], [], "", section=True))
    for j, c in enumerate(a.criteria):
        rows.append(
            Row(
                tr(
                    "{criterion} (of {max})",
                    lang,
                    criterion=tr(c.title, lang),
                    max=number(t.weights[j] * 100, lang, 1),
                ),
                [number(t.contributions[i, j], lang, 1) for i in idx],
                [
                    round(float(t.contributions[i, j]), 1)
                    if np.isfinite(t.values[i, j])
                    else float("nan")
                    for i in idx
                ],
                "high",
            )
        )
    rows.append(Row(tr("Measures", lang), [], [], "", section=True))
    # The measures the criteria declare for comparisons, labelled as declared; a distance
    # to a named feature (a substation, an exchange) shows the name before the distance.
    from siteassess.criteria import compared_measures
    from siteassess.vocabulary import measure_info

    cols = a.measurements.measures.columns
    for spec in compared_measures(a.measurements.params):
        key = spec.key
        if key not in cols:
            continue
        named = spec.named_by if spec.named_by in cols else None
        texts = [
            (f"{display_name(_m(a, s, named))}{colon(lang)}" if named else "")
            + measure_text(key, _m(a, s, key), lang)
            for s in ids
        ]
        rows.append(
            Row(
                measure_info(key, lang).label,
                texts,
                [as_shown(key, _f(_m(a, s, key))) for s in ids],
                spec.better or "",
                resolution=resolution(key),
            )
        )
    return rows


# A column header holds at most this many lines; its font shrinks from 8 pt to 6.5 pt
# before a word ("renouvelables", the site id) would have to be cut.
HEAD_LINES = 4
HEAD_SIZES = (8.0, 7.5, 7.0, 6.5)
CELL_PADDING = 4  # left and right, as table_style sets them


def column_widths(n: int) -> tuple[float, float]:
    """The label column's width and each site column's, in points, for ``n`` sites."""
    label_w = 52 * MM if n >= 4 else 62 * MM
    return label_w, (FRAME_W - label_w) / n


def header_labels(a: Assessment, ids: Sequence[str], width: float) -> tuple[list[str], float]:
    """Each site's column header ("2. name", cut after a word with its id) and their size.

    All headers take the size of the one that needs the smallest, so the row reads evenly.
    """
    names = [display_name(a.measurements.sites.loc[sid].get("name", sid)) for sid in ids]
    prefixes = [f"{k + 1}. " for k in range(len(ids))]
    fitted = [
        fit_label(name, sid, width, SANS_BOLD, HEAD_SIZES, lines=HEAD_LINES, prefix=pre)
        for name, sid, pre in zip(names, ids, prefixes, strict=True)
    ]
    size = min(f.size for f in fitted)
    labels = [
        site_label(name, sid, width, SANS_BOLD, size, lines=HEAD_LINES, prefix=pre)
        for name, sid, pre in zip(names, ids, prefixes, strict=True)
    ]
    return labels, size


def comparison_table(a: Assessment, ids: Sequence[str], st: Styles, lang: str) -> Any:
    from reportlab.lib import colors

    n = len(ids)
    label_w, col_w = column_widths(n)
    inner = col_w - 2 * CELL_PADDING
    labels, size = header_labels(a, ids, inner)
    head_style = st.cell_head.clone(
        "cell_head_site", fontSize=size, leading=size * 1.25, splitLongWords=0
    )
    head: list[Any] = [para("", st.cell_head)]
    head += [para(label, head_style) for label in labels]
    data: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = [
        ("BACKGROUND", (k + 1, 0), (k + 1, 0), colors.HexColor(SITE_COLOURS[k])) for k in range(n)
    ]
    for row in comparison_rows(a, ids, lang):
        r = len(data)
        if row.section:
            data.append([para(row.label, st.cell_bold)] + [""] * n)
            extra += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#dfe7ee")),
            ]
            continue
        best = set(best_columns(row.keys, row.better, row.resolution))
        cells: list[Any] = [para(row.label, st.cell)]
        for k, text in enumerate(row.texts):
            # A compound wider than the column (SAINT-MARTIN-BOULOGNE) breaks at a hyphen.
            if k in best:
                text = break_compounds(f"{BEST_MARK} {text}", inner, SANS_BOLD, 8)
                cells.append(markup(f"<b>{escape(text)}</b>".replace("\n", "<br/>"), st.cell))
                extra.append(("BACKGROUND", (k + 1, r), (k + 1, r), colors.HexColor(BEST)))
            else:
                cells.append(para(break_compounds(text, inner, SANS, 8), st.cell))
        data.append(cells)
    return table(data, [label_w] + [col_w] * n, zebra=False, extra=extra)
