"""A declared criterion built into a registered one: its measures, value function, texts.

See :mod:`siteassess.criteria.declared` for what a planner writes. The measures are
vectorised over the sites (one STRtree query per layer). The labels are the planner's
words (``label``, ``label_fr``) in siteassess's phrases; their French is added to the
catalogue at run time, since no ``.po`` can know them.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siteassess import i18n
from siteassess.criteria.base import (
    Context,
    Criterion,
    Explanation,
    Measure,
    Measured,
    SiteFacts,
    as_number,
    distance,
    frame_of,
    is_missing,
    nan_frame,
    nearest,
    not_measurable,
    window_exceeded,
)
from siteassess.criteria.declared import Declaration, category_key, declaration_of, is_declared
from siteassess.criteria.rules import values_in
from siteassess.criteria.zonal import overlap_area
from siteassess.errors import (
    DataIssue,
    LayerContentError,
    Listing,
    Name,
    Quantity,
    Reason,
    Term,
    Value,
)
from siteassess.layers.formats.cartofriches import KEPT as CARTOFRICHES_FIELDS
from siteassess.layers.model import Layer
from siteassess.project import Project
from siteassess.scoring.transforms import TransformSpec

__all__ = ["build", "install", "uninstall_all"]

# A file's own field names the importers rename (Cartofriches' ``sol_pollution_existe`` is
# the sites' ``pollution``): a planner names the field as the file has it.
SOURCE_FIELDS: Mapping[str, str] = dict(CARTOFRICHES_FIELDS)


def distance_key(name: str) -> str:
    """The distance measure of a declared distance criterion."""
    return f"{name}_distance_m"


def feature_key(name: str) -> str:
    """The name of the nearest feature, when the declaration gives its ``name_field``."""
    return f"{name}_feature"


def share_key(name: str) -> str:
    """The share of the site inside the zones of a declared overlap criterion."""
    return f"{name}_share_pct"


def value_key(name: str) -> str:
    """The value of a declared attribute criterion (a category's value, for categories)."""
    return f"{name}_value"


def category_of_key(name: str) -> str:
    """The category of a site, for a declared categorical attribute."""
    return f"{name}_category"


class _Texts:
    """The criterion's English texts, with their French registered in the catalogue."""

    def __init__(self) -> None:
        self.fr: dict[str, str] = {}

    def __call__(self, en: str, fr: str) -> str:
        self.fr[en] = fr  # the same words too: they are the planner's, not untranslated
        return en


def _layer_words(d: Declaration) -> tuple[str, str]:
    """How the rationale names what is measured, in English and French."""
    if d.layer is None:
        return (f"the attribute “{d.field}” of the site", f"l’attribut « {d.field} » du site")
    return f"the layer “{d.layer}”", f"la couche « {d.layer} »"


def _filter_words(d: Declaration) -> tuple[str, str]:
    if d.filter_field is None:
        return "", ""
    vals = ", ".join(
        i18n.format_number(v, "en", 0) if isinstance(v, float) else v for v in d.filter_in
    )
    vals_fr = ", ".join(
        i18n.format_number(v, "fr", 0) if isinstance(v, float) else v for v in d.filter_in
    )
    return (
        f" (only its features whose “{d.filter_field}” is {vals})",
        f" (seulement ses entités dont « {d.filter_field} » vaut {vals_fr})",
    )


def _specs(d: Declaration, t: _Texts) -> tuple[Measure, ...]:
    lab, lab_fr = d.label, d.label_fr
    t(lab, lab_fr)
    if d.kind == "distance":
        km = d.unit == "km"
        specs = [
            Measure(
                distance_key(d.name),
                t(
                    f"{lab}: distance to the nearest feature",
                    f"{lab_fr} : distance à l’entité la plus proche",
                ),
                t(
                    f"{lab}: distance from the site outline to the nearest feature (m)",
                    f"{lab_fr} : distance du contour du site à l’entité la plus proche (m)",
                ),
                "m",
                "km" if km else "m",
                1e-3 if km else 1.0,
                decimals=1 if km else 0,
                better=d.better,
                resolution=100.0 if km else 1.0,
                headline=True,
                compared=True,
                short=lab,
                phrase=t(f"distance to “{lab}”", f"distance à « {lab_fr} »"),
                figure=t(f"{lab}: distance", f"{lab_fr} : distance"),
                named_by=feature_key(d.name) if d.name_field else None,
            )
        ]
        if d.name_field:
            specs.append(
                Measure(
                    feature_key(d.name),
                    t(f"{lab}: nearest feature", f"{lab_fr} : entité la plus proche"),
                    t(
                        f"{lab}: name of the nearest feature",
                        f"{lab_fr} : nom de l’entité la plus proche",
                    ),
                )
            )
        return tuple(specs)
    if d.kind == "overlap":
        main = Measure(
            share_key(d.name),
            t(f"{lab}: share of the site inside", f"{lab_fr} : part du site à l’intérieur"),
            t(
                f"{lab}: share of the site inside the zones of the layer (%)",
                f"{lab_fr} : part du site à l’intérieur des zones de la couche (%)",
            ),
            "%",
            decimals=1,
            better=d.better,
            headline=True,
            resolution=1.0,
            compared=True,
            short=lab,
            phrase=t(f"share of the site inside “{lab}”", f"part du site dans « {lab_fr} »"),
            figure=t(f"{lab}: share of the site inside", f"{lab_fr} : part du site à l’intérieur"),
        )
        per = tuple(
            Measure(
                category_key(d.name, c),
                t(f"{lab}: share of the site in {c}", f"{lab_fr} : part du site en {c}"),
                t(
                    f"{lab}: share of the site in the zones “{c}” (%)",
                    f"{lab_fr} : part du site dans les zones « {c} » (%)",
                ),
                "%",
                decimals=1,
                better=d.better,
                resolution=1.0,
            )
            for c in d.categories
        )
        return (main, *per)
    if d.categorical:
        return (
            Measure(
                value_key(d.name),
                t(f"{lab}: value of its category", f"{lab_fr} : valeur de sa catégorie"),
                t(
                    f"{lab}: the value from 0 to 1 the project gives the site's category",
                    f"{lab_fr} : la valeur de 0 à 1 que le projet donne à la catégorie du site",
                ),
                "",
                decimals=2,
                better="high",
                resolution=0.01,
            ),
            Measure(
                category_of_key(d.name),
                t(f"{lab}: category", f"{lab_fr} : catégorie"),
                t(f"{lab}: the category of the site", f"{lab_fr} : la catégorie du site"),
                headline=True,
                compared=True,
                short=lab,
                phrase=t(f"category of “{lab}”", f"catégorie de « {lab_fr} »"),
                figure=lab,
            ),
        )
    return (
        Measure(
            value_key(d.name),
            lab,
            t(f"{lab} ({d.unit})" if d.unit else lab, f"{lab_fr} ({d.unit})" if d.unit else lab_fr),
            d.unit,
            decimals=d.decimals,
            better=d.better,
            headline=True,
            compared=True,
            short=lab,
            phrase=lab,
            figure=lab,
        ),
    )


def _transform(d: Declaration) -> TransformSpec:
    """The default value function: documented in the rationale."""
    if d.kind == "distance":
        ends = (0.0, d.reach_m)
    elif d.kind == "overlap":
        ends = (0.0, 100.0)
    else:
        return TransformSpec(kind="linear", best=1.0, worst=0.0)  # categories' values
    best, worst = ends if d.better == "low" else ends[::-1]
    return TransformSpec(kind="linear", best=best, worst=worst)


def _rationale(d: Declaration, t: _Texts) -> str:
    what, what_fr = _layer_words(d)
    filt, filt_fr = _filter_words(d)
    if d.kind == "distance":
        km = i18n.format_number(d.reach_m / 1000, "en", 1)
        km_fr = i18n.format_number(d.reach_m / 1000, "fr", 1)
        if d.better == "low":
            en = f"it is worth 1 at 0 m and 0 from {km} km, linear between"
            fr = f"il vaut 1 à 0 m et 0 à partir de {km_fr} km, linéaire entre les deux"
        else:
            en = f"it is worth 0 at 0 m and 1 from {km} km, linear between"
            fr = f"il vaut 0 à 0 m et 1 à partir de {km_fr} km, linéaire entre les deux"
        head = (
            f"the distance from the site outline to the nearest feature of {what}{filt}",
            f"la distance du contour du site à l’entité la plus proche de {what_fr}{filt_fr}",
        )
    elif d.kind == "overlap":
        if d.better == "low":
            en, fr = "it is worth 1 at 0 % and 0 at 100 %", "il vaut 1 à 0 % et 0 à 100 %"
        else:
            en, fr = "it is worth 0 at 0 % and 1 at 100 %", "il vaut 0 à 0 % et 1 à 100 %"
        head = (
            f"the share of the site inside the zones of {what}{filt}",
            f"la part du site à l’intérieur des zones de {what_fr}{filt_fr}",
        )
    else:
        where_en = "" if d.layer is None else f" of the zone of {what} the site mostly lies in"
        where_fr = (
            "" if d.layer is None else f" de la zone de {what_fr} où se trouve l’essentiel du site"
        )
        field_en = f"the attribute “{d.field}”{where_en}" if d.layer else what
        field_fr = f"l’attribut « {d.field} »{where_fr}" if d.layer else what_fr
        head = (field_en, field_fr)
        pairs = "; ".join(f"{c} = {i18n.format_number(v, 'en', 2)}" for c, v in d.values)
        pairs_fr = " ; ".join(f"{c} = {i18n.format_number(v, 'fr', 2)}" for c, v in d.values)
        en = f"each category is worth what the project gives it: {pairs}"
        fr = f"chaque catégorie vaut ce que le projet lui donne : {pairs_fr}"
    text_en = (
        f"Criterion declared in the project file: {head[0]}. Without a value function of "
        f"its own, {en}."
    )
    text_fr = (
        f"Critère déclaré dans le fichier de projet : {head[1]}. Sans fonction de valeur "
        f"propre, {fr}."
    )
    if d.source:
        text_en += f" Source: {d.source}."
        text_fr += f" Source : {d.source_fr or d.source}."
    return t(text_en, text_fr)


# ----------------------------------------------------------------------------- measuring


def _layers(ctx: Context, d: Declaration) -> tuple[Layer, ...]:
    return tuple(lyr for lyr in ctx.of(d.role) if lyr.spec.name == d.layer)


def _field(frame: pd.DataFrame, field: str, d: Declaration, key: str, where: str) -> pd.Series:
    if field not in frame.columns and SOURCE_FIELDS.get(field) in frame.columns:
        return frame[SOURCE_FIELDS[field]]  # the importer renamed it (sol_pollution_existe)
    if field not in frame.columns:
        known = ", ".join(str(c) for c in frame.columns if c != "geometry")
        raise LayerContentError(
            f"{where}: [criteria.{d.name}] {key} = {field!r} is not a field of this layer; "
            f"its fields are {known}"
        )
    return frame[field]


def _filtered(frame: gpd.GeoDataFrame, d: Declaration, where: str) -> gpd.GeoDataFrame:
    if d.filter_field is None:
        return frame
    col = _field(frame, d.filter_field, d, "filter_field", where)
    keep = values_in(col, d.filter_in)
    return frame.loc[keep]


def _issue(d: Declaration, where: str, reason: Reason, site_count: int = 0) -> DataIssue:
    return DataIssue.of(
        where,
        reason,
        action=not_measurable(Term(d.label)),
        count=site_count,
    )


def _shares(geoms: np.ndarray, zones: np.ndarray) -> np.ndarray:
    """Share of each site inside the union of ``zones`` (%); a point site: 100 or 0."""
    area = shapely.area(geoms)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 100 * overlap_area(geoms, zones) / area
    flat = ~(area > 0)
    if flat.any() and len(zones):
        s, _ = shapely.STRtree(zones).query(geoms[flat], predicate="intersects")
        inside = np.zeros(int(flat.sum()), dtype=bool)
        inside[s] = True
        out[flat] = np.where(inside, 100.0, 0.0)
    elif flat.any():
        out[flat] = 0.0
    return np.asarray(np.clip(out, 0.0, 100.0))


def _zone_of(geoms: np.ndarray, zones: np.ndarray) -> np.ndarray:
    """The zone each site mostly lies in (its row in ``zones``; -1 outside every zone)."""
    out = np.full(len(geoms), -1, dtype=np.int64)
    s, z = shapely.STRtree(zones).query(geoms, predicate="intersects")
    if not len(s):
        return out
    a = shapely.area(shapely.intersection(geoms[s], zones[z]))
    order = np.lexsort((-a, s))  # by site, the largest overlap first
    s, z = s[order], z[order]
    first = np.unique(s, return_index=True)[1]
    out[s[first]] = z[first]
    return out


def _measure_distance(
    d: Declaration, ctx: Context, frame: gpd.GeoDataFrame, layers: tuple[Layer, ...], where: str
) -> Measured:
    index = ctx.sites.index
    keys = [distance_key(d.name)] + ([feature_key(d.name)] if d.name_field else [])
    names = _field(frame, d.name_field, d, "name_field", where) if d.name_field else None
    feats = _filtered(frame, d, where)
    if feats.empty:
        return Measured(
            measures=nan_frame(index, keys),
            issues=(
                _issue(
                    d,
                    where,
                    Reason.of(
                        "declared_no_feature",
                        "no feature of the layer passes the filter of {criterion}",
                        criterion=Term(d.label),
                    ),
                ),
            ),
            sources=(where,),
        )
    i, dist = nearest(ctx.sites.geometry.values, feats.geometry.values)
    out = pd.DataFrame(index=index)
    out[distance_key(d.name)] = dist
    if names is not None:
        shown = names.loc[feats.index].astype("string").to_numpy(dtype=object)
        out[feature_key(d.name)] = np.where(i >= 0, shown[np.maximum(i, 0)], None)
    too_far = (d.role,) if window_exceeded(layers, dist) else ()
    return Measured(measures=out, sources=(where,), too_far=too_far)


def _measure_overlap(d: Declaration, ctx: Context, frame: gpd.GeoDataFrame, where: str) -> Measured:
    geoms = ctx.sites.geometry.values
    zones = _filtered(frame, d, where)
    zg = zones.geometry.values
    out = pd.DataFrame(index=ctx.sites.index)
    out[share_key(d.name)] = _shares(geoms, zg)
    if d.category_field is not None:
        cats = _field(zones, d.category_field, d, "category_field", where)
        cats = cats.astype("string").str.strip().to_numpy(dtype=object)
        for c in d.categories:
            out[category_key(d.name, c)] = _shares(geoms, zg[cats == c])
    return Measured(measures=out, sources=(where,))


def _as_text(raw: pd.Series) -> pd.Series:
    """Values as text, whole numbers without a decimal part (a zone 2 read as 2.0 is "2")."""
    number = pd.to_numeric(raw, errors="coerce")
    whole = (
        number.notna()
        & (number == number.round())
        & raw.map(lambda v: isinstance(v, float | np.floating))
    )
    text = raw.astype(object).where(~whole, number.round().astype("Int64").astype(str))
    return pd.Series(text, dtype="string").str.strip().replace("", pd.NA)


def _measure_attribute(
    d: Declaration, ctx: Context, frame: gpd.GeoDataFrame | None, where: str
) -> Measured:
    assert d.field is not None
    index = ctx.sites.index
    if frame is None:  # an attribute of the site
        raw = _field(ctx.sites, d.field, d, "field", where).reset_index(drop=True)
    else:
        col = _field(frame, d.field, d, "field", where).reset_index(drop=True)
        zone = _zone_of(ctx.sites.geometry.values, frame.geometry.values)
        raw = pd.Series(
            np.where(zone >= 0, col.to_numpy(dtype=object)[np.maximum(zone, 0)], None),
            dtype=object,
        )
    text = _as_text(raw)
    out = pd.DataFrame(index=index)
    issues: list[DataIssue] = []
    if d.categorical:
        mapping = dict(d.values)
        known = text.isin(list(mapping)).fillna(False).to_numpy(dtype=bool)
        out[value_key(d.name)] = np.where(known, text.map(mapping).to_numpy(dtype=float), np.nan)
        out[category_of_key(d.name)] = text.astype(object).where(text.notna(), None).to_numpy()
        unknown = sorted(set(text[~known & text.notna().to_numpy()].astype(str)))
        if unknown:
            issues.append(
                _issue(
                    d,
                    where,
                    Reason.of(
                        "declared_unknown_category",
                        "categories of {criterion} the project gives no value: {categories}",
                        criterion=Term(d.label),
                        categories=Listing(tuple(Name(c) for c in unknown[:8])),
                    ),
                    int((~known & text.notna().to_numpy()).sum()),
                )
            )
    else:
        number = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
        out[value_key(d.name)] = number.to_numpy(dtype=float)
        bad = text.notna().to_numpy() & number.isna().to_numpy()
        if bad.any():
            issues.append(
                _issue(
                    d,
                    where,
                    Reason.of(
                        "declared_not_number",
                        "values of {criterion} that are not numbers: {n}",
                        criterion=Term(d.label),
                        n=int(bad.sum()),
                    ),
                    int(bad.sum()),
                )
            )
    missing = text.isna().to_numpy()
    if missing.any():
        sites = ", ".join(map(str, index[missing][:5])) + ("…" if missing.sum() > 5 else "")
        issues.append(
            _issue(
                d,
                where,
                Reason.of(
                    "declared_no_value",
                    "sites with no value of {criterion}: {n} ({sites})",
                    criterion=Term(d.label),
                    n=int(missing.sum()),
                    sites=sites,
                ),
                int(missing.sum()),
            )
        )
    return Measured(measures=out, issues=tuple(issues), sources=(where,))


def _measurer(d: Declaration, keys: list[str]) -> Any:
    def measure(ctx: Context, params: Mapping[str, Any]) -> Measured:
        if d.layer is None:
            return _measure_attribute(d, ctx, None, "sites")
        layers = _layers(ctx, d)
        frame = frame_of(layers, ctx.working_crs)
        where = ", ".join(lyr.label for lyr in layers) or d.layer
        if frame is None:
            return Measured(
                measures=nan_frame(ctx.sites.index, keys),
                issues=(
                    _issue(
                        d,
                        where,
                        Reason.of(
                            "declared_no_layer",
                            "the layer of {criterion} holds no vector features",
                            criterion=Term(d.label),
                        ),
                    ),
                ),
            )
        if d.kind == "distance":
            return _measure_distance(d, ctx, frame, layers, where)
        if d.kind == "overlap":
            return _measure_overlap(d, ctx, frame, where)
        return _measure_attribute(d, ctx, frame, where)

    return measure


# ---------------------------------------------------------------------------- explaining


def _explainer(d: Declaration, specs: tuple[Measure, ...]) -> Any:
    main = specs[0] if not d.categorical else specs[1]
    layer: Value = Reason.of("", "the layer “{name}”", name=Name(d.layer)) if d.layer else None

    def explain(f: SiteFacts) -> Explanation:
        m = f.measures
        crit = Term(d.label)
        s: list[Reason] = []
        value = m.get(main.key)
        if is_missing(value):
            s.append(
                Reason.of(
                    "declared_unmeasured",
                    "{criterion} could not be measured for this site.",
                    criterion=crit,
                )
            )
        elif d.kind == "distance":
            name = m.get(feature_key(d.name))
            if isinstance(name, str) and name:
                s.append(
                    Reason.of(
                        "declared_distance_named",
                        "{criterion}: the nearest feature of {layer} is {name}, {distance} from "
                        "the site boundary.",
                        criterion=crit,
                        layer=layer,
                        name=Name(name),
                        distance=distance(value),
                    )
                )
            else:
                s.append(
                    Reason.of(
                        "declared_distance",
                        "{criterion}: the nearest feature of {layer} lies {distance} from the site "
                        "boundary.",
                        criterion=crit,
                        layer=layer,
                        distance=distance(value),
                    )
                )
        elif d.kind == "overlap":
            s.append(
                Reason.of(
                    "declared_overlap",
                    "{criterion}: {share} of the site lies inside the zones of {layer}.",
                    criterion=crit,
                    share=Quantity(as_number(value), "%", 1),
                    layer=layer,
                )
            )
        elif d.categorical:
            s.append(
                Reason.of(
                    "declared_category",
                    "{criterion}: category {category}, worth {value} on the scale from 0 to 1 the "
                    "project gives.",
                    criterion=crit,
                    category=Name(str(value)),
                    value=Quantity(as_number(m.get(value_key(d.name))), "", 2),
                )
            )
        else:
            s.append(
                Reason.of(
                    "declared_value",
                    "{criterion}: {value}.",
                    criterion=crit,
                    value=main.quantity(value),
                )
            )
        if f.excluded:
            s.append(
                Reason("declared_excluded", "This site is excluded by a rule on this criterion.")
            )
        return Explanation(tuple(s))

    return explain


def build(d: Declaration) -> Criterion:
    """The registered criterion of a declaration."""
    t = _Texts()
    specs = _specs(d, t)
    rationale = _rationale(d, t)
    i18n.register("fr", t.fr)
    default = specs[0].key
    spec = _transform(d)
    return Criterion(
        name=d.name,
        title=d.label,
        roles=(d.role,),
        params={},
        specs=specs,
        default_measure=default,
        default_transform=lambda p, demand: spec,
        rationale=rationale,
        measure=_measurer(d, [m.key for m in specs]),
        explain=_explainer(d, specs),
        short_title=d.label,
        default_weight=0.0,
    )


# Declared criterion name -> (its declaration, the criterion registered for it).
_INSTALLED: dict[str, tuple[Declaration, Criterion]] = {}
_LOCK = threading.Lock()


def install(project: Project, where: str) -> None:
    """Register the project's declared criteria, in place of any an earlier project declared.

    The same declaration keeps its registered criterion, so checking a project again (the
    app's live re-scoring) changes nothing.
    """
    from siteassess.criteria import CRITERIA, register, unregister

    with _LOCK:
        builtin = set(CRITERIA) - set(_INSTALLED)
        declared = [
            declaration_of(c, project, where, builtin) for c in project.criteria if is_declared(c)
        ]
        wanted = {d.name: d for d in declared}
        for name in list(_INSTALLED):
            if wanted.get(name) != _INSTALLED[name][0]:
                unregister(name)
                del _INSTALLED[name]
        for d in declared:
            if d.name not in _INSTALLED:
                _INSTALLED[d.name] = (d, register(build(d)))


def uninstall_all() -> None:
    """Remove every declared criterion from the registry (tests, a project closed)."""
    from siteassess.criteria import unregister

    with _LOCK:
        for name in list(_INSTALLED):
            unregister(name)
            del _INSTALLED[name]
