"""Criteria a planner declares in the project file, with no code.

A ``[criteria.NAME]`` table with a ``kind`` declares a criterion on any layer of the
project, named by the layer's ``name`` (as ArcGIS's and the QGIS MCDA plugins' criteria
are built from any layer):

- ``kind = "distance"``: the distance from the site outline to the nearest feature of the
  layer, optionally only the features whose ``filter_field`` is one of ``filter_in``;
- ``kind = "overlap"``: the share of the site inside the layer's zones (their union), and
  per category when ``category_field`` and ``categories`` are given;
- ``kind = "attribute"``: an attribute ``field`` of the site (no ``layer``), or of the
  layer's zone the site mostly lies in (the seismic zone of its commune), numeric, or
  categorical with ``values`` mapping each category to a value from 0 to 1.

Each takes a value function (``transform``; distance and overlap have a documented
default), a weight, exclusion rules, a ``unit``, a ``label`` (and ``label_fr``) and a
``source``. It is built into a :class:`~siteassess.criteria.base.Criterion` and registered
while its project is open (:func:`siteassess.criteria.declared_build.install`, called by
:func:`siteassess.project_checks.check_project`), so every presenter that reads the
registry shows it as it shows a built-in criterion.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

from siteassess.errors import ProjectError
from siteassess.project import DECLARATION_KEYS, CriterionSettings, Project

__all__ = [
    "DECLARATION_KEYS",
    "KINDS",
    "Declaration",
    "declaration_of",
    "declared_layer_names",
    "is_declared",
]

KINDS = ("distance", "overlap", "attribute")
# Without a value function, a distance is worth 1 at 0 m and 0 at this reach.
DEFAULT_REACH_M = 10_000.0
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Declaration:
    """One declared criterion, as the project file gives it (checked)."""

    name: str
    kind: str
    layer: str | None  # a layer's name; None: the sites (an attribute of the site)
    role: str  # the role of that layer
    label: str
    label_fr: str
    unit: str = ""
    source: str | None = None
    source_fr: str | None = None
    filter_field: str | None = None
    filter_in: tuple[str | float, ...] = ()
    name_field: str | None = None
    category_field: str | None = None
    categories: tuple[str, ...] = ()
    field: str | None = None
    values: tuple[tuple[str, float], ...] = ()  # category -> value in [0, 1]
    better: str = "low"
    reach_m: float = DEFAULT_REACH_M
    decimals: int = 2  # an attribute's decimals as shown

    @property
    def categorical(self) -> bool:
        """True for an attribute whose categories map to values."""
        return bool(self.values)


def is_declared(settings: CriterionSettings) -> bool:
    """True when a criterion table declares its criterion (it has a ``kind``)."""
    return bool(settings.declaration)


def declared_layer_names(project: Project) -> set[str]:
    """The names of the layers the project's declared criteria read."""
    return {
        str(c.declaration["layer"])
        for c in project.criteria
        if is_declared(c) and isinstance(c.declaration.get("layer"), str)
    }


def _slug(text: str) -> str:
    """A category as a measure key's part (``Zone spéciale`` → ``zone_speciale``)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_") or "x"


def category_key(name: str, category: str) -> str:
    """The measure of the share of a site in one category of an overlap criterion."""
    return f"{name}_share_{_slug(category)}_pct"


def _text(d: Mapping[str, Any], key: str, w: str, *, required: bool = False) -> str | None:
    v = d.get(key)
    if v is None:
        if required:
            raise ProjectError(f'{w}: a criterion of this kind needs {key} = "…"')
        return None
    if not isinstance(v, str) or not v.strip():
        raise ProjectError(f"{w}: {key} must be a text in quotes, not {v!r}")
    return v.strip()


def _scalar_list(v: Any, w: str, key: str) -> tuple[str | float, ...]:
    items = v if isinstance(v, list) else [v]
    out: list[str | float] = []
    for x in items:
        if isinstance(x, bool) or not isinstance(x, str | int | float):
            raise ProjectError(
                f'{w}: {key} must be a value or a list of values, such as ["SIC", "ZPS"], not {v!r}'
            )
        out.append(float(x) if isinstance(x, int | float) else x)
    if not out:
        raise ProjectError(f"{w}: {key} is empty; give at least one value")
    return tuple(out)


def _values(v: Any, w: str) -> tuple[tuple[str, float], ...]:
    if not isinstance(v, Mapping) or not v:
        raise ProjectError(
            f"{w}: values must be a table of each category's value from 0 to 1, such as "
            'values = { "1" = 1.0, "2" = 0.8, "3" = 0.4 }'
        )
    out = []
    for cat, x in v.items():
        if isinstance(x, bool) or not isinstance(x, int | float) or not 0 <= x <= 1:
            raise ProjectError(
                f"{w}: values.{cat} = {x!r}: each category's value must be a number from 0 "
                "(worst) to 1 (best)"
            )
        out.append((str(cat), float(x)))
    return tuple(out)


def declaration_of(
    settings: CriterionSettings, project: Project, where: str, builtin: Container[str]
) -> Declaration:
    """The checked declaration of a ``[criteria.NAME]`` table with a ``kind`` (``builtin``:
    the names it must not take)."""
    name = settings.name
    w = f"{where}: [criteria.{name}]"
    d = settings.declaration
    kind = d.get("kind")
    if kind not in KINDS:
        raise ProjectError(f"{w}: kind = {kind!r}; use one of {', '.join(KINDS)}")
    if not _NAME.fullmatch(name):
        raise ProjectError(
            f"{w}: a declared criterion's name must be lower-case letters, digits and _ "
            "(at most 40, starting with a letter), such as [criteria.natura2000]; its "
            "measures are named after it"
        )
    if name in builtin:
        raise ProjectError(
            f"{w}: {name} is a built-in criterion; give the declared criterion another name"
        )
    layer = _text(d, "layer", w, required=kind != "attribute")
    role = "sites"
    if layer is not None:
        named = [s for s in project.layers if s.name == layer]
        if not named:
            names = sorted({s.name for s in project.layers if s.name})
            raise ProjectError(
                f"{w}: layer = {layer!r}: no layer of the project has this name; name it in "
                f'its [[layers]] table (name = "{layer}")'
                + (f"; the named layers are {', '.join(map(repr, names))}" if names else "")
            )
        role = named[0].role
    label = _text(d, "label", w) or layer or name.replace("_", " ").capitalize()
    label_fr = _text(d, "label_fr", w) or label
    for key, text in (("label", label), ("label_fr", label_fr)):
        if "{" in text or "}" in text:
            raise ProjectError(f"{w}: {key} = {text!r}: write it without braces {{ }}")
    better = d.get("better", "low" if kind != "attribute" else "high")
    if better not in ("low", "high"):
        raise ProjectError(f'{w}: better = {better!r}; use "low" or "high"')
    reach = d.get("reach_m", DEFAULT_REACH_M)
    if isinstance(reach, bool) or not isinstance(reach, int | float) or not math.isfinite(reach):
        raise ProjectError(f"{w}: reach_m must be a distance in metres, not {reach!r}")
    if reach <= 0:
        raise ProjectError(f"{w}: reach_m must be greater than 0, not {reach}")
    unit = _text(d, "unit", w) or {"distance": "km", "overlap": "%"}.get(kind, "")
    if kind == "distance" and unit not in ("m", "km"):
        raise ProjectError(f'{w}: unit = {unit!r}: a distance is shown in "m" or "km"')
    if kind == "overlap" and unit != "%":
        raise ProjectError(f'{w}: unit = {unit!r}: an overlap is a share of the site, in "%"')
    filter_field = _text(d, "filter_field", w)
    filter_in: tuple[str | float, ...] = ()
    if filter_field is not None:
        if "filter_in" not in d:
            raise ProjectError(f"{w}: filter_field needs filter_in, the values the features keep")
        filter_in = _scalar_list(d["filter_in"], w, "filter_in")
    elif "filter_in" in d:
        raise ProjectError(f"{w}: filter_in needs filter_field, the attribute it filters on")
    category_field = _text(d, "category_field", w)
    categories: tuple[str, ...] = ()
    if category_field is not None:
        if kind != "overlap":
            raise ProjectError(f'{w}: category_field is for kind = "overlap"')
        categories = tuple(str(c) for c in _scalar_list(d.get("categories", []), w, "categories"))
        keys = [category_key(name, c) for c in categories]
        if len(set(keys)) != len(keys):
            raise ProjectError(f"{w}: categories {categories!r} name the same category twice")
    field = _text(d, "field", w, required=kind == "attribute")
    values = _values(d["values"], w) if "values" in d else ()
    if kind == "attribute" and not values and settings.transform is None:
        raise ProjectError(
            f"{w}: a numeric attribute needs a value function (transform = {{ kind = "
            '"linear", best = …, worst = … }), or values = { … } for a categorical one'
        )
    misplaced = [k for k in ("field", "values") if k in d] if kind != "attribute" else []
    if misplaced:
        raise ProjectError(f'{w}: {misplaced[0]} is for kind = "attribute"')
    if kind != "distance" and ("reach_m" in d or "name_field" in d):
        raise ProjectError(f'{w}: reach_m and name_field are for kind = "distance"')
    decimals = d.get("decimals", 2)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6:
        raise ProjectError(f"{w}: decimals must be a whole number from 0 to 6, not {decimals!r}")
    if "decimals" in d and (kind != "attribute" or values):
        raise ProjectError(f'{w}: decimals is for a numeric kind = "attribute"')
    return Declaration(
        decimals=decimals,
        name=name,
        kind=kind,
        layer=layer,
        role=role,
        label=label,
        label_fr=label_fr,
        unit=unit,
        source=_text(d, "source", w),
        source_fr=_text(d, "source_fr", w),
        filter_field=filter_field,
        filter_in=filter_in,
        name_field=_text(d, "name_field", w),
        category_field=category_field,
        categories=categories,
        field=field,
        values=values,
        better=str(better),
        reach_m=float(reach),
    )
