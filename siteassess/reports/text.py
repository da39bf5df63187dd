"""The ranking as plain text for the terminal, in English or French.

English is the default (what scripts have read so far); ``siteassess score --lang fr``
writes it in French, with French numbers. Every line goes through
:func:`siteassess.safetext.printable`: a control character in a site name or id is shown
as ``\\x1b``, never sent to the terminal.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from siteassess.assessment import Assessment, CriterionInfo
from siteassess.i18n import format_number, localise
from siteassess.reports.i18n_reports import tr
from siteassess.reports.illustrative import illustrative_criteria, illustrative_layers
from siteassess.reports.messages import issue_text, reason_text
from siteassess.safetext import printable
from siteassess.vocabulary import measure_info


def _fmt(v: object, spec: str, unit: str = "", lang: str = "en") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return format_number(None, lang)
    if lang != "en":
        decimals = int(spec.rsplit(".", 1)[1].rstrip("f"))
        return format_number(float(v), lang, decimals, unit.strip())  # type: ignore[arg-type]
    return f"{v:{spec}}{unit}"


def _t(text: str, lang: str, /, **values: Any) -> str:
    """``text`` in ``lang``; in English exactly the text filled in (scripts read it)."""
    return text.format(**values) if lang == "en" else tr(text, lang, **values)


def _cut(text: str, width: int) -> str:
    """``text`` made printable, in ``width`` characters at most, with … when cut."""
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _columns(a: Assessment, lang: str) -> list[tuple[str, str, str | None, int]]:
    """The headline measures the criteria declare: key, header, name column, width."""
    from siteassess.criteria import criterion_of, headline_measures

    params = a.measurements.params
    cols = []
    for m in headline_measures(params):
        if m.key not in a.measurements.measures.columns:
            continue
        given = params.get(criterion_of(m.key) or "", {})
        header = localise(m.short or m.label, lang).format(
            **{k: f"{v:g}" if isinstance(v, int | float) else "?" for k, v in given.items()}
        )
        named = m.named_by if m.named_by in a.measurements.measures.columns else None
        width = 30 if named else max(10, len(header))
        cols.append((m.key, header, named, width))
    return cols


def _value(key: str, value: object, lang: str) -> str:
    """A measure as the criterion declares it shown (unit, scale, decimals)."""
    info = measure_info(key, lang)
    number = value if isinstance(value, int | float) else math.nan
    unit = f" {info.unit}" if info.unit and info.unit != "%" else info.unit
    return _fmt(float(number) * info.scale, f".{info.decimals}f", unit, lang)


DEFAULT_ROWS = 25
"""Sites the terminal table shows by default: a screen, not the 8,000 rows of an inventory."""


def ranking_text(
    a: Assessment, lang: str = "en", *, rows: int | None = None, output: str | None = None
) -> str:
    """A ranked table of the sites with their headline measures and units, then data issues.

    ``rows`` limits the table to the best sites (None: every site); when some are left
    out, a summary line counts the ranked and excluded sites and says where all of them
    are: ``output`` (the file written), else how to see them.
    """
    r = a.ranked()
    total = len(r)
    if rows is not None and rows < total:
        r = r.iloc[: max(rows, 0)]

    def title(c: CriterionInfo) -> str:
        return c.name if lang == "en" else tr(c.title, lang)

    def pct(w: float) -> str:
        return f"{w * 100:.0f}%" if lang == "en" else format_number(w * 100, lang, 0, "%")

    weights = ", ".join(f"{title(c)} {pct(c.weight)}" for c in a.criteria)
    cols = _columns(a, lang)
    head = "".join(f"{h:<{w}} " if named else f"{h:>{w}} " for _, h, named, w in cols)
    words = {k: _t(k, lang) for k in ("rank", "score", "site", "commune", "p(1st)")}
    lines = [
        _t(
            "{project} — {n} sites, working CRS {crs}",
            lang,
            project=a.project.name,
            n=total,
            crs=a.measurements.working_crs_label,
        ),
        _t("weights: {weights}", lang, weights=weights),
        "",
        f"{words['rank']:>4}  {words['score']:>5}  {words['site']:<30} {words['commune']:<20} "
        f"{head} {words['p(1st)']}",
    ]
    for _, row in r.iterrows():
        rank = "—" if row["excluded"] else str(int(row["rank"]))
        commune = row.get("commune")
        commune = "" if not isinstance(commune, str) else commune
        cells = []
        for key, _, named, width in cols:
            text = _value(key, row.get(key), lang)
            if named:
                name = row.get(named)
                text = f"{name} {text}" if isinstance(name, str) else format_number(None, lang)
                cells.append(f"{_cut(text, width):<{width}} ")
            else:
                cells.append(f"{text:>{width}} ")
        lines.append(
            f"{rank:>4}  {_fmt(row['score'], '5.1f', lang=lang):>5}  "
            f"{_cut(str(row['name']), 30):<30} {_cut(commune, 20):<20} {''.join(cells)} "
            f"{_fmt(row.get('p_first', math.nan), '.2f', lang=lang)}"
        )
        if row["excluded"]:
            sid = str(row.name)
            why = (
                row["exclusions"]
                if lang == "en"
                else "; ".join(reason_text(x, lang) for x in a.reasons.get(sid, ()))
            )
            lines.append(f"{'':13}" + _t("excluded: {why}", lang, why=why))
        designated = a.designation(str(row.name))
        if designated is not None:
            what, source, date = designated
            note = " · ".join(x for x in (source, date) if x)
            lines.append(
                f"{'':13}"
                + _t("designated by the State: {what} (not scored)", lang, what=what)
                + (f" — {note}" if note else "")
            )
        same = row.get("same_land_unit_as")
        if isinstance(same, str):
            lines.append(
                f"{'':13}"
                + _t("same land unit as {id} ({name})", lang, id=same, name=a.site_name(same))
            )
    if len(r) < total:
        lines.extend(_summary(a, len(r), total, output, lang))
    approx = a.measurements.sites["approximate"]
    if approx.any():
        lines.append("")
        lines.append(
            _t("{n} site outlines are approximate (not surveyed).", lang, n=int(approx.sum()))
        )
    shown = illustrative_layers(a, None if lang == "en" else lang)
    if shown:
        flagged = illustrative_criteria(a)
        used = ", ".join(title(c) for c in a.criteria if c.name in flagged)
        names = "; ".join(shown)
        lines.append(
            _t("ILLUSTRATIVE layers, not real data: {names}", lang, names=names)
            + (
                _t(" (used by {used}: the scores rest partly on them).", lang, used=used)
                if used
                else "."
            )
        )
    rf = a.measurements.params.get("connectivity", {}).get("route_factor")
    if rf is not None:
        factor = f"{rf:g}" if lang == "en" else format_number(float(rf), lang, 1)
        lines.append(
            _t("RTT: 2 × route factor {rf} × geodesic distance × 4.9 µs/km.", lang, rf=factor)
        )
    if a.top_two and a.swaps:
        s = a.swaps[0]
        crit = next((c for c in a.criteria if c.name == s.criterion), None)
        lines.append(
            _t(
                "Top two swap if the {criterion} weight goes from {before} to {after} "
                "(others rescaled).",
                lang,
                criterion=s.criterion if crit is None else title(crit),
                before=_pct1(s.weight_before, lang),
                after=_pct1(s.weight_after, lang),
            )
        )
    warnings = [i for i in a.issues if i.severity != "info"]
    if warnings:
        lines.append("")
        lines.append(_t("data issues ({n}):", lang, n=len(warnings)))
        lines.extend(f"  - {i}" if lang == "en" else f"  - {issue_text(i, lang)}" for i in warnings)
    return "\n".join(printable(line) for line in lines) + "\n"


def _summary(a: Assessment, shown: int, total: int, output: str | None, lang: str) -> list[str]:
    """The lines under a cut table: how many sites, ranked and excluded, and where all are."""
    excluded = int(np.count_nonzero(a.table.excluded))

    def num(n: int) -> str:
        return f"{n:,}" if lang == "en" else format_number(float(n), lang, 0)

    where = (
        _t("All sites are in {file}.", lang, file=output)
        if output is not None
        else _t("Every site: --rows all, or --output FILE.", lang)
    )
    return [
        "",
        _t(
            "{shown} of {n} sites shown; ranked: {ranked}; excluded by a hard rule: {excluded}.",
            lang,
            shown=num(shown),
            n=num(total),
            ranked=num(total - excluded),
            excluded=num(excluded),
        )
        + " "
        + where,
    ]


def _pct1(share: float, lang: str) -> str:
    """A weight as a percentage with one decimal (``17.9%``, ``17,9 %``)."""
    return f"{share * 100:.1f}%" if lang == "en" else format_number(share * 100, lang, 1, "%")
