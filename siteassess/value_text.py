"""A value function in words, as a planner reads it, in French or English.

One describer for the app's detail panel, the PDF reports and the spreadsheets:
« vaut 1 à 0 m et 0 à partir de 20 km, linéaire entre les deux ». Bounds are written in
the unit the measure is shown in (its criterion's declaration: km for a distance stored
in metres), values with at most two decimals and no trailing zeros. The compact notation
of the JSON output (``linear: 0 m → 1.00, 20000 m → 0.00``) stays with
:func:`siteassess.scoring.describe_transform`.
"""

from __future__ import annotations

import math

from siteassess.i18n import format_number, localise
from siteassess.scoring.transforms import TransformSpec
from siteassess.vocabulary import measure_info, stored_unit

__all__ = ["bound_text", "value_function_text"]


def _places(x: float, most: int) -> int:
    """The fewest decimals, up to ``most``, that write ``x`` as rounded to ``most``."""
    for d in range(most):
        if round(x, d) == round(x, most):
            return d
    return most


def bound_text(measure: str, x: float, lang: str) -> str:
    """A bound of a value function in the measure's shown unit (``20 km``, ``2,5 ha``)."""
    x = float(x)
    if math.isinf(x):
        return "∞"
    if stored_unit(measure) == "m":  # distances: metres under 1 km, else km
        if abs(x) < 1000:
            return format_number(x, lang, 0, "m")
        return format_number(x / 1000, lang, _places(x / 1000, 2), "km")
    info = measure_info(measure, lang)
    shown = x / info.scale
    # A bound of 2.5 ha is not 3 ha: up to two decimals, whatever the table shows.
    return format_number(shown, lang, _places(shown, max(info.decimals, 2)), info.unit)


def _value(v: float, lang: str) -> str:
    return format_number(float(v), lang, _places(float(v), 2))


def _listing(parts: list[str], lang: str) -> str:
    """``a, b and c`` (« a, b et c »)."""
    if len(parts) == 1:
        return parts[0]
    return localise("{items} and {last}", lang).format(items=", ".join(parts[:-1]), last=parts[-1])


def value_function_text(spec: TransformSpec, measure: str, lang: str) -> str:
    """The value function ``spec`` of measure ``measure`` in one sentence, in ``lang``."""

    def at(x: float) -> str:
        return bound_text(measure, x, lang)

    if spec.kind == "linear":
        (x0, v0), (x1, v1) = sorted([(float(spec.best), 1.0), (float(spec.worst), 0.0)])
        template = (
            "is {v0} at {x0} and {v1} from {x1} on, linear in between"
            if x0 == 0
            else "is {v0} up to {x0} and {v1} from {x1} on, linear in between"
        )
        return localise(template, lang).format(
            v0=_value(v0, lang), x0=at(x0), v1=_value(v1, lang), x1=at(x1)
        )
    if spec.kind == "thresholds":
        steps = []
        previous: float | None = None
        for bound, value in spec.points:
            if math.isinf(bound) and previous is not None:
                steps.append(
                    localise("{v} beyond {x}", lang).format(v=_value(value, lang), x=at(previous))
                )
            else:
                steps.append(
                    localise("{v} up to {x}", lang).format(v=_value(value, lang), x=at(bound))
                )
            previous = float(bound)
        last = float(spec.points[-1][0])
        text = localise("is {steps}", lang).format(steps=_listing(steps, lang))
        if not math.isinf(last):
            text += localise(", then 0 beyond {x}", lang).format(x=at(last))
        return text
    points = [
        localise("{v} at {x}", lang).format(v=_value(v, lang), x=at(x)) for x, v in spec.points
    ]
    return localise("is {points}, linear between these points and constant beyond", lang).format(
        points=_listing(points, lang)
    )
