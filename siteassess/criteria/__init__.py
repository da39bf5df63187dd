"""Criteria: one module per criterion, registered here by name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from siteassess.criteria.base import Context, Criterion, Measure, Measured, Param
from siteassess.criteria.connectivity import CONNECTIVITY
from siteassess.criteria.flood import FLOOD
from siteassess.criteria.heat import HEAT
from siteassess.criteria.land import LAND
from siteassess.criteria.power import POWER
from siteassess.criteria.zoning import ZONING

CRITERIA: dict[str, Criterion] = {}
# Every declared measure by column, for the presenters (labels, units, decimals, which way
# is better, headline measures). A measure two criteria share is declared once.
MEASURES: dict[str, Measure] = {}


def register(criterion: Criterion) -> Criterion:
    """Add ``criterion`` to the registry: the project file, the assessment and every
    presenter (app, command line, reports) then know it and its declared measures."""
    if criterion.name in CRITERIA:
        raise ValueError(f"a criterion named {criterion.name!r} is already registered")
    CRITERIA[criterion.name] = criterion
    for m in criterion.specs:
        MEASURES.setdefault(m.key, m)
    return criterion


def unregister(name: str) -> None:
    """Remove a registered criterion and the measures only it declared."""
    CRITERIA.pop(name)
    MEASURES.clear()
    for crit in CRITERIA.values():
        for m in crit.specs:
            MEASURES.setdefault(m.key, m)


# The registry: one line per criterion.
for _crit in (POWER, FLOOD, CONNECTIVITY, LAND, ZONING, HEAT):
    register(_crit)


def headline_measures(params: Mapping[str, Mapping[str, Any]]) -> list[Measure]:
    """The headline measures, in registry order, without those the criteria's resolved
    ``params`` (criterion → parameters) make repeat another."""
    return [
        m
        for c in CRITERIA.values()
        for m in c.specs
        if m.headline and m.shown_with(params.get(c.name, {}))
    ]


def compared_measures(params: Mapping[str, Mapping[str, Any]]) -> list[Measure]:
    """The measures a comparison shows, in registry order (same rule as the headlines)."""
    return [
        m
        for c in CRITERIA.values()
        for m in c.specs
        if m.compared and m.shown_with(params.get(c.name, {}))
    ]


def criterion_of(measure: str) -> str | None:
    """The criterion that declares ``measure`` (None for a column no criterion declares)."""
    return next((c.name for c in CRITERIA.values() if measure in c.measures), None)


__all__ = [
    "CRITERIA",
    "MEASURES",
    "Context",
    "Criterion",
    "Measure",
    "Measured",
    "Param",
    "compared_measures",
    "criterion_of",
    "headline_measures",
    "register",
    "unregister",
]
