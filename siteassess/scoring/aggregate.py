"""Weighted-sum aggregation of criterion values into site scores (0..100) and ranks.

The score of a site is ``100 * sum_k w_k * v_k`` where ``v_k`` in [0, 1] is the site's value
on criterion k and the weights ``w_k`` sum to 1. A value of NaN means "not measured"; what it
is worth is chosen by a missing-value policy from :data:`MISSING_POLICIES`. Everything is
vectorised over sites, so a table of a few thousand sites re-scores in well under a
millisecond (the app re-scores live while the user drags a weight slider).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from siteassess.errors import ProjectError, WeightsError
from siteassess.scoring.weights import normalise_weights

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

__all__ = [
    "MISSING_POLICIES",
    "ScoreTable",
    "aggregate",
    "check_missing_policy",
    "rank_scores",
    "scores_for_weights",
]

TIE_DECIMALS = 9
"""Scores are compared for ranking after rounding to this many decimals of a point, so that
floating-point noise (1e-14) does not split sites whose scores are equal."""


def _base_worst(measurable: FloatArray, weight_rows: FloatArray) -> FloatArray:
    # An unknown value counts as 0 and keeps its weight: the total weight is the same for all.
    return np.asarray(weight_rows.sum(axis=1)[:, np.newaxis], dtype=np.float64)


def _base_renormalise(measurable: FloatArray, weight_rows: FloatArray) -> FloatArray:
    # Only the measurable criteria of a site count: its score is divided by their weight.
    return np.asarray(weight_rows @ measurable.T, dtype=np.float64)


_WEIGHT_BASES: dict[str, Callable[[FloatArray, FloatArray], FloatArray]] = {
    "worst": _base_worst,
    "renormalise": _base_renormalise,
}
"""Per missing-value policy: the total weight each site's weighted sum is divided by.

Takes the measurable mask (n, k) as 0.0/1.0 and weight rows (d, k); returns (d, n) or a
shape that broadcasts to it."""

MISSING_POLICIES: tuple[str, ...] = tuple(_WEIGHT_BASES)
"""What a NaN (unmeasured) value is worth.

- ``"worst"``: it contributes 0, as if the site were the worst possible on that criterion
  (conservative: an unknown is not given the benefit of the doubt).
- ``"renormalise"``: the site is scored on its measurable criteria only, their weights
  rescaled to sum to 1 for that site. A site with no measurable weighted criterion scores 0.
"""


def check_missing_policy(missing: str) -> None:
    """Raise :class:`~siteassess.errors.ProjectError` if ``missing`` is not a known policy."""
    if missing not in _WEIGHT_BASES:
        known = ", ".join(repr(policy) for policy in MISSING_POLICIES)
        raise ProjectError(f"unknown missing-value policy {missing!r}; use one of {known}")


def _check_values(values: npt.ArrayLike, k: int) -> FloatArray:
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 2 or v.shape[1] != k:
        raise ValueError(
            f"values must have shape (sites, {k}), one column per criterion; got {v.shape}"
        )
    outside = ~np.isnan(v) & ((v < 0.0) | (v > 1.0))
    if outside.any():
        site, column = (int(i) for i in np.argwhere(outside)[0])
        raise ValueError(
            f"value {float(v[site, column])!r} of site {site}, column {column} is outside [0, 1]; "
            f"apply the criterion's transform before aggregating"
        )
    return v


def _check_excluded(excluded: npt.ArrayLike | None, n: int) -> BoolArray:
    if excluded is None:
        return np.zeros(n, dtype=np.bool_)
    mask = np.asarray(excluded, dtype=np.bool_)
    if mask.shape != (n,):
        raise ValueError(f"excluded must have shape ({n},), one flag per site; got {mask.shape}")
    return mask


def _prepare(values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Values with NaN as 0, and the measurable mask as 0.0/1.0, both (n, k)."""
    measurable = ~np.isnan(values)
    return np.where(measurable, values, 0.0), measurable.astype(np.float64)


def _scores(
    filled: FloatArray, measurable: FloatArray, weight_rows: FloatArray, missing: str
) -> FloatArray:
    """Scores (d, n) in points 0..100 for each weight row (d, k)."""
    weighted = weight_rows @ filled.T
    base = np.broadcast_to(_WEIGHT_BASES[missing](measurable, weight_rows), weighted.shape)
    out = np.zeros(weighted.shape, dtype=np.float64)
    np.divide(weighted, base, out=out, where=base > 0)
    return out * 100.0


def scores_for_weights(
    values: npt.ArrayLike, weight_rows: npt.ArrayLike, *, missing: str = "worst"
) -> FloatArray:
    """Scores (d, n), 0..100, of n sites for each of d weight vectors (rows of (d, k)).

    ``values`` is (n, k) in [0, 1] with NaN for unmeasured; each weight row should sum to 1.
    """
    check_missing_policy(missing)
    w = np.atleast_2d(np.asarray(weight_rows, dtype=np.float64))
    v = _check_values(values, w.shape[1])
    filled, measurable = _prepare(v)
    return _scores(filled, measurable, w, missing)


def _competition_ranks(scores: FloatArray) -> IntArray:
    """Competition ranks (1, 2, 2, 4) of each row of ``scores`` (d, m), highest first."""
    d, m = scores.shape
    keys = np.round(scores, TIE_DECIMALS)
    order = np.argsort(-keys, axis=1)
    ordered = np.take_along_axis(keys, order, axis=1)
    positions = np.broadcast_to(np.arange(1, m + 1, dtype=np.int64), (d, m))
    starts_group = np.ones((d, m), dtype=np.bool_)
    starts_group[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    # Every member of a group of equal scores gets the position of the group's first member.
    group_rank = np.maximum.accumulate(np.where(starts_group, positions, 0), axis=1)
    ranks = np.empty((d, m), dtype=np.int64)
    np.put_along_axis(ranks, order, group_rank, axis=1)
    return ranks


def rank_scores(scores: npt.ArrayLike, excluded: npt.ArrayLike | None = None) -> IntArray:
    """Rank sites by score: 1 = best among non-excluded sites, 0 for excluded sites.

    Equal scores (to :data:`TIE_DECIMALS` decimals) share the best rank of their group and
    the next rank is skipped ("competition ranking": 1, 2, 2, 4).
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 1:
        raise ValueError(f"scores must be one-dimensional (one per site); got shape {s.shape}")
    mask = _check_excluded(excluded, s.shape[0])
    included = np.flatnonzero(~mask)
    if np.isnan(s[included]).any():
        raise ValueError("scores of non-excluded sites must not be NaN")
    ranks = np.zeros(s.shape[0], dtype=np.int64)
    ranks[included] = _competition_ranks(s[np.newaxis, included])[0]
    return ranks


@dataclass(frozen=True, eq=False)
class ScoreTable:
    """Scores of n sites on k criteria (arrays are read-only).

    - ``weights`` (k,): normalised weights, sum 1.
    - ``values`` (n, k): criterion values in [0, 1], NaN where not measured.
    - ``contributions`` (n, k): score points each criterion gives; each row sums to the score.
    - ``scores`` (n,): 0..100 points. Excluded sites keep their computed score (so a report
      can say what they would have scored); use ``excluded`` / ``ranks`` to leave them out.
    - ``excluded`` (n,) bool: sites ruled out by a constraint.
    - ``ranks`` (n,) int: 1 = best among non-excluded sites, ties share the best rank
      (1, 2, 2, 4), 0 for excluded sites.
    - ``completeness`` (n,): share 0..1 of the positively weighted criteria that could be
      measured for the site.
    """

    criteria: tuple[str, ...]
    weights: FloatArray
    values: FloatArray
    contributions: FloatArray
    scores: FloatArray
    excluded: BoolArray
    ranks: IntArray
    completeness: FloatArray


def _weight_vector(names: tuple[str, ...], weights: Mapping[str, float]) -> FloatArray:
    for name in names:
        if name not in weights:
            raise WeightsError(
                f"no weight given for criterion {name!r}; give it a weight "
                f"(0 leaves it out of the score)"
            )
    unknown = [name for name in weights if name not in names]
    if unknown:
        raise WeightsError(
            f"weight given for {', '.join(map(repr, unknown))}, which is not among the "
            f"criteria scored ({', '.join(names)}); remove it or add the criterion"
        )
    normalised = normalise_weights({name: weights[name] for name in names})
    return np.array([normalised[name] for name in names], dtype=np.float64)


def _read_only(*arrays: npt.NDArray[np.generic]) -> None:
    for array in arrays:
        array.flags.writeable = False


def aggregate(
    criteria: Sequence[str],
    values: npt.ArrayLike,
    weights: Mapping[str, float],
    excluded: npt.ArrayLike | None = None,
    *,
    missing: str = "worst",
) -> ScoreTable:
    """Score and rank sites by the weighted sum of their criterion values.

    ``values`` is (n sites, k criteria) in [0, 1] with NaN for unmeasured, columns in the
    order of ``criteria``; ``weights`` gives every criterion a weight >= 0 (normalised here);
    ``excluded`` (n,) flags sites ruled out by a constraint; ``missing`` is one of
    :data:`MISSING_POLICIES`.
    """
    check_missing_policy(missing)
    names = tuple(criteria)
    if len(set(names)) != len(names):
        raise ValueError(f"criteria are repeated: {', '.join(names)}")
    w = _weight_vector(names, weights)
    v = _check_values(values, len(names)).copy()
    mask = _check_excluded(excluded, v.shape[0]).copy()

    filled, measurable = _prepare(v)
    base = np.broadcast_to(_WEIGHT_BASES[missing](measurable, w[np.newaxis, :])[0], mask.shape)
    points_per_weight = np.zeros(mask.shape, dtype=np.float64)
    np.divide(100.0, base, out=points_per_weight, where=base > 0)
    contributions = filled * w[np.newaxis, :] * points_per_weight[:, np.newaxis]
    scores = contributions.sum(axis=1)
    completeness = measurable[:, w > 0].mean(axis=1)
    ranks = rank_scores(scores, mask)

    _read_only(w, v, contributions, scores, mask, ranks, completeness)
    return ScoreTable(
        criteria=names,
        weights=w,
        values=v,
        contributions=contributions,
        scores=scores,
        excluded=mask,
        ranks=ranks,
        completeness=completeness,
    )
