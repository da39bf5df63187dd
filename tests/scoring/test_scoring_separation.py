"""Whether a criterion separates sites, and which differences earn the best mark."""

from __future__ import annotations

import numpy as np

from siteassess.scoring.separation import SEPARATION_SHARE, marked_best, spreads


def test_a_criterion_spanning_less_than_the_share_does_not_separate() -> None:
    values = np.array([[0.10, 0.62], [0.90, 0.63], [0.50, 0.63 + SEPARATION_SHARE * 0.5]])
    power, conn = spreads(["power", "connectivity"], values)
    assert power.separates and (power.low, power.high) == (0.10, 0.90)
    assert not conn.separates and conn.high - conn.low < SEPARATION_SHARE


def test_spreads_over_a_subset_and_with_unmeasured_sites() -> None:
    values = np.array([[0.0], [1.0], [0.50], [0.52], [np.nan]])
    assert spreads(["c"], values)[0].separates
    assert not spreads(["c"], values, np.array([2, 3, 4]))[0].separates
    # Fewer than two measured: nothing to say.
    assert spreads(["c"], values, np.array([0, 4]))[0].separates


def test_marked_best_needs_a_difference_of_at_least_the_resolution() -> None:
    # FLAP round trips 3.71 to 3.74 ms: below 0.1 ms, no mark at all.
    assert marked_best([3.72, 3.73, 3.71, 3.74], "low", 0.1) == []
    # 100 m resolution: 3,400 m and 3,450 m both count as the nearest.
    assert marked_best([3400.0, 3450.0, 7000.0], "low", 100.0) == [0, 1]
    assert marked_best([38.8, 92.1, 47.2], "high", 1.0) == [1]
    assert marked_best([5.0, 5.0], "high", 0.0) == []  # all equal
    assert marked_best([5.0, 6.0, 6.0], "high", 0.0) == [1, 2]  # exact ties
    assert marked_best([5.0, np.nan], "high", 0.0) == []  # one known value
    assert marked_best([1.0, 2.0], None, 0.0) == []
