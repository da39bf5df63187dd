"""Tests of siteassess.scoring.sensitivity (Monte-Carlo weights, one-weight swaps)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from siteassess.errors import WeightsError
from siteassess.scoring import sensitivity
from siteassess.scoring.aggregate import MISSING_POLICIES, aggregate
from siteassess.scoring.sensitivity import (
    WeightSwap,
    monte_carlo,
    rescale_weights,
    swap_weights,
)

NAN = np.nan


def hand_score(values: np.ndarray, weights: np.ndarray, missing: str) -> float:
    """Score of one site written out from the definitions (not via the package)."""
    known = ~np.isnan(values)
    total = sum(w * v for w, v, k in zip(weights, values, known, strict=True) if k)
    if missing == "worst":
        return 100.0 * total / sum(weights)
    base = sum(w for w, k in zip(weights, known, strict=True) if k)
    return 100.0 * total / base if base > 0 else 0.0


# --- Monte Carlo ---------------------------------------------------------------------------


def test_zero_spread_reproduces_the_deterministic_ranking() -> None:
    values = np.array([[0.9, 0.1, 0.5], [0.2, 0.8, 0.6], [0.5, 0.5, 0.5], [0.1, 0.1, 0.1]])
    weights = np.array([0.5, 0.3, 0.2])
    # By hand: 0.45 + 0.03 + 0.10 = 0.58; 0.10 + 0.24 + 0.12 = 0.46; 0.5; 0.1.
    result = monte_carlo(values, weights, None, draws=50, spread=0.0)
    np.testing.assert_array_equal(result.p_first, [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(result.rank_min, [1, 3, 2, 4])
    np.testing.assert_array_equal(result.rank_max, [1, 3, 2, 4])
    assert (result.draws, result.spread, result.seed) == (50, 0.0, 0)


def test_dominant_site_always_ranks_first() -> None:
    rng = np.random.default_rng(3)
    values = rng.uniform(0.0, 0.9, size=(30, 4))
    values[17] = 1.0  # best on every criterion, whatever the weights
    result = monte_carlo(values, np.full(4, 0.25), None, draws=500, spread=0.5, seed=1)
    expected = np.zeros(30)
    expected[17] = 1.0
    np.testing.assert_array_equal(result.p_first, expected)
    assert result.rank_min[17] == result.rank_max[17] == 1
    assert (result.rank_min[np.arange(30) != 17] >= 2).all()


def test_symmetric_sites_each_rank_first_about_half_the_time() -> None:
    values = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.2]])
    result = monte_carlo(values, np.array([0.5, 0.5]), None, draws=4000, spread=0.25, seed=7)
    # Binomial standard deviation sqrt(0.25 / 4000) = 0.008: 0.05 is over 6 sigma.
    assert result.p_first[0] == pytest.approx(0.5, abs=0.05)
    assert result.p_first[0] + result.p_first[1] == pytest.approx(1.0)
    assert result.p_first[2] == 0.0
    np.testing.assert_array_equal(result.rank_min, [1, 1, 3])
    np.testing.assert_array_equal(result.rank_max, [2, 2, 3])


def test_identical_sites_split_every_draw_evenly() -> None:
    values = np.array([[0.7, 0.3], [0.7, 0.3], [0.1, 0.9]])
    result = monte_carlo(values, np.array([0.9, 0.1]), None, draws=200, spread=0.1)
    np.testing.assert_allclose(result.p_first, [0.5, 0.5, 0.0])
    np.testing.assert_array_equal(result.rank_max[:2], [1, 1])  # tied for first: both rank 1


def test_excluded_sites_get_zero_and_are_not_competitors() -> None:
    values = np.array([[1.0, 1.0], [0.5, 0.4], [0.1, 0.2]])
    result = monte_carlo(values, np.array([0.5, 0.5]), np.array([True, False, False]), draws=100)
    np.testing.assert_array_equal(result.p_first, [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(result.rank_min, [0, 1, 2])
    np.testing.assert_array_equal(result.rank_max, [0, 1, 2])


def test_all_excluded_and_single_site() -> None:
    values = np.array([[0.3], [0.4]])
    none_left = monte_carlo(values, np.array([1.0]), np.array([True, True]), draws=10)
    np.testing.assert_array_equal(none_left.p_first, [0.0, 0.0])
    np.testing.assert_array_equal(none_left.rank_max, [0, 0])
    single = monte_carlo(np.array([[NAN, 0.2]]), np.array([0.6, 0.4]), None, draws=10)
    np.testing.assert_array_equal(single.p_first, [1.0])
    np.testing.assert_array_equal(single.rank_min, [1])


def test_matches_a_loop_of_aggregate_calls_for_both_missing_policies() -> None:
    rng = np.random.default_rng(11)
    values = rng.random((25, 3))
    values[rng.random((25, 3)) < 0.2] = NAN
    excluded = np.zeros(25, dtype=bool)
    excluded[[3, 8]] = True
    weights = np.array([0.5, 0.3, 0.2])
    draws, spread, seed = 60, 0.4, 42
    # The documented draw: one (draws, k) array of Uniform(1 - spread, 1 + spread) factors.
    factors = np.random.default_rng(seed).uniform(1 - spread, 1 + spread, size=(draws, 3))
    for missing in MISSING_POLICIES:
        wins = np.zeros(25)
        ranks = []
        for factor in factors:
            w = weights * factor
            weight_map = dict(zip("abc", w, strict=True))
            table = aggregate("abc", values, weight_map, excluded, missing=missing)
            first = table.ranks == 1
            wins += first / first.sum()
            ranks.append(table.ranks)
        stacked = np.array(ranks)
        result = monte_carlo(
            values, weights, excluded, draws=draws, spread=spread, seed=seed, missing=missing
        )
        np.testing.assert_allclose(result.p_first, wins / draws)
        np.testing.assert_array_equal(result.rank_min, np.where(excluded, 0, stacked.min(0)))
        np.testing.assert_array_equal(result.rank_max, stacked.max(axis=0))


def test_same_seed_same_result_and_chunking_does_not_matter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(2)
    values = rng.random((40, 4))
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    one = monte_carlo(values, weights, None, draws=300, seed=9)
    two = monte_carlo(values, weights, None, draws=300, seed=9)
    np.testing.assert_array_equal(one.p_first, two.p_first)
    other_seed = monte_carlo(values, weights, None, draws=300, seed=10)
    assert not np.array_equal(one.p_first, other_seed.p_first)
    monkeypatch.setattr(sensitivity, "_CHUNK_ELEMENTS", 7 * 40)  # chunks of 7 draws
    chunked = monte_carlo(values, weights, None, draws=300, seed=9)
    np.testing.assert_allclose(chunked.p_first, one.p_first, rtol=1e-12)
    np.testing.assert_array_equal(chunked.rank_min, one.rank_min)
    np.testing.assert_array_equal(chunked.rank_max, one.rank_max)


def test_monte_carlo_argument_errors() -> None:
    values = np.array([[0.5, 0.5]])
    with pytest.raises(ValueError, match=r"spread is 1\.5"):
        monte_carlo(values, np.array([0.5, 0.5]), None, spread=1.5)
    with pytest.raises(ValueError, match="draws is 0"):
        monte_carlo(values, np.array([0.5, 0.5]), None, draws=0)
    with pytest.raises(WeightsError, match="not all zero"):
        monte_carlo(values, np.array([0.0, 0.0]), None)
    with pytest.raises(ValueError, match=r"shape \(sites, 3\)"):
        monte_carlo(values, np.array([0.2, 0.3, 0.5]), None)


def test_monte_carlo_2000_sites_1000_draws_in_about_a_second() -> None:
    rng = np.random.default_rng(0)
    values = rng.random((2000, 4))
    values[rng.random((2000, 4)) < 0.05] = NAN
    start = time.perf_counter()
    result = monte_carlo(values, np.array([0.4, 0.3, 0.2, 0.1]), None, draws=1000)
    elapsed = time.perf_counter() - start
    assert result.p_first.sum() == pytest.approx(1.0)
    assert elapsed < 10.0  # about 0.5 s here; generous for slow machines


# --- one-weight swaps ----------------------------------------------------------------------


def test_rescale_weights_keeps_proportions() -> None:
    np.testing.assert_allclose(rescale_weights([0.5, 0.3, 0.2], 0, 0.8), [0.8, 0.12, 0.08])
    np.testing.assert_allclose(rescale_weights([1.0, 0.0], 0, 1.0), [1.0, 0.0])
    with pytest.raises(WeightsError, match="all the weight"):
        rescale_weights([1.0, 0.0], 0, 0.5)


def test_swap_two_criteria_by_hand() -> None:
    # A = (1, 0), B = (0, 1), weights 0.75 / 0.25: A scores 75, B 25. With weight t on the
    # first criterion, A scores 100 t and B 100 (1 - t): they tie at t = 0.5.
    values = np.array([[1.0, 0.0], [0.0, 1.0]])
    swaps = swap_weights(["power", "flood"], values, np.array([0.75, 0.25]), 0, 1)
    assert swaps == (
        WeightSwap("power", 0.75, 0.5, -0.25),
        WeightSwap("flood", 0.25, 0.5, 0.25),
    )


def _recomputed_gap(
    values: np.ndarray, weights: np.ndarray, swap: WeightSwap, criteria: list[str], missing: str
) -> tuple[float, np.ndarray]:
    k = criteria.index(swap.criterion)
    w = weights * (1 - swap.weight_after) / (1 - weights[k])
    w[k] = swap.weight_after
    gap = hand_score(values[0], w, missing) - hand_score(values[1], w, missing)
    return gap, w


@pytest.mark.parametrize("missing", MISSING_POLICIES)
def test_swap_weights_make_the_scores_equal_and_are_the_smallest_change(missing: str) -> None:
    criteria = ["power", "flood", "connectivity", "land"]
    values = np.array([[0.9, 0.6, 0.4, 0.7], [0.5, 0.9, 0.8, NAN]])
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    before = hand_score(values[0], weights, missing) - hand_score(values[1], weights, missing)
    swaps = swap_weights(criteria, values, weights, 0, 1, missing=missing)
    assert swaps
    assert [abs(s.delta) for s in swaps] == sorted(abs(s.delta) for s in swaps)
    for swap in swaps:
        gap, w = _recomputed_gap(values, weights, swap, criteria, missing)
        assert gap == pytest.approx(0.0, abs=1e-9)
        assert w.sum() == pytest.approx(1.0)
        assert 0.0 <= swap.weight_after <= 1.0
        assert swap.delta == pytest.approx(swap.weight_after - swap.weight_before)
        # No smaller change of this weight reaches a tie: the gap keeps its sign between.
        for fraction in np.linspace(0.0, 1.0, 200, endpoint=False)[1:]:
            partial = WeightSwap(
                swap.criterion, swap.weight_before, swap.weight_before + fraction * swap.delta, 0
            )
            inner, _ = _recomputed_gap(values, weights, partial, criteria, missing)
            assert np.sign(inner) == np.sign(before)


def test_swap_with_an_unmeasured_value_depends_on_the_policy() -> None:
    # Site B has no value on "land": under renormalise its score is a ratio in t.
    criteria = ["power", "land"]
    values = np.array([[0.6, 0.6], [0.9, NAN]])
    weights = np.array([0.5, 0.5])
    # B always scores 90 (only power counts), A always 60: no weight change ties them...
    assert swap_weights(criteria, values, weights, 0, 1, missing="renormalise") == ()
    # ...but under "worst" B scores 90 (1 - t) with weight t on land: ties at t = 1/3.
    (swap,) = [s for s in swap_weights(criteria, values, weights, 0, 1) if s.criterion == "land"]
    assert swap.weight_after == pytest.approx(1 / 3)


def test_dominated_site_cannot_catch_up() -> None:
    values = np.array([[0.9, 0.8, 0.7], [0.5, 0.4, 0.3]])
    assert swap_weights(["a", "b", "c"], values, np.array([0.2, 0.3, 0.5]), 0, 1) == ()


def test_already_tied_sites_need_no_change() -> None:
    values = np.array([[1.0, 0.0], [0.0, 1.0]])
    swaps = swap_weights(["a", "b"], values, np.array([0.5, 0.5]), 0, 1)
    assert [s.delta for s in swaps] == [0.0, 0.0]


def test_swap_skips_a_criterion_holding_all_the_weight() -> None:
    # Weights (1, 0): A = (0.5, 0) scores 50, B = (0.4, 1) scores 40. Raising b to t gives
    # A = 50 (1 - t) and B = 40 (1 - t) + 100 t: equal at t = 1/11.
    values = np.array([[0.5, 0.0], [0.4, 1.0]])
    swaps = swap_weights(["a", "b"], values, np.array([1.0, 0.0]), 0, 1)
    assert len(swaps) == 1
    assert swaps[0].criterion == "b"
    assert swaps[0].weight_after == pytest.approx(1 / 11)
    assert swaps[0].weight_before == 0.0


def test_swap_argument_errors() -> None:
    values = np.array([[0.5, 0.5], [0.4, 0.6]])
    weights = np.array([0.5, 0.5])
    with pytest.raises(ValueError, match="same site"):
        swap_weights(["a", "b"], values, weights, 1, 1)
    with pytest.raises(IndexError, match="second site index 2"):
        swap_weights(["a", "b"], values, weights, 0, 2)
    with pytest.raises(WeightsError, match=r"shape \(2,\)"):
        swap_weights(["a", "b"], values, np.array([1.0]), 0, 1)


def test_swap_ignores_a_tie_reached_only_as_a_site_loses_all_measurable_weight() -> None:
    # B has no "land" value. Under renormalise, as the land weight t -> 1, B keeps scoring 70
    # on its other criteria while A climbs to 70 only at t = 1, where B has no measurable
    # weight left (score 0): there is no tie in [0, 1], only a limit.
    criteria = ["power", "flood", "connectivity", "land"]
    values = np.array([[0.9, 0.6, 0.4, 0.7], [0.5, 0.9, 0.8, NAN]])
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    swaps = swap_weights(criteria, values, weights, 0, 1, missing="renormalise")
    assert "land" not in [swap.criterion for swap in swaps]
    assert len(swaps) == 3


def test_a_tie_only_at_the_end_of_the_range_is_not_a_swap() -> None:
    # Both sites score 1.0 on "a"; the first is better on "b". Giving "a" all the weight
    # (or "b" none) makes them tie, but nothing ever puts the second site ahead.
    values = np.array([[1.0, 0.8], [1.0, 0.5]])
    assert swap_weights(["a", "b"], values, np.array([0.5, 0.5]), 0, 1) == ()
