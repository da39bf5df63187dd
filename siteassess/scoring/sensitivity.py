"""How robust a ranking is to the weights: Monte-Carlo weight draws and one-weight swaps.

- :func:`monte_carlo` perturbs every weight at random many times and reports, per site, how
  often it ranks first and the range of ranks it takes.
- :func:`swap_weights` answers "how much would one weight have to change for site B to
  catch up with site A?", exactly, for each criterion in turn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from siteassess.errors import WeightsError
from siteassess.scoring.aggregate import (
    _WEIGHT_BASES,
    FloatArray,
    IntArray,
    _check_excluded,
    _check_values,
    _competition_ranks,
    _prepare,
    _scores,
    check_missing_policy,
)

__all__ = [
    "MAX_DRAWS",
    "SensitivityResult",
    "WeightSwap",
    "monte_carlo",
    "rescale_weights",
    "swap_weights",
]

# Draws at most: 100,000 already pins p_first to about ±0.3 percentage points, and each
# draw holds one row of weights in memory (1e8 draws took 7 GB).
MAX_DRAWS = 100_000
_CHUNK_ELEMENTS = 1_000_000  # scores per chunk of draws (8 MB per float array)
_SWAP_TOLERANCE = 1e-7  # score points: two scores this close count as equal
_MIN_WEIGHT_BASE = 1e-9  # a site scored on less total weight than this is not trusted


@dataclass(frozen=True, eq=False)
class SensitivityResult:
    """Outcome of :func:`monte_carlo` for n sites (arrays are read-only).

    ``p_first`` (n,) is the share 0..1 of draws in which the site ranked first (a tie for
    first shares the draw evenly; 0 for excluded sites). ``rank_min`` / ``rank_max`` (n,) are
    the best and worst rank over the draws (0 for excluded sites). ``spread`` is the relative
    half-width of the weight perturbation (0.25: each weight times 0.75..1.25).
    """

    draws: int
    spread: float
    seed: int
    p_first: FloatArray
    rank_min: IntArray
    rank_max: IntArray


def _check_weights(weights: npt.ArrayLike, k: int | None = None) -> FloatArray:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or (k is not None and w.shape[0] != k):
        expected = f"({k},)" if k is not None else "(criteria,)"
        raise WeightsError(f"weights must have shape {expected}; got {w.shape}")
    if not (np.isfinite(w).all() and (w >= 0).all() and w.sum() > 0):
        raise WeightsError(
            f"weights must be finite, >= 0 and not all zero; got {w.tolist()} "
            f"(normalise them with normalise_weights first)"
        )
    total = w.sum()
    # Keep weights that already sum to 1 exactly as given (0.1 must stay 0.1, not 0.1 + 2e-17).
    return w.copy() if abs(total - 1.0) <= 1e-12 else np.asarray(w / total, dtype=np.float64)


def monte_carlo(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    excluded: npt.ArrayLike | None = None,
    *,
    draws: int = 1000,
    spread: float = 0.25,
    seed: int = 0,
    missing: str = "worst",
) -> SensitivityResult:
    """Re-rank the sites under random weights and count how often each ranks first.

    Each draw multiplies every weight by an independent Uniform(1 - spread, 1 + spread)
    factor and renormalises. ``values`` is (n, k) in [0, 1] with NaN for unmeasured,
    ``weights`` (k,) the normalised weights, ``excluded`` (n,) sites never ranked. The same
    ``seed`` gives the same result. Draws are scored in chunks to bound memory.
    """
    check_missing_policy(missing)
    w = _check_weights(weights)
    v = _check_values(values, w.shape[0])
    n = v.shape[0]
    mask = _check_excluded(excluded, n)
    if (
        isinstance(draws, bool)
        or not isinstance(draws, int | np.integer)
        or not 1 <= draws <= MAX_DRAWS
    ):
        raise ValueError(
            f"draws is {draws!r}: give a whole number from 1 to {MAX_DRAWS:,} (e.g. 1000)"
        )
    if not (math.isfinite(spread) and 0.0 <= spread <= 1.0):
        raise ValueError(f"spread is {spread!r}: give a number from 0 to 1 (e.g. 0.25)")

    rng = np.random.default_rng(seed)
    factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(int(draws), w.shape[0]))
    weight_rows = w[np.newaxis, :] * factors
    weight_rows /= weight_rows.sum(axis=1, keepdims=True)

    included = np.flatnonzero(~mask)
    m = included.shape[0]
    p_first = np.zeros(n, dtype=np.float64)
    rank_min = np.zeros(n, dtype=np.int64)
    rank_max = np.zeros(n, dtype=np.int64)
    if m > 0:
        filled, measurable = _prepare(v[included])
        wins = np.zeros(m, dtype=np.float64)
        best = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
        worst = np.zeros(m, dtype=np.int64)
        chunk = max(1, _CHUNK_ELEMENTS // m)
        for start in range(0, int(draws), chunk):
            scores = _scores(filled, measurable, weight_rows[start : start + chunk], missing)
            ranks = _competition_ranks(scores)
            first = ranks == 1
            # A tie for first shares the draw: each of the c winners gets 1/c.
            wins += (first / first.sum(axis=1, keepdims=True)).sum(axis=0)
            np.minimum(best, ranks.min(axis=0), out=best)
            np.maximum(worst, ranks.max(axis=0), out=worst)
        p_first[included] = wins / draws
        rank_min[included] = best
        rank_max[included] = worst

    for array in (p_first, rank_min, rank_max):
        array.flags.writeable = False
    return SensitivityResult(
        draws=int(draws),
        spread=float(spread),
        seed=seed,
        p_first=p_first,
        rank_min=rank_min,
        rank_max=rank_max,
    )


@dataclass(frozen=True)
class WeightSwap:
    """A change of one criterion's weight at which two sites' scores become equal.

    Weights are normalised (sum 1); the other weights are rescaled proportionally.
    ``delta`` = ``weight_after`` - ``weight_before``.
    """

    criterion: str
    weight_before: float
    weight_after: float
    delta: float


def rescale_weights(weights: npt.ArrayLike, index: int, new_weight: float) -> FloatArray:
    """Set weight ``index`` to ``new_weight`` (0..1) and rescale the others to sum 1 - it.

    The others keep their proportions: w_i' = w_i * (1 - new_weight) / (1 - w_index).
    """
    w = _check_weights(weights)
    if not 0.0 <= new_weight <= 1.0:
        raise WeightsError(f"new weight {new_weight!r} is outside 0..1")
    rest = 1.0 - w[index]
    if rest <= 0.0:
        if new_weight == 1.0:
            return w.copy()
        raise WeightsError(
            f"criterion {index} has all the weight, so the others have no proportions to "
            f"keep; set their weights directly"
        )
    out = w * ((1.0 - new_weight) / rest)
    out[index] = new_weight
    return np.asarray(out, dtype=np.float64)


def _order_flips_beyond(
    t: float,
    w_k: float,
    k: int,
    others: FloatArray,
    filled: FloatArray,
    measurable: FloatArray,
    missing: str,
) -> bool:
    """True when moving weight k a little past the tie at ``t`` reverses today's order.

    Sites already tied need no change. A tie reached only at the end of the range (weight
    0 or 1, e.g. two sites with the same value on the criterion) or touched without
    crossing is not a swap.
    """

    def gap(weight: float) -> float:
        row = (others * (1.0 - weight))[np.newaxis, :]
        row[0, k] = weight
        pair = _scores(filled, measurable, row, missing)[0]
        return float(pair[0] - pair[1])

    now = gap(w_k)
    if abs(now) <= _SWAP_TOLERANCE:
        return True
    beyond = t + (1e-6 if t > w_k else -1e-6)
    if not 0.0 <= beyond <= 1.0:
        return False
    after = gap(beyond)
    return after != 0.0 and (after > 0) != (now > 0)


def _unit_interval_roots(a2: float, a1: float, a0: float) -> list[float]:
    """Real roots in [0, 1] of a2 t^2 + a1 t + a0 (numerically stable formula)."""
    if a2 == 0.0:
        roots = [] if a1 == 0.0 else [-a0 / a1]
    else:
        disc = a1 * a1 - 4.0 * a2 * a0
        if disc < 0.0:
            # A tangent (double) root can come out slightly negative from rounding.
            if disc < -1e-12 * max(a1 * a1, abs(4.0 * a2 * a0)):
                return []
            disc = 0.0
        q = -0.5 * (a1 + math.copysign(math.sqrt(disc), a1))
        roots = [q / a2, a0 / q] if q != 0.0 else [0.0]
    return [min(1.0, max(0.0, t)) for t in roots if -1e-12 <= t <= 1.0 + 1e-12]


def swap_weights(
    criteria: Sequence[str],
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    first: int,
    second: int,
    *,
    missing: str = "worst",
) -> tuple[WeightSwap, ...]:
    """For each criterion, the smallest change of its weight that makes two sites tie.

    ``first`` and ``second`` are row indices of ``values`` (n, k, in [0, 1], NaN unmeasured);
    ``weights`` (k,) are normalised. Changing weight k to t rescales the others
    proportionally, w_i' = w_i (1 - t) / (1 - w_k), so each site's weighted sum is linear in
    t and the tie point is solved exactly (a linear equation with ``missing="worst"``, at most
    quadratic with ``"renormalise"``). Only t in [0, 1] is kept; a criterion that already
    holds all the weight is skipped (the others have no proportions to rescale). Returns the
    swaps sorted by |delta|; empty when no single weight change makes the sites tie.
    """
    check_missing_policy(missing)
    names = tuple(criteria)
    w = _check_weights(weights, len(names))
    v = _check_values(values, len(names))
    n = v.shape[0]
    for label, index in (("first", first), ("second", second)):
        if not 0 <= index < n:
            raise IndexError(f"{label} site index {index} is outside 0..{n - 1}")
    if first == second:
        raise ValueError(f"first and second are the same site ({first}); give two sites")

    filled, measurable = _prepare(v[[first, second]])
    swaps: list[WeightSwap] = []
    for k, name in enumerate(names):
        rest = 1.0 - w[k]
        if rest <= 1e-12:
            continue
        others = w / rest
        others[k] = 0.0
        ends = np.stack([others, np.eye(len(names))[k]])  # weights at t = 0 and t = 1
        # Weighted sums N and weight bases B of both sites at both ends; both are linear in
        # the weights, so each is linear in t and the tie N_f B_s = N_s B_f is a quadratic.
        sums = ends @ filled.T
        bases = np.broadcast_to(_WEIGHT_BASES[missing](measurable, ends), sums.shape)
        n0f, n1f = sums[0, 0], sums[1, 0] - sums[0, 0]
        n0s, n1s = sums[0, 1], sums[1, 1] - sums[0, 1]
        b0f, b1f = bases[0, 0], bases[1, 0] - bases[0, 0]
        b0s, b1s = bases[0, 1], bases[1, 1] - bases[0, 1]
        a2 = float(n1f * b1s - n1s * b1f)
        a1 = float(n0f * b1s + n1f * b0s - n0s * b1f - n1s * b0f)
        a0 = float(n0f * b0s - n0s * b0f)
        if max(abs(a2), abs(a1), abs(a0)) <= 1e-15:
            candidates = [float(w[k])]  # the two sites score the same whatever t is
        else:
            candidates = _unit_interval_roots(a2, a1, a0)
        # Check each root on the real scores. A root where a site's measurable weight
        # vanishes is only a limit (its score is 0 there, or rests on weights of ~1e-15).
        kept = []
        for t in candidates:
            row = (others * (1.0 - t))[np.newaxis, :]
            row[0, k] = t
            pair = _scores(filled, measurable, row, missing)[0]
            base = np.broadcast_to(_WEIGHT_BASES[missing](measurable, row), (1, 2))[0]
            if (
                (base > _MIN_WEIGHT_BASE).all()
                and abs(pair[0] - pair[1]) <= _SWAP_TOLERANCE
                and _order_flips_beyond(t, float(w[k]), k, others, filled, measurable, missing)
            ):
                kept.append(t)
        if kept:
            t = min(kept, key=lambda root: abs(root - w[k]))
            before = float(w[k])
            swaps.append(WeightSwap(name, before, t, t - before))
    return tuple(sorted(swaps, key=lambda swap: abs(swap.delta)))
