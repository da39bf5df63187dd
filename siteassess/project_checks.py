"""The words of a project file checked against the registries, where it is opened to assess.

:mod:`siteassess.project` parses the structure of the TOML file and imports nothing of
the engine. The vocabulary (which criteria exist, their parameters and measures, the kinds
of value function, the layer formats, the Monte-Carlo bound) belongs to the registries of
``criteria``, ``scoring`` and ``layers``: it is checked here, by :func:`check_project`,
which the assessment, ``validate`` and the app call before reading any layer. The messages
name the file and the table, as the parser's do.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from siteassess.errors import ProjectError
from siteassess.project import CriterionSettings, Project, TableReader, load_project

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
    return c if same else replace(c, params=params)
