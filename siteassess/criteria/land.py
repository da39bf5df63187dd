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

from siteassess.criteria.base import Context, Criterion, Measure, Measured, Param, not_measurable
from siteassess.errors import DataIssue, Quantity, Reason, Term
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
)
