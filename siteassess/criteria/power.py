"""Power: distance from the site outline to the grid that can supply the campus.

Measures the nearest in-service substation at or above ``min_kv`` (distance from the site
outline, 0 when inside; its name and voltage), the nearest 400 kV substation, the nearest
authorised-but-not-built substation (reported apart; counted only with
``include_authorised = true``) and, with a ``power_lines`` layer, the nearest line at or
above ``min_kv``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
    k_nearest,
    missing_layer_issue,
    nan_frame,
    nearest,
    not_measurable,
    window_exceeded,
)
from siteassess.criteria.grid import GRID_KEYS, GRID_PARAMS, GRID_SPECS, explain_grid, measure_grid
from siteassess.errors import DataIssue, Name, Quantity, Reason, Term
from siteassess.scoring.transforms import TransformSpec

# Default minimum voltage from the campus's demand (FACTS.md, CRE and Enedis figures):
# a distribution (HTA) connection is capped around 40 MW, so beyond that the site needs
# RTE's HTB grid; from 400 MW to 1 GW, CRE's 2025 fast-track procedure connects
# consumers directly to the 400 kV grid. Between the two, 225 kV is RTE's usual
# connection level for large consumers (siteassess planning assumption).
KV_RULE = ((40.0, 63.0), (400.0, 225.0))  # (demand below MW, minimum kV); else 400 kV


def default_min_kv(demand_mw: float | None) -> float:
    """The minimum substation voltage (kV) a campus of ``demand_mw`` needs."""
    if demand_mw is None:
        return 225.0
    for below, kv in KV_RULE:
        if demand_mw < below:
            return kv
    return 400.0


def low_kv_reason(min_kv: float | None, demand_mw: float | None) -> Reason | None:
    """Why ``min_kv`` is too low for a campus of ``demand_mw`` (None when it is not)."""
    if min_kv is None or demand_mw is None:
        return None
    need = default_min_kv(demand_mw)
    if float(min_kv) >= need:
        return None
    return Reason.of(
        "min_kv_below_demand",
        "min_kv = {kv} is below the {need} a {demand} campus needs: substations from {kv} "
        "are scored as if they could supply it",
        kv=Quantity(float(min_kv), "kV"),
        need=Quantity(need, "kV"),
        demand=Quantity(float(demand_mw), "MW"),
    )


def min_kv_warning(min_kv: float | None, demand_mw: float | None) -> str | None:
    """A warning when ``min_kv`` is set below what a campus of ``demand_mw`` needs."""
    reason = low_kv_reason(min_kv, demand_mw)
    return None if reason is None else reason.text()


# The voltages of the RTE network a planner picks the minimum from (kV).
KV_LEVELS = (63.0, 90.0, 150.0, 225.0, 400.0)


def _low_kv(min_kv: Any, demand_mw: float | None) -> dict[str, float] | None:
    """The values of the panel's warning when ``min_kv`` is below what the demand needs."""
    if min_kv is None or not demand_mw or min_kv_warning(min_kv, demand_mw) is None:
        return None
    return {"need": default_min_kv(demand_mw), "demand": float(demand_mw)}


SUPPLY_OPTIONS = 3  # how many substations each list of supply options holds
LIST_MIN_KV = "min_kv"  # the nearest in service at or above the minimum voltage
LIST_400KV = "400kv"  # the nearest in service at 400 kV


@dataclass(frozen=True)
class SupplyOption:
    """A substation a planner weighs as the campus's supply, measured from the outline."""

    name: str
    kv: float
    state: str  # "in_service" (the lists hold only substations in service)
    distance_m: float  # from the site outline (0 when inside)
    x: float  # the substation, in the working CRS
    y: float
    lists: tuple[str, ...]  # LIST_MIN_KV and/or LIST_400KV


SupplyPairs = list[tuple[str, np.ndarray, np.ndarray, np.ndarray]]


def nearest_supply(
    geoms: np.ndarray, subs: pd.DataFrame, masks: Mapping[str, np.ndarray], k: int
) -> tuple[SupplyPairs, np.ndarray]:
    """Per list, (name, site row, substation row, distance) of the ``k`` nearest; farthest."""
    farthest = np.full(len(geoms), np.nan)
    pairs: SupplyPairs = []
    for list_name, mask in masks.items():
        where = np.flatnonzero(mask)
        s_idx, t_idx, dist = k_nearest(geoms, subs.geometry.values[where], k)
        np.fmax.at(farthest, s_idx, dist)
        pairs.append((list_name, s_idx, where[t_idx], dist))
    return pairs, farthest


def build_supply_options(
    index: pd.Index, subs: pd.DataFrame, pairs: SupplyPairs
) -> dict[str, tuple[SupplyOption, ...]]:
    """The supply options of each site from :func:`nearest_supply`'s pairs."""
    names = subs["name"].astype(str).to_numpy()
    kv = subs["kv"].to_numpy(dtype=float)
    state = subs["state"].astype(str).to_numpy()
    pts = shapely.point_on_surface(subs.geometry.values)
    xs, ys = shapely.get_x(pts), shapely.get_y(pts)
    found: dict[int, dict[int, tuple[float, list[str]]]] = {}
    for list_name, s_idx, t_idx, dist in pairs:
        for si, ti, d in zip(s_idx.tolist(), t_idx.tolist(), dist.tolist(), strict=True):
            entry = found.setdefault(si, {}).setdefault(ti, (d, []))
            entry[1].append(list_name)
    out: dict[str, tuple[SupplyOption, ...]] = {}
    for si, by_sub in found.items():
        opts = [
            SupplyOption(
                name=names[ti],
                kv=float(kv[ti]),
                state=state[ti],
                distance_m=float(d),
                x=float(xs[ti]),
                y=float(ys[ti]),
                lists=tuple(lists),
            )
            for ti, (d, lists) in by_sub.items()
        ]
        opts.sort(key=lambda o: (o.distance_m, -o.kv, o.name))
        out[str(index[si])] = tuple(opts)
    return out


def _repeats_the_first(params: Mapping[str, Any]) -> bool:
    """True when the minimum voltage is 400 kV: the nearest 400 kV substation is then the
    nearest eligible one, and its measure repeats ``substation_distance_m``."""
    kv = params.get("min_kv")
    return kv is not None and float(kv) >= 400


SPECS = (
    distance_measure(
        "substation_distance_m",
        "Substation ≥ minimum voltage",
        "distance from the site outline to the nearest in-service substation at or above "
        "the minimum voltage (m)",
        headline=True,
        short="Substation ≥ {min_kv} kV",
        phrase="distance to the nearest substation",
        figure="Nearest substation ≥ {min_kv}",
        named_by="substation_name",
        detail_by="substation_kv",
        compared=True,
    ),
    Measure("substation_name", "Name of that substation", "name of that substation"),
    Measure(
        "substation_kv",
        "Its voltage",
        "its voltage (kV, RTE gives the highest of the poste)",
        "kV",
        decimals=0,
    ),
    distance_measure(
        "substation_400kv_distance_m",
        "Nearest 400 kV substation",
        "distance to the nearest in-service 400 kV substation (m)",
        headline=True,
        short="400 kV substation",
        phrase="distance to the nearest 400 kV substation",
        figure="Nearest 400 kV substation",
        named_by="substation_400kv_name",
        compared=True,
        hidden=_repeats_the_first,  # at a 400 kV minimum it is the first substation
    ),
    Measure(
        "substation_400kv_name", "Name of the 400 kV substation", "name of that 400 kV substation"
    ),
    distance_measure(
        "authorised_substation_distance_m",
        "Authorised substation (not built)",
        "distance to the nearest authorised, not yet built substation at or above the "
        "minimum voltage (m)",
    ),
    Measure(
        "authorised_substation_name",
        "Name of the authorised substation",
        "name of that authorised substation",
    ),
    distance_measure(
        "line_distance_m",
        "Power line ≥ minimum voltage",
        "distance to the nearest power line at or above the minimum voltage (m)",
    ),
    *GRID_SPECS,
)
MEASURES = {m.key: m.description for m in SPECS}


def _measure(ctx: Context, p: Mapping[str, Any]) -> Measured:
    index = ctx.sites.index
    subs = ctx.frame("substations")
    issues: list[DataIssue] = []
    if subs is None:
        grid, grid_issues = measure_grid(
            ctx, p, None, None, np.full(len(index), np.nan), np.full(len(index), np.nan)
        )
        return Measured(
            measures=pd.concat(
                [nan_frame(index, [k for k in MEASURES if k not in GRID_KEYS]), grid], axis=1
            ),
            issues=(missing_layer_issue("power", "substations"), *grid_issues),
        )
    geoms = ctx.sites.geometry.values
    min_kv = float(p["min_kv"])
    kv = subs["kv"].to_numpy(dtype=float)
    state = subs["state"].astype(str).to_numpy()
    in_service = state == "in_service"
    authorised = state == "authorised"
    ok_kv = kv >= min_kv  # NaN voltages (<45kV, DC, unknown) never pass
    eligible = ok_kv & (in_service | (authorised if p["include_authorised"] else False))
    names = subs["name"].astype(str).to_numpy()
    sgeom = subs.geometry.values
    out = pd.DataFrame(index=index)
    too_far: list[str] = []

    i, d = nearest(geoms, sgeom[eligible])
    out["substation_distance_m"] = d
    out["substation_name"] = _pick(names[eligible], i)
    out["substation_kv"] = _pick(kv[eligible], i, float)
    i4, d4 = nearest(geoms, sgeom[(kv >= 400) & in_service])
    out["substation_400kv_distance_m"] = d4
    out["substation_400kv_name"] = _pick(names[(kv >= 400) & in_service], i4)
    ia, da = nearest(geoms, sgeom[ok_kv & authorised])
    out["authorised_substation_distance_m"] = da
    out["authorised_substation_name"] = _pick(names[ok_kv & authorised], ia)
    lines = ctx.frame("power_lines")
    if lines is not None:
        lmask = lines["kv"].to_numpy(dtype=float) >= min_kv
        _, dl = nearest(geoms, lines.geometry.values[lmask])
        out["line_distance_m"] = dl
        if window_exceeded(ctx.of("power_lines"), dl):
            too_far.append("power_lines")
    else:
        out["line_distance_m"] = np.nan

    pairs, farthest = nearest_supply(
        geoms,
        subs,
        {LIST_MIN_KV: ok_kv & in_service, LIST_400KV: (kv >= 400) & in_service},
        SUPPLY_OPTIONS,
    )
    # Any nearest found beyond the read window may hide a nearer one outside it: the
    # assessment reads the whole layer and measures again, so nothing more is worked out.
    if any(window_exceeded(ctx.of("substations"), x) for x in (d, d4, da, farthest)):
        return Measured(measures=out, too_far=("substations", *too_far))
    supply = build_supply_options(index, subs, pairs)

    grid, grid_issues = measure_grid(
        ctx, p, subs, eligible, d, out["substation_kv"].to_numpy(dtype=float)
    )
    out = pd.concat([out, grid], axis=1)
    issues.extend(grid_issues)
    low = low_kv_reason(min_kv, ctx.demand_mw)
    if low is not None:
        issues.append(
            DataIssue.of(
                "project",
                low,
                action=Reason.of(
                    "remove_min_kv",
                    "remove min_kv (default {default}) or lower demand_mw",
                    default=Quantity(default_min_kv(ctx.demand_mw), "kV"),
                ),
            )
        )
    if not eligible.any():
        issues.append(
            DataIssue.of(
                "substations",
                Reason.of(
                    "no_eligible_substation",
                    "no in-service substation at or above {kv} in the layers read",
                    kv=Quantity(min_kv, "kV"),
                ),
                action=not_measurable(Term(POWER_TITLE, plain="power")),
            )
        )
    exclusions: dict[str, tuple[Reason, ...]] = {}
    limit = p.get("max_distance_m")
    if limit is not None:
        far = d > float(limit)
        for k in np.flatnonzero(far):
            exclusions[str(index[k])] = (
                Reason.of(
                    "power_too_far",
                    "no substation ≥ {kv} within {limit} (nearest: {name} at {distance})",
                    kv=Quantity(min_kv, "kV"),
                    limit=Quantity(float(limit) / 1000, "km"),
                    name=Name(str(out["substation_name"].iloc[k])),
                    distance=Quantity(float(d[k]) / 1000, "km", 1),
                ),
            )
    sources = tuple(
        lyr.label for lyr in ctx.of("substations") + ctx.of("power_lines") + ctx.of("grid_capacity")
    )
    return Measured(
        measures=out,
        exclusions=exclusions,
        issues=tuple(issues),
        sources=sources,
        too_far=tuple(too_far),
        nearby=supply,
    )


def _pick(values: np.ndarray, idx: np.ndarray, kind: type = object) -> np.ndarray:
    out = np.full(len(idx), np.nan) if kind is float else np.full(len(idx), None, dtype=object)
    ok = idx >= 0
    out[ok] = values[idx[ok]]
    return out


def _name(value: Any) -> Name | str:
    return "" if is_missing(value) else Name(str(value))


def _explain(f: SiteFacts) -> Explanation:
    """Why this power score: the substations measured, named, with their distances."""
    m, p = f.measures, f.params
    kv = Quantity(as_number(p.get("min_kv")), "kV", 0)
    s: list[Reason] = []
    d = m.get("substation_distance_m")
    name = _name(m.get("substation_name"))
    voltage = Quantity(as_number(m.get("substation_kv")), "kV", 0)
    if is_missing(d):
        s.append(
            Reason.of(
                "power_unmeasured",
                "No in-service substation at or above {kv} was found in the layers: power "
                "could not be measured.",
                kv=kv,
            )
        )
    elif d == 0:
        s.append(
            Reason.of(
                "substation_inside",
                "Nearest in-service substation at or above {kv}: {name} ({v}), inside or "
                "touching the site outline.",
                kv=kv,
                name=name,
                v=voltage,
            )
        )
    else:
        s.append(
            Reason.of(
                "substation_nearest",
                "Nearest in-service substation at or above {kv}: {name} ({v}), {dist} from "
                "the site boundary.",
                kv=kv,
                name=name,
                v=voltage,
                dist=distance(d),
            )
        )
    d400 = m.get("substation_400kv_distance_m")
    at_400 = _repeats_the_first(p)  # then the 400 kV line repeats the first
    if not is_missing(d400) and not at_400:
        s.append(
            Reason.of(
                "substation_400kv",
                "Nearest 400 kV substation: {name}, {dist} from the site boundary.",
                name=_name(m.get("substation_400kv_name")),
                dist=distance(d400),
            )
        )
    demand = f.demand_mw
    if demand is not None and demand >= 400 and not at_400:
        s.append(
            Reason.of(
                "fast_track_400kv",
                "A {demand} campus is connected at 400 kV under CRE's fast-track procedure "
                "(400 MW to 1 GW); the score counts substations from {kv}, as the project "
                "sets, so read the 400 kV distance as well.",
                demand=Quantity(float(demand), "MW", 0),
                kv=kv,
            )
        )
    da = m.get("authorised_substation_distance_m")
    if not is_missing(da):
        counted = (
            Reason("counted", "counted in the score")
            if p.get("include_authorised")
            else Reason("not_counted", "not counted in the score")
        )
        s.append(
            Reason.of(
                "authorised_substation",
                "Nearest authorised substation not yet built: {name}, {dist} ({counted}).",
                name=_name(m.get("authorised_substation_name")),
                dist=distance(da),
                counted=counted,
            )
        )
    found = not is_missing(d)
    rows = [
        Row(
            Reason.of("", "Nearest in-service substation ≥ {kv}", kv=kv),
            (name if found else "", voltage if found else "", distance(d)),
        )
    ]
    if not at_400:
        rows.append(
            Row(
                Reason("", "Nearest in-service 400 kV substation"),
                (
                    _name(m.get("substation_400kv_name")) if not is_missing(d400) else "",
                    distance(d400),
                ),
            )
        )
    if "authorised_substation_distance_m" in m:
        rows.append(
            Row(
                Reason.of("", "Nearest authorised substation ≥ {kv}, not yet built", kv=kv),
                (
                    _name(m.get("authorised_substation_name")) if not is_missing(da) else "",
                    distance(da),
                ),
            )
        )
    if "line_distance_m" in m:
        lines = m.get("line_distance_m")
        rows.append(
            Row(
                Reason.of("", "Nearest power line ≥ {kv}", kv=kv),
                (
                    distance(lines)
                    if not is_missing(lines)
                    else Reason("", "not measured (no power-line layer)"),
                ),
            )
        )
    grid_sentences, grid_rows = explain_grid(f)
    return Explanation((*s, *grid_sentences), (*rows, *grid_rows))


def _default_transform(p: Mapping[str, Any], demand: float | None) -> TransformSpec:
    return TransformSpec(kind="linear", best=0.0, worst=float(p["full_cost_distance_m"]))


POWER_TITLE = "Power supply"
POWER = Criterion(
    name="power",
    title=POWER_TITLE,
    roles=("substations", "power_lines"),  # grid_capacity is optional: it adds measures
    params={
        "min_kv": Param(
            "number",
            None,
            "kV",
            "minimum substation voltage; default from demand_mw: below 40 MW 63 kV, below "
            "400 MW 225 kV, else 400 kV",
            minimum=0.0,
            label="Minimum substation voltage",
            panel=True,
            decimals=0,
            levels=KV_LEVELS,
            default_text="from the demand (default)",
            warning="Below the {need} kV a {demand} MW campus needs: the score counts "
            "substations that cannot supply it.",
            warn=_low_kv,
        ),
        "include_authorised": Param(
            "bool",
            False,
            "",
            "count authorised (not yet built) substations as available",
            label="Authorised (not yet built) substations counted",
        ),
        "max_distance_m": Param(
            "number",
            None,
            "m",
            "exclude sites with no eligible substation within this distance",
            minimum=0.0,
            label="Exclusion beyond this distance to a substation",
            default_text="no limit",
        ),
        "full_cost_distance_m": Param(
            "number",
            20_000.0,
            "m",
            "distance at which the power value reaches 0 (linear from 0 m)",
            minimum=1.0,
            label="Substation distance at which the value reaches 0",
        ),
        **GRID_PARAMS,
    },
    specs=SPECS,
    default_measure="substation_distance_m",
    default_transform=_default_transform,
    rationale=(
        "Linear from 1 at 0 m to 0 at 20 km: the cost and lead time of a dedicated HV "
        "connection grow with its length (siteassess planning assumption, which the project "
        "can change)."
    ),
    measure=_measure,
    derived_defaults=lambda demand: {"min_kv": default_min_kv(demand)},
    explain=_explain,
    default_weight=40.0,
)
