"""Tests of siteassess.scoring.weights (direct weights and AHP)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from siteassess.errors import InconsistentAHPError, WeightsError
from siteassess.scoring.weights import (
    AHP_RANDOM_INDEX,
    ahp_ratio,
    ahp_weights,
    normalise_weights,
)

CRITERIA4 = ("power", "flood", "connectivity", "land")

# A commonly published 3x3 example (Saaty's scale): weights about 0.637, 0.258, 0.105,
# lambda_max about 3.039, CR about 0.033.
TEXTBOOK3 = [[1.0, 3.0, 5.0], [1 / 3, 1.0, 3.0], [1 / 5, 1 / 3, 1.0]]

# Saaty's cyclic judgements: a > b (9), b > c (9), c > a (9): as inconsistent as it gets.
CYCLIC3 = [[1.0, 9.0, 1 / 9], [1 / 9, 1.0, 9.0], [9.0, 1 / 9, 1.0]]


def consistent_matrix(weights: list[float]) -> list[list[float]]:
    """The perfectly consistent matrix a_ij = w_i / w_j."""
    return [[wi / wj for wj in weights] for wi in weights]


def power_iteration(matrix: list[list[float]]) -> tuple[np.ndarray, float]:
    """Principal eigenvector (sum 1) and eigenvalue by power iteration: an independent method."""
    a = np.array(matrix)
    w = np.full(len(matrix), 1.0 / len(matrix))
    for _ in range(500):
        w = a @ w
        w /= w.sum()
    lam = float(np.mean((a @ w) / w))
    return w, lam


# --- direct weights ------------------------------------------------------------------------


def test_normalise_weights_sums_to_one_and_keeps_order() -> None:
    out = normalise_weights({"power": 2, "flood": 6, "land": 0, "connectivity": 2})
    assert list(out) == ["power", "flood", "land", "connectivity"]
    assert out == pytest.approx({"power": 0.2, "flood": 0.6, "land": 0.0, "connectivity": 0.2})


def test_normalise_weights_does_not_overflow_on_huge_weights() -> None:
    out = normalise_weights({"a": 1e308, "b": 1e308, "c": 1e308 / 2})
    assert out == pytest.approx({"a": 0.4, "b": 0.4, "c": 0.2})


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [(-1.0, "-1.0"), (math.nan, "nan"), (math.inf, "inf"), ("heavy", "'heavy'")],
)
def test_normalise_weights_names_the_bad_criterion(bad: object, fragment: str) -> None:
    with pytest.raises(WeightsError) as info:
        normalise_weights({"power": 1.0, "flood": bad})  # type: ignore[dict-item]
    message = str(info.value)
    assert "'flood'" in message
    assert fragment in message
    assert "'power'" not in message


def test_normalise_weights_all_zero() -> None:
    with pytest.raises(WeightsError) as info:
        normalise_weights({"power": 0.0, "flood": 0})
    message = str(info.value)
    assert message.startswith("all criterion weights are zero: ")
    assert "power" in message and "flood" in message
    assert message.endswith("give at least one criterion a positive weight")


def test_normalise_weights_empty() -> None:
    with pytest.raises(WeightsError, match="no criterion weights"):
        normalise_weights({})


def test_weights_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        normalise_weights({"power": -2})


# --- AHP -----------------------------------------------------------------------------------


def test_ahp_consistent_matrix_returns_the_generating_weights() -> None:
    weights = [0.5, 0.25, 0.15, 0.1]
    result = ahp_weights(CRITERIA4, consistent_matrix(weights))
    assert result.criteria == CRITERIA4
    assert list(result.weights) == list(CRITERIA4)
    assert list(result.weights.values()) == pytest.approx(weights, abs=1e-12)
    assert result.lambda_max == pytest.approx(4.0, abs=1e-9)
    assert result.consistency_index == pytest.approx(0.0, abs=1e-9)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert result.random_index == 0.90
    assert result.most_inconsistent_pair is None


def test_ahp_textbook_example() -> None:
    result = ahp_weights(["a", "b", "c"], TEXTBOOK3)
    # Published figures (rounded).
    assert list(result.weights.values()) == pytest.approx([0.637, 0.258, 0.105], abs=5e-4)
    assert result.lambda_max == pytest.approx(3.039, abs=5e-4)
    assert result.consistency_ratio == pytest.approx(0.033, abs=5e-4)
    # Exact by another method: for n = 3 the normalised row geometric means are the
    # principal eigenvector; lambda_max = (A w)_i / w_i for any i.
    a = np.array(TEXTBOOK3)
    geo = np.prod(a, axis=1) ** (1 / 3)
    geo /= geo.sum()
    assert list(result.weights.values()) == pytest.approx(geo.tolist(), rel=1e-10)
    lam = float((a @ geo)[0] / geo[0])
    assert result.lambda_max == pytest.approx(lam, rel=1e-10)
    assert result.consistency_index == pytest.approx((lam - 3) / 2, rel=1e-8)
    assert result.consistency_ratio == pytest.approx((lam - 3) / 2 / 0.58, rel=1e-8)


def test_ahp_four_criteria_matches_power_iteration() -> None:
    matrix = [
        [1.0, 3.0, 5.0, 7.0],
        [1 / 3, 1.0, 2.0, 4.0],
        [1 / 5, 1 / 2, 1.0, 2.0],
        [1 / 7, 1 / 4, 1 / 2, 1.0],
    ]
    w, lam = power_iteration(matrix)
    result = ahp_weights(CRITERIA4, matrix)
    assert list(result.weights.values()) == pytest.approx(w.tolist(), rel=1e-9)
    assert result.lambda_max == pytest.approx(lam, rel=1e-9)
    assert result.consistency_ratio == pytest.approx((lam - 4) / 3 / 0.90, rel=1e-6)
    assert result.consistency_ratio < 0.10


def test_ahp_one_and_two_criteria() -> None:
    one = ahp_weights(["power"], [[1.0]])
    assert one.weights == {"power": 1.0}
    assert one.consistency_ratio == 0.0
    assert one.most_inconsistent_pair is None
    two = ahp_weights(["power", "flood"], [[1.0, 3.0], [1 / 3, 1.0]])
    assert list(two.weights.values()) == pytest.approx([0.75, 0.25])
    assert two.consistency_ratio == 0.0
    assert two.most_inconsistent_pair is None


def test_ahp_inconsistent_matrix_is_refused_with_a_helpful_message() -> None:
    with pytest.raises(InconsistentAHPError) as info:
        ahp_weights(["power", "flood", "land"], CYCLIC3)
    message = str(info.value)
    # By hand: the weights are equal by symmetry, so lambda_max = 1 + 9 + 1/9.
    cr = (1 + 9 + 1 / 9 - 3) / 2 / 0.58
    assert f"consistency ratio {cr:.2f} > 0.10" in message
    assert "'power' vs 'flood'" in message
    assert "force" in message
    assert isinstance(info.value, WeightsError)


def test_ahp_force_and_ratio_never_raise_for_inconsistency() -> None:
    forced = ahp_weights(["power", "flood", "land"], CYCLIC3, force=True)
    ratio = ahp_ratio(["power", "flood", "land"], CYCLIC3)
    for result in (forced, ratio):
        assert list(result.weights.values()) == pytest.approx([1 / 3] * 3)
        assert result.consistency_ratio == pytest.approx((1 + 9 + 1 / 9 - 3) / 2 / 0.58)


def test_ahp_max_ratio_is_the_limit() -> None:
    with pytest.raises(InconsistentAHPError, match=r"0\.03 > 0\.02"):
        ahp_weights(["a", "b", "c"], TEXTBOOK3, max_ratio=0.02)
    assert ahp_weights(["a", "b", "c"], TEXTBOOK3, max_ratio=0.04).consistency_ratio < 0.04


def test_ahp_names_the_pair_that_was_tampered_with() -> None:
    matrix = consistent_matrix([0.4, 0.3, 0.2, 0.1])
    # power vs land should be 4; the user typed 1/4 instead.
    matrix[0][3], matrix[3][0] = 1 / 4, 4.0
    result = ahp_ratio(CRITERIA4, matrix)
    assert result.most_inconsistent_pair == ("power", "land")
    assert result.consistency_ratio > 0.10
    with pytest.raises(InconsistentAHPError, match="'power' vs 'land'"):
        ahp_weights(CRITERIA4, matrix)


def test_random_index_table() -> None:
    expected = [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]
    assert [AHP_RANDOM_INDEX[n] for n in range(1, 11)] == expected


@pytest.mark.parametrize(
    ("matrix", "fragments"),
    [
        ([[1.0, 2.0], [0.5, 1.0]], ["shape (2, 2)", "4 criteria"]),
        ([[1.0, 2.0, 3.0]], ["shape (1, 3)"]),
        ([[1.0, 2.0], [0.5]], ["square table of numbers"]),
    ],
)
def test_ahp_wrong_shape(matrix: list[list[float]], fragments: list[str]) -> None:
    with pytest.raises(WeightsError) as info:
        ahp_ratio(CRITERIA4, matrix)
    for fragment in fragments:
        assert fragment in str(info.value)


def _four_by_four() -> list[list[float]]:
    return consistent_matrix([0.4, 0.3, 0.2, 0.1])


@pytest.mark.parametrize(
    ("row", "col", "value", "fragments"),
    [
        (1, 2, -2.0, ["'flood' with 'connectivity' is -2", "positive"]),
        (2, 3, math.nan, ["'connectivity' with 'land' is nan"]),
        (3, 0, math.inf, ["'land' with 'power' is inf"]),
        (2, 2, 2.0, ["'connectivity' with itself is 2", "diagonal must be 1"]),
        (0, 1, 2.0, ["not reciprocal", "'power' vs 'flood' is 2 ", "'flood' vs 'power' is 0.75"]),
    ],
)
def test_ahp_bad_entries_name_row_and_column(
    row: int, col: int, value: float, fragments: list[str]
) -> None:
    matrix = _four_by_four()
    matrix[row][col] = value
    with pytest.raises(WeightsError) as info:
        ahp_weights(CRITERIA4, matrix)
    assert not isinstance(info.value, InconsistentAHPError)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_ahp_reciprocal_tolerance_is_relative_1e6() -> None:
    matrix = [[1.0, 3.0], [1 / 3 * (1 + 5e-7), 1.0]]
    ahp_weights(["a", "b"], matrix)  # within tolerance
    matrix[1][0] = 0.333  # typed as a rounded decimal: 1e-3 off
    with pytest.raises(WeightsError, match="not reciprocal"):
        ahp_weights(["a", "b"], matrix)


def test_ahp_criteria_checks() -> None:
    with pytest.raises(WeightsError, match="repeated: a"):
        ahp_ratio(["a", "a"], [[1.0, 1.0], [1.0, 1.0]])
    with pytest.raises(WeightsError, match="at least one criterion"):
        ahp_ratio([], [])
    eleven = [f"c{i}" for i in range(11)]
    with pytest.raises(WeightsError, match="up to 10"):
        ahp_ratio(eleven, np.ones((11, 11)).tolist())
