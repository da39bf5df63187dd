"""What would have to change for two sites to swap places: one weight at a time."""

from __future__ import annotations

from typing import Any

import numpy as np

from siteassess.assessment import Assessment
from siteassess.reports.i18n_reports import display_name, number, tr
from siteassess.reports.names import short_name
from siteassess.reports.pdf.document import para, table
from siteassess.reports.pdf.styles import FRAME_W, MM, Styles
from siteassess.reports.pdf.wording import site_index
from siteassess.scoring import WeightSwap


def swaps_between(a: Assessment, ahead: str, behind: str) -> tuple[WeightSwap, ...]:
    """For each criterion, the weight at which ``behind`` ties with ``ahead`` (the core's)."""
    return a.swaps_between(ahead, behind)


def ranked_pair(a: Assessment, site_ids: list[str]) -> tuple[str, str] | None:
    """The two best non-excluded sites among ``site_ids`` (best first), if there are two."""
    return a.ranked_pair(site_ids)


def swap_table(a: Assessment, swaps: tuple[WeightSwap, ...], st: Styles, lang: str) -> Any:
    """Criterion, weight now, weight at the tie, change: smallest change first."""
    titles = {c.name: tr(c.title, lang) for c in a.criteria}
    head = [
        tr("Criterion", lang),
        tr("Weight now", lang),
        tr("Weight at which they tie", lang),
        tr("Change", lang),
    ]
    rows: list[list[Any]] = [
        [para(h, st.cell_head if k == 0 else st.cell_head_right) for k, h in enumerate(head)]
    ]
    for s in swaps:
        sign = "+" if s.delta > 0 else "−"
        rows.append(
            [
                para(titles.get(s.criterion, s.criterion), st.cell),
                para(number(s.weight_before * 100, lang, 1, "%"), st.cell_right),
                para(number(s.weight_after * 100, lang, 1, "%"), st.cell_right),
                para(
                    sign + number(abs(s.delta) * 100, lang, 1) + " " + tr("points", lang),
                    st.cell_right,
                ),
            ]
        )
    w = FRAME_W - 50 * MM
    return table(rows, [50 * MM, w / 3, w / 3, w / 3])


def tied(a: Assessment, first: str, second: str) -> bool:
    """True when two sites' scores are equal as the reports write them (0.1 point)."""
    gap = a.table.scores[site_index(a, first)] - a.table.scores[site_index(a, second)]
    return bool(abs(gap) < 0.05)


def swap_summary(a: Assessment, ahead: str, behind: str, lang: str) -> str:
    """One sentence: the smallest single-weight change that makes ``behind`` tie."""
    swaps = swaps_between(a, ahead, behind)
    # A long name shortened in the sentence, with its id (the cover gives it whole).
    names = {
        s: short_name(display_name(a.measurements.sites.loc[s].get("name", s)), s)
        for s in (ahead, behind)
    }
    if tied(a, ahead, behind):
        return tr(
            "{ahead} and {behind} have the same score ({score}): any change of weight that "
            "favours one of them decides their order.",
            lang,
            ahead=names[ahead],
            behind=names[behind],
            score=number(a.table.scores[site_index(a, ahead)], lang, 1),
        )
    if not swaps:
        return tr(
            "No change of a single weight makes {behind} catch up with {ahead}: {ahead} "
            "stays ahead whatever one weight is.",
            lang,
            ahead=names[ahead],
            behind=names[behind],
        )
    s = swaps[0]
    return tr(
        "{behind} would tie with {ahead} if the {criterion} weight went from {before} to "
        "{after} (the other weights rescaled in proportion), and pass it beyond that.",
        lang,
        behind=names[behind],
        ahead=names[ahead],
        criterion=tr(next(c.title for c in a.criteria if c.name == s.criterion), lang).lower(),
        before=number(s.weight_before * 100, lang, 1, "%"),
        after=number(s.weight_after * 100, lang, 1, "%"),
    )


def swap_flowables(a: Assessment, site_id: str, st: Styles, lang: str) -> list[Any]:
    """For a site report: against the site just above it, or the runner-up for the leader."""
    i = site_index(a, site_id)
    if a.table.excluded[i]:
        return []
    order = [k for k in np.argsort(-a.table.scores, kind="stable") if not a.table.excluded[k]]
    pos = order.index(i)
    if len(order) < 2:
        return [para(tr("Only one site is ranked: there is no one to swap with.", lang), st.body)]
    if pos == 0:
        ahead, behind = site_id, a.site_ids[int(order[1])]
        intro = tr("What would change the top of the ranking:", lang)
    else:
        ahead, behind = a.site_ids[int(order[pos - 1])], site_id
        intro = tr("What this site would need to catch up with the site ranked just above:", lang)
    out: list[Any] = [para(intro, st.h2), para(swap_summary(a, ahead, behind, lang), st.body)]
    swaps = swaps_between(a, ahead, behind)
    if swaps and not tied(a, ahead, behind):
        out.append(swap_table(a, swaps, st, lang))
    return out
