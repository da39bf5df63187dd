"""Grid capacity, connection cost and lead time: the part of the power criterion that reads
a ``grid_capacity`` layer.

The layer gives capacity steps (MW available from a year, cumulative), the quote-part in
€/MW and a source, either per zone (RTE's « zones de mutualisation pour l'accueil de la
consommation »: polygons) or per substation (a table joined to the substations layer by
the poste's code, else its name). The connection point of a site is the zone that holds
it (the line then runs to the nearest eligible substation) or the nearest substation the
table lists at or above the minimum voltage.

- ``grid_capacity_mw``: all the MW the steps add up to at that point;
- ``grid_capacity_year``: the first year the cumulative capacity reaches ``demand_mw``
  (NaN if it never does);
- ``connection_cost_eur``: line length × cost per km (by voltage, overhead or
  underground) + quote-part × ``demand_mw``; an indicative figure (see ``COST_SOURCES``);
- ``connection_lead_years``: from the reference year to the later of the capacity year and
  the end of building the line (build years by voltage).

Without a capacity layer every one of these is NaN (not measurable), never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely

from siteassess.criteria.base import (
    Context,
    Measure,
    Param,
    Row,
    SiteFacts,
    as_number,
    distance,
    distance_measure,
    is_missing,
    nearest,
)
from siteassess.errors import DataIssue, Name, Quantity, Reason, Term

ROLE = "grid_capacity"

# Voltage classes of a connection line: up to 90 kV, 150–225 kV, 400 kV.
CLASSES = ("90kv", "225kv", "400kv")

# Cost per km of a new connection line, € (ORDERS OF MAGNITUDE, siteassess planning
# assumptions, configurable): RTE's connection study (« proposition technique et
# financière ») gives the real figure. Overhead from the ranges of ACER's unit investment
# cost indicators for AC overhead lines and cables (ACER, 2023, updated 2026:
# acer.europa.eu, « Transmission infrastructure reference costs »); underground as the
# multiple of overhead that the French parliamentary report on burying HV lines gives by
# voltage (OPECST, C. Kert, 2001, AN n° 3477 / Sénat n° 154: about 2× at 63–90 kV, 3× at
# 225 kV, 5 to 10× at 400 kV).
COST_PER_KM = {
    ("overhead", "90kv"): 400_000.0,
    ("overhead", "225kv"): 700_000.0,
    ("overhead", "400kv"): 1_300_000.0,
    ("underground", "90kv"): 800_000.0,
    ("underground", "225kv"): 2_000_000.0,
    ("underground", "400kv"): 8_000_000.0,
}
# Years to build the connection line (studies, permits, works), by voltage: ORDERS OF
# MAGNITUDE (siteassess planning assumptions, configurable).
BUILD_YEARS = {"90kv": 3.0, "225kv": 4.0, "400kv": 7.0}
COST_SOURCES = (
    "ACER, unit investment cost indicators (2023, updated 2026); OPECST report on burying "
    "HV lines (C. Kert, 2001); CRE deliberation 2024-200 of 7 November 2024 (quote-part of "
    "the zones de mutualisation); orders of magnitude, siteassess planning assumptions"
)
LINE_TYPES = ("by_voltage", "overhead", "underground")


def voltage_class(kv: float) -> str:
    """The class of a connection line at ``kv`` (``90kv``, ``225kv``, ``400kv``)."""
    if kv >= 400:
        return "400kv"
    return "225kv" if kv >= 150 else "90kv"


def line_type(kind: str, cls: str) -> str:
    """Overhead or underground; ``by_voltage``: underground below 400 kV, as RTE's public
    service contract prefers for new lines, overhead at 400 kV (underground only
    exceptionally there; Sénat report n° 506, 2009-2010)."""
    if kind in ("overhead", "underground"):
        return kind
    return "overhead" if cls == "400kv" else "underground"


def _euros(key: str, label: str, description: str, **kw: Any) -> Measure:
    """A cost in euros, shown in M€ with one decimal, lower better."""
    return Measure(key, label, description, "€", "M€", 1e-6, decimals=1, better="low", **kw)


GRID_SPECS = (
    Measure(
        "grid_capacity_point",
        "Grid capacity zone or substation",
        "the capacity zone holding the site, or the listed substation it connects to",
    ),
    Measure(
        "grid_capacity_mw",
        "Grid capacity available",
        "MW available at the connection point or zone, all steps added",
        "MW",
        decimals=0,
        better="high",
        phrase="grid capacity available",
    ),
    Measure(
        "grid_capacity_year",
        "Year the demand can be connected",
        "first year the cumulative capacity reaches the demand (none if never)",
        decimals=0,
        better="low",
        phrase="year the demand can be connected",
    ),
    Measure(
        "grid_quote_part_eur_per_mw",
        "Quote-part of the shared works",
        "quote-part of the shared grid works (€/MW)",
        "€/MW",
        "k€/MW",
        1e-3,
        decimals=1,
        better="low",
    ),
    Measure(
        "connection_kv",
        "Connection voltage",
        "voltage of the substation the connection line runs to (kV)",
        "kV",
        decimals=0,
    ),
    distance_measure(
        "connection_line_m",
        "Connection line length",
        "length of the connection line, straight from the site outline (m)",
        phrase="connection line length",
    ),
    _euros("connection_line_cost_eur", "Connection line cost", "line length × cost per km (€)"),
    _euros("connection_quote_part_cost_eur", "Quote-part cost", "quote-part × demand (€)"),
    _euros(
        "connection_cost_eur",
        "Indicative connection cost",
        "line cost + quote-part cost (€), an order of magnitude",
        phrase="indicative connection cost",
    ),
    Measure(
        "connection_lead_years",
        "Connection lead time (years)",
        "years until the campus can be connected: the later of the capacity year and the "
        "end of building the line",
        decimals=0,
        better="low",
        phrase="connection lead time",
    ),
    Measure("grid_capacity_source", "Source of the capacity", "source of the capacity figures"),
)
_SPEC = {m.key: m for m in GRID_SPECS}


def _shown(m: Mapping[str, Any], key: str) -> Quantity:
    """A site's measured value as its declaration shows it (unit, scale, decimals)."""
    return _SPEC[key].quantity(m.get(key))


GRID_KEYS = [m.key for m in GRID_SPECS]


def _cost(kind: str, cls: str, label: str) -> Param:
    return Param(
        "number",
        COST_PER_KM[(kind, cls)],
        "€/km",
        f"cost per km of a new {kind} connection line (order of magnitude; {COST_SOURCES})",
        minimum=0.0,
        label=label,
    )


def _build(cls: str, label: str) -> Param:
    return Param(
        "number",
        BUILD_YEARS[cls],
        "",
        "years to build the connection line at this voltage (order of magnitude)",
        minimum=0.0,
        label=label,
    )


GRID_PARAMS: dict[str, Param] = {
    "cost_overhead_90kv_eur_per_km": _cost(
        "overhead", "90kv", "Cost per km, overhead line, 63–90 kV"
    ),
    "cost_overhead_225kv_eur_per_km": _cost(
        "overhead", "225kv", "Cost per km, overhead line, 150–225 kV"
    ),
    "cost_overhead_400kv_eur_per_km": _cost(
        "overhead", "400kv", "Cost per km, overhead line, 400 kV"
    ),
    "cost_underground_90kv_eur_per_km": _cost(
        "underground", "90kv", "Cost per km, underground line, 63–90 kV"
    ),
    "cost_underground_225kv_eur_per_km": _cost(
        "underground", "225kv", "Cost per km, underground line, 150–225 kV"
    ),
    "cost_underground_400kv_eur_per_km": _cost(
        "underground", "400kv", "Cost per km, underground line, 400 kV"
    ),
    "build_years_90kv": _build("90kv", "Years to build a connection line, 63–90 kV"),
    "build_years_225kv": _build("225kv", "Years to build a connection line, 150–225 kV"),
    "build_years_400kv": _build("400kv", "Years to build a connection line, 400 kV"),
    "line_type": Param(
        "choice",
        "by_voltage",
        "",
        "overhead or underground connection line; by_voltage: underground below 400 kV, "
        "overhead at 400 kV",
        choices=LINE_TYPES,
        label="Connection line type",
        choice_labels={
            "by_voltage": "by voltage (underground below 400 kV)",
            "overhead": "overhead",
            "underground": "underground",
        },
    ),
    "reference_year": Param(
        "number",
        None,
        "",
        "the year lead times count from (default: this year)",
        minimum=2000.0,
        label="Year lead times count from",
        decimals=0,
        default_text="this year",
    ),
}


def _steps(caps: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray, float, str]]:
    """Per point: years and cumulative MW (sorted by year), the quote-part, the source."""
    out = {}
    for point, rows in caps.groupby("point", sort=False):
        rows = rows.sort_values("year")
        qp = rows["quote_part_eur_per_mw"].to_numpy(dtype=float)
        sources = [str(s) for s in rows["source"].dropna().unique()]
        out[str(point)] = (
            rows["year"].to_numpy(dtype=float),
            np.cumsum(rows["mw"].to_numpy(dtype=float)),
            float(np.nanmax(qp)) if np.isfinite(qp).any() else float("nan"),
            "; ".join(sources),
        )
    return out


def measure_grid(
    ctx: Context,
    p: Mapping[str, Any],
    subs: pd.DataFrame | None,
    eligible: np.ndarray | None,
    nearest_distance: np.ndarray,
    nearest_kv: np.ndarray,
) -> tuple[pd.DataFrame, list[DataIssue]]:
    """The grid capacity measures of every site (NaN without a ``grid_capacity`` layer).

    ``nearest_distance`` and ``nearest_kv`` are the power criterion's nearest eligible
    substation (the line a site inside a capacity zone needs).
    """
    index = ctx.sites.index
    out = pd.DataFrame(np.nan, index=index, columns=GRID_KEYS)
    out["grid_capacity_point"] = None
    out["grid_capacity_source"] = None
    caps = ctx.frame(ROLE)
    if caps is None:
        issue = DataIssue.of(
            ROLE,
            Reason(
                "grid_capacity_missing",
                "no grid capacity layer in the project: the grid capacity, connection cost "
                "and lead time are not measurable",
            ),
            action=not_measured(),
            severity="info",
        )
        return out, [issue]
    issues: list[DataIssue] = []
    n = len(index)
    dist = np.full(n, np.nan)
    kv = np.full(n, np.nan)
    points = np.full(n, "", dtype=object)  # "" : the layer holds no point for the site
    shown = np.full(n, "", dtype=object)  # how the point is named: the zone, the poste's name
    by_sub = caps["by_substation"].astype(bool)
    zones = caps.loc[~by_sub & caps.geometry.notna()]
    if len(zones):
        inner = shapely.point_on_surface(ctx.sites.geometry.values)
        s_idx, z_idx = shapely.STRtree(zones.geometry.values).query(inner, predicate="within")
        zone_names = zones["point"].astype(str).to_numpy()
        first = np.unique(s_idx, return_index=True)[1]
        points[s_idx[first]] = zone_names[z_idx[first]]
        shown[s_idx[first]] = zone_names[z_idx[first]]
        inside = points != ""
        dist[inside] = nearest_distance[inside]
        kv[inside] = nearest_kv[inside]
    table = caps.loc[by_sub]
    if len(table) and subs is not None and eligible is not None:
        listed, unmatched = _listed_substations(table, subs)
        if unmatched:
            issues.append(
                DataIssue.of(
                    ROLE,
                    Reason.of(
                        "capacity_substation_unknown",
                        "{n} substations of the capacity table are not in the substations "
                        "layer read (by code or name): {names}",
                        n=len(unmatched),
                        names=", ".join(unmatched[:5]),
                    ),
                    action="not used",
                    count=len(unmatched),
                )
            )
        ok = eligible & listed.notna().to_numpy()
        i, d = nearest(ctx.sites.geometry.values, subs.geometry.values[ok])
        where = np.flatnonzero(ok)
        free = (points == "") & (i >= 0)
        pick = where[i[free]]
        points[free] = listed.to_numpy(dtype=object)[pick]
        shown[free] = subs["name"].astype(str).to_numpy(dtype=object)[pick]
        dist[free] = d[free]
        kv[free] = subs["kv"].to_numpy(dtype=float)[pick]
    steps = _steps(caps)
    demand = ctx.demand_mw
    ref = float(p.get("reference_year") or dt.date.today().year)
    for k in range(n):
        point = str(points[k])
        if point == "" or point not in steps:
            continue
        years, cum, qp, source = steps[point]
        mw = float(cum[-1])
        reach = np.flatnonzero(cum >= demand) if demand is not None else np.zeros(0, int)
        year = float(years[reach[0]]) if len(reach) else float("nan")
        cls = voltage_class(float(kv[k])) if np.isfinite(kv[k]) else None
        per_km = (
            float(p[f"cost_{line_type(str(p['line_type']), cls)}_{cls}_eur_per_km"])
            if cls
            else float("nan")
        )
        line_cost = dist[k] / 1000 * per_km
        qp_cost = qp * demand if demand is not None else float("nan")
        build = float(p[f"build_years_{cls}"]) if cls else float("nan")
        out.iloc[k, out.columns.get_loc("grid_capacity_mw")] = mw
        out.iloc[k, out.columns.get_loc("grid_capacity_year")] = year
        out.iloc[k, out.columns.get_loc("grid_quote_part_eur_per_mw")] = qp
        out.iloc[k, out.columns.get_loc("connection_line_m")] = dist[k]
        out.iloc[k, out.columns.get_loc("connection_kv")] = kv[k]
        out.iloc[k, out.columns.get_loc("connection_line_cost_eur")] = line_cost
        out.iloc[k, out.columns.get_loc("connection_quote_part_cost_eur")] = qp_cost
        out.iloc[k, out.columns.get_loc("connection_cost_eur")] = line_cost + qp_cost
        out.iloc[k, out.columns.get_loc("connection_lead_years")] = (
            max(year, ref + build) - ref if np.isfinite(year) else float("nan")
        )
        out.iloc[k, out.columns.get_loc("grid_capacity_source")] = source or None
    out["grid_capacity_point"] = shown
    return out, issues


def _listed_substations(table: pd.DataFrame, subs: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """Per substation, the capacity table's key naming it (NA when not listed); the keys
    that name no substation. A key matches a poste's code first, else its name."""

    def norm(values: pd.Series) -> pd.Series:
        return values.astype("string").str.strip().str.upper()

    keys = list(dict.fromkeys(str(v) for v in table["point"]))
    code = norm(subs["code"]) if "code" in subs.columns else pd.Series(pd.NA, index=subs.index)
    name = norm(subs["name"])
    listed = pd.Series(pd.NA, index=subs.index, dtype="object")
    unmatched = []
    for key in keys:
        hit = (code == key.upper()).fillna(False).to_numpy(dtype=bool)
        if not hit.any():
            hit = (name == key.upper()).fillna(False).to_numpy(dtype=bool)
        if not hit.any():
            unmatched.append(key)
        listed[hit] = key
    return listed, unmatched


def not_measured() -> Reason:
    """The action of the missing-layer issue."""
    return Reason(
        "grid_left_unmeasured",
        "grid capacity, connection cost and lead time left as not measurable (NaN)",
    )


def _year(value: Any) -> str:
    return str(int(as_number(value)))


def explain_grid(f: SiteFacts) -> tuple[list[Reason], list[Row]]:
    """The sentences and rows of the grid capacity part, for one site (none without the
    layer)."""
    m, p = f.measures, f.params
    point = m.get("grid_capacity_point")
    if is_missing(point):
        return [], []
    if point == "":
        return [
            Reason(
                "grid_no_point",
                "The site lies in no grid capacity zone and no substation of the capacity "
                "table is near it: whether the demand can be connected is not measured.",
            )
        ], []
    s: list[Reason] = []
    demand = f.demand_mw
    mw = Quantity(as_number(m.get("grid_capacity_mw")), "MW", 0)
    year = m.get("grid_capacity_year")
    if demand is not None and not is_missing(year):
        s.append(
            Reason.of(
                "grid_connectable",
                "Grid capacity at {point}: {mw} in all; the {demand} demand can be connected "
                "from {year}.",
                point=Name(str(point)),
                mw=mw,
                demand=Quantity(float(demand), "MW", 0),
                year=_year(year),
            )
        )
    elif demand is not None:
        s.append(
            Reason.of(
                "grid_not_connectable",
                "Grid capacity at {point}: {mw} in all, less than the {demand} demand: it "
                "cannot be connected there on the capacity published.",
                point=Name(str(point)),
                mw=mw,
                demand=Quantity(float(demand), "MW", 0),
            )
        )
    cost = m.get("connection_cost_eur")
    line = m.get("connection_line_m")
    if not is_missing(cost) and not is_missing(line):
        cls = voltage_class(as_number(m.get("connection_kv")))
        kind = line_type(str(p.get("line_type", "by_voltage")), cls)
        per_km = as_number(p.get(f"cost_{kind}_{cls}_eur_per_km"))
        s.append(
            Reason.of(
                "connection_cost",
                "Indicative connection cost {cost}: {length} of {kind} line at {per_km} "
                "({line_cost}), plus the quote-part of {qp} × {demand} ({qp_cost}); orders of "
                "magnitude, to check against RTE's connection study.",
                cost=_SPEC["connection_cost_eur"].quantity(cost),
                length=distance(line),
                kind=Term(kind),
                per_km=Quantity(per_km / 1e6, "M€/km", 2),
                line_cost=_shown(m, "connection_line_cost_eur"),
                qp=Quantity(as_number(m.get("grid_quote_part_eur_per_mw")) / 1e3, "k€/MW", 1),
                demand=Quantity(float(demand or 0), "MW", 0),
                qp_cost=_shown(m, "connection_quote_part_cost_eur"),
            )
        )
    lead = m.get("connection_lead_years")
    if not is_missing(lead):
        s.append(
            Reason.of(
                "connection_lead",
                "Connection lead time: {years} years (the later of the capacity year and "
                "the end of building the line).",
                years=round(as_number(lead)),
            )
        )
    rows = [
        Row(
            Reason("", "Grid capacity available"),
            (Name(str(point)), mw),
        ),
        Row(
            Reason("", "Year the demand can be connected"),
            (
                _year(year)
                if not is_missing(year)
                else Reason("", "never, on the capacity published"),
            ),
        ),
        Row(
            Reason("", "Indicative connection cost"),
            (_SPEC["connection_cost_eur"].quantity(cost),),
        ),
        Row(
            Reason("", "Connection lead time (years)"),
            (
                round(as_number(lead))
                if not is_missing(lead)
                else Reason("", "never, on the capacity published"),
            ),
        ),
    ]
    return s, rows
