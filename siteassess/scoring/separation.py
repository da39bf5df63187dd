"""Whether a criterion separates a set of sites, and which differences deserve a mark.

Across Hauts-de-France every site's FLAP round trip lies within 3.71–3.84 ms: the
connectivity value of every site is about 0.63, and the criterion adds the same points to
every score. A presenter says so ("does not separate these sites") instead of letting a
reader weigh 0.01 ms differences; and a best-value mark (★) is given only to a difference
at least as large as the measure's stated resolution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# A criterion does not separate a set of sites when their values (0 to 1) span less than
# this share of the value function's range: at a 25 % weight, under 2.5 points between the
# best and the worst site.
SEPARATION_SHARE = 0.10


@dataclass(frozen=True)
class Spread:
    """How far apart a criterion puts a set of sites."""

    criterion: str
    low: float  # lowest value (0 to 1) among the sites measured
    high: float
    separates: bool


def spreads(
    names: Sequence[str],
    values: np.ndarray,
    rows: np.ndarray | None = None,
    share: float = SEPARATION_SHARE,
) -> list[Spread]:
    """Per criterion, the span of its values (n sites × k criteria) over ``rows``.

    ``rows`` selects the sites (a boolean mask or indices; default: all). A criterion
    measured on fewer than two of them is reported as separating (nothing to say).
    """
    v = np.asarray(values, dtype=float)
    if rows is not None:
        v = v[rows]
    out = []
    for j, name in enumerate(names):
        col = v[:, j][np.isfinite(v[:, j])]
        if len(col) < 2:
            out.append(Spread(name, np.nan, np.nan, True))
            continue
        low, high = float(col.min()), float(col.max())
        out.append(Spread(name, low, high, bool(high - low >= share)))
    return out


def marked_best(keys: Sequence[float], better: str | None, resolution: float) -> list[int]:
    """Positions that deserve the best mark: within ``resolution`` of the best value.

    None when the values span less than ``resolution`` (a difference below the measure's
    precision means nothing), when fewer than two are known, or when nothing is better.
    """
    arr = np.asarray(keys, dtype=float)
    ok = np.isfinite(arr)
    if better not in ("high", "low") or ok.sum() < 2:
        return []
    known = arr[ok]
    span = float(known.max() - known.min())
    tol = max(resolution, 0.0) * (1 - 1e-9) + 1e-12
    if span < tol:
        return []
    best = known.max() if better == "high" else known.min()
    return [int(k) for k in np.flatnonzero(ok & (np.abs(arr - best) < tol))]
