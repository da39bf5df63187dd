"""Scoring: value functions, weights (direct and AHP), aggregation and sensitivity.

Numbers only: no files, no geometry, no pandas. Sites are rows and criteria are columns of
plain numpy arrays; every computation is vectorised over sites.
"""

from siteassess.scoring.aggregate import (
    MISSING_POLICIES,
    ScoreTable,
    aggregate,
    check_missing_policy,
    rank_scores,
    scores_for_weights,
)
from siteassess.scoring.sensitivity import (
    SensitivityResult,
    WeightSwap,
    monte_carlo,
    rescale_weights,
    swap_weights,
)
from siteassess.scoring.transforms import (
    TRANSFORMS,
    TransformSpec,
    apply_transform,
    describe_transform,
    validate_transform,
)
from siteassess.scoring.weights import (
    AHP_RANDOM_INDEX,
    AHPResult,
    ahp_ratio,
    ahp_weights,
    normalise_weights,
)

__all__ = [
    "AHP_RANDOM_INDEX",
    "MISSING_POLICIES",
    "TRANSFORMS",
    "AHPResult",
    "ScoreTable",
    "SensitivityResult",
    "TransformSpec",
    "WeightSwap",
    "aggregate",
    "ahp_ratio",
    "ahp_weights",
    "apply_transform",
    "check_missing_policy",
    "describe_transform",
    "monte_carlo",
    "normalise_weights",
    "rank_scores",
    "rescale_weights",
    "scores_for_weights",
    "swap_weights",
    "validate_transform",
]
