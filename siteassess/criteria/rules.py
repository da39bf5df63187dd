"""Hard rules on any criterion: a site whose measure crosses a limit is excluded.

A rule (:class:`siteassess.project.ExclusionRule`) is written in a ``[criteria.NAME]``
table, on the scored measure (``exclude_above = 10``, ``exclude_above_pct = 0``) or on any
measure the criterion declares (``[[criteria.NAME.exclude]] measure = "…" above = 10``).
Like Mutafriches' « bloquant » criteria, it is never averaged away: the site ranks after
every other. Each site a rule excludes gets a structured :class:`Reason` (the measure's
label, the site's value with its unit, the limit), and :func:`rule_text` gives the rule
itself in words (``validate``, the reports' method). A site whose value could not be
measured (NaN) is not excluded by a rule: nothing says it crosses the limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from siteassess.criteria.base import Criterion, Measure
from siteassess.errors import Listing, Name, Quantity, Reason, Term, Value
from siteassess.project import ExclusionRule, Project

__all__ = ["BLOCKING", "apply_rules", "measure_term", "rule_text", "rules_of", "values_in"]

# How the reports head a hard rule (« Bloquant » in French, as Mutafriches writes it).
BLOCKING = "Blocking"

# The sentences of a site a rule excludes, by operator.
_EXCLUDED = {
    "above": "{measure}: {value}, above the limit of {limit}",
    "below": "{measure}: {value}, below the limit of {limit}",
    "equals": "{measure}: {value}, a value that excludes",
    "in": "{measure}: {value}, one of the values that exclude ({limit})",
}
# The rules themselves, in words.
_RULE = {
    "above": "{criterion}: a site is excluded when {measure} is above {limit}",
    "below": "{criterion}: a site is excluded when {measure} is below {limit}",
    "equals": "{criterion}: a site is excluded when {measure} is {limit}",
    "in": "{criterion}: a site is excluded when {measure} is one of {limit}",
}


def measure_term(spec: Measure | None, key: str) -> Value:
    """A measure's label as a reason's value, translated by the presenters.

    A label of a family (``Share in the {s} flood scenario``) is a phrase of its own, its
    scenario a term in the sense "flood scenario"; a column no criterion declares keeps
    its key.
    """
    if spec is None:
        return Name(key)
    if spec.word is None:
        return Term(spec.label)
    if "{s}" in spec.label:
        return Reason.of("", spec.label, s=Term(spec.word, context="flood scenario"))
    return Reason.of("", spec.label, m=Name(spec.word.capitalize()))


def _limit(rule: ExclusionRule, spec: Measure | None) -> Value:
    if isinstance(rule.value, tuple):
        return Listing(tuple(_shown(v, spec) for v in rule.value))
    return _shown(rule.value, spec)


def _shown(value: float | str, spec: Measure | None) -> Value:
    """A value as the reader sees it: a number in the measure's shown unit, a category."""
    if isinstance(value, str):
        return Name(value)
    if spec is None:
        return Quantity(float(value))
    return spec.quantity(value)


def _spec(crit: Criterion, key: str) -> Measure | None:
    return next((m for m in crit.specs if m.key == key), None)


def _hits(rule: ExclusionRule, column: pd.Series) -> np.ndarray:
    """Which sites the rule excludes (a NaN value never)."""
    if rule.op in ("above", "below"):
        x = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            return np.asarray(x > rule.value if rule.op == "above" else x < rule.value)
    return values_in(column, rule.value if isinstance(rule.value, tuple) else (rule.value,))


def values_in(column: pd.Series, values: Sequence[float | str]) -> np.ndarray:
    """Which rows hold one of ``values``: a number equal to a number given, or a text equal
    to a text given (leading and trailing spaces ignored); a missing value never."""
    numbers = [float(v) for v in values if not isinstance(v, str)]
    texts = [v for v in values if isinstance(v, str)]
    x = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    hit = np.isin(x, numbers) if numbers else np.zeros(len(column), dtype=bool)
    if texts:
        hit |= column.astype("string").str.strip().isin(texts).fillna(False).to_numpy(dtype=bool)
    return np.asarray(hit)


def apply_rules(
    crit: Criterion,
    rules: Sequence[ExclusionRule],
    scored: str,
    measures: pd.DataFrame,
) -> dict[str, tuple[Reason, ...]]:
    """Site id → the reasons the criterion's rules exclude it (one per rule it crosses).

    ``scored`` is the measure the criterion scores (a rule with no measure is on it); a
    rule on a column these layers did not give excludes no site.
    """
    out: dict[str, tuple[Reason, ...]] = {}
    for rule in rules:
        key = rule.measure or scored
        if key not in measures.columns:
            continue
        spec = _spec(crit, key)
        column = measures[key]
        for k in np.flatnonzero(_hits(rule, column)):
            value: Any = column.iloc[k]
            shown = _shown(value if isinstance(value, str) else float(value), spec)
            reason = Reason.of(
                f"rule_{rule.op}",
                _EXCLUDED[rule.op],
                measure=measure_term(spec, key),
                value=shown,
                limit=_limit(rule, spec),
            )
            sid = str(measures.index[k])
            out[sid] = (*out.get(sid, ()), reason)
    return out


def rule_text(crit: Criterion, rule: ExclusionRule, scored: str) -> Reason:
    """The rule in words: ``Flood risk: a site is excluded when Share … is above 10%``."""
    key = rule.measure or scored
    spec = _spec(crit, key)
    return Reason.of(
        f"rule_{rule.op}_text",
        _RULE[rule.op],
        criterion=Term(crit.title),
        measure=measure_term(spec, key),
        limit=_limit(rule, spec),
    )


def rules_of(
    criteria: Mapping[str, Criterion], project: Project
) -> list[tuple[Criterion, ExclusionRule, str]]:
    """Every rule of a project with its criterion and the measure a bare rule is on."""
    out: list[tuple[Criterion, ExclusionRule, str]] = []
    for c in project.criteria:
        crit = criteria.get(c.name)
        if crit is None:
            continue
        scored = c.measure or crit.default_measure
        out.extend((crit, rule, scored) for rule in c.rules)
    return out
