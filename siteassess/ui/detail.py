"""The detail of one site as HTML: every measure, how each criterion was scored, the issues.

Plain functions, no widgets: the main window shows the HTML in a text browser. Every value
that comes from the data is escaped (a site named ``<script>`` shows as text).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from siteassess.reports.messages import issue_action, issue_message, layer_name, reason_text
from siteassess.reports.pdf.explain import supply_tables, surface_used_text
from siteassess.ui.i18n_ui import language, tr
from siteassess.ui.labels import (
    criterion_label,
    fmt,
    fmt_pct,
    format_measure,
    measure_info,
)
from siteassess.value_text import value_function_text
from siteassess.vocabulary import layer_label

if TYPE_CHECKING:
    from siteassess.assessment import Assessment
    from siteassess.errors import DataIssue
    from siteassess.project import LayerSpec


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def source_text(spec: LayerSpec) -> str:
    """A layer's provenance in one line, flagged when illustrative."""
    source = spec.source_fr if language() == "fr" and spec.source_fr else spec.source
    parts = [source or tr("source not given")]
    if spec.licence:
        parts.append(spec.licence)
    if spec.date:
        parts.append(spec.date)
    text = ", ".join(parts)
    if spec.is_illustrative:
        text = tr("ILLUSTRATIVE") + " — " + text
    return text


def _layer_label(spec: LayerSpec) -> str:
    """A layer as the app names it: its name, else its role's title and file name."""
    return layer_label(spec.role, spec.name, spec.path, language())


def site_detail_html(a: Assessment, site_id: str) -> str:
    """Everything about one site: rank, score, criteria table, measures, sources, issues."""
    m = a.measurements
    ids = a.site_ids
    if site_id not in ids:
        return f"<p>{_e(tr('No site selected.'))}</p>"
    i = ids.index(site_id)
    site = m.sites.iloc[i]
    t = a.table
    name = str(site.get("name", site_id))
    out = [f"<h2>{_e(name)}</h2>"]
    facts = [site_id]
    commune, insee = site.get("commune"), site.get("insee")
    if isinstance(commune, str) and commune:
        facts.append(f"{commune} ({insee})" if isinstance(insee, str) and insee else commune)
    status = site.get("status")
    if isinstance(status, str) and status:
        facts.append(status)
    out.append(f'<p class="muted">{_e(" · ".join(facts))}</p>')
    if bool(site.get("approximate", False)):
        note = site.get("outline_note")
        text = tr("Approximate outline: not surveyed; areas and distances are estimates.")
        if isinstance(note, str) and note and language() == "en":
            text += " " + note  # the file's own note: data in its language (English here)
        out.append(f'<p class="warn">{_e(text)}</p>')

    designated = a.designation(site_id)
    if designated is not None:
        what, source, date = designated
        given = " · ".join(x for x in (source, date) if x)
        said = f"{what} — {given}" if given else what
        text = tr("Designated by the State (not scored): {source}").format(source=said)
        out.append(f"<p>{_e(text)}</p>")

    score = float(t.scores[i])
    ranked = int((~t.excluded).sum())
    if t.excluded[i]:
        head = tr("Excluded — would score {score} / 100").format(score=fmt(score, 1))
    else:
        head = tr("Rank {rank} of {n} — score {score} / 100").format(
            rank=int(t.ranks[i]), n=ranked, score=fmt(score, 1)
        )
    if a.sensitivity is not None:
        pf = fmt_pct(float(a.sensitivity.p_first[i]))
        rmin, rmax = int(a.sensitivity.rank_min[i]), int(a.sensitivity.rank_max[i])
        if not t.excluded[i] and rmin == rmax:
            head += " — " + tr("P(1st) {p}, rank {lo} in every draw").format(p=pf, lo=rmin)
        elif not t.excluded[i]:
            head += " — " + tr("P(1st) {p}, ranks {lo} to {hi}").format(p=pf, lo=rmin, hi=rmax)
    out.append(f'<p class="score">{_e(head)}</p>')
    same = a.same_land_unit_as(site_id)
    if same is not None:
        note = tr(
            "Same land unit as {name} ({id}): one candidate, listed several times in the "
            "inventory; the comparison and the shortlist keep the better record."
        ).format(name=a.site_name(same), id=same)
        out.append(f'<p class="warn">{_e(note)}</p>')
    reasons = a.reasons.get(site_id, ())
    if reasons:
        items = "".join(f"<li>{_e(reason_text(r, language()))}</li>" for r in reasons)
        out.append(f'<p class="bad">{_e(tr("Excluded because:"))}</p><ul>{items}</ul>')

    out.append(_criteria_table(a, i))
    out.append(_supply(a, site_id))
    surface = surface_used_text(a, site_id, language())
    if surface:
        out.append(f"<p>{_e(surface)}</p>")
    out.append(_measures_table(a, site_id))
    out.append(_issues(a, site_id))
    return "".join(out)


def _criteria_table(a: Assessment, i: int) -> str:
    m = a.measurements
    specs = {s.label: s for s in m.project.layers}
    heads = [("Criterion", 34), ("Measured value", 22), ("Value (0–1)", 14), ("Weight", 14)]
    heads.append(("Points", 16))
    cells = "".join(f'<th width="{w}%">{_e(tr(h))}</th>' for h, w in heads)
    rows = [f"<tr>{cells}</tr>"]
    for j, c in enumerate(a.criteria):
        raw = m.measures[c.measure].iloc[i] if c.measure in m.measures.columns else math.nan
        value = float(a.table.values[i, j])
        contribution = float(a.table.contributions[i, j])
        colon = "\u00a0: " if language() == "fr" else ": "
        sources = "; ".join(
            f"{_layer_label(specs[x])}{colon}{source_text(specs[x])}" if x in specs else x
            for x in c.sources
        )
        how = [
            tr("Measure scored: {v}").format(v=measure_info(c.measure).label),
            tr("Value function: {v}").format(
                v=value_function_text(c.transform, c.measure, language())
            ),
            tr("Data source: {v}").format(v=sources or tr("source not given")),
        ]
        rows.append(
            "<tr>"
            f"<td><b>{_e(criterion_label(c.name))}</b></td>"
            f'<td class="num">{_e(format_measure(c.measure, raw))}</td>'
            f'<td class="num">{_e(fmt(value, 2))}</td>'
            f'<td class="num">{_e(fmt_pct(c.weight, 1))}</td>'
            f'<td class="num">{_e(fmt(contribution, 1))}</td>'
            "</tr>"
            f'<tr><td colspan="5" class="how">{"<br>".join(_e(h) for h in how)}</td></tr>'
        )
    total = fmt(float(a.table.scores[i]), 1)
    rows.append(
        f'<tr><td colspan="4"><b>{_e(tr("Score (sum of the points)"))}</b></td>'
        f'<td class="num"><b>{_e(total)}</b></td></tr>'
    )
    title = _e(tr("How the score is made"))
    return f'<h3>{title}</h3><table width="100%">{"".join(rows)}</table>'


def _supply(a: Assessment, site_id: str) -> str:
    """The supply options: nearest in service at or above min kV and at 400 kV."""
    min_kv = a.measurements.params.get("power", {}).get("min_kv")
    parts = []
    for t in supply_tables(a, site_id, min_kv, language()):
        head = "".join(f"<th>{_e(h)}</th>" for h in t.head)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="num">{_e(v)}</td>' if k in (1, 3) else f"<td>{_e(v)}</td>"
                for k, v in enumerate(r)
            )
            + "</tr>"
            for r in t.rows
        )
        parts.append(f'<h3>{_e(t.title)}</h3><table width="100%"><tr>{head}</tr>{body}</table>')
    return "".join(parts)


def _measures_table(a: Assessment, site_id: str) -> str:
    measures = a.measurements.measures
    row = measures.loc[measures.index.astype(str) == site_id]
    if row.empty:
        return ""
    values = row.iloc[0]
    lines = []
    for key in measures.columns:
        info = measure_info(str(key))
        lines.append(
            f"<tr><td>{_e(info.label)}</td>"
            f'<td class="num">{_e(format_measure(str(key), values[key]))}</td></tr>'
        )
    head = _e(tr("Every measured value"))
    return f'<h3>{head}</h3><table width="100%">{"".join(lines)}</table>'


def _issues(a: Assessment, site_id: str) -> str:
    own = [iss for iss in a.issues if iss.site == site_id]
    general = [iss for iss in a.issues if not iss.site and iss.severity != "info"]
    notes = [iss for iss in a.issues if not iss.site and iss.severity == "info"]
    parts = [f"<h3>{_e(tr('Data issues'))}</h3>"]
    if not (own or general):
        parts.append(f"<p>{_e(tr('No data issue for this site.'))}</p>")
    parts.extend(_issue_list(own, "warn"))
    parts.extend(_issue_list(general, "warn"))
    if notes:
        parts.append(f'<p class="muted">{_e(tr("Notes:"))}</p>')
        parts.extend(_issue_list(notes, "muted"))
    return "".join(parts)


def _issue_list(issues: list[DataIssue], css: str) -> list[str]:
    if not issues:
        return []
    items = "".join(f"<li>{_e(issue_line(i, language()))}</li>" for i in issues)
    return [f'<ul class="{css}">{items}</ul>']


def issue_line(issue: DataIssue, lang: str) -> str:
    """A data issue in one line, in ``lang``: the layer (its file), the site, what, action."""
    where = layer_name(issue.layer, lang) + (f" ({issue.source})" if issue.source else "")
    site = " [" + tr("site {id}").format(id=issue.site) + "]" if issue.site else ""
    action = issue_action(issue, lang)
    colon = "\u00a0: " if lang == "fr" else ": "
    return f"{where}{site}{colon}{issue_message(issue, lang)}" + (f" — {action}" if action else "")


DETAIL_CSS = """
h2 { margin: 2px 0; } h3 { margin: 10px 0 4px; }
table { border-collapse: collapse; } th { background: #e8ecef; text-align: left; }
td, th { border: 1px solid #c8cdd2; padding: 2px 5px; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
.muted { color: #666; } .warn { color: #8a4b00; } .bad { color: #a01010; font-weight: bold; }
.score { font-weight: bold; font-size: 110%; }
td.how { color: #555; font-size: 90%; padding-left: 14px; }
"""


def separation_text(a: Assessment, ids: Sequence[str] | None = None) -> str:
    """Which criteria do not separate the sites (all assessed ones, or ``ids``), and why.

    Empty when every criterion separates them. The threshold is the core's
    (:data:`siteassess.scoring.separation.SEPARATION_SHARE` of the 0–1 value range).
    """
    from siteassess.scoring.separation import SEPARATION_SHARE, spreads

    if ids is None:
        rows = np.flatnonzero(~a.table.excluded)
    else:
        pos = {s: i for i, s in enumerate(a.site_ids)}
        rows = np.array([pos[s] for s in ids if s in pos], dtype=int)
    if len(rows) < 2:
        return ""
    names = [c.name for c in a.criteria]
    lines = []
    for c, sp in zip(a.criteria, spreads(names, a.table.values, rows), strict=True):
        if sp.separates or c.weight <= 0:
            continue
        raw = a.measurements.measures.get(c.measure)
        measured = ""
        if raw is not None:
            vals = pd.to_numeric(raw.iloc[rows], errors="coerce").dropna()
            if len(vals):
                measured = tr(" ({measure} from {low} to {high})").format(
                    measure=measure_info(c.measure).label,
                    low=format_measure(c.measure, float(vals.min())),
                    high=format_measure(c.measure, float(vals.max())),
                )
        lines.append(
            tr(
                "{criterion} does not separate these sites: their values lie between {low} "
                "and {high} on its 0–1 scale, less than {share} of that scale apart{measured}; "
                "it adds about the same points to every score."
            ).format(
                criterion=criterion_label(c.name),
                low=fmt(sp.low, 2),
                high=fmt(sp.high, 2),
                share=fmt_pct(SEPARATION_SHARE, 0),
                measured=measured,
            )
        )
    return "\n".join(lines)
