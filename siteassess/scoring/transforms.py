"""Value functions: map a raw measure (metres, hectares, percent…) to a value in [0, 1].

A value of 1 is the best a site can be on a criterion, 0 the worst. NaN means "could not be
measured" and stays NaN: it is never turned into 0 here (the aggregation decides what an
unknown value is worth, see :data:`siteassess.scoring.aggregate.MISSING_POLICIES`).

Each kind of value function is registered in :data:`TRANSFORMS`; its validator and its
plain-English description are registered under the same name.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from siteassess.errors import ProjectError

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "TRANSFORMS",
    "TransformSpec",
    "apply_transform",
    "describe_transform",
    "validate_transform",
]


@dataclass(frozen=True)
class TransformSpec:
    """How one criterion's raw measure becomes a value in [0, 1].

    ``kind`` names an entry of :data:`TRANSFORMS`:

    - ``"linear"``: 1 at ``best``, 0 at ``worst``, linear between, clipped outside. ``best``
      may be below ``worst`` (a distance: nearer is better) or above it (an area).
    - ``"thresholds"``: a step function. ``points`` is ``((bound, value), ...)`` with bounds
      strictly increasing; a measure ``x`` gets the value of the first point with
      ``x <= bound``, and 0 when ``x`` is above every bound (use ``inf`` as the last bound
      to give large measures a value). Example, a distance in metres:
      ``((5000, 1.0), (10000, 0.5))`` gives 1 up to 5 km, 0.5 above 5 km up to 10 km, 0 beyond.
    - ``"piecewise"``: piecewise linear through ``points`` = ``((x, value), ...)`` with x
      strictly increasing; constant beyond the first and last points.

    ``best`` and ``worst`` are in the unit of the measure; they are only used by ``"linear"``.
    """

    kind: str
    best: float = math.nan
    worst: float = math.nan
    points: tuple[tuple[float, float], ...] = ()


# --- the value functions -------------------------------------------------------------------


def _linear(spec: TransformSpec, x: FloatArray) -> FloatArray:
    scaled = (x - spec.worst) / (spec.best - spec.worst)
    return np.clip(scaled, 0.0, 1.0)  # np.clip keeps NaN


def _thresholds(spec: TransformSpec, x: FloatArray) -> FloatArray:
    bounds = np.array([bound for bound, _ in spec.points], dtype=np.float64)
    # One extra value 0 for "above every bound".
    levels = np.array([value for _, value in spec.points] + [0.0], dtype=np.float64)
    # side="left": index of the first bound with x <= bound.
    index = np.searchsorted(bounds, x, side="left")
    out = levels[index]
    out[np.isnan(x)] = np.nan  # searchsorted sorts NaN after every bound
    return out


def _piecewise(spec: TransformSpec, x: FloatArray) -> FloatArray:
    xs = np.array([px for px, _ in spec.points], dtype=np.float64)
    ys = np.array([py for _, py in spec.points], dtype=np.float64)
    return np.asarray(np.interp(x, xs, ys), dtype=np.float64)  # np.interp keeps NaN


TRANSFORMS: dict[str, Callable[[TransformSpec, FloatArray], FloatArray]] = {
    "linear": _linear,
    "thresholds": _thresholds,
    "piecewise": _piecewise,
}
"""Value functions by kind; each takes a valid spec and a float array of measures."""


# --- validation ----------------------------------------------------------------------------


def _show(x: object) -> str:
    """A spec value for a message: plain float repr (5.0, nan, inf), never numpy's repr."""
    try:
        return repr(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return repr(x)


def _where(criterion: str, kind: str) -> str:
    return f"criterion {criterion!r}: {kind} transform" if criterion else f"{kind} transform"


def _check_values(spec: TransformSpec, where: str, label: str) -> None:
    if not spec.points:
        raise ProjectError(
            f"{where}: no points given; give at least one ({label}, value) pair, "
            f"e.g. points = [[5000, 1.0], [10000, 0.5]]"
        )
    for position, point in enumerate(spec.points, start=1):
        if len(point) != 2:
            raise ProjectError(
                f"{where}: point {position} is {point!r}; each point must be a pair "
                f"[{label}, value]"
            )
        value = point[1]
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise ProjectError(
                f"{where}: point {position} has value {_show(value)}; values must be between "
                f"0 (worst) and 1 (best)"
            )


def _check_increasing(xs: list[float], where: str, label: str, allow_inf: bool) -> None:
    for position, x in enumerate(xs, start=1):
        bad = math.isnan(x) or x == -math.inf or (x == math.inf and not allow_inf)
        if bad:
            raise ProjectError(f"{where}: point {position} has {label} {_show(x)}; give a number")
    for position in range(1, len(xs)):
        if not xs[position - 1] < xs[position]:
            raise ProjectError(
                f"{where}: {label}s must be strictly increasing, but point {position} has "
                f"{_show(xs[position - 1])} and point {position + 1} has {_show(xs[position])}; "
                f"sort the points by {label} and remove duplicates"
            )


def _validate_linear(spec: TransformSpec, where: str) -> None:
    for name, value in (("best", spec.best), ("worst", spec.worst)):
        if not math.isfinite(value):
            raise ProjectError(
                f"{where}: {name} is {_show(value)}; give the measure that scores "
                f"{'1' if name == 'best' else '0'} as a finite number"
            )
    if spec.best == spec.worst:
        raise ProjectError(
            f"{where}: best and worst are both {_show(spec.best)}; give two different measures "
            f"(e.g. best = 0, worst = 20000 for a distance in metres)"
        )


def _validate_thresholds(spec: TransformSpec, where: str) -> None:
    _check_values(spec, where, "bound")
    _check_increasing([p[0] for p in spec.points], where, "bound", allow_inf=True)


def _validate_piecewise(spec: TransformSpec, where: str) -> None:
    _check_values(spec, where, "x")
    if len(spec.points) < 2:
        raise ProjectError(
            f"{where}: only one point given; give at least two (x, value) points "
            f"(one point would give every site the same value)"
        )
    _check_increasing([p[0] for p in spec.points], where, "x", allow_inf=False)


_VALIDATORS: dict[str, Callable[[TransformSpec, str], None]] = {
    "linear": _validate_linear,
    "thresholds": _validate_thresholds,
    "piecewise": _validate_piecewise,
}


def validate_transform(spec: TransformSpec, *, criterion: str = "") -> None:
    """Raise :class:`~siteassess.errors.ProjectError` if ``spec`` cannot be applied.

    ``criterion`` (optional) is named in the message so the user knows which to fix.
    """
    validator = _VALIDATORS.get(spec.kind)
    if validator is None:
        known = ", ".join(repr(kind) for kind in TRANSFORMS)
        prefix = f"criterion {criterion!r}: " if criterion else ""
        raise ProjectError(f"{prefix}unknown transform kind {spec.kind!r}; use one of {known}")
    validator(spec, _where(criterion, spec.kind))


def apply_transform(
    spec: TransformSpec, values: npt.ArrayLike, *, criterion: str = ""
) -> FloatArray:
    """Map raw measures to values in [0, 1] (same shape, float64; NaN stays NaN).

    ``values`` are in the unit the spec was written for (metres, hectares…).
    """
    validate_transform(spec, criterion=criterion)
    x = np.asarray(values, dtype=np.float64)
    return np.asarray(TRANSFORMS[spec.kind](spec, x), dtype=np.float64)


# --- plain-English description -------------------------------------------------------------


def _number(x: float, unit: str) -> str:
    x = float(x)  # the project file may give ints
    if x == math.inf:
        text = "∞"
    elif x.is_integer() and abs(x) < 1e15:
        text = str(int(x))
    else:
        text = f"{x:.6g}"
    return f"{text} {unit}" if unit else text


def _describe_linear(spec: TransformSpec, unit: str) -> str:
    ends = sorted([(spec.best, 1.0), (spec.worst, 0.0)])
    return "linear: " + ", ".join(f"{_number(x, unit)} → {v:.2f}" for x, v in ends)


def _describe_thresholds(spec: TransformSpec, unit: str) -> str:
    parts = [f"≤ {_number(bound, unit)} → {value:.2f}" for bound, value in spec.points]
    last = spec.points[-1][0]
    if last != math.inf:
        parts.append(f"> {_number(last, unit)} → 0.00")
    return "thresholds: " + ", ".join(parts)


def _describe_piecewise(spec: TransformSpec, unit: str) -> str:
    parts = ", ".join(f"{_number(x, unit)} → {value:.2f}" for x, value in spec.points)
    return f"piecewise linear: {parts} (constant beyond the ends)"


_DESCRIBERS: dict[str, Callable[[TransformSpec, str], str]] = {
    "linear": _describe_linear,
    "thresholds": _describe_thresholds,
    "piecewise": _describe_piecewise,
}


def describe_transform(spec: TransformSpec, unit: str = "") -> str:
    """One plain-English line explaining the value function, for reports.

    Example: ``"linear: 0 m → 1.00, 20000 m → 0.00"``. ``unit`` is the measure's unit
    ("m", "ha", "%"), or "" for none.
    """
    validate_transform(spec)
    return _DESCRIBERS[spec.kind](spec, unit)
