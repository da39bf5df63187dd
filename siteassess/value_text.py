"""Value functions and criterion parameters in words, as a planner reads them, in French
or English.

One describer for the app's detail panel, the PDF reports and the spreadsheets:
« vaut 1 à 0 m et 0 à partir de 20 km, linéaire entre les deux ». Bounds are written in
the unit the measure is shown in (its criterion's declaration: km for a distance stored
in metres), values with at most two decimals and no trailing zeros. The compact notation
of the JSON output (``linear: 0 m → 1.00, 20000 m → 0.00``) stays with
:func:`siteassess.scoring.describe_transform`.

A parameter is named by the label its criterion declares and its value written with the
declared unit: « Tension minimale du poste : 400 kV », never ``min_kv``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from siteassess.i18n import format_number, localise, localise_p
from siteassess.scoring.transforms import TransformSpec
from siteassess.vocabulary import measure_info, stored_unit

if TYPE_CHECKING:
    from siteassess.criteria.base import Param

__all__ = [
    "bound_text",
    "demand_text",
    "param_label",
    "param_lines",
    "param_value_text",
    "quantity_text",
    "value_function_text",
]


def _places(x: float, most: int) -> int:
    """The fewest decimals, up to ``most``, that write ``x`` as rounded to ``most``."""
    for d in range(most):
        if round(x, d) == round(x, most):
            return d
    return most


def quantity_text(x: float, unit: str, lang: str, most: int = 2) -> str:
    """A number in ``unit`` with up to ``most`` decimals, no trailing zeros; a distance
    in metres is written in km from 1 km on (``650 m``, ``20 km``, ``11,25 km``)."""
    x = float(x)
    if math.isinf(x):
        return "∞"
    if unit == "m" and abs(x) >= 1000:
        return format_number(x / 1000, lang, _places(x / 1000, max(most, 2)), "km")
    # "×" (a factor) reads better as the bare number: « facteur de détour : 1,4 ».
    return format_number(x, lang, _places(x, most), "" if unit == "×" else unit)


def bound_text(measure: str, x: float, lang: str) -> str:
    """A bound of a value function in the measure's shown unit (``20 km``, ``2,5 ha``)."""
    x = float(x)
    if math.isinf(x):
        return "∞"
    if stored_unit(measure) == "m":  # distances: metres under 1 km, else km
        return quantity_text(x, "m", lang, 0 if abs(x) < 1000 else 2)
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


def param_value_text(param: Param, value: Any, lang: str) -> str:
    """A parameter's value as its declaration says to write it: unit, choice label, yes/no.

    ``None`` (a parameter left unset) is the declaration's ``default_text`` (« sans
    limite »), else « aucun ».
    """
    if isinstance(value, bool):
        return localise("yes", lang) if value else localise("no", lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return localise(param.default_text or "none", lang)
    if param.kind == "choice":
        label = param.choice_labels.get(str(value))
        return localise_p(param.label, label, lang) if label else str(value)
    if isinstance(value, int | float):
        return quantity_text(float(value), param.unit, lang, max(param.decimals, 2))
    return str(value)


def _declared_params(criterion: str) -> Mapping[str, Param]:
    from siteassess.criteria import CRITERIA

    crit = CRITERIA.get(criterion)
    return crit.params if crit is not None else {}


def param_label(criterion: str, key: str, lang: str) -> str:
    """The name of parameter ``key`` of ``criterion`` in ``lang``, as it declares it (a key
    no criterion declares keeps its name)."""
    param = _declared_params(criterion).get(key)
    return localise(param.label, lang) if param is not None and param.label else key


def param_lines(criterion: str, params: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """(label, value) of each parameter of ``criterion`` in ``params``, in ``lang``, in
    the order the criterion declares them; a key it does not declare keeps its name."""
    declared = _declared_params(criterion)
    order = [k for k in declared if k in params] + [k for k in params if k not in declared]
    out = []
    for key in order:
        param = declared.get(key)
        value = params[key]
        shown = str(value) if param is None else param_value_text(param, value, lang)
        out.append((param_label(criterion, key, lang), shown))
    return out


def demand_text(demand_mw: float | None, lang: str) -> tuple[str, str]:
    """(label, value) of the project's campus demand: « Puissance du campus : 700 MW »."""
    value = quantity_text(demand_mw, "MW", lang, 1) if demand_mw else localise("none", lang)
    return localise("Campus power demand", lang), value
