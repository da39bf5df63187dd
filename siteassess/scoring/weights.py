"""Criterion weights: direct weights (normalised to sum 1) and AHP pairwise comparisons.

AHP (Saaty's analytic hierarchy process): the user says, for each pair of criteria, how much
more important the first is than the second on a 1/9..9 scale. The weights are the principal
eigenvector of that reciprocal matrix; the consistency ratio CR = CI / RI measures how far the
judgements contradict each other (CR <= 0.10 is the usual acceptance limit).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from siteassess.errors import InconsistentAHPError, WeightsError

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "AHP_RANDOM_INDEX",
    "AHPResult",
    "ahp_ratio",
    "ahp_weights",
    "normalise_weights",
]

AHP_RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
"""Saaty's random consistency index RI by matrix size n (mean CI of random matrices)."""


def _num(x: float) -> str:
    """A matrix entry as the user would type it (6 significant digits, no numpy repr)."""
    return f"{float(x):.6g}"


_RECIPROCAL_TOLERANCE = 1e-6  # relative: a_ji must be 1/a_ij within this
_CONSISTENT_LOG_ERROR = 1e-9  # |ln(a_ij w_j / w_i)| below this everywhere: fully consistent


def normalise_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Return the weights scaled to sum to 1, in the same order.

    Raises :class:`~siteassess.errors.WeightsError` naming the criterion whose weight is
    negative, NaN or infinite, or when there are no weights or all of them are zero.
    """
    if not weights:
        raise WeightsError("no criterion weights given: give each criterion a weight >= 0")
    checked: dict[str, float] = {}
    for name, raw in weights.items():
        try:
            weight = float(raw)
        except (TypeError, ValueError):
            raise WeightsError(
                f"weight of criterion {name!r} is {raw!r}, not a number: give a number >= 0"
            ) from None
        if not math.isfinite(weight):
            raise WeightsError(
                f"weight of criterion {name!r} is {weight!r}: give a finite number >= 0"
            )
        if weight < 0:
            raise WeightsError(
                f"weight of criterion {name!r} is {weight!r}: weights must be >= 0 "
                f"(use 0 to leave a criterion out of the score)"
            )
        checked[name] = weight
    largest = max(checked.values())
    if largest == 0:
        names = ", ".join(f"{name}=0" for name in checked)
        raise WeightsError(
            f"all criterion weights are zero: {names}; "
            f"give at least one criterion a positive weight"
        )
    # Divide by the largest first so that huge finite weights cannot overflow the sum.
    scaled = {name: weight / largest for name, weight in checked.items()}
    total = math.fsum(scaled.values())
    return {name: weight / total for name, weight in scaled.items()}


@dataclass(frozen=True)
class AHPResult:
    """Weights and consistency figures of one AHP pairwise comparison matrix.

    ``weights`` sum to 1 (keys in ``criteria`` order). ``lambda_max`` is the principal
    eigenvalue, ``consistency_index`` CI = (lambda_max - n) / (n - 1), ``consistency_ratio``
    CR = CI / ``random_index`` (0 when n <= 2). ``most_inconsistent_pair`` is the pair whose
    judgement the weights contradict most (None when the judgements are fully consistent).
    """

    criteria: tuple[str, ...]
    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    most_inconsistent_pair: tuple[str, str] | None
    random_index: float


def _as_matrix(criteria: tuple[str, ...], matrix: Sequence[Sequence[float]]) -> FloatArray:
    n = len(criteria)
    if n == 0:
        raise WeightsError("AHP needs at least one criterion")
    if len(set(criteria)) != n:
        duplicates = sorted({c for c in criteria if criteria.count(c) > 1})
        raise WeightsError(f"AHP criteria are repeated: {', '.join(duplicates)}")
    if n > max(AHP_RANDOM_INDEX):
        raise WeightsError(
            f"AHP with {n} criteria: the random index is tabulated only up to "
            f"{max(AHP_RANDOM_INDEX)} criteria; group criteria or use direct weights"
        )
    try:
        a = np.array(matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise WeightsError(
            f"AHP matrix is not a square table of numbers ({exc}); give {n} rows of {n} numbers"
        ) from None
    if a.shape != (n, n):
        raise WeightsError(
            f"AHP matrix has shape {a.shape} but there are {n} criteria "
            f"({', '.join(criteria)}); give {n} rows of {n} numbers"
        )
    return a


def _validate_entries(criteria: tuple[str, ...], a: FloatArray) -> None:
    bad = ~(np.isfinite(a) & (a > 0))
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise WeightsError(
            f"AHP comparison of {criteria[i]!r} with {criteria[j]!r} is {_num(a[i, j])}: "
            f"every entry must be a positive number (1/9 to 9 on Saaty's scale)"
        )
    off_diagonal = np.abs(np.diag(a) - 1.0) > _RECIPROCAL_TOLERANCE
    if off_diagonal.any():
        i = int(np.argmax(off_diagonal))
        raise WeightsError(
            f"AHP comparison of {criteria[i]!r} with itself is {_num(a[i, i])}: "
            f"the diagonal must be 1"
        )
    # a_ij * a_ji == 1 within a relative tolerance, checked once per pair (i < j).
    product_error = np.abs(a * a.T - 1.0)
    rows, cols = np.triu_indices(len(criteria), k=1)
    wrong = product_error[rows, cols] > _RECIPROCAL_TOLERANCE
    if wrong.any():
        first = int(np.argmax(wrong))
        i, j = int(rows[first]), int(cols[first])
        raise WeightsError(
            f"AHP matrix is not reciprocal: {criteria[i]!r} vs {criteria[j]!r} is "
            f"{_num(a[i, j])} but {criteria[j]!r} vs {criteria[i]!r} is {_num(a[j, i])} "
            f"(should be 1/{_num(a[i, j])} = {_num(1.0 / a[i, j])}); enter one of them and let "
            f"the other be its exact reciprocal"
        )


def ahp_ratio(criteria: Sequence[str], matrix: Sequence[Sequence[float]]) -> AHPResult:
    """Weights and consistency ratio of an AHP matrix, however inconsistent.

    For a dialog that shows the ratio while the user types. ``matrix[i][j]`` is how much more
    important ``criteria[i]`` is than ``criteria[j]`` (Saaty's 1/9..9 scale); the matrix must
    be square, positive, with 1 on the diagonal and reciprocal (a_ji = 1/a_ij), otherwise
    :class:`~siteassess.errors.WeightsError` says which entry is wrong.
    """
    names = tuple(criteria)
    a = _as_matrix(names, matrix)
    _validate_entries(names, a)
    n = len(names)

    eigenvalues, eigenvectors = np.linalg.eig(a)
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    vector = eigenvectors[:, principal].real
    # The Perron vector has one sign; dividing by its sum also makes it positive.
    w = np.abs(vector / vector.sum())
    w = w / w.sum()

    # lambda_max >= n for a positive reciprocal matrix; clip rounding noise below n.
    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 1 else 0.0
    ri = AHP_RANDOM_INDEX[n]
    cr = ci / ri if n > 2 else 0.0

    pair: tuple[str, str] | None = None
    if n > 1:
        # How far each judgement is from the ratio the weights imply (log scale, i < j).
        log_error = np.abs(np.log(a * w[np.newaxis, :] / w[:, np.newaxis]))
        rows, cols = np.triu_indices(n, k=1)
        upper = log_error[rows, cols]
        worst = int(np.argmax(upper))
        if upper[worst] > _CONSISTENT_LOG_ERROR:
            pair = (names[int(rows[worst])], names[int(cols[worst])])

    return AHPResult(
        criteria=names,
        weights={name: float(weight) for name, weight in zip(names, w, strict=True)},
        lambda_max=lambda_max,
        consistency_index=ci,
        consistency_ratio=cr,
        most_inconsistent_pair=pair,
        random_index=ri,
    )


def ahp_weights(
    criteria: Sequence[str],
    matrix: Sequence[Sequence[float]],
    *,
    force: bool = False,
    max_ratio: float = 0.10,
) -> AHPResult:
    """Weights from an AHP matrix, refusing judgements that are too inconsistent.

    Same computation as :func:`ahp_ratio`; raises
    :class:`~siteassess.errors.InconsistentAHPError` when the consistency ratio is above
    ``max_ratio`` (0.10 by Saaty's rule) unless ``force`` is true.
    """
    if not (math.isfinite(max_ratio) and max_ratio >= 0):
        raise WeightsError(f"max_ratio is {max_ratio!r}: give a number >= 0 (usually 0.10)")
    result = ahp_ratio(criteria, matrix)
    if result.consistency_ratio > max_ratio and not force:
        pair = result.most_inconsistent_pair
        advice = ""
        if pair is not None:
            i, j = result.criteria.index(pair[0]), result.criteria.index(pair[1])
            entered = float(np.asarray(matrix, dtype=np.float64)[i, j])
            implied = result.weights[pair[0]] / result.weights[pair[1]]
            advice = (
                f" The most inconsistent judgement is {pair[0]!r} vs {pair[1]!r}: entered "
                f"{entered:.3g}, while the other judgements imply about {implied:.2g}."
            )
        ratio, limit = f"{result.consistency_ratio:.2f}", f"{max_ratio:.2f}"
        if ratio == limit:  # just above the limit: show enough digits to see it
            ratio, limit = f"{result.consistency_ratio:.4f}", f"{max_ratio:.4f}"
        raise InconsistentAHPError(
            f"AHP judgements are too inconsistent: consistency ratio {ratio} > {limit}."
            f"{advice} Revise that comparison, or pass force=True to use these weights anyway."
        )
    return result
