"""Tests of siteassess.scoring.transforms (value functions)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from siteassess.errors import ProjectError
from siteassess.scoring.transforms import (
    TRANSFORMS,
    TransformSpec,
    apply_transform,
    describe_transform,
    validate_transform,
)

NAN = math.nan

# One valid spec per registered kind; the registry test checks none is forgotten.
SAMPLE_SPECS = {
    "linear": TransformSpec("linear", best=0.0, worst=20_000.0),
    "thresholds": TransformSpec("thresholds", points=((5_000.0, 1.0), (10_000.0, 0.5))),
    "piecewise": TransformSpec("piecewise", points=((0.0, 1.0), (5_000.0, 0.6), (20_000.0, 0.0))),
}


def test_every_registered_kind_validates_applies_and_describes() -> None:
    assert set(SAMPLE_SPECS) == set(TRANSFORMS)
    for kind, spec in SAMPLE_SPECS.items():
        validate_transform(spec)
        out = apply_transform(spec, np.array([0.0, 7_000.0, NAN]))
        assert out.dtype == np.float64
        assert np.isnan(out[2])
        assert ((out[:2] >= 0) & (out[:2] <= 1)).all()
        assert describe_transform(spec, "m").startswith(kind)
        assert " m → " in describe_transform(spec, "m")


def test_linear_distance_best_below_worst() -> None:
    spec = TransformSpec("linear", best=0.0, worst=20_000.0)
    x = [-10.0, 0.0, 5_000.0, 10_000.0, 20_000.0, 30_000.0, NAN]
    # 5 km is a quarter of the way from best to worst: 1 - 5000/20000 = 0.75.
    expected = [1.0, 1.0, 0.75, 0.5, 0.0, 0.0, NAN]
    np.testing.assert_allclose(apply_transform(spec, x), expected)


def test_linear_area_best_above_worst() -> None:
    spec = TransformSpec("linear", best=10.0, worst=2.0)
    x = [0.0, 2.0, 4.0, 6.0, 10.0, 50.0]
    # (x - 2) / 8, clipped to [0, 1].
    expected = [0.0, 0.0, 0.25, 0.5, 1.0, 1.0]
    np.testing.assert_allclose(apply_transform(spec, x), expected)


def test_linear_keeps_shape_and_accepts_integers() -> None:
    spec = TransformSpec("linear", best=0, worst=4)
    out = apply_transform(spec, [[0, 1], [2, 4]])
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, [[1.0, 0.75], [0.5, 0.0]])


def test_thresholds_first_bound_at_or_above_the_measure() -> None:
    spec = SAMPLE_SPECS["thresholds"]
    x = [0.0, 5_000.0, 5_000.5, 10_000.0, 10_000.5, NAN]
    expected = [1.0, 1.0, 0.5, 0.5, 0.0, NAN]
    np.testing.assert_array_equal(apply_transform(spec, x), expected)


def test_thresholds_infinite_last_bound_gives_large_measures_a_value() -> None:
    # Area in hectares: bigger is better.
    spec = TransformSpec("thresholds", points=((5.0, 0.0), (20.0, 0.5), (math.inf, 1.0)))
    x = [1.0, 5.0, 12.0, 20.0, 40.0, math.inf]
    expected = [0.0, 0.0, 0.5, 0.5, 1.0, 1.0]
    np.testing.assert_array_equal(apply_transform(spec, x), expected)


def test_piecewise_interpolates_and_is_constant_beyond_the_ends() -> None:
    spec = SAMPLE_SPECS["piecewise"]
    x = [-5.0, 0.0, 2_500.0, 5_000.0, 12_500.0, 20_000.0, 1e6, NAN]
    # Midpoints: (1 + 0.6) / 2 = 0.8 and (0.6 + 0) / 2 = 0.3.
    expected = [1.0, 1.0, 0.8, 0.6, 0.3, 0.0, 0.0, NAN]
    np.testing.assert_allclose(apply_transform(spec, x), expected)


def test_empty_input_gives_empty_output() -> None:
    for spec in SAMPLE_SPECS.values():
        assert apply_transform(spec, np.array([])).shape == (0,)


@pytest.mark.parametrize(
    ("spec", "fragments"),
    [
        (TransformSpec("linear", best=0.0), ["worst", "nan"]),
        (TransformSpec("linear", best=math.inf, worst=0.0), ["best", "inf"]),
        (TransformSpec("linear", best=5.0, worst=5.0), ["best and worst are both 5.0"]),
        (TransformSpec("thresholds"), ["no points"]),
        (TransformSpec("thresholds", points=((5.0, 1.5),)), ["point 1", "value 1.5"]),
        (TransformSpec("thresholds", points=((5.0, NAN),)), ["point 1", "value nan"]),
        (
            TransformSpec("thresholds", points=((5.0, 1.0), (5.0, 0.5))),
            ["strictly increasing", "point 1 has 5.0", "point 2 has 5.0"],
        ),
        (TransformSpec("thresholds", points=((NAN, 1.0),)), ["point 1", "bound nan"]),
        (TransformSpec("piecewise", points=((0.0, 1.0),)), ["only one point"]),
        (
            TransformSpec("piecewise", points=((10.0, 1.0), (0.0, 0.0))),
            ["strictly increasing", "sort the points"],
        ),
        (TransformSpec("piecewise", points=((0.0, 1.0), (math.inf, 0.0))), ["x inf"]),
        (TransformSpec("piecewise", points=((0.0, 1.0), (1.0, -0.1))), ["point 2", "-0.1"]),
    ],
)
def test_invalid_specs_name_the_criterion_and_the_wrong_value(
    spec: TransformSpec, fragments: list[str]
) -> None:
    with pytest.raises(ProjectError) as info:
        validate_transform(spec, criterion="power")
    message = str(info.value)
    assert "criterion 'power'" in message
    assert spec.kind in message
    for fragment in fragments:
        assert fragment in message


def test_unknown_kind_lists_the_known_kinds() -> None:
    with pytest.raises(ProjectError, match="unknown transform kind 'sigmoid'") as info:
        apply_transform(TransformSpec("sigmoid"), [1.0], criterion="flood")
    message = str(info.value)
    assert "criterion 'flood'" in message
    for kind in TRANSFORMS:
        assert repr(kind) in message


def test_invalid_spec_error_is_also_a_value_error() -> None:
    with pytest.raises(ValueError):
        apply_transform(TransformSpec("linear"), [1.0])


def test_describe_linear_lists_ends_by_increasing_measure() -> None:
    distance = TransformSpec("linear", best=0, worst=20_000)
    assert describe_transform(distance, "m") == "linear: 0 m → 1.00, 20000 m → 0.00"
    area = TransformSpec("linear", best=10.0, worst=2.5)
    assert describe_transform(area, "ha") == "linear: 2.5 ha → 0.00, 10 ha → 1.00"
    assert describe_transform(area, "") == "linear: 2.5 → 0.00, 10 → 1.00"


def test_describe_thresholds_and_piecewise() -> None:
    assert describe_transform(SAMPLE_SPECS["thresholds"], "m") == (
        "thresholds: ≤ 5000 m → 1.00, ≤ 10000 m → 0.50, > 10000 m → 0.00"
    )
    open_ended = TransformSpec("thresholds", points=((5.0, 0.0), (math.inf, 1.0)))
    assert describe_transform(open_ended, "ha") == "thresholds: ≤ 5 ha → 0.00, ≤ ∞ ha → 1.00"
    assert describe_transform(SAMPLE_SPECS["piecewise"], "m") == (
        "piecewise linear: 0 m → 1.00, 5000 m → 0.60, 20000 m → 0.00 (constant beyond the ends)"
    )


def test_describe_refuses_an_invalid_spec() -> None:
    with pytest.raises(ProjectError):
        describe_transform(TransformSpec("piecewise"), "m")
