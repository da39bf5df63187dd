"""The words of a project file checked against the registries, where it is opened to assess.

:mod:`siteassess.project` parses the structure of the TOML file and imports nothing of
the engine. The vocabulary (which criteria exist, their parameters and measures, the kinds
of value function, the layer formats, the Monte-Carlo bound) belongs to the registries of
``criteria``, ``scoring`` and ``layers``: it is checked here, by :func:`check_project`,
which the assessment, ``validate`` and the app call before reading any layer. The messages
name the file and the table, as the parser's do.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from siteassess.errors import ProjectError
from siteassess.project import (
    CriterionSettings,
    ExclusionRule,
    Project,
    TableReader,
    load_project,
)

if TYPE_CHECKING:
    from siteassess.criteria import Criterion

__all__ = ["check_project", "open_project"]


def open_project(path: str | Path) -> Project:
    """Read a project file and check it against the registries (raises ProjectError)."""
    return check_project(load_project(path))


def check_project(project: Project) -> Project:
    """The project with its criterion parameters typed; ProjectError on any unknown word.

    Idempotent: a checked project passes again unchanged.
    """
    where = str(project.path) if project.path is not None else "project"
    _check_formats(project, where)
    _check_sensitivity(project, where)
    from siteassess.criteria.declared_build import install

    install(project, where)  # the declared criteria join the registry checked against
    criteria = tuple(_check_criterion(c, where) for c in project.criteria)
    return replace(project, criteria=criteria) if criteria != project.criteria else project


def _check_formats(project: Project, where: str) -> None:
    from siteassess.layers.importers import IMPORTERS

    for i, spec in enumerate(project.layers):
        if spec.format is not None and spec.format not in IMPORTERS:
            raise ProjectError(
                f"{where}: layers[{i}]: format = {spec.format!r} is not known; use one of "
                f"{', '.join(IMPORTERS)} (or leave it out to detect it from the file)"
            )


def _check_sensitivity(project: Project, where: str) -> None:
    from siteassess.scoring.sensitivity import MAX_DRAWS

    s = project.sensitivity
    if s is not None and s.draws > MAX_DRAWS:
        raise ProjectError(
            f"{where}: [sensitivity] draws = {s.draws:,}: give a whole number from 0 to "
            f"{MAX_DRAWS:,} (1000 is plenty to see how stable the ranking is; 0 turns the "
            "Monte-Carlo test off)"
        )


def _check_criterion(c: CriterionSettings, where: str) -> CriterionSettings:
    from siteassess.criteria import CRITERIA
    from siteassess.scoring.transforms import TRANSFORMS

    w = f"{where}: [criteria.{c.name}]"
    if c.name not in CRITERIA:
        raise ProjectError(
            f"{w}: unknown criterion {c.name!r}; known criteria: {', '.join(CRITERIA)}"
        )
    crit = CRITERIA[c.name]
    if c.measure is not None and c.measure not in crit.measures:
        raise ProjectError(
            f"{w}: measure = {c.measure!r} is not one this criterion measures; "
            f"choose from {', '.join(sorted(crit.measures))}"
        )
    if c.transform is not None and c.transform.kind not in TRANSFORMS:
        raise ProjectError(
            f"{w}.transform: kind = {c.transform.kind!r}; use one of {', '.join(TRANSFORMS)}"
        )
    r = TableReader(c.params, w)
    rules = _check_rules(c, crit, r, w)
    params: dict[str, Any] = {}
    for pname, pspec in crit.params.items():
        if pspec.kind == "number":
            v: Any = r.number(pname, minimum=pspec.minimum)
        elif pspec.kind == "bool":
            v = r.boolean(pname)
        elif pspec.kind == "choice":
            v = r.choice(pname, pspec.choices)
        else:
            v = r.string(pname)
        if v is not None:
            params[pname] = v
    r.finish()
    same = {k: (type(v), v) for k, v in params.items()} == {
        k: (type(v), v) for k, v in c.params.items()
    }
    if same and rules == c.rules:
        return c
    return replace(c, params=params, rules=rules)


_SUFFIXED_RULE = re.compile(r"exclude_(?P<op>above|below)_(?P<suffix>[a-z_]+)")


def _check_rules(
    c: CriterionSettings, crit: Criterion, r: TableReader, w: str
) -> tuple[ExclusionRule, ...]:
    """The criterion's exclusion rules, each on a measure it declares.

    ``exclude_above_pct = 0`` (the unit of the scored measure after ``exclude_above_``) is
    the short form of a rule on the scored measure, unless the criterion has a parameter
    of that name (flood's own ``exclude_above_pct``, the share in its exclusion scenario).
    """
    scored = c.measure or crit.default_measure
    rules = list(c.rules)
    for key in list(r.data):
        found = _SUFFIXED_RULE.fullmatch(key)
        if found is None or key in crit.params:
            continue
        if not scored.endswith("_" + found["suffix"]):
            raise ProjectError(
                f"{w}: {key}: the scored measure {scored} is not in "
                f"{found['suffix']}; write exclude_{found['op']} = … for a rule on it, or "
                "[[criteria." + c.name + '.exclude]] measure = "…" for a rule on another measure'
            )
        value = r.number(key)
        assert value is not None
        rules.append(ExclusionRule(found["op"], value, None, key))
    for rule in rules:
        if rule.measure is not None and rule.measure not in crit.measures:
            where = f"{w}.{rule.key}" if rule.key.startswith("exclude[") else f"{w}: {rule.key}"
            raise ProjectError(
                f"{where}: measure = {rule.measure!r} is not one this criterion measures; "
                f"choose from {', '.join(sorted(crit.measures))}"
            )
    return tuple(rules)
