"""The value function in words (siteassess.value_text): sentences written out by hand."""

from __future__ import annotations

import math

import pytest

from siteassess.scoring.transforms import TransformSpec
from siteassess.value_text import bound_text, value_function_text

NBSP, NNBSP = "\u00a0", "\u202f"
DISTANCE = "substation_distance_m"
LINEAR = TransformSpec("linear", best=0, worst=20_000)
AREA = TransformSpec("linear", best=70, worst=10)
STEPS = TransformSpec("thresholds", points=((5_000, 1.0), (10_000, 0.5)))
OPEN_STEPS = TransformSpec("thresholds", points=((5, 0.0), (math.inf, 1.0)))
PIECES = TransformSpec("piecewise", points=((0, 1.0), (5_000, 0.6), (20_500, 0.0)))


@pytest.mark.parametrize(
    ("spec", "measure", "french", "english"),
    [
        (
            LINEAR,
            DISTANCE,
            "vaut 1 à 0 m et 0 à partir de 20 km, linéaire entre les deux",
            "is 1 at 0 m and 0 from 20 km on, linear in between",
        ),
        (
            AREA,
            "area_ha",
            "vaut 0 jusqu’à 10 ha et 1 à partir de 70 ha, linéaire entre les deux",
            "is 0 up to 10 ha and 1 from 70 ha on, linear in between",
        ),
        (
            STEPS,
            DISTANCE,
            "vaut 1 jusqu’à 5 km et 0,5 jusqu’à 10 km, puis 0 au-delà de 10 km",
            "is 1 up to 5 km and 0.5 up to 10 km, then 0 beyond 10 km",
        ),
        (
            OPEN_STEPS,
            "area_ha",
            "vaut 0 jusqu’à 5 ha et 1 au-delà de 5 ha",
            "is 0 up to 5 ha and 1 beyond 5 ha",
        ),
        (
            PIECES,
            DISTANCE,
            "vaut 1 à 0 m, 0,6 à 5 km et 0 à 20,5 km, linéaire entre ces points et constante "
            "au-delà",
            "is 1 at 0 m, 0.6 at 5 km and 0 at 20.5 km, linear between these points and "
            "constant beyond",
        ),
    ],
)
def test_value_functions_read_as_sentences(
    spec: TransformSpec, measure: str, french: str, english: str
) -> None:
    assert value_function_text(spec, measure, "fr").replace(NBSP, " ") == french
    assert value_function_text(spec, measure, "en").replace(NBSP, " ") == english


def test_bounds_are_in_the_unit_the_planner_reads() -> None:
    assert bound_text(DISTANCE, 650, "fr") == f"650{NBSP}m"
    assert bound_text(DISTANCE, 11_250, "fr") == f"11,25{NBSP}km"
    assert bound_text(DISTANCE, 11_200, "en") == f"11.2{NBSP}km"
    assert bound_text(DISTANCE, 11_257, "fr") == f"11,26{NBSP}km"  # two decimals at most
    assert bound_text("area_ha", 2.5, "fr") == f"2,5{NBSP}ha"
    assert bound_text("area_ha", 12_345, "fr") == f"12{NNBSP}345{NBSP}ha"
    assert bound_text(DISTANCE, math.inf, "fr") == "∞"


def test_every_parameter_is_declared_with_a_label_in_french() -> None:
    from siteassess.criteria import CRITERIA
    from siteassess.i18n import has_translation

    for crit in CRITERIA.values():
        for key, param in crit.params.items():
            assert param.label, f"{crit.name}.{key} has no label"
            assert has_translation(param.label, "fr"), param.label


def test_parameters_read_as_label_and_value_with_its_unit() -> None:
    from siteassess.value_text import demand_text, param_lines

    power = dict(
        param_lines(
            "power",
            {"min_kv": 400.0, "max_distance_m": None, "full_cost_distance_m": 20_000.0},
            "fr",
        )
    )
    assert power == {
        "Tension minimale du poste": f"400{NBSP}kV",
        "Exclusion au-delà de cette distance d’un poste": "sans limite",
        "Distance au poste où la valeur atteint 0": f"20{NBSP}km",
    }
    flood = param_lines("flood", {"exclude_scenario": "medium", "exclude_above_pct": 2.5}, "fr")
    assert flood == [
        (f"Exclusion inondation{NBSP}: scénario", "moyen"),
        (f"Exclusion inondation{NBSP}: part au-delà de", f"2,5{NBSP}%"),
    ]
    assert param_lines("connectivity", {"route_factor": 1.45}, "en") == [
        ("Fibre route factor", "1.45")
    ]
    assert param_lines("power", {"include_authorised": True}, "en") == [
        ("Authorised (not yet built) substations counted", "yes")
    ]
    assert demand_text(700.0, "fr") == ("Puissance du campus", f"700{NBSP}MW")
