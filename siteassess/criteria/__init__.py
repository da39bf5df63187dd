"""Criteria: one module per criterion, registered here by name."""

from __future__ import annotations

from siteassess.criteria.base import Context, Criterion, Measured, Param
from siteassess.criteria.connectivity import CONNECTIVITY
from siteassess.criteria.flood import FLOOD
from siteassess.criteria.land import LAND
from siteassess.criteria.power import POWER

CRITERIA: dict[str, Criterion] = {c.name: c for c in (POWER, FLOOD, CONNECTIVITY, LAND)}

__all__ = ["CRITERIA", "Context", "Criterion", "Measured", "Param"]
