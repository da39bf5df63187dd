"""What a report says about each criterion for one site: sentences and measured values.

One explainer per built-in criterion (registered in :data:`EXPLAINERS`); a criterion the
reports do not know yet shows its measures as the core describes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from siteassess.assessment import Assessment, CriterionInfo
from siteassess.criteria import CRITERIA
from siteassess.criteria.power import LIST_400KV, LIST_MIN_KV
from siteassess.reports.i18n_reports import (
    display_name,
    distance_text,
    is_missing,
    measure_text,
    number,
    tr,
)
from siteassess.reports.pdf.wording import (
    FLAP,
    SCENARIOS,
    illustrative_layers,
    illustrative_warning,
    market_name,
    measures_of,
    scenario_name,
    site_index,
)


@dataclass(frozen=True)
class CriterionText:
    """What a report says about one criterion for one site."""

    sentences: list[str]
    rows: list[tuple[str, str]]  # (what was measured, value with unit)
    warnings: list[str] = field(default_factory=list)
    tables: list[ListTable] = field(default_factory=list)


@dataclass(frozen=True)
class ListTable:
    """A small table a criterion section lists (the supply options), with a title."""

    title: str
    head: list[str]
    rows: list[list[str]]


# ------------------------------------------------------------------------- per criterion


def _join(*parts: str) -> str:
    shown = [p for p in parts if p]
    if len(set(shown)) == 1 and shown[0] in ("n/a", "n.d."):
        return shown[0]  # "n/a", not "n/a · n/a"
    return " · ".join(shown)


def _power(a: Assessment, i: int, info: CriterionInfo, lang: str) -> CriterionText:
    m = measures_of(a, i)
    p = info.params
    min_kv = number(p.get("min_kv"), lang, 0, "kV")
    demand = a.project.demand_mw
    s: list[str] = []
    d = m.get("substation_distance_m")
    if is_missing(d):
        s.append(
            tr(
                "No in-service substation at or above {kv} was found in the layers: power "
                "could not be measured.",
                lang,
                kv=min_kv,
            )
        )
    elif d == 0:
        s.append(
            tr(
                "Nearest in-service substation at or above {kv}: {name} ({v}), inside or "
                "touching the site outline.",
                lang,
                kv=min_kv,
                name=display_name(m.get("substation_name")),
                v=number(m.get("substation_kv"), lang, 0, "kV"),
            )
        )
    else:
        s.append(
            tr(
                "Nearest in-service substation at or above {kv}: {name} ({v}), {dist} from "
                "the site boundary.",
                lang,
                kv=min_kv,
                name=display_name(m.get("substation_name")),
                v=number(m.get("substation_kv"), lang, 0, "kV"),
                dist=distance_text(d, lang),
            )
        )
    d400 = m.get("substation_400kv_distance_m")
    at_400 = float(p.get("min_kv") or 0) >= 400  # then the 400 kV line repeats the first
    if not is_missing(d400) and not at_400:
        s.append(
            tr(
                "Nearest 400 kV substation: {name}, {dist} from the site boundary.",
                lang,
                name=display_name(m.get("substation_400kv_name")),
                dist=distance_text(d400, lang),
            )
        )
    if demand is not None and demand >= 400 and float(p.get("min_kv") or 0) < 400:
        s.append(
            tr(
                "A {demand} campus is connected at 400 kV under CRE's fast-track procedure "
                "(400 MW to 1 GW); the score counts substations from {kv}, as the project "
                "sets, so read the 400 kV distance as well.",
                lang,
                demand=number(demand, lang, 0, "MW"),
                kv=min_kv,
            )
        )
    da = m.get("authorised_substation_distance_m")
    if not is_missing(da):
        counted = bool(p.get("include_authorised"))
        s.append(
            tr(
                "Nearest authorised substation not yet built: {name}, {dist} ({counted}).",
                lang,
                name=display_name(m.get("authorised_substation_name")),
                dist=distance_text(da, lang),
                counted=tr("counted in the score", lang)
                if counted
                else tr("not counted in the score", lang),
            )
        )
    rows = [
        (
            tr("Nearest in-service substation ≥ {kv}", lang, kv=min_kv),
            _join(
                display_name(m.get("substation_name")) if not is_missing(d) else "",
                measure_text("substation_kv", m.get("substation_kv"), lang)
                if not is_missing(d)
                else "",
                distance_text(d, lang),
            ),
        ),
    ]
    if not at_400:
        rows.append(
            (
                tr("Nearest in-service 400 kV substation", lang),
                _join(
                    display_name(m.get("substation_400kv_name")) if not is_missing(d400) else "",
                    distance_text(d400, lang),
                ),
            )
        )
    if "authorised_substation_distance_m" in m:
        rows.append(
            (
                tr("Nearest authorised substation ≥ {kv}, not yet built", lang, kv=min_kv),
                _join(
                    display_name(m.get("authorised_substation_name")) if not is_missing(da) else "",
                    distance_text(da, lang),
                ),
            )
        )
    if "line_distance_m" in m:
        lines = m.get("line_distance_m")
        rows.append(
            (
                tr("Nearest power line ≥ {kv}", lang, kv=min_kv),
                distance_text(lines, lang)
                if not is_missing(lines)
                else tr("not measured (no power-line layer)", lang),
            )
        )
    return CriterionText(s, rows, tables=supply_tables(a, a.site_ids[i], p.get("min_kv"), lang))


def supply_tables(a: Assessment, site_id: str, min_kv: Any, lang: str) -> list[ListTable]:
    """The supply options a planner weighs: nearest in service at ≥ min kV and at 400 kV."""
    options = a.supply(site_id)
    if not options:
        return []
    kv = number(min_kv, lang, 0, "kV")
    why = {
        LIST_MIN_KV: tr("among the 3 nearest at or above {kv}", lang, kv=kv),
        LIST_400KV: tr("among the 3 nearest at 400 kV", lang),
    }
    if min_kv is not None and float(min_kv) >= 400:  # one list: say it once
        why.pop(LIST_MIN_KV)
    sep = " ; " if lang == "fr" else "; "
    rows = [
        [
            display_name(o.name),
            number(o.kv, lang, 0, "kV"),
            tr("in service", lang) if o.state == "in_service" else tr(o.state, lang),
            distance_text(o.distance_m, lang),
            sep.join(why[k] for k in o.lists if k in why),
        ]
        for o in options
    ]
    head = [
        tr("Substation", lang),
        tr("Voltage", lang),
        tr("State", lang),
        tr("Distance from the outline", lang),
        tr("Listed as", lang),
    ]
    return [ListTable(tr("Supply options", lang), head, rows)]


def _flood(a: Assessment, i: int, info: CriterionInfo, lang: str) -> CriterionText:
    m = measures_of(a, i)
    p = info.params
    s: list[str] = []
    share = m.get("flood_share_any_pct")
    present = [sc for sc in SCENARIOS if f"flood_share_{sc}_pct" in m]
    if is_missing(share):
        s.append(tr("Flood exposure could not be measured (no usable flood layer).", lang))
    elif share == 0:
        s.append(tr("No part of the site lies in a flood zone of the layers.", lang))
    else:
        parts = ", ".join(
            scenario_name(sc, lang)
            + " "
            + measure_text("_pct", m.get(f"flood_share_{sc}_pct"), lang)
            for sc in present
        )
        s.append(
            tr(
                "{share} of the site lies in a flood zone of some scenario ({parts}).",
                lang,
                share=measure_text("_pct", share, lang),
                parts=parts,
            )
        )
    rule = str(p.get("exclude_scenario", "none"))
    if rule != "none":
        s.append(
            tr(
                "Exclusion rule: a site with more than {limit} of its area in the {scenario} "
                "scenario or a more frequent one is excluded.",
                lang,
                limit=number(p.get("exclude_above_pct"), lang, 0, "%"),
                scenario=scenario_name(rule, lang),
            )
        )
    if "flood" in a.measurements.exclusions and a.site_ids[i] in a.measurements.exclusions["flood"]:
        s.append(tr("This site is excluded by that rule.", lang))
    rows = [
        (
            tr(
                "Share of the site in the {scenario} scenario",
                lang,
                scenario=scenario_name(sc, lang),
            ),
            measure_text("_pct", m.get(f"flood_share_{sc}_pct"), lang),
        )
        for sc in present
    ]
    rows.append(
        (tr("Share of the site in any flood zone", lang), measure_text("_pct", share, lang))
    )
    if rule != "none" and "flood_share_excluding_pct" in m:
        rows.append(
            (
                tr("Share counted by the exclusion rule", lang),
                measure_text("_pct", m.get("flood_share_excluding_pct"), lang),
            )
        )
    for sc in SCENARIOS:
        if f"flood_max_depth_{sc}_m" in m:
            rows.append(
                (
                    tr(
                        "Maximum depth, {scenario} scenario", lang, scenario=scenario_name(sc, lang)
                    ),
                    number(m.get(f"flood_max_depth_{sc}_m"), lang, 2, "m"),
                )
            )
        if f"flood_coverage_{sc}_pct" in m:
            rows.append(
                (
                    tr(
                        "Raster coverage of the site, {scenario} scenario",
                        lang,
                        scenario=scenario_name(sc, lang),
                    ),
                    measure_text("_pct", m.get(f"flood_coverage_{sc}_pct"), lang),
                )
            )
    return CriterionText(s, rows)


def _connectivity(a: Assessment, i: int, info: CriterionInfo, lang: str) -> CriterionText:
    m = measures_of(a, i)
    p = info.params
    s: list[str] = []
    mean = m.get("rtt_flap_mean_ms")
    per_market = ", ".join(
        f"{market_name(mk, lang)} {measure_text('_ms', m.get(f'rtt_{mk.lower()}_ms'), lang)}"
        for mk in FLAP
    )
    if is_missing(mean):
        s.append(tr("The round trip to the FLAP markets could not be estimated.", lang))
    else:
        s.append(
            tr(
                "Estimated round trip to the FLAP markets: {mean} on average ({markets}).",
                lang,
                mean=measure_text("_ms", mean, lang),
                markets=per_market,
            )
        )
    s.append(
        tr(
            "Each is 2 × route factor {rf} × geodesic distance × {speed} µs/km: an estimate "
            "of the fibre round trip, not a measured latency.",
            lang,
            rf=number(p.get("route_factor"), lang, 2),
            speed=number(p.get("fibre_us_per_km"), lang, 1),
        )
    )
    if not is_missing(m.get("nearest_exchange_km")):
        s.append(
            tr(
                "Nearest internet exchange: {name}, {km} away ({rtt} round trip).",
                lang,
                name=display_name(m.get("nearest_exchange_name")),
                km=measure_text("_km", m.get("nearest_exchange_km"), lang),
                rtt=measure_text("_ms", m.get("rtt_nearest_ms"), lang),
            )
        )
    if not is_missing(m.get("fibre_distance_m")):
        s.append(
            tr(
                "Nearest fibre route: {dist} from the site boundary.",
                lang,
                dist=distance_text(m.get("fibre_distance_m"), lang),
            )
        )
    rows = []
    for mk in FLAP:
        key = mk.lower()
        if f"rtt_{key}_ms" not in m:
            continue
        value = _join(
            measure_text("_km", m.get(f"exchange_{key}_km"), lang),
            measure_text("_ms", m.get(f"rtt_{key}_ms"), lang),
        )
        if f"rtt_{key}_fibre_ms" in m:
            value += " " + tr(
                "(along the fibre: {rtt})",
                lang,
                rtt=measure_text("_ms", m.get(f"rtt_{key}_fibre_ms"), lang),
            )
        rows.append(
            (tr("{market}: distance and round trip", lang, market=market_name(mk, lang)), value)
        )
    rows.append((tr("Mean round trip to the FLAP markets", lang), measure_text("_ms", mean, lang)))
    if "rtt_flap_mean_fibre_ms" in m:
        rows.append(
            (
                tr("Mean round trip along the fibre network", lang),
                measure_text("_ms", m.get("rtt_flap_mean_fibre_ms"), lang),
            )
        )
    if "nearest_exchange_name" in m:
        rows.append(
            (
                tr("Nearest internet exchange", lang),
                _join(
                    display_name(m.get("nearest_exchange_name")),
                    measure_text("_km", m.get("nearest_exchange_km"), lang),
                    measure_text("_ms", m.get("rtt_nearest_ms"), lang),
                ),
            )
        )
    if "fibre_distance_m" in m:
        rows.append(
            (
                tr("Distance to the fibre network", lang),
                distance_text(m.get("fibre_distance_m"), lang),
            )
        )
    return CriterionText(s, rows)


def _land(a: Assessment, i: int, info: CriterionInfo, lang: str) -> CriterionText:
    m = measures_of(a, i)
    p = info.params
    approx = bool(a.measurements.sites["approximate"].iloc[i])
    area = measure_text("area_ha", m.get("area_ha"), lang)
    s = [
        tr("Area: {area} (approximate outline, not surveyed).", lang, area=area)
        if approx
        else tr("Area: {area}.", lang, area=area)
    ]
    surface = surface_used_text(a, a.site_ids[i], lang)
    if surface:
        s.append(surface)
    if not is_missing(m.get("power_density_mw_per_ha")):
        s.append(
            tr(
                "{demand} on this area is {density}.",
                lang,
                demand=number(a.project.demand_mw, lang, 0, "MW"),
                density=measure_text("_mw_per_ha", m.get("power_density_mw_per_ha"), lang),
            )
        )
    s.append(
        tr("Sites under {min} are excluded.", lang, min=number(p.get("min_area_ha"), lang, 0, "ha"))
    )
    rows = [
        (tr("Area", lang), area),
        (
            tr("Power density (demand / area)", lang),
            measure_text("_mw_per_ha", m.get("power_density_mw_per_ha"), lang),
        ),
    ]
    if "compactness" in m:
        rows.append(
            (
                tr("Compactness (Polsby-Popper: 1 for a disc, 0.79 for a square)", lang),
                number(m.get("compactness"), lang, 2),
            )
        )
    return CriterionText(s, rows)


def surface_used_text(a: Assessment, site_id: str, lang: str) -> str:
    """Which surface the outline stands for: the land unit, the site, or the parcels."""
    sites = a.measurements.sites
    if site_id not in sites.index:
        return ""
    row = sites.loc[site_id]
    how = row.get("outline_source")
    source = row.get("area_source")
    site_m2 = row.get("site_area_m2")
    site_ha = (
        number(float(site_m2) / 10_000, lang, 1, "ha")
        if not is_missing(site_m2) and float(site_m2) > 0
        else ""
    )
    if how == "parcels":
        return tr("Surface used: the union of the cadastral parcels of the land unit.", lang)
    if source == "unite_fonciere_surface":
        text = tr(
            "Surface used: the land unit stated by Cartofriches (unite_fonciere_surface), "
            "which can be much larger than the brownfield itself.",
            lang,
        )
        if site_ha:
            text += " " + tr("The site itself is stated as {area}.", lang, area=site_ha)
        return text
    if source == "site_surface":
        return tr("Surface used: the site surface stated by Cartofriches (site_surface).", lang)
    return ""


EXPLAINERS: dict[str, Callable[[Assessment, int, CriterionInfo, str], CriterionText]] = {
    "power": _power,
    "flood": _flood,
    "connectivity": _connectivity,
    "land": _land,
}


def criterion_text(a: Assessment, site_id: str, info: CriterionInfo, lang: str) -> CriterionText:
    """Sentences, measured values and warnings of one criterion for one site."""
    i = site_index(a, site_id)
    explain = EXPLAINERS.get(info.name)
    if explain is not None:
        out = explain(a, i, info, lang)
    else:  # a criterion this report does not know yet: its measures, described by the core
        m = measures_of(a, i)
        crit = CRITERIA.get(info.name)
        described = crit.measures if crit else {}
        rows = [
            (tr(desc, lang), measure_text(k, m.get(k), lang))
            for k, desc in described.items()
            if k in m
        ]
        out = CriterionText([], rows)
    warnings = [
        illustrative_warning(phrase, src, lang)
        for phrase, src in illustrative_layers(a, info.sources, lang)
    ]
    return CriterionText(out.sentences, out.rows, warnings, out.tables)


# ------------------------------------------------------------------------------ exclusions
