"""The ranking as plain text for the terminal.

Every line goes through :func:`siteassess.safetext.printable`: a control character in a
site name or id is shown as ``\\x1b``, never sent to the terminal.
"""

from __future__ import annotations

import math

from siteassess.assessment import Assessment
from siteassess.reports.illustrative import illustrative_criteria, illustrative_layers
from siteassess.safetext import printable


def _fmt(v: object, spec: str, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    return f"{v:{spec}}{unit}"


def _cut(text: str, width: int) -> str:
    """``text`` made printable, in ``width`` characters at most, with … when cut."""
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def ranking_text(a: Assessment) -> str:
    """A ranked table of the sites with key measures and units, then data issues."""
    r = a.ranked()
    weights = ", ".join(f"{c.name} {c.weight * 100:.0f}%" for c in a.criteria)
    min_kv = a.measurements.params.get("power", {}).get("min_kv")
    both = min_kv is None or float(min_kv) < 400  # else the 400 kV column repeats the first
    lines = [
        f"{a.project.name} — {len(r)} sites, working CRS {a.measurements.working_crs_label}",
        f"weights: {weights}",
        "",
        f"{'rank':>4}  {'score':>5}  {'site':<30} {'commune':<20} {'substation ≥ min kV':<30} "
        + (f"{'400 kV':>8} " if both else "")
        + f"{'flood':>6} {'RTT FLAP':>9} {'area':>8}  p(1st)",
    ]
    for _, row in r.iterrows():
        rank = "—" if row["excluded"] else str(int(row["rank"]))
        km = row.get("substation_distance_m", math.nan) / 1000
        name = row.get("substation_name")
        sub = f"{name} {_fmt(km, '.1f', ' km')}" if isinstance(name, str) else "n/a"
        commune = row.get("commune")
        commune = "" if not isinstance(commune, str) else commune
        d400 = _fmt(row.get("substation_400kv_distance_m", math.nan) / 1000, "6.1f", " km")
        lines.append(
            f"{rank:>4}  {_fmt(row['score'], '5.1f')}  {_cut(str(row['name']), 30):<30} "
            f"{_cut(commune, 20):<20} {_cut(sub, 30):<30} "
            + (f"{d400:>8} " if both else "")
            + f"{_fmt(row.get('flood_share_any_pct', math.nan), '5.1f', '%'):>6} "
            f"{_fmt(row.get('rtt_flap_mean_ms', math.nan), '6.2f', ' ms'):>9} "
            f"{_fmt(row.get('area_ha', math.nan), '6.1f', ' ha'):>8}  "
            f"{_fmt(row.get('p_first', math.nan), '.2f')}"
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
