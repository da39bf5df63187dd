"""Land: the site's area, the power density the demand implies, and its compactness.

Areas are measured in the working CRS (projected, metres). Compactness is the
Polsby-Popper ratio 4πA/P² (1 for a disc, about 0.79 for a square, low for a strip).
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
    is_missing,
    not_measurable,
)
from siteassess.errors import DataIssue, Listing, Quantity, Reason, Term
from siteassess.scoring.transforms import TransformSpec

# Reference density: the Escaudain campus plans 700 MW on the 38.8 ha land unit, about
# 18 MW/ha (FACTS.md: Cartofriches, press). The value is 1 at or below 10 MW/ha (room
# for cooling, substation and set-backs) and 0 at 25 MW/ha and above (siteassess
# planning assumptions, configurable).
BEST_MW_PER_HA = 10.0
WORST_MW_PER_HA = 25.0

SPECS = (
    Measure(
        "area_ha",
        "Area",
        "area of the site outline (ha, working CRS)",
        "ha",
        decimals=1,
        better="high",
        headline=True,
        resolution=1.0,
        short="Area",
        phrase="area",
        figure="Area",
        compared=True,
    ),
    Measure(
        "power_density_mw_per_ha",
        "Power density",
        "campus demand divided by the site area (MW/ha)",
        "MW/ha",
        decimals=1,
        better="low",
        headline=True,
        resolution=0.5,
        short="Density",
        phrase="power density",
        figure="Power density",
        compared=True,
    ),
    Measure(
        "compactness",
        "Compactness (Polsby-Popper)",
        "Polsby-Popper compactness 4πA/P² (0 to 1)",
        decimals=2,
        better="high",
        resolution=0.02,
        compared=True,
    ),
)
MEASURES = {m.key: m.description for m in SPECS}


def _measure(ctx: Context, p: Mapping[str, Any]) -> Measured:
    geoms = ctx.sites.geometry.values
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    area_m2 = np.where(polygonal, shapely.area(geoms), np.nan)
    perim = np.where(polygonal, shapely.length(geoms), np.nan)
    out = pd.DataFrame(index=ctx.sites.index)
    out["area_ha"] = area_m2 / 10_000
    with np.errstate(invalid="ignore", divide="ignore"):
        out["compactness"] = 4 * np.pi * area_m2 / perim**2
        demand = ctx.demand_mw
        out["power_density_mw_per_ha"] = demand / out["area_ha"] if demand is not None else np.nan
    issues: list[DataIssue] = []
    if (~polygonal).any():
        issues.append(
            DataIssue.of(
                "sites",
                Reason.of(
                    "not_polygons",
                    "{n} sites are not polygons (points or lines)",
                    n=int((~polygonal).sum()),
                ),
                action=not_measurable(Term("area")),
            )
        )
    if demand is None:
        issues.append(
            DataIssue.of(
                "project",
                Reason("no_demand", "demand_mw is not set: the power density cannot be computed"),
                action="set demand_mw in the project",
            )
        )
    exclusions: dict[str, tuple[Reason, ...]] = {}
    min_area = float(p["min_area_ha"])
    area_ha = out["area_ha"].to_numpy()
    for k in np.flatnonzero(area_ha < min_area):
        exclusions[str(out.index[k])] = (
            Reason.of(
                "area_too_small",
                "area {area} is below the minimum {min}",
                area=Quantity(float(area_ha[k]), "ha", 1),
                min=Quantity(min_area, "ha"),
            ),
        )
    return Measured(
        measures=out,
        exclusions=exclusions,
        issues=tuple(issues),
        sources=tuple(lyr.label for lyr in ctx.of("sites")),
    )


def surface_used(site: Mapping[str, Any]) -> Reason | Listing | None:
    """Which surface the outline stands for (the land unit, the site, or the parcels), from
    the site's attributes as the sites layer gives them."""
    how = site.get("outline_source")
    source = site.get("area_source")
    site_m2 = as_number(site.get("site_area_m2"))
    if how == "parcels":
        return Reason(
            "surface_parcels",
            "Surface used: the union of the cadastral parcels of the land unit.",
        )
    if source == "unite_fonciere_surface":
        unit = Reason(
            "surface_land_unit",
            "Surface used: the land unit stated by Cartofriches (unite_fonciere_surface), "
            "which can be much larger than the brownfield itself.",
        )
        if not np.isfinite(site_m2) or site_m2 <= 0:
            return unit
        stated = Reason.of(
            "", "The site itself is stated as {area}.", area=Quantity(site_m2 / 10_000, "ha", 1)
        )
        return Listing((unit, stated), " ")
    if source == "site_surface":
        return Reason(
            "surface_site",
            "Surface used: the site surface stated by Cartofriches (site_surface).",
        )
    return None


def _explain(f: SiteFacts) -> Explanation:
    """Why this land score: the area, what it stands for, the density the demand implies."""
    m, p = f.measures, f.params
    q = {spec.key: spec.quantity(m.get(spec.key)) for spec in SPECS}
    approx = bool(f.site.get("approximate", False))
    s: list[Reason | Listing] = [
        Reason.of(
            "area_approx", "Area: {area} (approximate outline, not surveyed).", area=q["area_ha"]
        )
        if approx
        else Reason.of("area", "Area: {area}.", area=q["area_ha"])
    ]
    surface = surface_used(f.site)
    if surface is not None:
        s.append(surface)
    if not is_missing(m.get("power_density_mw_per_ha")):
        s.append(
            Reason.of(
                "density",
                "{demand} on this area is {density}.",
                demand=Quantity(as_number(f.demand_mw), "MW", 0),
                density=q["power_density_mw_per_ha"],
            )
        )
    s.append(
        Reason.of(
            "min_area",
            "Sites under {min} are excluded.",
            min=Quantity(as_number(p.get("min_area_ha")), "ha", 0),
        )
    )
    rows = [
        Row(Reason("", "Area"), (q["area_ha"],)),
        Row(Reason("", "Power density (demand / area)"), (q["power_density_mw_per_ha"],)),
    ]
    if "compactness" in m:
        rows.append(
            Row(
                Reason("", "Compactness (Polsby-Popper: 1 for a disc, 0.79 for a square)"),
                (q["compactness"],),
            )
        )
    return Explanation(tuple(s), tuple(rows))


LAND = Criterion(
    name="land",
    title="Land",
    roles=("sites",),
    params={
        "min_area_ha": Param(
            "number",
            10.0,
            "ha",
            "sites smaller than this are excluded",
            minimum=0.0,
            label="Minimum site area",
            panel=True,
            maximum=10_000.0,
        ),
        "best_mw_per_ha": Param(
            "number",
            BEST_MW_PER_HA,
            "MW/ha",
            "power density at or below which the value is 1",
            minimum=0.0,
            label="Power density up to which the value is 1",
        ),
        "worst_mw_per_ha": Param(
            "number",
            WORST_MW_PER_HA,
            "MW/ha",
            "power density at or above which the value is 0",
            minimum=0.0,
            label="Power density from which the value is 0",
        ),
    },
    specs=SPECS,
    default_measure="power_density_mw_per_ha",
    default_transform=lambda p, demand: TransformSpec(
        kind="linear", best=float(p["best_mw_per_ha"]), worst=float(p["worst_mw_per_ha"])
    ),
    rationale=(
        "Linear from 1 at 10 MW/ha to 0 at 25 MW/ha of demand over the site area; the "
        "Escaudain campus plans about 18 MW/ha (700 MW on 38.8 ha). Sites under 10 ha are "
        "excluded (siteassess planning assumptions)."
    ),
    measure=_measure,
    explain=_explain,
    default_weight=10.0,
)
