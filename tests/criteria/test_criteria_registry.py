"""Every registered criterion has the same shape (STYLE: one test over the registry)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from siteassess.assessment import measure, unit_of
from siteassess.criteria import CRITERIA, Context
from siteassess.layers import Layer
from siteassess.project import load_project

UNIT_SUFFIX = re.compile(r"_(m|km|ms|pct|ha|kv|mw|mw_per_ha|mwh|eur|eur_per_mw|year|years)$")
# Ratios and 0/1 flags have no unit; nor a calendar year, and a count of years whose unit is
# in its label (« Délai de raccordement (ans) »): a stored unit "years" would be English in
# French tables.
UNITLESS = {
    "compactness",
    "route_factor",
    "heat_network_point_only",
    "grid_capacity_year",
    "connection_lead_years",
}


@pytest.mark.parametrize("name", list(CRITERIA))
def test_criterion_shape_on_the_sample(name: str, sample_project: Path) -> None:
    crit = CRITERIA[name]
    m = measure(load_project(sample_project))
    layers: dict[str, tuple[Layer, ...]] = {}
    for lyr in m.layers:
        layers[lyr.spec.role] = (*layers.get(lyr.spec.role, ()), lyr)
    ctx = Context(sites=m.sites, layers=layers, working_crs=m.working_crs, demand_mw=700)
    params = crit.resolve({}, 700)
    result = crit.measure(ctx, params)
    assert list(result.measures.index) == list(m.sites.index)
    assert set(result.measures.columns) <= set(crit.measures), "undeclared measure"
    assert crit.default_measure in crit.measures
    for col in result.measures.columns:
        numeric = pd.api.types.is_numeric_dtype(result.measures[col])
        if numeric and col not in UNITLESS:
            assert UNIT_SUFFIX.search(col), f"{col}: numeric measure without a unit suffix"
            assert unit_of(col) != ""
    assert set(result.exclusions) <= set(m.sites.index)
    assert set(crit.params) >= {k for k in params if k in crit.params}


@pytest.mark.parametrize("name", list(CRITERIA))
def test_criterion_without_its_layers_gives_nan_not_a_crash(
    name: str, sample_project: Path
) -> None:
    m = measure(load_project(sample_project))
    sites_only = {"sites": tuple(lyr for lyr in m.layers if lyr.spec.role == "sites")}
    ctx = Context(sites=m.sites, layers=sites_only, working_crs=m.working_crs, demand_mw=700)
    crit = CRITERIA[name]
    result = crit.measure(ctx, crit.resolve({}, 700))
    if crit.roles != ("sites",):
        values = result.measures.get(crit.default_measure)
        assert values is not None and values.isna().all()
        assert result.issues, "a missing layer must be reported as a data issue"
