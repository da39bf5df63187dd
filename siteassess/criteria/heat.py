"""Heat reuse: how near the site a district heating network could take its waste heat.

Measures, from the site outline (0 when it touches or crosses a network): the nearest heat
network of the ``heat_network`` layers (its name, operator and annual heat delivered), and
whether that network is published as a point only; the nearest network with a known trace;
and the share of the site inside a priority development perimeter (``heat_pdp`` layers).

A network published as a point only (France Chaleur Urbaine's ``reseaux_de_chaleur_sans_
traces``) is placed at the centroid of its commune: its pipes may run nearer to the site or
farther from it, so the distance to it is approximate either way; each presenter says so.

Why it matters: the recast EU energy-efficiency directive, (EU) 2023/1791, art. 26(6), asks
data centres with a total rated energy input above 1 MW to use their waste heat or other
waste-heat recovery applications unless they show that it is not technically or
economically feasible; art. 26(7) asks a new one of that size to assess the costs and
benefits of using it, including through a connection to a district heating network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely

from siteassess.criteria.base import (
    Context,
    Criterion,
    Explanation,
    Measure,
    Measured,
    Param,
    Row,
    SiteFacts,
    as_number,
    distance,
    distance_measure,
    is_missing,
    missing_layer_issue,
    nearest,
    window_exceeded,
)
from siteassess.errors import DataIssue, Name, Quantity, Reason
from siteassess.scoring.transforms import TransformSpec

NAME = "heat"
TITLE = "Waste heat reuse"
DISTANCE = "heat_network_distance_m"
NETWORK = "heat_network_name"
OPERATOR = "heat_network_operator"
DELIVERED = "heat_network_delivered_mwh"
POINT_ONLY = "heat_network_point_only"
TRACE = "heat_trace_distance_m"
PDP_SHARE = "heat_pdp_share_pct"
PDP_NETWORK = "heat_pdp_network_name"

# Where the value reaches 0: a siteassess judgement, not a sourced figure (no source found
# states how far waste heat is worth piping); the project sets reach_m for its case.
REACH_M = 10_000.0
HOURS_A_YEAR = 8_760.0

SPECS = (
    distance_measure(
        DISTANCE,
        "Nearest heat network",
        "distance from the site outline to the nearest heat network: its trace, or the "
        "point that stands for a network whose trace is not published (m)",
        headline=True,
        short="Heat network",
        named_by=NETWORK,
        compared=True,
        phrase="distance to the nearest heat network",
        figure="Nearest heat network",
    ),
    Measure(NETWORK, "Name of that heat network", "name of that heat network (else its id)"),
    Measure(OPERATOR, "Its operator", "operator of that heat network"),
    Measure(
        DELIVERED,
        "Heat it delivers a year",
        "annual heat delivered by that network, as France Chaleur Urbaine publishes it (MWh)",
        "MWh",
        "GWh",
        1e-3,
        decimals=1,
        better="high",
        compared=True,
    ),
    Measure(
        POINT_ONLY,
        "Nearest heat network known only as a point",
        "1 when that network is published as a point only (trace unknown: the distance is "
        "approximate), else 0",
        decimals=0,
        flag=True,
    ),
    distance_measure(
        TRACE,
        "Nearest heat network with a known trace",
        "distance from the site outline to the nearest heat network whose trace is published (m)",
    ),
    Measure(
        PDP_SHARE,
        "Share in a priority development perimeter",
        "share of the site area inside a heat network's priority development perimeter (%)",
        "%",
        decimals=1,
        better="high",
        resolution=1.0,
        compared=True,
    ),
    Measure(
        PDP_NETWORK,
        "Network of that perimeter",
        "the network whose priority perimeter covers most of the site (its name, else its id)",
    ),
)


def _pick(values: np.ndarray, idx: np.ndarray, kind: type = object) -> np.ndarray:
    out = np.full(len(idx), np.nan) if kind is float else np.full(len(idx), None, dtype=object)
    ok = idx >= 0
    out[ok] = values[idx[ok]]
    return out


def _texts(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    values = frame[col].astype("string")
    return np.array([None if pd.isna(v) or v == "" else str(v) for v in values], dtype=object)


def _networks(ctx: Context, out: pd.DataFrame, issues: list[DataIssue]) -> tuple[str, ...]:
    """The nearest-network measures into ``out``; the roles read too near (see too_far)."""
    nets = ctx.frame("heat_network")
    if nets is None:
        for key in (DISTANCE, DELIVERED, POINT_ONLY, TRACE):
            out[key] = np.nan
        out[NETWORK] = out[OPERATOR] = None
        issues.append(missing_layer_issue(NAME, "heat_network"))
        return ()
    geoms = ctx.sites.geometry.values
    ngeom = nets.geometry.values
    point = nets["point_only"].to_numpy(dtype=bool)
    i, d = nearest(geoms, ngeom)
    out[DISTANCE] = d
    out[NETWORK] = _pick(_texts(nets, "name"), i)
    out[OPERATOR] = _pick(_texts(nets, "operator"), i)
    out[DELIVERED] = _pick(nets["delivered_mwh"].to_numpy(dtype=float), i, float)
    out[POINT_ONLY] = _pick(point.astype(float), i, float)
    _, dt = nearest(geoms, ngeom[~point])
    out[TRACE] = dt
    by_point = int(np.nansum(out[POINT_ONLY].to_numpy(dtype=float)))
    if by_point:
        issues.append(
            DataIssue.of(
                "heat_network",
                Reason.of(
                    "heat_network_point_only",
                    "{n} sites have as nearest heat network one published as a point only "
                    "(its trace unknown): their distance to it is approximate",
                    n=by_point,
                ),
                action=Reason(
                    "heat_point_read",
                    "measured to the point; the nearest network with a known trace is given too",
                ),
                severity="info",
                count=by_point,
            )
        )
    layers = ctx.of("heat_network")
    return ("heat_network",) if window_exceeded(layers, d) or window_exceeded(layers, dt) else ()


def _perimeters(ctx: Context, out: pd.DataFrame, issues: list[DataIssue]) -> None:
    """The share of each site inside a priority development perimeter, and its network."""
    zones = ctx.frame("heat_pdp")
    n = len(ctx.sites)
    if zones is None:
        out[PDP_SHARE] = np.nan
        out[PDP_NETWORK] = None
        issues.append(
            DataIssue.of(
                "heat_pdp",
                Reason(
                    "no_heat_pdp_layer",
                    "no layer of heat network priority development perimeters in the project",
                ),
                action=not_measured_share(),
                severity="info",
            )
        )
        return
    from siteassess.criteria.zonal import overlap_area

    geoms = ctx.sites.geometry.values
    zg = zones.geometry.values
    with np.errstate(invalid="ignore", divide="ignore"):
        out[PDP_SHARE] = 100 * overlap_area(geoms, zg) / shapely.area(geoms)
    # The perimeter covering most of each site names its network.
    best = np.full(n, None, dtype=object)
    s_idx, z_idx = shapely.STRtree(zg).query(geoms, predicate="intersects")
    if len(s_idx):
        area = shapely.area(shapely.intersection(geoms[s_idx], zg[z_idx]))
        order = np.lexsort((-area, s_idx))
        s_idx, z_idx, area = s_idx[order], z_idx[order], area[order]
        first = np.r_[True, s_idx[1:] != s_idx[:-1]] & (area > 0)
        ids = _texts(zones, "network_id")
        names = _network_names(ctx)
        for si, zi in zip(s_idx[first].tolist(), z_idx[first].tolist(), strict=True):
            nid = ids[zi]
            best[si] = names.get(nid, nid) if nid is not None else None
    out[PDP_NETWORK] = best


def not_measured_share() -> Reason:
    """The action of the issue for a project without priority perimeters."""
    return Reason(
        "heat_pdp_unmeasured",
        "the share of each site inside one is not measured (NaN)",
    )


def _network_names(ctx: Context) -> dict[str, str]:
    """Network id -> name, from the heat network layers (for the perimeters' networks)."""
    nets = ctx.frame("heat_network")
    if nets is None or "network_id" not in nets.columns:
        return {}
    pairs = zip(_texts(nets, "network_id").tolist(), _texts(nets, "name").tolist(), strict=True)
    return {i: nm for i, nm in pairs if i is not None and nm is not None}


def _measure(ctx: Context, p: Mapping[str, Any]) -> Measured:
    out = pd.DataFrame(index=ctx.sites.index)
    issues: list[DataIssue] = []
    too_far = _networks(ctx, out, issues)
    _perimeters(ctx, out, issues)
    out = out[[m.key for m in SPECS]]
    sources = tuple(lyr.label for lyr in ctx.of("heat_network") + ctx.of("heat_pdp"))
    return Measured(measures=out, issues=tuple(issues), sources=sources, too_far=too_far)


# ----------------------------------------------------------------------------- explain


def _name(value: Any) -> Name | Reason:
    if is_missing(value):
        return Reason("heat_network_unnamed", "a network with no name")
    return Name(str(value))


def _gwh(mwh: Any) -> Quantity:
    return Quantity(as_number(mwh) / 1000, "GWh", 1)


def _nearest_sentence(m: Mapping[str, Any]) -> Reason:
    d = m.get(DISTANCE)
    name, operator = _name(m.get(NETWORK)), m.get(OPERATOR)
    if d == 0:
        return Reason.of(
            "heat_network_touching",
            "The heat network {name} crosses or touches the site outline.",
            name=name,
        )
    if is_missing(operator):
        return Reason.of(
            "heat_network_nearest",
            "Nearest heat network: {name}, {dist} from the site boundary.",
            name=name,
            dist=distance(d),
        )
    return Reason.of(
        "heat_network_nearest_operator",
        "Nearest heat network: {name}, run by {operator}, {dist} from the site boundary.",
        name=name,
        operator=Name(str(operator)),
        dist=distance(d),
    )


def _explain(f: SiteFacts) -> Explanation:
    """Why this heat score: the nearest network, what it delivers, whether it is a point."""
    m = f.measures
    s: list[Reason] = []
    d = m.get(DISTANCE)
    point = as_number(m.get(POINT_ONLY)) == 1
    if is_missing(d):
        s.append(
            Reason(
                "heat_unmeasured",
                "No heat network was found in the layers: heat reuse could not be measured.",
            )
        )
    else:
        s.append(_nearest_sentence(m))
        if point:
            s.append(
                Reason(
                    "heat_network_point",
                    "That network is published as a point only: France Chaleur Urbaine has "
                    "no trace of it and places it at the centre of its commune, so its pipes "
                    "may run nearer to the site or farther from it. Read this distance as "
                    "approximate.",
                )
            )
            if not is_missing(m.get(TRACE)):
                s.append(
                    Reason.of(
                        "heat_trace_nearest",
                        "Nearest heat network with a known trace: {dist}.",
                        dist=distance(m.get(TRACE)),
                    )
                )
        delivered = m.get(DELIVERED)
        if is_missing(delivered):
            s.append(Reason("heat_delivered_unknown", "Its annual heat delivered is not given."))
        else:
            s.append(
                Reason.of("heat_delivered", "It delivers {heat} a year.", heat=_gwh(delivered))
            )
            if f.demand_mw:
                s.append(_campus_heat(float(f.demand_mw), as_number(delivered)))
    s.extend(_perimeter_sentences(m))
    s.append(
        Reason(
            "heat_directive",
            "The recast EU energy-efficiency directive (2023/1791, art. 26) asks data centres "
            "above 1 MW to use their waste heat or show that it is not feasible.",
        )
    )
    return Explanation(tuple(s), _rows(m, point))


def _campus_heat(demand_mw: float, delivered_mwh: float) -> Reason:
    """The campus's own heat beside what the network delivers. All the electricity a data
    centre uses ends as heat: at full load, the demand times the hours of a year."""
    waste = demand_mw * HOURS_A_YEAR
    values = {"demand": Quantity(demand_mw, "MW", 0), "waste": _gwh(waste)}
    if waste > delivered_mwh:
        return Reason.of(
            "heat_campus_more",
            "At full load a {demand} campus gives off about {waste} of heat a year, more "
            "than this network delivers.",
            **values,
        )
    return Reason.of(
        "heat_campus_less",
        "At full load a {demand} campus gives off about {waste} of heat a year, less than "
        "this network delivers.",
        **values,
    )


def _perimeter_sentences(m: Mapping[str, Any]) -> list[Reason]:
    share = m.get(PDP_SHARE)
    if is_missing(share):
        return [
            Reason(
                "heat_pdp_missing",
                "No layer of priority development perimeters: whether the site lies in one "
                "is not measured.",
            )
        ]
    if as_number(share) <= 0:
        return [
            Reason(
                "heat_pdp_outside",
                "The site lies in no priority development perimeter of a heat network.",
            )
        ]
    return [
        Reason.of(
            "heat_pdp_inside",
            "{share} of the site lies in the priority development perimeter of {name}: a "
            "classified network, to which new buildings there must connect unless exempted.",
            share=Quantity(as_number(share), "%", 1),
            name=_name(m.get(PDP_NETWORK)),
        )
    ]


def _rows(m: Mapping[str, Any], point: bool) -> tuple[Row, ...]:
    d = m.get(DISTANCE)
    found = not is_missing(d)
    operator = m.get(OPERATOR)
    parts: tuple[Any, ...] = (
        _name(m.get(NETWORK)) if found else "",
        Name(str(operator)) if found and not is_missing(operator) else "",
        distance(d),
    )
    yes, no = Reason("", "yes"), Reason("", "no")
    share = m.get(PDP_SHARE)
    return (
        Row(
            Reason("", "Nearest heat network"),
            parts,
            Reason("", "(approximate: a point only)") if found and point else None,
        ),
        Row(Reason("", "Annual heat delivered"), (_gwh(m.get(DELIVERED)),)),
        Row(Reason("", "Known only as a point"), ((yes if point else no) if found else "",)),
        Row(Reason("", "Nearest heat network with a known trace"), (distance(m.get(TRACE)),)),
        Row(
            Reason("", "Share in a priority development perimeter"),
            (Quantity(as_number(share), "%", 1),),
        ),
    )


def _default_transform(p: Mapping[str, Any], demand: float | None) -> TransformSpec:
    return TransformSpec(kind="linear", best=0.0, worst=float(p["reach_m"]))


HEAT = Criterion(
    name=NAME,
    title=TITLE,
    roles=("heat_network", "heat_pdp"),
    params={
        "reach_m": Param(
            "number",
            REACH_M,
            "m",
            "distance to the nearest heat network at which the heat-reuse value reaches 0 "
            "(linear from 0 m)",
            minimum=100.0,
            label="Heat network distance at which the value reaches 0",
            panel=True,
            maximum=100_000.0,
            decimals=0,
            step=500.0,
            tip="A siteassess judgement (10 km by default), not a sourced figure: set it for "
            "the heat the campus could export",
        ),
    },
    specs=SPECS,
    default_measure=DISTANCE,
    default_transform=_default_transform,
    rationale=(
        "Linear from 1 at the heat network to 0 at 10 km. The recast EU energy-efficiency "
        "directive (2023/1791, art. 26) asks data centres above 1 MW to use their waste heat "
        "or show that it is not feasible, and a nearby network is the usual taker. The 10 km "
        "is a siteassess judgement, not a sourced figure; a network published as a point "
        "only gives an approximate distance."
    ),
    measure=_measure,
    explain=_explain,
    short_title="Heat",
    default_weight=0.0,
)
