"""The comparison report: two to five sites side by side, with the best value per row marked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from siteassess.assessment import Assessment
from siteassess.reports.i18n_reports import (
    display_name,
    number,
    percent,
    tr,
)
from siteassess.reports.names import short_name, site_label
from siteassess.reports.pdf.compare_table import (
    BEST_MARK,
    comparison_table,
    subset_p_first,
)
from siteassess.reports.pdf.document import (
    build_pdf,
    check_pdf_target,
    footer_text,
    format_date,
    grid,
    image,
    markup,
    para,
    spacer,
    table,
    warning_box,
    write_pdf,
)
from siteassess.reports.pdf.fonts import SANS
from siteassess.reports.pdf.method import data_issues_flowables, method_flowables
from siteassess.reports.pdf.selection import compared_sites
from siteassess.reports.pdf.styles import FRAME_W, MM, SITE_COLOURS, Styles, make_styles
from siteassess.reports.pdf.swaps import (
    ranked_pair,
    swap_summary,
    swap_table,
    swaps_between,
    tied,
)
from siteassess.reports.pdf.wording import (
    exclusion_texts,
    p_first_text,
    rank_range_text,
    separation_sentences,
    site_index,
)


def _full_name(a: Assessment, sid: str) -> str:
    return display_name(a.measurements.sites.loc[sid].get("name", sid))


def _name(a: Assessment, sid: str) -> str:
    """A site's name in a sentence: a long one cut after a word, with its id."""
    return short_name(_full_name(a, sid), sid)


def _sites_compared(a: Assessment, ids: Sequence[str], st: Styles, lang: str) -> list[Any]:
    """The compared sites with their whole names and ids, once (headers show them cut)."""
    from reportlab.platypus import KeepTogether

    head = ["", tr("Site", lang), tr("Site id", lang)]
    rows: list[list[Any]] = [[para(h, st.cell_head) for h in head]]
    for k, sid in enumerate(ids):
        rows.append(
            [
                markup(f'<font color="{SITE_COLOURS[k]}">■</font> {k + 1}.', st.cell),
                para(_full_name(a, sid), st.cell),
                para(sid, st.cell),
            ]
        )
    return [
        KeepTogether(
            [
                para(tr("Sites compared", lang), st.h1),
                table(rows, [12 * MM, FRAME_W - 50 * MM, 38 * MM]),
            ]
        )
    ]


def _summary(a: Assessment, ids: Sequence[str], st: Styles, lang: str) -> list[Any]:
    pair = ranked_pair(a, list(ids))
    out: list[Any] = []
    if pair is None:
        out.append(
            para(
                tr("Fewer than two of these sites are ranked: no order between them.", lang),
                st.body,
            )
        )
        return out
    first, second = pair
    i, k = site_index(a, first), site_index(a, second)
    out.append(
        para(
            tr(
                "Best of these sites: {first} with {score} points; {second} follows {gap} "
                "points behind.",
                lang,
                first=_name(a, first),
                score=number(a.table.scores[i], lang, 1),
                second=_name(a, second),
                gap=number(a.table.scores[i] - a.table.scores[k], lang, 1),
            ),
            st.body,
        )
    )
    out.append(para(swap_summary(a, first, second, lang), st.body))
    return out


SITE_W = 64 * MM  # the ranking table's site column


def _charts(a: Assessment, ids: Sequence[str], lang: str) -> Any:
    from siteassess.reports.charts import radar_chart, score_bars

    colours = SITE_COLOURS[: len(ids)]
    radar = image(radar_chart(a, ids, colours, lang), 86 * MM)
    bars = image(score_bars(a, ids, lang), 86 * MM)
    return grid(
        [[radar, bars]],
        [FRAME_W / 2, FRAME_W / 2],
        [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )


def _ranking(a: Assessment, ids: Sequence[str], st: Styles, lang: str) -> list[Any]:
    from reportlab.platypus import KeepTogether

    out: list[Any] = [para(tr("Ranking and its sensitivity", lang), st.h1)]
    s = a.sensitivity
    if s is not None:
        out.append(
            para(
                tr(
                    "Ranks are among all {n} sites of the project. In {draws} random draws each "
                    "weight was multiplied by a factor between {lo} and {hi} (then renormalised); "
                    "the table gives how often each site came first, among all sites and among "
                    "the compared sites only, and the range of its rank.",
                    lang,
                    n=len(a.site_ids),
                    draws=number(s.draws, lang, 0),
                    lo=number(1 - s.spread, lang, 2),
                    hi=number(1 + s.spread, lang, 2),
                ),
                st.body,
            )
        )
    order = sorted(
        ids,
        key=lambda sid: (
            bool(a.table.excluded[site_index(a, sid)]),
            -float(a.table.scores[site_index(a, sid)]),
        ),
    )
    sub = subset_p_first(a, ids)
    head = [
        tr("Site", lang),
        tr("Score", lang),
        tr("Rank", lang),
        tr("Rank range", lang),
        tr("First (all sites)", lang),
        tr("First (these sites)", lang),
    ]
    rows: list[list[Any]] = [
        [para(h, st.cell_head if k == 0 else st.cell_head_right) for k, h in enumerate(head)]
    ]
    for sid in order:
        i = site_index(a, sid)
        k = list(ids).index(sid)
        excluded = bool(a.table.excluded[i])
        # "■ 2. name" in two lines at most: a long name cut after a word, with its id.
        label = site_label(
            _full_name(a, sid), sid, SITE_W - 8, SANS, 8, lines=2, prefix=f"■ {k + 1}. "
        )
        rows.append(
            [
                markup(
                    f'<font color="{SITE_COLOURS[k]}">■</font> ' + escape(label[2:]),
                    st.cell,
                ),
                para(number(a.table.scores[i], lang, 1), st.cell_right),
                para(
                    tr("excluded", lang) if excluded else str(int(a.table.ranks[i])), st.cell_right
                ),
                para(rank_range_text(a, sid, lang), st.cell_right),
                para(tr("n/a", lang) if excluded else p_first_text(a, sid, lang), st.cell_right),
                para(
                    tr("n/a", lang) if excluded or sub is None else percent(sub[k], lang),
                    st.cell_right,
                ),
            ]
        )
    w = FRAME_W - SITE_W
    out.append(table(rows, [SITE_W] + [w / 5] * 5))
    pair = ranked_pair(a, list(ids))
    if pair is not None:
        first, second = pair
        block: list[Any] = [
            para(tr("What would swap the top two", lang), st.h2),
            para(swap_summary(a, first, second, lang), st.body),
        ]
        swaps = swaps_between(a, first, second)
        if swaps and not tied(a, first, second):
            block.append(swap_table(a, swaps, st, lang))
        out.append(KeepTogether(block))
    return out


def _exclusions(a: Assessment, ids: Sequence[str], st: Styles, lang: str) -> list[Any]:
    out: list[Any] = [para(tr("Exclusions and data issues", lang), st.h1)]
    texts = []
    for sid in ids:
        reasons = exclusion_texts(a, sid, lang)
        if reasons:
            name = _name(a, sid)
            texts.append(
                tr(
                    "{site} is excluded by a blocking rule: {reasons}.",
                    lang,
                    site=name,
                    reasons="; ".join(reasons),
                )
            )
    if texts:
        out.append(warning_box(texts, st))
    else:
        out.append(para(tr("No exclusion rule applies to these sites.", lang), st.body))
    approx = [sid for sid in ids if bool(a.measurements.sites.loc[sid].get("approximate", False))]
    if approx:
        out.append(
            para(
                tr(
                    "Approximate outlines (not surveyed): {sites}. Distances and shares measured "
                    "from them are approximate too.",
                    lang,
                    sites=", ".join(_name(a, s) for s in approx),
                ),
                st.body,
            )
        )
    designated = [(sid, d) for sid in ids if (d := a.designation(sid)) is not None]
    for sid, (what, source, date) in designated:
        given = " · ".join(x for x in (source, date) if x)
        text = tr(
            "{site} is designated by the State: {what} (not scored).",
            lang,
            site=_name(a, sid),
            what=display_name(what),
        )
        if given:
            text += " " + tr("Source: {source}.", lang, source=given)
        out.append(para(text, st.body))
    return out + data_issues_flowables(a, set(ids), st, lang)


Builder = Callable[[Assessment, Sequence[str], Styles, str], list[Any]]


def compare_report_pdf(
    a: Assessment, site_ids: Sequence[str] | None = None, *, lang: str, day: dt.date | None = None
) -> bytes:
    """The comparison report as PDF bytes (default sites: the top five not excluded)."""
    from reportlab.platypus import PageBreak

    from siteassess.reports.staticmap import inset_maps

    ids = compared_sites(a, site_ids)
    day = day or dt.date.today()
    st = make_styles()
    title = tr("Comparison of {n} sites", lang, n=len(ids))
    story: list[Any] = [
        para(tr("SITE COMPARISON", lang) + " · " + a.project.name, st.muted),
        spacer(1),
        para(title, st.title),
        para(
            tr(
                "Project: {project}. Report of {date}.",
                lang,
                project=a.project.name,
                date=format_date(day, lang),
            ),
            st.subtitle,
        ),
    ]
    story += _summary(a, ids, st, lang)
    story += [spacer(2), comparison_table(a, ids, st, lang)]
    notes = separation_sentences(a, list(ids), lang)
    if notes:
        story += [spacer(1.5), warning_box(list(notes.values()), st)]
    story.append(
        para(
            tr(
                "{mark} marks the best value of each row among these sites (ties all marked); a "
                "difference smaller than the measure's precision (100 m, 0.1 ms, 1 %, 1 ha) is "
                "not marked.",
                lang,
                mark=BEST_MARK,
            ),
            st.caption,
        )
    )
    story += [PageBreak(), *_sites_compared(a, ids, st, lang)]
    story += [
        para(tr("Scores and criteria profiles", lang), st.h1),
        _charts(a, ids, lang),
        para(
            tr(
                "Left: each site's value (0 to 1) on every criterion. Right: the score as the sum "
                "of the points of each criterion.",
                lang,
            ),
            st.caption,
        ),
    ]
    story += _ranking(a, ids, st, lang)
    story += [
        PageBreak(),
        para(tr("Maps at the same scale", lang), st.h1),
        image(inset_maps(a, ids, SITE_COLOURS[: len(ids)], lang), FRAME_W),
        para(
            tr(
                "Each map is centred on its site at the same scale; dashed lines give the shortest "
                "distance to the nearest substation that counts and to the nearest 400 kV "
                "substation.",
                lang,
            ),
            st.caption,
        ),
    ]
    story += [spacer(3), *_exclusions(a, ids, st, lang)]
    story += [
        PageBreak(),
        *method_flowables(a, st, lang, str(a.project.path) if a.project.path else None),
    ]
    return build_pdf(
        story,
        title=title + " · " + a.project.name,
        subject=a.project.name,
        running_title=title + " · " + a.project.name,
        footer=footer_text(a.project.name, day, lang),
        lang=lang,
    )


def write_compare_report(
    a: Assessment,
    site_ids: Sequence[str] | None,
    output: str | Path,
    *,
    lang: str,
    day: dt.date | None = None,
) -> Path:
    """Write the comparison report to ``output`` (.pdf), atomically."""
    target = Path(output)
    compared_sites(a, site_ids)
    check_pdf_target(target)
    return write_pdf(target, compare_report_pdf(a, site_ids, lang=lang, day=day))
