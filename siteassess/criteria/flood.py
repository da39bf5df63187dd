"""Flood: share of each site inside the flood zones of each scenario.

Vector zones (French TRI maps: frequent, medium, extreme scenarios) give
``flood_share_<scenario>_pct``; depth rasters (metres, one scenario per raster) give the
share of the site deeper than ``depth_threshold_m``, the maximum depth and the raster's
coverage of the site. Nodata is never taken as dry: an uncovered site is NaN.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
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
    family,
    is_missing,
    missing_layer_issue,
)
from siteassess.criteria.zonal import overlap_area, raster_stats
from siteassess.errors import DataIssue, LayerContentError, Listing, Quantity, Reason, Term
from siteassess.layers.roles import SCENARIOS
from siteassess.scoring.transforms import TransformSpec

# Each scenario with its return period: how the presenters name it.
RETURN_PERIODS = {
    "frequent": "frequent (10 to 30 years)",
    "medium": "medium (100 to 300 years)",
    "extreme": "extreme (about 1,000 years)",
}

SPECS = (
    *family(
        Measure(
            "flood_share_{w}_pct",
            "Share in the {s} flood scenario",
            "share of the site in the {w} flood scenario (%)",
            "%",
            decimals=1,
            better="low",
            resolution=1.0,
        ),
        SCENARIOS,
    ),
    *family(
        Measure(
            "flood_max_depth_{w}_m",
            "Maximum depth, {s} scenario",
            "maximum flood depth, {w} scenario (m, rasters)",
            "m",
            decimals=2,
            better="low",
        ),
        SCENARIOS,
    ),
    *family(
        Measure(
            "flood_coverage_{w}_pct",
            "Raster coverage, {s} scenario",
            "share of the site the {w} depth raster covers (%)",
            "%",
            decimals=0,
        ),
        SCENARIOS,
    ),
    Measure(
        "flood_share_any_pct",
        "Share in any flood zone",
        "share of the site in any flood zone of the layers (%)",
        "%",
        decimals=1,
        better="low",
        headline=True,
        resolution=1.0,
        short="Flood zones",
        phrase="share in any flood zone",
        figure="Share in a flood zone (any scenario)",
        compared=True,
    ),
    Measure(
        "flood_share_excluding_pct",
        "Share in the zone of the exclusion rule",
        "share of the site in the scenario of the exclusion rule or a more frequent one (%)",
        "%",
        decimals=1,
        better="low",
        resolution=1.0,
        compared=True,
        phrase="share counted by the exclusion rule",
    ),
)
MEASURES = {m.key: m.description for m in SPECS}


def _measure(ctx: Context, p: Mapping[str, Any]) -> Measured:
    index = ctx.sites.index
    layers = ctx.of("flood")
    if not layers:
        cols = ["flood_share_any_pct", "flood_share_excluding_pct"]
        return Measured(
            measures=pd.DataFrame(np.nan, index=index, columns=cols),
            issues=(missing_layer_issue("flood", "flood"),),
        )
    geoms = ctx.sites.geometry.values
    site_area = shapely.area(geoms)
    issues: list[DataIssue] = []
    out = pd.DataFrame(index=index)
    rule = str(p["exclude_scenario"])
    rule_set = set(SCENARIOS[: SCENARIOS.index(rule) + 1]) if rule != "none" else set()

    vectors = [lyr for lyr in layers if not lyr.is_raster]
    zones = (
        gpd.GeoDataFrame(pd.concat([lyr.frame() for lyr in vectors], ignore_index=True))
        if vectors
        else None
    )
    share_any = np.zeros(len(index)) if zones is not None else np.full(len(index), np.nan)
    share_rule = np.zeros(len(index))
    with np.errstate(invalid="ignore", divide="ignore"):
        if zones is not None:
            zg = zones.geometry.values
            zs = zones["scenario"].astype(str).to_numpy()
            for s in SCENARIOS:
                if (zs == s).any():
                    out[f"flood_share_{s}_pct"] = 100 * overlap_area(geoms, zg[zs == s]) / site_area
            share_any = 100 * overlap_area(geoms, zg) / site_area
            in_rule = np.isin(zs, list(rule_set))
            share_rule = 100 * overlap_area(geoms, zg[in_rule]) / site_area

    threshold = float(p["depth_threshold_m"])
    for lyr in (lyr for lyr in layers if lyr.is_raster):
        scen = lyr.spec.scenario
        if scen not in SCENARIOS:
            raise LayerContentError(
                f"layer {lyr.label}: a flood depth raster needs scenario = one of "
                f"{', '.join(SCENARIOS)} (got {scen!r})"
            )
        assert lyr.raster is not None
        in_crs = gpd.GeoSeries(geoms, crs=ctx.working_crs).to_crs(lyr.raster.crs_wkt).values
        st = raster_stats(lyr.raster, np.asarray(in_crs), threshold)
        share = st.share_above_pct
        out[f"flood_share_{scen}_pct"] = np.fmax(
            out.get(f"flood_share_{scen}_pct", pd.Series(np.nan, index=index)).to_numpy(), share
        )
        out[f"flood_max_depth_{scen}_m"] = st.maximum
        out[f"flood_coverage_{scen}_pct"] = st.coverage_pct
        uncovered = st.covered == 0
        if uncovered.any():
            ids = ", ".join(map(str, index[uncovered][:5]))
            issues.append(
                DataIssue.of(
                    lyr.label,
                    Reason.of(
                        "outside_raster",
                        "{n} sites are outside the raster or on nodata ({sites})",
                        n=int(uncovered.sum()),
                        sites=ids + ("…" if uncovered.sum() > 5 else ""),
                    ),
                    source=str(lyr.raster.path),
                    action="flood depth not measured there (NaN)",
                )
            )
        partial = (st.covered > 0) & (st.covered < st.pixels)
        if partial.any():
            issues.append(
                DataIssue.of(
                    lyr.label,
                    Reason.of(
                        "partly_covered",
                        "{n} sites are only partly covered by the raster",
                        n=int(partial.sum()),
                    ),
                    source=str(lyr.raster.path),
                    action="shares computed over the covered part; see flood_coverage_*_pct",
                    severity="info",
                )
            )
        share_any = np.fmax(share_any, share)  # nested zones: the union is the largest
        if scen in rule_set:
            share_rule = np.fmax(share_rule, share)
    # A site no layer could measure stays NaN.
    if zones is None:
        rasters_share = out[[c for c in out.columns if c.startswith("flood_share_")]]
        all_nan = rasters_share.isna().all(axis=1).to_numpy()
        share_rule = np.where(all_nan, np.nan, np.nan_to_num(share_rule))
    out["flood_share_any_pct"] = share_any
    out["flood_share_excluding_pct"] = share_rule

    exclusions: dict[str, tuple[Reason, ...]] = {}
    if rule != "none":
        limit = float(p["exclude_above_pct"])
        hit = share_rule > limit
        for k in np.flatnonzero(hit):
            exclusions[str(index[k])] = (
                Reason.of(
                    "flood_zone",
                    "{share} of the site is in the {scenario} flood scenario or a more frequent "
                    "one (rule: more than {limit} excludes)",
                    share=Quantity(float(share_rule[k]), "%", 1),
                    scenario=Term(RETURN_PERIODS[rule], plain=rule),
                    limit=Quantity(limit, "%"),
                ),
            )
    return Measured(
        measures=out,
        exclusions=exclusions,
        issues=tuple(issues),
        sources=tuple(lyr.label for lyr in layers),
    )


def _pct(value: Any) -> Quantity:
    return Quantity(as_number(value), "%", 1)


def _explain(f: SiteFacts) -> Explanation:
    """Why this flood score: the share of the site in each scenario's zone, the rule."""
    m, p = f.measures, f.params
    s: list[Reason] = []
    share = m.get("flood_share_any_pct")
    present = [sc for sc in SCENARIOS if f"flood_share_{sc}_pct" in m]
    if is_missing(share):
        s.append(
            Reason(
                "flood_unmeasured",
                "Flood exposure could not be measured (no usable flood layer).",
            )
        )
    elif share == 0:
        s.append(Reason("flood_none", "No part of the site lies in a flood zone of the layers."))
    else:
        parts = Listing(
            tuple(
                Listing((Term(RETURN_PERIODS[sc]), _pct(m.get(f"flood_share_{sc}_pct"))), " ")
                for sc in present
            )
        )
        s.append(
            Reason.of(
                "flood_share",
                "{share} of the site lies in a flood zone of some scenario ({parts}).",
                share=_pct(share),
                parts=parts,
            )
        )
    rule = str(p.get("exclude_scenario", "none"))
    if rule != "none":
        s.append(
            Reason.of(
                "flood_rule",
                "Exclusion rule: a site with more than {limit} of its area in the {scenario} "
                "scenario or a more frequent one is excluded.",
                limit=Quantity(as_number(p.get("exclude_above_pct")), "%", 0),
                scenario=Term(RETURN_PERIODS.get(rule, rule)),
            )
        )
    if f.excluded:
        s.append(Reason("flood_excluded", "This site is excluded by that rule."))
    rows = [
        Row(
            Reason.of(
                "",
                "Share of the site in the {scenario} scenario",
                scenario=Term(RETURN_PERIODS[sc]),
            ),
            (_pct(m.get(f"flood_share_{sc}_pct")),),
        )
        for sc in present
    ]
    rows.append(Row(Reason("", "Share of the site in any flood zone"), (_pct(share),)))
    if rule != "none" and "flood_share_excluding_pct" in m:
        rows.append(
            Row(
                Reason("", "Share counted by the exclusion rule"),
                (_pct(m.get("flood_share_excluding_pct")),),
            )
        )
    for sc in SCENARIOS:
        scenario = Term(RETURN_PERIODS[sc])
        if f"flood_max_depth_{sc}_m" in m:
            rows.append(
                Row(
                    Reason.of("", "Maximum depth, {scenario} scenario", scenario=scenario),
                    (Quantity(as_number(m.get(f"flood_max_depth_{sc}_m")), "m", 2),),
                )
            )
        if f"flood_coverage_{sc}_pct" in m:
            rows.append(
                Row(
                    Reason.of(
                        "", "Raster coverage of the site, {scenario} scenario", scenario=scenario
                    ),
                    (_pct(m.get(f"flood_coverage_{sc}_pct")),),
                )
            )
    return Explanation(tuple(s), tuple(rows))


FLOOD = Criterion(
    name="flood",
    title="Flood risk",
    roles=("flood",),
    params={
        "exclude_scenario": Param(
            "choice",
            "medium",
            "",
            "exclude sites in this scenario's zone or a more frequent one (none: no rule)",
            choices=(*SCENARIOS, "none"),
            label="Flood exclusion: scenario",
            panel=True,
            choice_labels={
                "frequent": "frequent",
                "medium": "medium",
                "extreme": "extreme",
                "none": "no rule",
            },
        ),
        "exclude_above_pct": Param(
            "number",
            0.0,
            "%",
            "share of the site in that zone above which it is excluded",
            minimum=0.0,
            label="Flood exclusion: share above",
            panel=True,
            tip="A site is excluded when more than this share of it lies in the zone",
            maximum=100.0,
        ),
        "depth_threshold_m": Param(
            "number",
            0.0,
            "m",
            "depth rasters: depth above which a pixel counts as flooded",
            minimum=0.0,
            label="Water depth above which a pixel counts as flooded",
        ),
        "worst_share_pct": Param(
            "number",
            50.0,
            "%",
            "share of the site in any flood zone at which the value is 0",
            minimum=0.1,
            label="Share in a flood zone at which the value reaches 0",
        ),
    },
    specs=SPECS,
    default_measure="flood_share_any_pct",
    default_transform=lambda p, demand: TransformSpec(
        kind="linear", best=0.0, worst=float(p["worst_share_pct"])
    ),
    rationale=(
        "Exclusion by default for any overlap with the medium scenario (100 to 300 years, "
        "the usual PPRi reference; critical facilities are commonly kept out of the "
        "500-year flood). The score falls linearly from 1 with no flood zone to 0 with half "
        "the site in any zone (siteassess planning assumption)."
    ),
    measure=_measure,
    explain=_explain,
    default_weight=25.0,
)
