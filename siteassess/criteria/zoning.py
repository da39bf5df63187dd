"""Zoning: share of each site in each zone type of the PLU, and the zones it lies in.

The zone types are those of the CNIG PLU standard (``typezone`` of the Géoportail de
l'Urbanisme's ``zone_urba``), which follow the Code de l'urbanisme: urban zones U
(R151-18), zones to be urbanised AU (R151-20: AUc open to building, AUs opened only by
changing the plan), agricultural zones A (R151-22, R151-23) and natural and forest zones
N (R151-24, R151-25). By default U and AUc allow a data centre, AUs, A and N exclude it
(``exclude_types``). A site outside every zone of the layer (a commune under a carte
communale or the RNU) is not measured (NaN), never taken as allowed.
"""

from __future__ import annotations

import re
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
    is_missing,
    missing_layer_issue,
    nan_frame,
)
from siteassess.criteria.zonal import overlap_area
from siteassess.errors import DataIssue, Listing, Name, ProjectError, Quantity, Reason, Term
from siteassess.layers.roles import ZONE_TYPES
from siteassess.scoring.transforms import TransformSpec

NAME = "zoning"
ALLOWED = "zoning_share_allowed_pct"
EXCLUDING = "zoning_share_excluding_pct"
COVERAGE = "zoning_coverage_pct"
LABELS = "zoning_labels"
DEFAULT_EXCLUDED = "AUs A N"
# A zone is named among the site's zones from this share of the site (%): below it, the
# sliver is where the outline and the zone boundary, both drawn on the cadastre, differ.
LABEL_MIN_PCT = 0.1

# Each zone type as a sentence names it (English; the catalogue translates it).
TYPE_NAMES = {
    "U": "urban zone (U)",
    "AUc": "zone to be urbanised, open to building (AUc)",
    "AUs": "zone to be urbanised, closed to building (AUs)",
    "A": "agricultural zone (A)",
    "N": "natural and forest zone (N)",
}
_TYPE_LABELS = {
    "U": "Share in urban zones (U)",
    "AUc": "Share in open zones to be urbanised (AUc)",
    "AUs": "Share in closed zones to be urbanised (AUs)",
    "A": "Share in agricultural zones (A)",
    "N": "Share in natural and forest zones (N)",
}

_TYPE_DESCRIPTIONS = {
    "U": "share of the site in PLU zones of type U (%)",
    "AUc": "share of the site in PLU zones of type AUc (%)",
    "AUs": "share of the site in PLU zones of type AUs (%)",
    "A": "share of the site in PLU zones of type A (%)",
    "N": "share of the site in PLU zones of type N (%)",
}


def share_key(zone_type: str) -> str:
    """The measure of the share of a site in one zone type (``zoning_share_auc_pct``)."""
    return f"zoning_share_{zone_type.lower()}_pct"


SPECS = (
    Measure(
        ALLOWED,
        "Share in zones that allow a data centre",
        "share of the site in PLU zones whose type allows a data centre (%)",
        "%",
        decimals=1,
        better="high",
        headline=True,
        resolution=1.0,
        short="Zoning allows",
        phrase="share in zones that allow a data centre",
        figure="Share in PLU zones that allow a data centre",
        compared=True,
    ),
    Measure(
        EXCLUDING,
        "Share in zones that exclude a data centre",
        "share of the site in PLU zones of the types of the exclusion rule (%)",
        "%",
        decimals=1,
        better="low",
        resolution=1.0,
        compared=True,
        phrase="share in zones that exclude a data centre",
    ),
    *(
        Measure(
            share_key(t),
            _TYPE_LABELS[t],
            _TYPE_DESCRIPTIONS[t],
            "%",
            decimals=1,
            resolution=1.0,
        )
        for t in ZONE_TYPES
    ),
    Measure(
        COVERAGE,
        "Zoning layer coverage",
        "share of the site covered by the zones of the zoning layer (%)",
        "%",
        decimals=0,
        resolution=1.0,
    ),
    Measure(LABELS, "PLU zones of the site", "the PLU zones the site lies in, largest first"),
)


def excluded_types(text: Any) -> tuple[str, ...]:
    """The zone types ``exclude_types`` names (``"AUs A N"``; ``"none"``: no type)."""
    words = [w for w in re.split(r"[\s,;]+", str(text).strip()) if w]
    if [w.lower() for w in words] in ([], ["none"]):
        return ()
    known = {t.lower(): t for t in ZONE_TYPES}
    bad = [w for w in words if w.lower() not in known]
    if bad:
        raise ProjectError(
            f"[criteria.{NAME}] exclude_types = {text!r}: {', '.join(map(repr, bad))} is not "
            f"a zone type of the CNIG PLU standard; use some of {' '.join(ZONE_TYPES)} "
            '(or "none")'
        )
    return tuple(t for t in ZONE_TYPES if t.lower() in {w.lower() for w in words})


def _zone_names(zones: pd.DataFrame) -> np.ndarray:
    """Each zone as the report names it: ``UE — Zone d'activités`` (label, full name)."""
    short = zones["zone_label"].astype("string").fillna(zones["zone_type"].astype("string"))
    long = zones["zone_label_long"].astype("string")
    same = (long.isna() | (long.str.casefold() == short.str.casefold())).to_numpy(dtype=bool)
    both = (short + " — " + long.fillna("")).to_numpy(dtype=object)
    return np.asarray(np.where(same, short.to_numpy(dtype=object), both), dtype=object)


def _labels(geoms: np.ndarray, area: np.ndarray, zones: pd.DataFrame, n: int) -> np.ndarray:
    """The zones each site lies in, named, largest share first (``; `` between them)."""
    out = np.full(n, None, dtype=object)
    zg = zones.geometry.values
    s_idx, z_idx = shapely.STRtree(zg).query(geoms, predicate="intersects")
    if not len(s_idx):
        return out
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = 100 * shapely.area(shapely.intersection(geoms[s_idx], zg[z_idx])) / area[s_idx]
    pairs = pd.DataFrame({"site": s_idx, "zone": _zone_names(zones)[z_idx], "pct": pct})
    pairs = pairs.groupby(["site", "zone"], as_index=False)["pct"].sum()
    pairs = pairs[pairs["pct"] >= LABEL_MIN_PCT].sort_values(
        ["site", "pct"], ascending=[True, False], kind="stable"
    )
    joined = pairs.groupby("site", sort=True)["zone"].agg("; ".join)
    out[joined.index.to_numpy()] = joined.to_numpy()
    return out


def _measure(ctx: Context, p: Mapping[str, Any]) -> Measured:
    index = ctx.sites.index
    excluded = excluded_types(p["exclude_types"])
    zones = ctx.frame("zoning")
    shares = [ALLOWED, EXCLUDING, *(share_key(t) for t in ZONE_TYPES), COVERAGE]
    if zones is None:
        frame = nan_frame(index, shares)
        frame[LABELS] = pd.Series(None, index=index, dtype=object)  # a text: no zone named
        return Measured(
            measures=frame,
            issues=(missing_layer_issue(NAME, "zoning"),),
        )
    geoms = ctx.sites.geometry.values
    area = shapely.area(geoms)
    zg = zones.geometry.values
    zt = zones["zone_type"].astype(str).to_numpy()
    out = pd.DataFrame(index=index)
    with np.errstate(invalid="ignore", divide="ignore"):

        def pct(mask: np.ndarray) -> np.ndarray:
            return np.asarray(100 * overlap_area(geoms, zg[mask]) / area)

        bad = np.isin(zt, excluded)
        out[ALLOWED] = pct(~bad)
        out[EXCLUDING] = pct(bad)
        for t in ZONE_TYPES:
            out[share_key(t)] = pct(zt == t)
        out[COVERAGE] = pct(np.ones(len(zt), dtype=bool))
    out[LABELS] = _labels(geoms, area, zones, len(index))
    issues: list[DataIssue] = []
    outside = ~(out[COVERAGE].to_numpy() > 0)
    sources = tuple(lyr.label for lyr in ctx.of("zoning"))
    if outside.any():
        # Outside every zone is "not known", not "allowed": the commune may have no PLU.
        out.loc[outside, shares] = np.nan
        ids = ", ".join(map(str, index[outside][:5]))
        issues.append(
            DataIssue.of(
                ", ".join(sources),
                Reason.of(
                    "outside_zoning",
                    "sites outside every zone of the zoning layer (a commune with no PLU, or "
                    "beyond the layer): {n} ({sites})",
                    n=int(outside.sum()),
                    sites=ids + ("…" if outside.sum() > 5 else ""),
                ),
                action=Reason.of("zoning_unmeasured", "zoning not measured there (NaN)"),
            )
        )
    partial = (out[COVERAGE].to_numpy() > 0) & (out[COVERAGE].to_numpy() < 99.5)
    if partial.any():
        issues.append(
            DataIssue.of(
                ", ".join(sources),
                Reason.of(
                    "partly_zoned",
                    "sites only partly covered by the zones of the zoning layer: {n}",
                    n=int(partial.sum()),
                ),
                action=Reason.of(
                    "zoning_partial",
                    "the part outside the zones counts neither as allowed nor as excluding",
                ),
                severity="info",
            )
        )
    exclusions: dict[str, tuple[Reason, ...]] = {}
    if excluded:
        limit = float(p["exclude_above_pct"])
        share = out[EXCLUDING].to_numpy()
        for k in np.flatnonzero(share > limit):
            present = [t for t in excluded if out[share_key(t)].iloc[k] > 0]
            exclusions[str(index[k])] = (
                Reason.of(
                    "zoning_zone",
                    "{share} of the site is in PLU zones that exclude a data centre "
                    "({types}; rule: more than {limit} excludes)",
                    share=Quantity(float(share[k]), "%", 1),
                    types=Listing(tuple(Term(TYPE_NAMES[t], plain=t) for t in present)),
                    limit=Quantity(limit, "%"),
                ),
            )
    return Measured(measures=out, exclusions=exclusions, issues=tuple(issues), sources=sources)


def _pct(value: Any) -> Quantity:
    return Quantity(as_number(value), "%", 1)


def _types(types: tuple[str, ...]) -> Listing:
    return Listing(tuple(Term(TYPE_NAMES[t], plain=t) for t in types))


def _explain(f: SiteFacts) -> Explanation:
    """Why this zoning score: the zones the site lies in, the shares, the rule."""
    m, p = f.measures, f.params
    excluded = excluded_types(p.get("exclude_types", DEFAULT_EXCLUDED))
    allowed = tuple(t for t in ZONE_TYPES if t not in excluded)
    s: list[Reason] = []
    if is_missing(m.get(ALLOWED)):
        s.append(
            Reason(
                "zoning_unmeasured",
                "The zoning could not be measured (no zoning layer, or the site lies outside "
                "its zones).",
            )
        )
    else:
        labels = m.get(LABELS)
        if isinstance(labels, str) and labels:
            s.append(
                Reason.of(
                    "zoning_labels",
                    "PLU zones the site lies in, largest share first: {zones}.",
                    zones=Name(labels),
                )
            )
        s.append(
            Reason.of(
                "zoning_allowed",
                "{share} of the site lies in zone types that allow a data centre ({types}).",
                share=_pct(m.get(ALLOWED)),
                types=_types(allowed),
            )
        )
        coverage = as_number(m.get(COVERAGE))
        if coverage < 99.5:
            s.append(
                Reason.of(
                    "zoning_coverage",
                    "The zoning layer covers {coverage} of the site; the rest counts neither "
                    "as allowed nor as excluding.",
                    coverage=Quantity(coverage, "%", 0),
                )
            )
    if excluded:
        s.append(
            Reason.of(
                "zoning_rule",
                "Exclusion rule: a site with more than {limit} of its area in these zones is "
                "excluded: {types}.",
                limit=Quantity(as_number(p.get("exclude_above_pct")), "%"),
                types=_types(excluded),
            )
        )
    if f.excluded:
        s.append(Reason("zoning_excluded", "This site is excluded by that rule."))
    rows = [
        Row(
            Reason.of("", "Share of the site in the {type}", type=Term(TYPE_NAMES[t], plain=t)),
            (_pct(m.get(share_key(t))),),
        )
        for t in ZONE_TYPES
        if share_key(t) in m
    ]
    rows.append(Row(Reason("", "Share in zones that allow a data centre"), (_pct(m.get(ALLOWED)),)))
    if excluded:
        rows.append(
            Row(Reason("", "Share in zones that exclude a data centre"), (_pct(m.get(EXCLUDING)),))
        )
    rows.append(
        Row(
            Reason("", "Zoning layer coverage"),
            (Quantity(as_number(m.get(COVERAGE)), "%", 0),),
        )
    )
    return Explanation(tuple(s), tuple(rows))


ZONING = Criterion(
    name=NAME,
    title="Zoning (PLU)",
    roles=("zoning",),
    params={
        "exclude_types": Param(
            "string",
            DEFAULT_EXCLUDED,
            "",
            "zone types (CNIG typezone: U AUc AUs A N) that exclude a data centre, separated "
            'by spaces ("none": no rule); the other types allow one',
            label="Zone types that exclude a data centre",
        ),
        "exclude_above_pct": Param(
            "number",
            1.0,
            "%",
            "share of the site in those zone types above which it is excluded",
            minimum=0.0,
            maximum=100.0,
            label="Zoning exclusion: share above",
            panel=True,
            tip="A site is excluded when more than this share of it lies in zones that "
            "exclude a data centre",
        ),
    },
    specs=SPECS,
    default_measure=ALLOWED,
    default_transform=lambda p, demand: TransformSpec(kind="linear", best=100.0, worst=0.0),
    rationale=(
        "A data centre is an industrial building. The Code de l'urbanisme (R151-18 to "
        "R151-25) defines the PLU's urban zones (U), zones to be urbanised (AU: AUc open to "
        "building, AUs opened only by changing the plan), agricultural zones (A) and natural "
        "and forest zones (N): by default U and AUc allow a data centre, AUs, A and N exclude "
        "it. The value is the share of the site in zones that allow it, from 1 at 100 % to 0 "
        "at 0 %; more than 1 per cent of the site in excluding zones excludes it (the 1 % absorbs "
        "the slivers where the site outline and the zone boundaries do not quite coincide; "
        "siteassess planning assumption). The regulation of each zone still decides."
    ),
    measure=_measure,
    explain=_explain,
    short_title="Zoning",
    default_weight=0.0,
)
