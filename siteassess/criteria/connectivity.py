"""Connectivity: estimated round-trip time to the internet exchanges of the FLAP markets.

RTT = 2 × route factor × geodesic distance × fibre delay (4.9 µs/km: light in fibre,
group index about 1.47). With a ``fibre`` layer: the distance to the nearest fibre, and
when it is a connected line network a second estimate routed along it
(``rtt_<market>_fibre_ms``, see ``fibre_network``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

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
    family,
    is_missing,
    missing_layer_issue,
    nearest,
)
from siteassess.criteria.fibre_network import route_lengths_m
from siteassess.errors import DataIssue, Listing, Name, Quantity, Reason, Term
from siteassess.layers.roles import FLAP_MARKETS
from siteassess.scoring.transforms import TransformSpec

GEOD = Geod(ellps="WGS84")
FIBRE_US_PER_KM = 4.9


def round_trip(key: str, label: str, description: str, **kw: Any) -> Measure:
    """A round trip in ms, two decimals, meaningful to 0.1 ms (a route factor's estimate)."""
    return Measure(key, label, description, "ms", decimals=2, better="low", resolution=0.1, **kw)


def exchange_distance(key: str, label: str, description: str, **kw: Any) -> Measure:
    """A geodesic distance in km to an exchange, one decimal, meaningful to 1 km."""
    return Measure(key, label, description, "km", decimals=1, better="low", resolution=1.0, **kw)


SPECS = (
    *family(
        round_trip(
            "rtt_{w}_ms",
            "Round trip to {m}",
            "estimated round trip to {w} (ms, geodesic × route factor)",
        ),
        FLAP_MARKETS,
    ),
    *family(
        exchange_distance(
            "exchange_{w}_km",
            "Distance to the {m} exchange",
            "geodesic distance to the {w} exchange (km)",
        ),
        FLAP_MARKETS,
    ),
    *family(
        round_trip(
            "rtt_{w}_fibre_ms",
            "Round trip to {m} along the fibre",
            "round trip to {w} routed along the fibre network (ms)",
        ),
        FLAP_MARKETS,
    ),
    round_trip(
        "rtt_flap_mean_ms",
        "Mean round trip to FLAP",
        "mean estimated round trip to the four FLAP markets (ms)",
        headline=True,
        short="RTT to FLAP",
        phrase="mean round trip to the FLAP markets",
        figure="Mean round trip to the FLAP markets",
        compared=True,
    ),
    round_trip(
        "rtt_flap_mean_fibre_ms",
        "Mean round trip to FLAP along the fibre",
        "mean round trip to the FLAP markets along the fibre network (ms)",
        compared=True,
        phrase="mean round trip along the fibre network",
    ),
    Measure("nearest_exchange_name", "Nearest internet exchange", "nearest exchange of any market"),
    exchange_distance(
        "nearest_exchange_km",
        "Distance to the nearest exchange",
        "geodesic distance to it (km)",
        named_by="nearest_exchange_name",
        compared=True,
    ),
    round_trip(
        "rtt_nearest_ms",
        "Round trip to the nearest exchange",
        "estimated round trip to it (ms)",
    ),
    distance_measure(
        "fibre_distance_m",
        "Distance to the fibre",
        "distance from the site outline to the nearest fibre route or point (m)",
        decimals=2,
        compared=True,
        phrase="distance to the fibre network",
    ),
    Measure(
        "route_factor",
        "Route factor used",
        "route factor used (fibre length / great-circle distance)",
        decimals=2,
    ),
)
MEASURES = {m.key: m.description for m in SPECS}


def rtt_ms(distance_km: np.ndarray | float, route_factor: float, us_per_km: float) -> Any:
    """Round-trip time (ms) over ``distance_km`` of great circle with the given route factor."""
    return 2.0 * route_factor * np.asarray(distance_km) * us_per_km / 1000.0


def _measure(ctx: Context, p: Mapping[str, Any]) -> Measured:
    index = ctx.sites.index
    rf = float(p["route_factor"])
    speed = float(p["fibre_us_per_km"])
    out = pd.DataFrame(index=index)
    issues: list[DataIssue] = []
    ex = ctx.frame("exchanges")
    sites = ctx.sites.geometry
    centres = sites.centroid
    lonlat = centres.to_crs("EPSG:4326")
    slon, slat = lonlat.x.to_numpy(), lonlat.y.to_numpy()
    if ex is None or ex.empty:
        for m in FLAP_MARKETS:
            out[f"rtt_{m.lower()}_ms"] = np.nan
        out["rtt_flap_mean_ms"] = np.nan
        issues.append(missing_layer_issue("connectivity", "exchanges"))
    else:
        ell = ex.geometry.to_crs("EPSG:4326")
        elon, elat = ell.x.to_numpy(), ell.y.to_numpy()
        # Geodesic distances, all sites × all exchanges, in one call.
        _, _, dist = GEOD.inv(
            np.repeat(slon, len(elon)),
            np.repeat(slat, len(elon)),
            np.tile(elon, len(slon)),
            np.tile(elat, len(slon)),
        )
        km = np.asarray(dist).reshape(len(slon), len(elon)) / 1000.0
        markets = ex["market"].astype(str).to_numpy()
        names = ex["name"].astype(str).to_numpy()
        for m in FLAP_MARKETS:
            cols = np.flatnonzero(markets == m)
            key = m.lower()
            if len(cols) == 0:
                out[f"exchange_{key}_km"] = np.nan
                out[f"rtt_{key}_ms"] = np.nan
                market = Term(m, plain=m)
                issues.append(
                    DataIssue.of(
                        "exchanges",
                        Reason.of("no_market_exchange", "no exchange of the {m} market", m=market),
                        action=Reason.of(
                            "rtt_unmeasured",
                            "rtt_{market}_ms not measurable (NaN)",
                            market=Term(m, plain=key),
                        ),
                    )
                )
                continue
            best = km[:, cols].min(axis=1)
            out[f"exchange_{key}_km"] = best
            out[f"rtt_{key}_ms"] = rtt_ms(best, rf, speed)
        flap = out[[f"rtt_{m.lower()}_ms" for m in FLAP_MARKETS]]
        out["rtt_flap_mean_ms"] = flap.mean(axis=1, skipna=False)
        j = km.argmin(axis=1)
        out["nearest_exchange_name"] = names[j]
        out["nearest_exchange_km"] = km[np.arange(len(j)), j]
        out["rtt_nearest_ms"] = rtt_ms(out["nearest_exchange_km"].to_numpy(), rf, speed)
    out["route_factor"] = rf

    fibre = ctx.frame("fibre")
    if fibre is not None and not fibre.empty:
        _, d = nearest(sites.values, fibre.geometry.values)
        out["fibre_distance_m"] = d
        if ex is not None and not ex.empty:
            _fibre_routes(ctx, out, fibre, ex, rf, speed, issues)
    else:
        out["fibre_distance_m"] = np.nan
    return Measured(
        measures=out,
        issues=tuple(issues),
        sources=tuple(lyr.label for lyr in ctx.of("exchanges") + ctx.of("fibre")),
    )


def _fibre_routes(
    ctx: Context,
    out: pd.DataFrame,
    fibre: Any,
    ex: Any,
    rf: float,
    speed: float,
    issues: list[DataIssue],
) -> None:
    lines = fibre.geometry.values
    lines = lines[np.isin(shapely.get_type_id(lines), (1, 5))]  # LineString, MultiLineString
    if len(lines) == 0:
        return  # points of presence only: no network to route along
    routed = route_lengths_m(
        ctx.sites.geometry.values, lines, ex.geometry.values, ctx.working_crs, rf
    )
    if routed is None:
        issues.append(
            DataIssue.of(
                "fibre",
                Reason("fibre_not_connected", "the fibre lines do not form a connected network"),
                action="no routed estimate; geodesic estimate only",
                severity="info",
            )
        )
        return
    markets = ex["market"].astype(str).to_numpy()
    for m in FLAP_MARKETS:
        cols = np.flatnonzero(markets == m)
        if len(cols):
            out[f"rtt_{m.lower()}_fibre_ms"] = rtt_ms(
                routed[:, cols].min(axis=1) / 1000, 1.0, speed
            )
    fcols = [f"rtt_{m.lower()}_fibre_ms" for m in FLAP_MARKETS]
    if all(c in out.columns for c in fcols):
        out["rtt_flap_mean_fibre_ms"] = out[fcols].mean(axis=1, skipna=False)


FIBRE_RATIONALE = (
    "With a fibre layer, connectivity scores the distance from the site to the nearest fibre "
    "route: linear from 1 at 0 m to 0 at 10 km, the length of a new dark-fibre spur the "
    "campus would have to lay (siteassess planning assumption, which the project can "
    "change). Within one region every site's round trip to the FLAP markets differs by "
    "hundredths of a millisecond, so it does not separate the sites; the geodesic and the "
    "fibre-routed round trips stay as context (the project can score the routed one "
    "instead)."
)


def _default_for(
    measures: pd.DataFrame, p: Mapping[str, Any]
) -> tuple[str, TransformSpec, str] | None:
    """With a fibre layer measured, score the distance to the fibre (what separates sites)."""
    col = measures.get("fibre_distance_m")
    if col is None or not np.isfinite(col.to_numpy(dtype=float)).any():
        return None
    spec = TransformSpec(kind="linear", best=0.0, worst=float(p["worst_fibre_m"]))
    return "fibre_distance_m", spec, FIBRE_RATIONALE


def _explain(f: SiteFacts) -> Explanation:
    """Why this connectivity score: the estimated round trip to each FLAP market."""
    m, p = f.measures, f.params

    def q(key: str) -> Quantity:
        return MEASURE_OF[key].quantity(m.get(key))

    s: list[Reason] = []
    mean = m.get("rtt_flap_mean_ms")
    if is_missing(mean):
        s.append(
            Reason("rtt_unmeasured", "The round trip to the FLAP markets could not be estimated.")
        )
    else:
        per_market = Listing(
            tuple(Listing((Term(mk), q(f"rtt_{mk.lower()}_ms")), " ") for mk in FLAP_MARKETS)
        )
        s.append(
            Reason.of(
                "rtt_flap",
                "Estimated round trip to the FLAP markets: {mean} on average ({markets}).",
                mean=q("rtt_flap_mean_ms"),
                markets=per_market,
            )
        )
    s.append(
        Reason.of(
            "rtt_formula",
            "Each is 2 × route factor {rf} × geodesic distance × {speed} µs/km: an estimate "
            "of the fibre round trip, not a measured latency.",
            rf=Quantity(as_number(p.get("route_factor")), "", 2),
            speed=Quantity(as_number(p.get("fibre_us_per_km")), "", 1),
        )
    )
    if not is_missing(m.get("nearest_exchange_km")):
        s.append(
            Reason.of(
                "nearest_exchange",
                "Nearest internet exchange: {name}, {km} away ({rtt} round trip).",
                name=Name(str(m.get("nearest_exchange_name"))),
                km=q("nearest_exchange_km"),
                rtt=q("rtt_nearest_ms"),
            )
        )
    if not is_missing(m.get("fibre_distance_m")):
        s.append(
            Reason.of(
                "fibre_nearest",
                "Nearest fibre route: {dist} from the site boundary.",
                dist=distance(m.get("fibre_distance_m")),
            )
        )
    rows = []
    for mk in FLAP_MARKETS:
        key = mk.lower()
        if f"rtt_{key}_ms" not in m:
            continue
        note = None
        if f"rtt_{key}_fibre_ms" in m:
            note = Reason.of("", "(along the fibre: {rtt})", rtt=q(f"rtt_{key}_fibre_ms"))
        rows.append(
            Row(
                Reason.of("", "{market}: distance and round trip", market=Term(mk)),
                (q(f"exchange_{key}_km"), q(f"rtt_{key}_ms")),
                note,
            )
        )
    rows.append(Row(Reason("", "Mean round trip to the FLAP markets"), (q("rtt_flap_mean_ms"),)))
    if "rtt_flap_mean_fibre_ms" in m:
        rows.append(
            Row(
                Reason("", "Mean round trip along the fibre network"),
                (q("rtt_flap_mean_fibre_ms"),),
            )
        )
    if "nearest_exchange_name" in m:
        name = m.get("nearest_exchange_name")
        rows.append(
            Row(
                Reason("", "Nearest internet exchange"),
                (
                    "—" if is_missing(name) else Name(str(name)),
                    q("nearest_exchange_km"),
                    q("rtt_nearest_ms"),
                ),
            )
        )
    if "fibre_distance_m" in m:
        rows.append(
            Row(
                Reason("", "Distance to the fibre network"),
                (distance(m.get("fibre_distance_m")),),
            )
        )
    return Explanation(tuple(s), tuple(rows))


MEASURE_OF = {m.key: m for m in SPECS}


CONNECTIVITY = Criterion(
    name="connectivity",
    title="Connectivity to the FLAP markets",
    roles=("exchanges", "fibre"),
    params={
        "route_factor": Param(
            "number",
            1.4,
            "×",
            "fibre route length / great-circle distance (usually 1.2–1.5)",
            minimum=1.0,
            label="Fibre route factor",
            panel=True,
            tip="Length of the fibre route divided by the straight-line distance (usually 1.2–1.5)",
            maximum=3.0,
            decimals=2,
            step=0.05,
        ),
        "fibre_us_per_km": Param(
            "number",
            FIBRE_US_PER_KM,
            "µs/km",
            "one-way delay of light in fibre",
            minimum=0.1,
            label="One-way delay of light in fibre",
        ),
        "worst_rtt_ms": Param(
            "number",
            10.0,
            "ms",
            "mean FLAP round trip at which the value reaches 0",
            minimum=0.1,
            label="Mean FLAP round trip at which the value reaches 0",
        ),
        "worst_fibre_m": Param(
            "number",
            10_000.0,
            "m",
            "with a fibre layer: distance to the fibre at which the value reaches 0",
            minimum=1.0,
            label="Distance to the fibre at which the value reaches 0",
        ),
    },
    specs=SPECS,
    default_measure="rtt_flap_mean_ms",
    default_transform=lambda p, demand: TransformSpec(
        kind="linear", best=0.0, worst=float(p["worst_rtt_ms"])
    ),
    rationale=(
        "Linear from 1 at 0 ms to 0 at a 10 ms mean round trip to Frankfurt, London, "
        "Amsterdam and Paris: 1,000 km of fibre is about 10 ms round trip (4.9 µs/km one "
        "way), the range within which synchronous services between campuses are usually "
        "planned (siteassess planning assumption)."
    ),
    measure=_measure,
    default_for=_default_for,
    explain=_explain,
    short_title="Connectivity (FLAP)",
    default_weight=25.0,
)
