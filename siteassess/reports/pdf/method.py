"""Sections both reports share: data issues, and method and sources (to reproduce a result).

A data issue is written by :func:`siteassess.reports.messages.issue_text` (kept importable
from here as ``issue_text``).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from siteassess import __version__
from siteassess.assessment import Assessment
from siteassess.errors import DataIssue
from siteassess.reports.i18n_reports import number, percent, tr
from siteassess.reports.messages import issue_text
from siteassess.reports.pdf.document import bold, markup, para, spacer, table, warning_box
from siteassess.reports.pdf.styles import FRAME_W, MM, Styles
from siteassess.reports.pdf.wording import (
    criterion_title,
    illustrative_layers,
    illustrative_warning,
    measure_label,
    rationale_text,
)
from siteassess.value_text import demand_text, param_lines, value_function_text
from siteassess.vocabulary import file_name, role_title

__all__ = ["data_issues_flowables", "issue_text", "issues_for", "method_flowables"]


def issues_for(a: Assessment, site_ids: set[str]) -> tuple[list[DataIssue], list[DataIssue]]:
    """(warnings, notes) concerning these sites or every site."""
    relevant = [i for i in a.issues if not i.site or i.site in site_ids]
    return (
        [i for i in relevant if i.severity != "info"],
        [i for i in relevant if i.severity == "info"],
    )


def data_issues_flowables(a: Assessment, site_ids: set[str], st: Styles, lang: str) -> list[Any]:
    """Data issues (warnings, then notes) and illustrative layers, stated plainly."""
    out: list[Any] = []
    warnings, notes = issues_for(a, site_ids)
    all_labels = tuple(lyr.label for lyr in a.measurements.layers)
    flagged = illustrative_layers(a, all_labels, lang)
    if flagged:
        out += [warning_box([illustrative_warning(lbl, src, lang) for lbl, src in flagged], st)]
        out.append(spacer(2))
    if warnings:
        out.append(para(tr("Data issues ({n}):", lang, n=len(warnings)), st.h2))
        out += [para("• " + issue_text(i, lang), st.body) for i in warnings]
    else:
        out.append(para(tr("No data issue affects these results.", lang), st.body))
    if notes:
        out.append(para(tr("Notes on the data ({n}):", lang, n=len(notes)), st.h2))
        out += [para("• " + issue_text(i, lang), st.small) for i in notes]
    return out


def method_flowables(a: Assessment, st: Styles, lang: str, project_file: str | None) -> list[Any]:
    """Weights, value functions, parameters, sensitivity settings and layer provenance."""
    m = a.measurements
    out: list[Any] = [para(tr("Method and sources", lang), st.h1)]
    missing = a.project.missing or "worst"
    out.append(
        para(
            tr(
                "Each criterion's measure becomes a value from 0 (worst) to 1 (best) through "
                "its value function; the value times the criterion's weight gives its points, "
                "and the score (0 to 100) is their sum. Distances and areas are measured in "
                "{crs}. A criterion that cannot be measured counts {missing}.",
                lang,
                crs=m.working_crs_label,
                missing=tr("as worst (0)", lang)
                if missing == "worst"
                else tr("as absent: the other weights are renormalised", lang),
            ),
            st.body,
        )
    )
    if a.ahp is not None:
        out.append(
            para(
                tr(
                    "Weights from an AHP pairwise matrix (consistency ratio {cr}).",
                    lang,
                    cr=number(a.ahp.consistency_ratio, lang, 3),
                ),
                st.body,
            )
        )
    head = [
        tr("Criterion", lang),
        tr("Weight", lang),
        tr("Scored measure", lang),
        tr("Value function", lang),
    ]
    rows: list[list[Any]] = [
        [para(h, st.cell_head_right if k == 1 else st.cell_head) for k, h in enumerate(head)]
    ]
    for c in a.criteria:
        rows.append(
            [
                para(criterion_title(c, lang), st.cell_bold),
                para(percent(c.weight, lang), st.cell_right),
                para(measure_label(c, lang), st.cell),
                para(value_function_text(c.transform, c.measure, lang), st.cell),
            ]
        )
    out.append(table(rows, [38 * MM, 17 * MM, 55 * MM, FRAME_W - 110 * MM]))
    out.append(spacer(2))
    for c in a.criteria:
        text = rationale_text(c, lang)
        if text:
            out.append(markup(f"{bold(criterion_title(c, lang))}. {escape(text)}", st.small))
    out.append(para(tr("Parameters", lang), st.h2))
    prow: list[list[Any]] = [
        [
            para(h, st.cell_head)
            for h in (tr("Criterion", lang), tr("Parameter", lang), tr("Value", lang))
        ]
    ]
    for c in a.criteria:
        for label, value in param_lines(c.name, c.params, lang):
            prow.append(
                [
                    para(criterion_title(c, lang), st.cell),
                    para(label, st.cell),
                    para(value, st.cell),
                ]
            )
    label, value = demand_text(a.project.demand_mw, lang)
    prow.append([para(tr("Project", lang), st.cell), para(label, st.cell), para(value, st.cell)])
    out.append(table(prow, [42 * MM, 88 * MM, FRAME_W - 130 * MM]))
    if a.sensitivity is not None:
        s = a.sensitivity
        out.append(spacer(2))
        out.append(
            para(
                tr(
                    "Sensitivity: {draws} draws, each weight multiplied by a factor drawn "
                    "uniformly between {lo} and {hi}, then renormalised; random seed {seed}.",
                    lang,
                    draws=number(s.draws, lang, 0),
                    lo=number(1 - s.spread, lang, 2),
                    hi=number(1 + s.spread, lang, 2),
                    seed=s.seed,
                ),
                st.body,
            )
        )
    out.append(para(tr("Layers and their provenance", lang), st.h2))
    layer_head = (
        tr("Layer", lang),
        tr("Source", lang),
        tr("Licence", lang),
        tr("Date", lang),
        tr("Features", lang),
        tr("File CRS", lang),
    )
    lrows: list[list[Any]] = [
        [para(h, st.cell_head_right if k == 4 else st.cell_head) for k, h in enumerate(layer_head)]
    ]
    for lyr in m.layers:
        p = lyr.provenance
        lrows.append(
            [
                markup(
                    f"{bold(escape(role_title(lyr.spec.role, lang)))}"
                    f"<br/>{escape(file_name(p.path))}",
                    st.cell_small,
                ),
                para(lyr.source_text(lang) or tr("not stated", lang), st.cell),
                para(p.licence or tr("not stated", lang), st.cell),
                para(p.date or tr("not stated", lang), st.cell),
                para(number(lyr.features, lang, 0), st.cell_right),
                para(lyr.source_crs, st.cell),
            ]
        )
    out.append(table(lrows, [40 * MM, 48 * MM, 22 * MM, 15 * MM, 17 * MM, FRAME_W - 142 * MM]))
    out.append(spacer(2))
    crows: list[list[Any]] = [[para(tr("File", lang), st.cell_head), para("SHA-256", st.cell_head)]]
    for lyr in m.layers:
        crows.append(
            [para(file_name(lyr.provenance.path), st.cell), para(lyr.provenance.sha256, st.mono)]
        )
    out.append(table(crows, [FRAME_W - 100 * MM, 100 * MM]))
    out.append(spacer(2))
    out.append(
        para(
            tr(
                "Produced by siteassess {version}. With the same project file and layers (same "
                "SHA-256), the command “siteassess score {project} --json” gives the same numbers.",
                lang,
                version=__version__,
                project=file_name(project_file) if project_file else tr("PROJECT", lang),
            ),
            st.small,
        )
    )
    return out
