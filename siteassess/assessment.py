"""The assessment: open the layers, measure every criterion, score, rank, test sensitivity.

``measure`` does the expensive part once (files, geometry); ``score`` turns measurements
into scores and is cheap enough to run live while the planner moves a weight.
``assess`` does both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from siteassess.criteria import CRITERIA, Context, Criterion
from siteassess.criteria.base import not_measurable
from siteassess.criteria.declared import declared_layer_names
from siteassess.criteria.power import SupplyOption
from siteassess.criteria.rules import apply_rules
from siteassess.errors import (
    CancelledError,
    DataIssue,
    ProjectError,
    Reason,
    SiteAssessError,
    Term,
    WeightsError,
)
from siteassess.layers import Layer
from siteassess.layers.communes import attach_communes
from siteassess.layers.crs import crs_label
from siteassess.layers.land_units import land_units
from siteassess.layers.opening import open_every_layer, open_layer_checked, reading
from siteassess.progress import CancelFlag, Progress
from siteassess.project import Project
from siteassess.project_checks import check_project
from siteassess.scoring import (
    AHPResult,
    ScoreTable,
    SensitivityResult,
    TransformSpec,
    WeightSwap,
    aggregate,
    ahp_weights,
    apply_transform,
    describe_transform,
    monte_carlo,
    normalise_weights,
    swap_weights,
    validate_transform,
)

log = logging.getLogger(__name__)


# Chooses the sites to assess: a boolean mask and, per reason, how many were left out.
SitesFilter = Callable[[gpd.GeoDataFrame], tuple[np.ndarray, dict[str, int]]]


def unit_of(measure: str) -> str:
    """The unit a measure is stored in, as its criterion declares it (``…_m`` → ``m``)."""
    from siteassess.vocabulary import stored_unit

    return stored_unit(measure)


# The sites' designation by the State (« site clé en main »…), its source and date: shown
# as a flag wherever the sites are listed, never scored (sites layer, designation_field).
DESIGNATION_COLUMNS = ("designation", "designation_source", "designation_date")


@dataclass(frozen=True)
class Measurements:
    """Everything measured on the sites, independent of weights and value functions."""

    project: Project
    working_crs: CRS
    sites: gpd.GeoDataFrame  # working CRS, index: site id
    layers: tuple[Layer, ...]
    measures: pd.DataFrame  # index: site id, one column per measure (unit in the name)
    exclusions: Mapping[str, Mapping[str, tuple[Reason, ...]]]  # criterion -> site -> reasons
    params: Mapping[str, Mapping[str, Any]]  # criterion -> resolved parameters
    sources: Mapping[str, tuple[str, ...]]  # criterion -> layer labels used
    issues: tuple[DataIssue, ...]
    # criterion -> site -> features it lists for presenters (power: SupplyOption)
    nearby: Mapping[str, Mapping[str, tuple[Any, ...]]] = field(default_factory=dict)
    # site -> the other sites on the same land unit (same parcels or coinciding outlines)
    land_units: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def site_id_tuple(self) -> tuple[str, ...]:
        """Site ids (as text) in the order of the sites' rows, made once: every re-scoring
        of 24,000 sites in the app reads them several times."""
        return tuple(str(i) for i in self.sites.index)

    @property
    def working_crs_label(self) -> str:
        """The working CRS, as ``EPSG:2154 (RGF93 v1 / Lambert-93)``."""
        return crs_label(self.working_crs)


@dataclass(frozen=True)
class CriterionInfo:
    """How one criterion was scored: measure, unit, value function, weight, sources."""

    name: str
    title: str
    weight: float  # normalised, 0..1
    measure: str
    unit: str
    transform: TransformSpec
    transform_text: str
    rationale: str
    params: Mapping[str, Any]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """Scores, ranks, exclusions and sensitivity of every site, with their evidence."""

    measurements: Measurements
    criteria: tuple[CriterionInfo, ...]
    table: ScoreTable
    reasons: Mapping[str, tuple[Reason, ...]]  # site -> why it is excluded (all criteria)
    sensitivity: SensitivityResult | None
    swaps: tuple[WeightSwap, ...]
    top_two: tuple[str, str] | None
    ahp: AHPResult | None
    issues: tuple[DataIssue, ...] = field(default=())

    @property
    def project(self) -> Project:
        """The project assessed."""
        return self.measurements.project

    @cached_property
    def exclusions(self) -> Mapping[str, tuple[str, ...]]:
        """Site -> why it is excluded, in English (the JSON's and the CSV's text)."""
        return {sid: tuple(r.text() for r in rs) for sid, rs in self.reasons.items()}

    def site_name(self, site_id: str) -> str:
        """A site's name (its id when it has none)."""
        return str(self.measurements.sites["name"].get(site_id, site_id))

    def supply(self, site_id: str) -> tuple[SupplyOption, ...]:
        """The supply options of a site (nearest substations, nearest first)."""
        return tuple(self.measurements.nearby.get("power", {}).get(site_id, ()))

    def designation(self, site_id: str) -> tuple[str, str, str] | None:
        """The site's designation by the State, its source and date ("" when not given),
        or None when it has none."""
        sites = self.measurements.sites
        if "designation" not in sites.columns or site_id not in sites.index:
            return None
        row = sites.loc[site_id]

        def text(col: str) -> str:
            v = row.get(col) if col in sites.columns else None
            return v.strip() if isinstance(v, str) else ""

        what = text("designation")
        return (what, text("designation_source"), text("designation_date")) if what else None

    def same_land_unit_as(self, site_id: str) -> str | None:
        """The best-placed other site on this site's land unit, when this one is not it."""
        others = self.measurements.land_units.get(site_id)
        if not others:
            return None
        best = self._land_unit_leaders.get(site_id)
        return None if best == site_id else best

    def best_sites(self, n: int | None = None) -> list[str]:
        """The best non-excluded sites, best first, one per land unit (``n`` at most)."""
        order = np.lexsort((-np.nan_to_num(self.table.scores, nan=-1.0), self.table.excluded))
        ids = self.site_ids
        out = [
            ids[i]
            for i in order
            if not self.table.excluded[i] and self.same_land_unit_as(ids[i]) is None
        ]
        return out if n is None else out[:n]

    def p_first_among(self, ids: Sequence[str]) -> np.ndarray | None:
        """Each site's probability of ranking first among ``ids`` only, in their order.

        The Monte-Carlo test of the whole ranking, on this subset: the project's draws,
        spread, seed and ``missing`` rule. None when the project turns the test off
        (``draws = 0``); all zeros when every one of these sites is excluded. The compare
        window and the compare PDF both call this, so they cannot disagree.
        """
        s = self.project.sensitivity
        draws, spread, seed = (s.draws, s.spread, s.seed) if s else (1000, 0.25, 0)
        if draws <= 0:
            return None
        rows = [self._row(sid) for sid in ids]
        excluded = self.table.excluded[rows]
        if excluded.all():
            return np.zeros(len(rows))
        res = monte_carlo(
            self.table.values[rows],
            self.table.weights,
            excluded,
            draws=draws,
            spread=spread,
            seed=seed,
            missing=self.project.missing or "worst",
        )
        return np.asarray(res.p_first, dtype=float)

    def ranked_pair(self, ids: Sequence[str]) -> tuple[str, str] | None:
        """The two best non-excluded sites among ``ids`` (best first), if there are two."""
        kept = [sid for sid in ids if not self.table.excluded[self._row(sid)]]
        scores = np.nan_to_num(self.table.scores, nan=-1.0)
        kept.sort(key=lambda sid: -float(scores[self._row(sid)]))
        return (kept[0], kept[1]) if len(kept) >= 2 else None

    def swaps_between(self, ahead: str, behind: str) -> tuple[WeightSwap, ...]:
        """For each criterion, the weight at which ``behind`` ties with ``ahead``.

        The other weights are rescaled in proportion; the project's ``missing`` rule
        applies. One function for the compare window and the compare PDF.
        """
        return swap_weights(
            [c.name for c in self.criteria],
            self.table.values,
            self.table.weights,
            self._row(ahead),
            self._row(behind),
            missing=self.project.missing or "worst",
        )

    def _row(self, site_id: str) -> int:
        try:
            return self._rows[site_id]
        except KeyError:
            raise KeyError(f"no site with id {site_id!r} in this assessment") from None

    @cached_property
    def _rows(self) -> dict[str, int]:
        return {sid: i for i, sid in enumerate(self.site_ids)}

    @cached_property
    def _land_unit_leaders(self) -> dict[str, str]:
        """Per grouped site, the group's best: not excluded first, then the highest score."""
        pos = {sid: i for i, sid in enumerate(self.site_ids)}
        excluded, scores = self.table.excluded, np.nan_to_num(self.table.scores, nan=-1.0)

        def key(s: str) -> tuple[bool, float, str]:
            return (bool(excluded[pos[s]]), -float(scores[pos[s]]), s)

        out: dict[str, str] = {}
        for sid, others in self.measurements.land_units.items():
            out[sid] = min((sid, *(o for o in others if o in pos)), key=key)
        return out

    @property
    def site_ids(self) -> list[str]:
        """Site ids in the order of the table's rows."""
        return list(self.measurements.site_id_tuple)

    def ranked(self) -> pd.DataFrame:
        """One row per site, best first (excluded sites last): rank, score and key figures."""
        sites = self.measurements.sites
        df = pd.DataFrame(
            {
                "rank": self.table.ranks,
                "score": self.table.scores,
                "excluded": self.table.excluded,
                "completeness": self.table.completeness,
                "name": sites["name"].astype(str).to_numpy(),
                "commune": sites["commune"].to_numpy(),
                "insee": sites["insee"].to_numpy(),
            },
            index=sites.index,
        )
        for col in DESIGNATION_COLUMNS:  # a State designation, when the project names one
            if col in sites.columns:
                df[col] = sites[col].astype("string").to_numpy()
        for j, c in enumerate(self.criteria):
            df[f"contribution_{c.name}"] = self.table.contributions[:, j]
        df["exclusions"] = ["; ".join(self.exclusions.get(str(i), ())) for i in sites.index]
        df["same_land_unit_as"] = pd.array(
            [self.same_land_unit_as(str(i)) for i in sites.index], dtype="string"
        )
        if self.sensitivity is not None:
            df["p_first"] = self.sensitivity.p_first
            df["rank_min"] = self.sensitivity.rank_min
            df["rank_max"] = self.sensitivity.rank_max
        df = df.join(self.measurements.measures)
        order = np.lexsort((-np.nan_to_num(df["score"].to_numpy(), nan=-1), df["excluded"]))
        return df.iloc[order]


# ------------------------------------------------------------------------------ measure


def measure(
    project: Project,
    *,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
    sites_filter: SitesFilter | None = None,
) -> Measurements:
    """Open the project's layers and measure every criterion the project uses.

    ``sites_filter`` leaves sites out before anything is measured (screening filters);
    each reason is reported as an info data issue with its count.
    """

    def step(frac: float, msg: str) -> None:
        if cancel is not None and cancel():
            raise CancelledError("cancelled by the user")
        if progress is not None:
            progress(frac, msg)
        log.info("%3.0f%% %s", frac * 100, msg)

    project = check_project(project)
    step(0.0, "reading the sites")
    kept: dict[str, Any] = {}

    def prepare(sites_layer: Layer) -> gpd.GeoDataFrame:
        kept["sites"], kept["filtered"] = _filter_sites(sites_layer, sites_filter)
        return kept["sites"]

    opened = open_every_layer(project, stop_at_first=True, prepare_sites=prepare, step=step)
    assert opened.working is not None
    layers, working = opened.by_role(), opened.working
    sites, filtered = kept["sites"], kept["filtered"]
    return measure_layers(project, sites, layers, working, step, filtered)


def measure_layers(
    project: Project,
    sites: gpd.GeoDataFrame,
    layers: dict[str, tuple[Layer, ...]],
    working: CRS,
    step: Progress,
    filtered: list[DataIssue] | None = None,
) -> Measurements:
    """Measure every criterion of the project on opened layers (``measure``'s second half)."""
    # A context layer a declared criterion reads (Natura 2000 sites) is not commune outlines,
    # unless the project says which of its fields names the commune.
    declared = declared_layer_names(project)
    communes = [
        lyr
        for lyr in layers.get("context", ())
        if lyr.spec.name not in declared or lyr.spec.commune_field is not None
    ]
    sites = attach_communes(sites, communes)
    frames: list[pd.DataFrame] = []
    exclusions: dict[str, Mapping[str, tuple[Reason, ...]]] = {}
    params: dict[str, Mapping[str, Any]] = {}
    sources: dict[str, tuple[str, ...]] = {}
    nearby: dict[str, Mapping[str, tuple[Any, ...]]] = {}
    issues: list[DataIssue] = []
    for i, settings in enumerate(project.criteria):
        crit = CRITERIA[settings.name]
        step(0.5 + 0.45 * i / len(project.criteria), f"measuring {crit.title.lower()}")
        p = crit.resolve(settings.params, project.demand_mw)
        ctx = Context(sites=sites, layers=layers, working_crs=working, demand_mw=project.demand_mw)
        with reading(_criterion_files(crit, layers), "measured"):
            result = crit.measure(ctx, p)
            if result.too_far:
                # A nearest feature lay beyond the read window: read those layers whole.
                layers = _reopen_full(project, layers, result.too_far, working)
                ctx = replace(ctx, layers=layers)
                result = crit.measure(ctx, p)
        frames.append(result.measures)
        exclusions[crit.name] = result.exclusions
        params[crit.name] = p
        sources[crit.name] = result.sources
        if result.nearby:
            nearby[crit.name] = result.nearby
        issues.extend(result.issues)
    step(1.0, "measured")
    all_layers = tuple(lyr for group in layers.values() for lyr in group)
    layer_issues = [iss for lyr in all_layers for iss in lyr.issues]
    measures = pd.concat(frames, axis=1) if frames else pd.DataFrame(index=sites.index)
    measures = measures.loc[:, ~measures.columns.duplicated()]
    return Measurements(
        project=project,
        working_crs=working,
        sites=sites,
        layers=all_layers,
        measures=measures,
        exclusions=exclusions,
        params=params,
        sources=sources,
        issues=tuple(layer_issues + (filtered or []) + issues),
        nearby=nearby,
        land_units=land_units(sites),
    )


def _reopen_full(
    project: Project, layers: dict[str, tuple[Layer, ...]], roles: tuple[str, ...], crs: CRS
) -> dict[str, tuple[Layer, ...]]:
    out = dict(layers)
    for role in roles:
        log.info("nearest %s beyond the read window: reading the whole layer", role)
        out[role] = tuple(
            open_layer_checked(lyr.spec, project, crs, None, full=True)
            for lyr in layers.get(role, ())
        )
    return out


def _filter_sites(
    sites_layer: Layer, sites_filter: SitesFilter | None
) -> tuple[gpd.GeoDataFrame, list[DataIssue]]:
    """The sites left by the screening filters, and one info issue per reason."""
    sites = sites_layer.frame()
    if sites_filter is None:
        return sites, []
    keep, reasons = sites_filter(sites)
    sites = sites.loc[keep]
    filtered = [
        DataIssue.of(
            sites_layer.label,
            Reason.of("filtered_out", "{n} sites {why}", n=n, why=why),
            action="not assessed",
            severity="info",
            count=n,
        )
        for why, n in reasons.items()
        if n
    ]
    if sites.empty:
        raise SiteAssessError(
            f"layer {sites_layer.label}: no site is left after the filters "
            f"({'; '.join(f'{n} {why}' for why, n in reasons.items())})"
        )
    return sites, filtered


def _criterion_files(crit: Criterion, layers: Mapping[str, tuple[Layer, ...]]) -> str:
    files = [lyr.provenance.path for role in crit.roles for lyr in layers.get(role, ())]
    return f"criterion {crit.name}: the layers {', '.join(files) or '(none)'}"


# -------------------------------------------------------------------------------- score


def resolve_weights(project: Project) -> tuple[dict[str, float], AHPResult | None]:
    """Normalised weights of the project's criteria (direct, or from its AHP matrix)."""
    try:
        return _resolve_weights(project)
    except WeightsError as exc:
        where = project.path or "project"
        text = str(exc).replace("pass force=True", "set force = true under [weights]")
        raise type(exc)(f"{where}: {text}") from None


def _resolve_weights(project: Project) -> tuple[dict[str, float], AHPResult | None]:
    names = [c.name for c in project.criteria]
    if project.weights is not None and project.weights.method == "ahp":
        w = project.weights
        if sorted(w.criteria) != sorted(names):
            raise ProjectError(
                f"{project.path}: [weights] criteria {list(w.criteria)} must name the same "
                f"criteria as [criteria]: {names}"
            )
        res = ahp_weights(w.criteria, w.matrix, force=w.force)
        return dict(res.weights), res
    return normalise_weights({c.name: c.weight for c in project.criteria}), None


def criterion_info(
    crit: Criterion, m: Measurements, project: Project, weight: float
) -> CriterionInfo:
    """The scoring set-up of one criterion: measure, value function, weight, sources."""
    settings = project.criterion(crit.name)
    assert settings is not None
    p = m.params.get(crit.name) or crit.resolve(settings.params, project.demand_mw)
    measure_name = settings.measure or crit.default_measure
    chosen = None
    if settings.measure is None and crit.default_for is not None:
        chosen = crit.default_for(m.measures, p)
        if chosen is not None:
            measure_name = chosen[0]
    if settings.transform is not None:
        t = settings.transform
        spec = TransformSpec(
            kind=t.kind,
            best=np.nan if t.best is None else t.best,
            worst=np.nan if t.worst is None else t.worst,
            points=t.points,
        )
        rationale = "value function set in the project file"
    elif chosen is not None:
        spec, rationale = chosen[1], chosen[2]
    else:
        spec = crit.default_transform(p, project.demand_mw)
        rationale = crit.rationale
    validate_transform(spec, criterion=crit.name)
    unit = unit_of(measure_name)
    return CriterionInfo(
        name=crit.name,
        title=crit.title,
        weight=weight,
        measure=measure_name,
        unit=unit,
        transform=spec,
        transform_text=describe_transform(spec, unit),
        rationale=rationale,
        params=p,
        sources=m.sources.get(crit.name, ()),
    )


def score(
    m: Measurements, project: Project | None = None, *, sensitivity: bool = True
) -> Assessment:
    """Scores from measurements; ``project`` may carry new weights or value functions."""
    project = project or m.project
    weights, ahp = resolve_weights(project)
    infos = tuple(
        criterion_info(CRITERIA[c.name], m, project, weights[c.name]) for c in project.criteria
    )
    issues = list(m.issues)
    cols = []
    for info in infos:
        if info.measure in m.measures.columns:
            raw = pd.to_numeric(m.measures[info.measure], errors="coerce").to_numpy(dtype=float)
        else:
            raw = np.full(len(m.sites), np.nan)
            issues.append(
                DataIssue.of(
                    info.name,
                    Reason.of(
                        "measure_unavailable",
                        "measure {measure} is not available with these layers",
                        measure=info.measure,
                    ),
                    action=not_measurable(Term(info.title, plain=info.name)),
                )
            )
        cols.append(apply_transform(info.transform, raw))
    values = np.column_stack(cols) if cols else np.zeros((len(m.sites), 0))
    ids = [str(i) for i in m.sites.index]
    reasons: dict[str, tuple[Reason, ...]] = {}
    for crit_name, per_site in m.exclusions.items():
        if project.criterion(crit_name) is None:
            continue
        for sid, rs in per_site.items():
            reasons[sid] = reasons.get(sid, ()) + tuple(rs)
    for info in infos:
        settings = project.criterion(info.name)
        if settings is None or not settings.rules:
            continue
        crit = CRITERIA[info.name]
        for sid, rs in apply_rules(crit, settings.rules, info.measure, m.measures).items():
            reasons[sid] = reasons.get(sid, ()) + rs
    excluded = np.array([sid in reasons for sid in ids], dtype=bool)
    names = [i.name for i in infos]
    missing = project.missing or "worst"
    table = aggregate(names, values, weights, excluded, missing=missing)
    sens = None
    swaps: tuple[WeightSwap, ...] = ()
    top_two = None
    if sensitivity:
        s = project.sensitivity
        draws, spread, seed = (s.draws, s.spread, s.seed) if s else (1000, 0.25, 0)
        if draws > 0 and (~excluded).any():
            sens = monte_carlo(
                values,
                table.weights,
                excluded,
                draws=draws,
                spread=spread,
                seed=seed,
                missing=missing,
            )
        order = [i for i in np.argsort(-table.scores, kind="stable") if not excluded[i]]
        if len(order) >= 2:
            first, second = int(order[0]), int(order[1])
            swaps = swap_weights(names, values, table.weights, first, second, missing=missing)
            top_two = (ids[first], ids[second])
    return Assessment(
        measurements=m,
        criteria=infos,
        table=table,
        reasons=reasons,
        sensitivity=sens,
        swaps=swaps,
        top_two=top_two,
        ahp=ahp,
        issues=tuple(issues),
    )


def assess(
    project: Project,
    *,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> Assessment:
    """Measure and score a project."""
    return score(measure(project, progress=progress, cancel=cancel))
