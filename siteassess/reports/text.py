"""The ranking as plain text for the terminal.

Every line goes through :func:`siteassess.safetext.printable`: a control character in a
site name or id is shown as ``\\x1b``, never sent to the terminal.
"""

from __future__ import annotations

import math

from siteassess.assessment import Assessment
from siteassess.reports.illustrative import illustrative_criteria, illustrative_layers
from siteassess.safetext import printable
from siteassess.vocabulary import measure_info


def _fmt(v: object, spec: str, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return f"{v:{spec}}{unit}"


def _cut(text: str, width: int) -> str:
    """``text`` made printable, in ``width`` characters at most, with … when cut."""
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _columns(a: Assessment) -> list[tuple[str, str, str | None, int]]:
    """The headline measures the criteria declare: key, header, name column, width."""
    from siteassess.criteria import criterion_of, headline_measures

    params = a.measurements.params
    cols = []
    for m in headline_measures(params):
        if m.key not in a.measurements.measures.columns:
            continue
        given = params.get(criterion_of(m.key) or "", {})
        header = (m.short or m.label).format(
            **{k: f"{v:g}" if isinstance(v, int | float) else "?" for k, v in given.items()}
        )
        named = m.named_by if m.named_by in a.measurements.measures.columns else None
        width = 30 if named else max(10, len(header))
        cols.append((m.key, header, named, width))
    return cols


def _value(key: str, value: object) -> str:
    """A measure as the criterion declares it shown (unit, scale, decimals), in English."""
    info = measure_info(key, "en")
    number = value if isinstance(value, int | float) else math.nan
    unit = f" {info.unit}" if info.unit and info.unit != "%" else info.unit
    return _fmt(float(number) * info.scale, f".{info.decimals}f", unit)


def ranking_text(a: Assessment) -> str:
    """A ranked table of the sites with their headline measures and units, then data issues."""
    r = a.ranked()
    weights = ", ".join(f"{c.name} {c.weight * 100:.0f}%" for c in a.criteria)
    cols = _columns(a)
    head = "".join(f"{h:<{w}} " if named else f"{h:>{w}} " for _, h, named, w in cols)
    lines = [
        f"{a.project.name} — {len(r)} sites, working CRS {a.measurements.working_crs_label}",
        f"weights: {weights}",
        "",
        f"{'rank':>4}  {'score':>5}  {'site':<30} {'commune':<20} {head} p(1st)",
    ]
    for _, row in r.iterrows():
        rank = "—" if row["excluded"] else str(int(row["rank"]))
        commune = row.get("commune")
        commune = "" if not isinstance(commune, str) else commune
        cells = []
        for key, _, named, width in cols:
            text = _value(key, row.get(key))
            if named:
                name = row.get(named)
                text = f"{name} {text}" if isinstance(name, str) else "n/a"
                cells.append(f"{_cut(text, width):<{width}} ")
            else:
                cells.append(f"{text:>{width}} ")
        lines.append(
            f"{rank:>4}  {_fmt(row['score'], '5.1f')}  {_cut(str(row['name']), 30):<30} "
            f"{_cut(commune, 20):<20} {''.join(cells)} {_fmt(row.get('p_first', math.nan), '.2f')}"
        )
        if row["excluded"]:
            lines.append(f"{'':13}excluded: {row['exclusions']}")
        same = row.get("same_land_unit_as")
        if isinstance(same, str):
            lines.append(f"{'':13}same land unit as {same} ({a.site_name(same)})")
    approx = a.measurements.sites["approximate"]
    if approx.any():
        lines.append("")
        lines.append(f"{int(approx.sum())} site outlines are approximate (not surveyed).")
    shown = illustrative_layers(a)
    if shown:
        used = ", ".join(c.name for c in a.criteria if c.name in illustrative_criteria(a))
        lines.append(
            f"ILLUSTRATIVE layers, not real data: {'; '.join(shown)}"
            + (f" (used by {used}: the scores rest partly on them)." if used else ".")
        )
    rf = a.measurements.params.get("connectivity", {}).get("route_factor")
    if rf is not None:
        lines.append(f"RTT: 2 × route factor {rf:g} × geodesic distance × 4.9 µs/km.")
    if a.top_two and a.swaps:
        s = a.swaps[0]
        lines.append(
            f"Top two swap if the {s.criterion} weight goes from {s.weight_before * 100:.1f}% "
            f"to {s.weight_after * 100:.1f}% (others rescaled)."
        )
    warnings = [i for i in a.issues if i.severity != "info"]
    if warnings:
        lines.append("")
        lines.append(f"data issues ({len(warnings)}):")
        lines.extend(f"  - {i}" for i in warnings)
    return "\n".join(printable(line) for line in lines) + "\n"
