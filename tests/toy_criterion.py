"""A toy criterion, written as a new criterion's author would write its module.

Heat reuse: a data centre's waste heat is worth most near a town that can take it into a
district heating network. The toy measures the distance from the site outline to the
nearest commune centre of the ``context`` layer (the centroid of the commune's outline)
and names that commune; one parameter, the reach of a heat network, sets where the value
reaches 0. The tests register it (:func:`siteassess.criteria.register`, the one registry
line a real criterion adds to ``siteassess/criteria/__init__.py``) and give its French
at run time (:func:`siteassess.i18n.register`, in place of the ``.po`` entries); nothing
else in siteassess is told about it.
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
    SiteFacts,
    distance,
    distance_measure,
    is_missing,
    missing_layer_issue,
    nan_frame,
    nearest,
)
from siteassess.errors import Name, Quantity, Reason
from siteassess.scoring.transforms import TransformSpec

NAME = "heat_reuse"
TITLE = "Heat reuse"
DISTANCE = "heat_town_distance_m"
TOWN = "heat_town_name"

SPECS = (
    distance_measure(
        DISTANCE,
        "Nearest town centre for heat reuse",
        "distance from the site outline to the nearest commune centre (m)",
        headline=True,
        short="Town centre (heat)",
        named_by=TOWN,
        compared=True,
        phrase="distance to the nearest town centre",
    ),
    Measure(TOWN, "Name of that commune", "name of that commune"),
)


def _measure(ctx: Context, p: Mapping[str, Any]) -> Measured:
    index = ctx.sites.index
    towns = ctx.frame("context")
    if towns is None:
        return Measured(
            measures=nan_frame(index, [m.key for m in SPECS]),
            issues=(missing_layer_issue(NAME, "context"),),
        )
    centres = shapely.centroid(towns.geometry.values)
    i, d = nearest(ctx.sites.geometry.values, centres)
    names = towns["nom"].astype(str).to_numpy() if "nom" in towns else np.full(len(towns), "")
    out = pd.DataFrame(index=index)
    out[DISTANCE] = d
    out[TOWN] = np.where(i >= 0, names[np.maximum(i, 0)], None)
    return Measured(measures=out, sources=tuple(lyr.label for lyr in ctx.of("context")))


def _explain(f: SiteFacts) -> Explanation:
    d = f.measures.get(DISTANCE)
    if is_missing(d):
        return Explanation((Reason("heat_unmeasured", "No commune centre was found."),))
    return Explanation(
        (
            Reason.of(
                "heat_town",
                "Nearest commune centre for heat reuse: {town}, {distance} from the site "
                "boundary; a heat network reaches {reach}.",
                town=Name(str(f.measures.get(TOWN))),
                distance=distance(d),
                reach=Quantity(float(f.params["reach_m"]) / 1000, "km"),
            ),
        )
    )


HEAT_REUSE = Criterion(
    name=NAME,
    title=TITLE,
    roles=("context",),
    params={
        "reach_m": Param(
            "number",
            8_000.0,
            "m",
            "distance from a town centre at which the heat-reuse value reaches 0",
            minimum=500.0,
            label="Heat network reach",
            panel=True,
            maximum=50_000.0,
            decimals=0,
            step=500.0,
            tip="Beyond this distance the waste heat is not worth piping to the town",
        ),
    },
    specs=SPECS,
    default_measure=DISTANCE,
    default_transform=lambda p, demand: TransformSpec(
        kind="linear", best=0.0, worst=float(p["reach_m"])
    ),
    rationale="Linear from 1 at the town centre to 0 at the reach of a heat network.",
    measure=_measure,
    explain=_explain,
    default_weight=10.0,
)

# Its catalogue entries: what the .po of a real criterion holds.
FRENCH = {
    TITLE: "Valorisation de la chaleur",
    "Nearest town centre for heat reuse": "Centre-bourg le plus proche (chaleur)",
    "distance from the site outline to the nearest commune centre (m)": (
        "distance du contour du site au centre de commune le plus proche (m)"
    ),
    "Town centre (heat)": "Centre-bourg (chaleur)",
    "distance to the nearest town centre": "distance au centre-bourg le plus proche",
    "Name of that commune": "Nom de cette commune",
    "name of that commune": "nom de cette commune",
    "No commune centre was found.": "Aucun centre de commune n’a été trouvé.",
    "Nearest commune centre for heat reuse: {town}, {distance} from the site boundary; a "
    "heat network reaches {reach}.": (
        "Centre de commune le plus proche pour valoriser la chaleur : {town}, à {distance} de "
        "la limite du site ; un réseau de chaleur porte à {reach}."
    ),
    "Heat network reach": "Portée d’un réseau de chaleur",
    "distance from a town centre at which the heat-reuse value reaches 0": (
        "distance au centre-bourg à laquelle la valeur de la chaleur tombe à 0"
    ),
    "Beyond this distance the waste heat is not worth piping to the town": (
        "Au-delà de cette distance, la chaleur fatale ne vaut pas d’être acheminée vers la ville"
    ),
    "Linear from 1 at the town centre to 0 at the reach of a heat network.": (
        "Linéaire de 1 au centre-bourg à 0 à la portée d’un réseau de chaleur."
    ),
}
