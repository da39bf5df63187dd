"""The site report: one site's score explained from measured values, maps and sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from siteassess.assessment import Assessment
from siteassess.errors import OutputError
from siteassess.reports.i18n_reports import (
    colon,
    display_name,
    measure_text,
    number,
    tr,
    trn,
)
from siteassess.reports.names import (
    SENTENCE_CHARS,
    shorten,
    shorten_chars,
    site_label,
    text_width,
)
from siteassess.reports.pdf.document import (
    FRAME_INNER_H,
    FRAME_INNER_W,
    HEADER_FONT,
    HEADER_SIZE,
    bold,
    build_pdf,
    check_pdf_target,
    footer_text,
    format_date,
    grid,
    image,
    markup,
    para,
    spacer,
    stack_height,
    table,
    warning_box,
    write_pdf,
)
from siteassess.reports.pdf.explain import criterion_text
from siteassess.reports.pdf.method import data_issues_flowables, method_flowables
from siteassess.reports.pdf.selection import check_site, file_name_for
from siteassess.reports.pdf.styles import BAND, EXCLUDED, FRAME_W, MM, Styles, make_styles
from siteassess.reports.pdf.swaps import swap_flowables
from siteassess.reports.pdf.vector_charts import contributions_drawing, value_function_drawing
from siteassess.reports.pdf.wording import (
    blocking_texts,
    commune_text,
    completeness_text,
    criterion_title,
    exclusion_texts,
    measure_label,
    measures_of,
    p_first_text,
    rank_range_text,
    rationale_text,
    score_sentence,
    separation_sentences,
    site_index,
)
from siteassess.value_text import value_function_text


def _site_row(a: Assessment, site_id: str) -> Any:
    return a.measurements.sites.loc[site_id]


def site_title(a: Assessment, site_id: str) -> str:
    """The site's name (its id when it has none)."""
    return display_name(_site_row(a, site_id).get("name", site_id))


# The cover title takes at most two lines, so that the location map stays on page 1.
TITLE_LINES = 2
# The location map's height on the cover (mm): full, and the least it may shrink to so as
# to stay on page 1 (below it, the map goes whole to page 2).
MAP_MM, MIN_MAP_MM = 112.0, 80.0


def cover_title(a: Assessment, site_id: str, st: Styles) -> str:
    """The site's name as the cover's title: cut after a word to two lines if long."""
    style = st.title
    return shorten(
        site_title(a, site_id), FRAME_INNER_W, style.fontName, style.fontSize, lines=TITLE_LINES
    )


def running_title(a: Assessment, site_id: str) -> str:
    """The running header: the site's name (cut, with its id, if long) and the project's."""
    project = shorten(a.project.name, FRAME_W * 0.35, HEADER_FONT, HEADER_SIZE)
    rest = f" · {project}"
    room = FRAME_W - text_width(rest, HEADER_FONT, HEADER_SIZE)
    name = site_label(site_title(a, site_id), site_id, room, HEADER_FONT, HEADER_SIZE)
    return name + rest


def _key_box(a: Assessment, site_id: str, st: Styles, lang: str) -> Any:
    from reportlab.lib import colors

    i = site_index(a, site_id)
    excluded = bool(a.table.excluded[i])
    ranked = int((~a.table.excluded).sum())
    rank = tr("Excluded", lang) if excluded else f"{int(a.table.ranks[i])} / {ranked}"
    rank_label = (
        tr("excluded by a hard rule (score shown for information)", lang)
        if excluded
        else trn(
            "rank among {n} ranked site ({total} assessed)",
            "rank among {n} ranked sites ({total} assessed)",
            ranked,
            lang,
            n=number(ranked, lang, 0),
            total=number(len(a.site_ids), lang, 0),
        )
    )
    rank_style = (
        st.big_number.clone("excluded", textColor=colors.HexColor(EXCLUDED))
        if excluded
        else st.big_number
    )
    cells = [
        [
            para(number(a.table.scores[i], lang, 1), st.big_number),
            para(rank, rank_style),
            para(p_first_text(a, site_id, lang), st.big_number),
        ],
        [
            para(tr("score out of 100", lang), st.big_label),
            para(rank_label, st.big_label),
            para(tr("chance of ranking first when the weights vary", lang), st.big_label),
        ],
    ]
    style = [
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(BAND)),
        ("LINEAFTER", (0, 0), (1, -1), 0.5, colors.white),
        ("TOPPADDING", (0, 0), (-1, 0), 8),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    return grid(cells, [FRAME_W / 3] * 3, style)


def _key_figures(a: Assessment, site_id: str, st: Styles, lang: str) -> Any:
    from siteassess.criteria import CRITERIA, criterion_of, headline_measures

    m = measures_of(a, site_index(a, site_id))
    params = a.measurements.params
    rows: list[tuple[str, str]] = []
    for spec in headline_measures(params):  # as the criteria declare them
        if spec.key not in m:
            continue
        crit = CRITERIA[criterion_of(spec.key) or ""]
        given = params.get(crit.name, {})
        filled = {
            k: number(given.get(k), lang, p.decimals, p.unit)
            for k, p in crit.params.items()
            if "{" + k + "}" in (spec.figure or spec.label)
        }
        value = measure_text(spec.key, m.get(spec.key), lang)
        if spec.named_by:
            value = f"{display_name(m.get(spec.named_by))}, {value}"
        rows.append((tr(spec.figure or spec.label, lang, **filled), value))
    rows.append((tr("Data completeness", lang), completeness_text(a, site_id, lang)))
    rows.append((tr("Rank range when the weights vary", lang), rank_range_text(a, site_id, lang)))
    half = (len(rows) + 1) // 2
    left, right = rows[:half], rows[half:]
    cells = []
    for k in range(half):
        row: list[Any] = []
        for side in (left, right):
            if k < len(side):
                row += [para(side[k][0], st.cell), para(side[k][1], st.cell_bold)]
            else:
                row += ["", ""]
        cells.append(row)
    w = FRAME_W / 2
    return table(cells, [w * 0.5, w * 0.5, w * 0.5, w * 0.5], header=False, zebra=False)


def _cover(a: Assessment, site_id: str, st: Styles, lang: str, day: dt.date) -> list[Any]:
    i = site_index(a, site_id)
    row = _site_row(a, site_id)
    m = measures_of(a, i)
    bits = [
        b for b in (commune_text(a, site_id), measure_text("area_ha", m.get("area_ha"), lang)) if b
    ]
    bits.append(tr("site id {id}", lang, id=site_id))
    title = cover_title(a, site_id, st)
    out: list[Any] = [
        para(tr("SITE REPORT", lang) + " · " + a.project.name, st.muted),
        spacer(1),
        para(title, st.title),
    ]
    if title != site_title(a, site_id):
        # The one place the whole name is written: titles and headers show its head.
        out.append(para(tr("Full name: {name}", lang, name=site_title(a, site_id)), st.full_name))
    out += [
        para(" · ".join(bits), st.subtitle),
        para(
            tr(
                "Project: {project}. Report of {date}.",
                lang,
                project=a.project.name,
                date=format_date(day, lang),
            ),
            st.small,
        ),
        spacer(3),
        _key_box(a, site_id, st, lang),
        spacer(3),
    ]
    notes = []
    if a.table.excluded[i]:
        reasons = "; ".join(exclusion_texts(a, site_id, lang))
        notes.append(tr("This site is excluded: {reasons}.", lang, reasons=reasons))
    same = a.same_land_unit_as(site_id)
    if same is not None:
        notes.append(
            tr(
                "Same land unit as {other} ({id}): Cartofriches lists several records on one "
                "land unit; they are one candidate, not several.",
                lang,
                other=shorten_chars(site_title(a, same), SENTENCE_CHARS),
                id=same,
            )
        )
    if bool(row.get("approximate", False)):
        notes.append(
            tr(
                "The site outline is approximate (drawn to the stated area, not surveyed): "
                "distances and shares measured from it are approximate too.",
                lang,
            )
        )
    if notes:
        out += [warning_box(notes, st), spacer(3)]
    designated = a.designation(site_id)
    if designated is not None:
        out += [para(designation_text(designated, lang), st.small), spacer(2)]
    out += [_key_figures(a, site_id, st, lang), spacer(4)]
    from siteassess.reports.locationmap import location_map

    caption = para(tr("Location of the site among the candidate sites.", lang), st.caption)
    # The map takes what page 1 has left, up to its full height: a long name's full line or
    # a second warning shortens the map rather than pushing it to page 2.
    room = (FRAME_INNER_H - stack_height([*out, caption])) / MM - 2
    height = MAP_MM if room < MIN_MAP_MM else min(MAP_MM, room)
    out.append(image(location_map(a, site_id, lang, height_mm=height), FRAME_W))
    out.append(caption)
    return out


def designation_text(designated: tuple[str, str, str], lang: str) -> str:
    """The site's designation by the State, with its source and date: a flag, not scored."""
    what, source, date = designated
    text = tr(
        "Designated by the State: {what}. Shown for information: not scored.",
        lang,
        what=display_name(what),
    )
    if source or date:
        given = " · ".join(x for x in (source, date) if x)
        text += " " + tr("Source: {source}.", lang, source=given)
    return text


def _site_map_page(a: Assessment, site_id: str, st: Styles, lang: str) -> list[Any]:
    from reportlab.platypus import KeepTogether, PageBreak

    from siteassess.reports.staticmap import site_map

    i = site_index(a, site_id)
    out: list[Any] = [PageBreak(), para(tr("Site map", lang), st.h1)]
    out.append(image(site_map(a, site_id, lang), FRAME_W))
    out.append(
        para(
            tr(
                "Dashed lines: shortest distance from the site outline to the nearest "
                "substation that counts and to the nearest 400 kV substation.",
                lang,
            ),
            st.caption,
        )
    )
    head = [
        tr("Criterion", lang),
        tr("Weight", lang),
        tr("Scored measure", lang),
        tr("Value (0 to 1)", lang),
        tr("Points", lang),
    ]
    rows: list[list[Any]] = [
        [para(h, st.cell_head if k in (0, 2) else st.cell_head_right) for k, h in enumerate(head)]
    ]
    for j, c in enumerate(a.criteria):
        raw = measures_of(a, i).get(c.measure)
        rows.append(
            [
                para(criterion_title(c, lang), st.cell_bold),
                para(number(c.weight * 100, lang, 1, "%"), st.cell_right),
                para(
                    f"{measure_label(c, lang)}{colon(lang)}{measure_text(c.measure, raw, lang)}",
                    st.cell,
                ),
                para(number(a.table.values[i, j], lang, 2), st.cell_right),
                para(number(a.table.contributions[i, j], lang, 1), st.cell_right),
            ]
        )
    rows.append(
        [
            para(tr("Score", lang), st.cell_bold),
            para(number(100, lang, 1, "%"), st.cell_right),
            "",
            "",
            markup(bold(number(a.table.scores[i], lang, 1)), st.cell_right),
        ]
    )
    summary = [
        para(tr("Score by criterion", lang), st.h2),
        table(rows, [42 * MM, 20 * MM, FRAME_W - 110 * MM, 26 * MM, 22 * MM]),
        spacer(1),
        contributions_drawing(a, site_id, lang, width=FRAME_W),
    ]
    out.append(KeepTogether(summary))
    return out


def _criteria_sections(a: Assessment, site_id: str, st: Styles, lang: str) -> list[Any]:
    from reportlab.platypus import KeepTogether, PageBreak

    i = site_index(a, site_id)
    out: list[Any] = [PageBreak(), para(tr("Criteria", lang), st.h1)]
    unseparated = separation_sentences(a, None, lang)
    for j, c in enumerate(a.criteria):
        text = criterion_text(a, site_id, c, lang)
        head = tr(
            "{title}: {weight} of the score",
            lang,
            title=criterion_title(c, lang),
            weight=number(c.weight * 100, lang, 1, "%"),
        )
        block: list[Any] = [para(head, st.h2)]
        block += [para(s, st.body) for s in text.sentences]
        if text.warnings:
            block += [warning_box(text.warnings, st), spacer(1.5)]
        left_w = FRAME_W - 66 * MM
        mrows: list[list[Any]] = [
            [para(tr("Measured", lang), st.cell_head), para(tr("Value", lang), st.cell_head)]
        ]
        mrows += [[para(k, st.cell), para(v, st.cell)] for k, v in text.rows]
        measures = table(mrows, [left_w * 0.55, left_w * 0.45])
        chart = [
            value_function_drawing(c, measures_of(a, i).get(c.measure), lang),
            para(
                tr(
                    "Value function: {text}.",
                    lang,
                    text=value_function_text(c.transform, c.measure, lang),
                ),
                st.caption,
            ),
        ]
        side = grid(
            [[measures, chart]],
            [left_w + 2 * MM, 64 * MM],
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ],
        )
        block += [side, spacer(1.5)]
        for t in text.tables:
            trows: list[list[Any]] = [[para(h, st.cell_head) for h in t.head]]
            trows += [[para(v, st.cell) for v in r] for r in t.rows]
            widths = [0.26, 0.11, 0.13, 0.2, 0.3]
            block += [
                markup(bold(t.title), st.body),
                table(trows, [FRAME_W * w for w in widths]),
                spacer(1.5),
            ]
        block.append(para(score_sentence(a, site_id, j, lang), st.body))
        if c.name in unseparated:
            block.append(warning_box([unseparated[c.name]], st))
        why = rationale_text(c, lang)
        if why:
            label = bold(tr("Why this value function", lang))
            block.append(markup(f"{label}{colon(lang)}{escape(why)}", st.muted))
        block.append(spacer(3))
        out.append(KeepTogether(block))
    return out


def _exclusions_and_issues(a: Assessment, site_id: str, st: Styles, lang: str) -> list[Any]:
    i = site_index(a, site_id)
    out: list[Any] = [para(tr("Exclusions and data issues", lang), st.h1)]
    reasons = blocking_texts(a, site_id, lang)
    if reasons:
        out.append(
            para(tr("This site is excluded by a hard rule, whatever its score:", lang), st.body)
        )
        out += [para("• " + r, st.body) for r in reasons]
    else:
        out.append(para(tr("No exclusion rule applies to this site.", lang), st.body))
    out.append(
        para(
            tr("Data completeness: {text}.", lang, text=completeness_text(a, site_id, lang)),
            st.body,
        )
    )
    missing = [
        criterion_title(c, lang) for j, c in enumerate(a.criteria) if np.isnan(a.table.values[i, j])
    ]
    if missing:
        out.append(
            para(
                tr(
                    "Not measured: {names}; counted as worst (0) unless the project renormalises.",
                    lang,
                    names=", ".join(missing),
                ),
                st.body,
            )
        )
    out += data_issues_flowables(a, {site_id}, st, lang)
    return out


def _sensitivity(a: Assessment, site_id: str, st: Styles, lang: str) -> list[Any]:
    i = site_index(a, site_id)
    out: list[Any] = [para(tr("Sensitivity to the weights", lang), st.h1)]
    s = a.sensitivity
    if s is None or a.table.excluded[i]:
        text = (
            tr("An excluded site is not ranked, so its sensitivity is not computed.", lang)
            if a.table.excluded[i]
            else tr("The sensitivity analysis was not run for this assessment.", lang)
        )
        return [*out, para(text, st.body)]
    out.append(
        para(
            tr(
                "In {draws} random draws, each weight was multiplied by a factor between {lo} "
                "and {hi} and the weights renormalised. This site ranked first in {p} of the "
                "draws.",
                lang,
                draws=number(s.draws, lang, 0),
                lo=number(1 - s.spread, lang, 2),
                hi=number(1 + s.spread, lang, 2),
                p=p_first_text(a, site_id, lang),
            ),
            st.body,
        )
    )
    lo, hi = int(s.rank_min[i]), int(s.rank_max[i])
    out.append(
        para(
            tr("Its rank was {rank} in every draw.", lang, rank=lo)
            if lo == hi
            else tr("Its rank ranged from {lo} to {hi}.", lang, lo=lo, hi=hi),
            st.body,
        )
    )
    out += swap_flowables(a, site_id, st, lang)
    return out


def site_report_pdf(a: Assessment, site_id: str, *, lang: str, day: dt.date | None = None) -> bytes:
    """The site report as PDF bytes."""
    from reportlab.platypus import PageBreak

    check_site(a, site_id)
    day = day or dt.date.today()
    st = make_styles()
    story: list[Any] = []
    story += _cover(a, site_id, st, lang, day)
    story += _site_map_page(a, site_id, st, lang)
    story += _criteria_sections(a, site_id, st, lang)
    story += [PageBreak(), *_exclusions_and_issues(a, site_id, st, lang)]
    story += _sensitivity(a, site_id, st, lang)
    story += [
        PageBreak(),
        *method_flowables(a, st, lang, str(a.project.path) if a.project.path else None),
    ]
    return build_pdf(
        story,
        title=tr("Site report: {site}", lang, site=site_title(a, site_id)),
        subject=a.project.name,
        running_title=running_title(a, site_id),
        footer=footer_text(a.project.name, day, lang),
        lang=lang,
    )


def write_site_report(
    a: Assessment, site_id: str, output: str | Path, *, lang: str, day: dt.date | None = None
) -> Path:
    """Write one site's report to ``output`` (.pdf), atomically."""
    target = Path(output)
    check_site(a, site_id)
    check_pdf_target(target)
    return write_pdf(target, site_report_pdf(a, site_id, lang=lang, day=day))


def write_site_reports(
    a: Assessment, folder: str | Path, *, lang: str, day: dt.date | None = None
) -> list[Path]:
    """One report per site in ``folder``, created if needed (file names from the site ids).

    Each PDF is written atomically, so a failure leaves only complete reports behind.
    """
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file: give a folder for the reports")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the folder: {exc.strerror or exc}") from None
    taken: set[str] = set()
    written = []
    for sid in a.site_ids:
        written.append(
            write_site_report(a, sid, out / file_name_for(sid, taken), lang=lang, day=day)
        )
    return written
