"""Many sites made from the sample's measurements, for the tests of the app at scale.

The sample (7 sites) is measured once; :func:`many_sites` copies its sites ``n`` times over
(new ids, shifted outlines) with measures drawn from a seed, and scores them with the
sample's project: an assessment of 24,000 sites in well under a second, no layer read.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
import shapely

from tests.ui.conftest import SAMPLE


@cache
def sample_measurements() -> Any:
    """The sample project, measured (once per test session)."""
    from siteassess.assessment import assess
    from siteassess.project import load_project

    return assess(load_project(SAMPLE)).measurements


def many_sites(n: int, seed: int = 0, *, unknown_area_every: int = 0) -> Any:
    """An assessment of ``n`` sites (ids ``M00001``…), scored without the sensitivity
    test; every ``unknown_area_every``-th site (when > 0) has no measured area."""
    from siteassess.assessment import score

    m = sample_measurements()
    rng = np.random.default_rng(seed)
    k = len(m.sites)
    pick = np.arange(n) % k
    ids = [f"M{i:05d}" for i in range(1, n + 1)]
    sites = m.sites.iloc[pick].copy()
    sites.index = ids
    sites.index.name = m.sites.index.name
    # Shift each copy so the outlines do not coincide (metres, Lambert-93).
    offsets = np.column_stack([(np.arange(n) // k) % 100, (np.arange(n) // k) // 100]) * 3000.0
    geoms = sites.geometry.to_numpy()
    coords, where = shapely.get_coordinates(geoms, return_index=True)
    sites = sites.set_geometry(shapely.set_coordinates(geoms.copy(), coords + offsets[where]))
    sites["name"] = [f"Site {rng.integers(0, 10**6):06d}" for _ in range(n)]
    measures = m.measures.iloc[pick].copy()
    measures.index = ids
    for col in measures.columns:
        values = measures[col].to_numpy()
        if values.dtype.kind == "f":
            spread = rng.uniform(0.2, 1.8, size=n)
            measures[col] = values * spread
    if unknown_area_every:
        measures.iloc[::unknown_area_every, measures.columns.get_loc("area_ha")] = np.nan
    originals = [str(m.sites.index[j]) for j in pick]

    def copied(per: Any) -> dict[str, Any]:
        return {sid: per[o] for sid, o in zip(ids, originals, strict=True) if o in per}

    big = replace(
        m,
        sites=sites,
        measures=measures,
        exclusions={c: copied(per) for c, per in m.exclusions.items()},
        nearby={c: copied(per) for c, per in m.nearby.items()},
        land_units={},
    )
    return score(big, m.project, sensitivity=False)
