"""The one shape every criterion has (like momepy's metrics).

A criterion takes the sites in the working CRS and the opened layers and returns a table
indexed by site id, with one column per measured value and the unit in the column name
(``substation_distance_m``, ``flood_share_medium_pct``, ``rtt_paris_ms``). NaN means
"could not be measured", never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from siteassess.errors import DataIssue, Listing, Quantity, Reason, Term, Value
from siteassess.layers.model import Layer
from siteassess.scoring.transforms import TransformSpec


@dataclass(frozen=True)
class Measure:
    """One measure a criterion declares: what every presenter needs to show and compare it.

    ``label`` is English and may hold ``{m}`` (a market) or ``{s}`` (a flood scenario),
    filled with ``word`` in the reader's language; the catalogue translates it. ``unit`` is
    the unit of the stored value (the suffix of ``key``), ``shown_unit`` and ``scale`` how
    it is shown (metres stored, kilometres shown: ``"km"``, ``1e-3``), ``decimals`` in the
    shown unit. ``better`` is ``"low"`` or ``"high"`` when a smaller or larger value is
    better, None for names and voltages. A ``headline`` measure is one a summary of the
    criterion shows. ``resolution`` is the smallest difference that means something, in
    the stored unit (None: one unit of the last decimal shown).
    """

    key: str
    label: str
    description: str
    unit: str = ""
    shown_unit: str | None = None
    scale: float = 1.0
    decimals: int = 1
    better: str | None = None
    headline: bool = False
    resolution: float | None = None
    word: str | None = None
    short: str = ""  # a column's title; may hold {param} of the criterion's parameters
    named_by: str | None = None  # the measure naming the feature this one measures to
    detail_by: str | None = None  # a measure shown beside that name (its voltage)
    compared: bool = False  # a row of the comparisons (window and PDF)
    hidden: Callable[[Mapping[str, Any]], bool] | None = None  # left out, given the params
    phrase: str = ""  # how a sentence names it ("distance to the nearest substation")
    figure: str = ""  # its label among a report's key figures; may hold {param}
    flag: bool = False  # a yes/no measure stored as 1/0: shown « oui » / « non »

    def shown_with(self, params: Mapping[str, Any]) -> bool:
        """False when the criterion's parameters make this measure repeat another."""
        return self.hidden is None or not self.hidden(params)

    @property
    def display_unit(self) -> str:
        """The unit the value is shown in."""
        return self.unit if self.shown_unit is None else self.shown_unit

    def quantity(self, value: Any) -> Quantity:
        """A measured value as it is shown: in the shown unit, with the declared decimals."""
        return Quantity(as_number(value) * self.scale, self.display_unit, self.decimals)


def as_number(value: Any) -> float:
    """A measured value as a float (NaN when missing or not a number)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def distance(metres: Any) -> Quantity:
    """A distance as a sentence writes it: whole metres below 1 km, else km with one decimal
    (``650 m``, ``3.9 km``; NaN: not measured)."""
    m = as_number(metres)
    if abs(m) < 1000:
        return Quantity(m, "m", 0)
    return Quantity(m / 1000, "km", 1)


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' missing values: "not measured", never 0."""
    if value is None:
        return True
    return not isinstance(value, str) and bool(np.isnan(as_number(value)))


def distance_measure(key: str, label: str, description: str, **kw: Any) -> Measure:
    """A distance in metres, shown in km with one decimal, meaningful to 100 m, lower better."""
    given = {"decimals": 1, "resolution": 100.0, **kw}
    return Measure(key, label, description, "m", "km", 1e-3, better="low", **given)


def family(
    template: Measure, words: tuple[str, ...], *, placeholder: str = "{w}"
) -> tuple[Measure, ...]:
    """One measure per word (a market, a scenario): ``key`` and ``description`` filled in."""
    return tuple(
        replace(
            template,
            key=template.key.replace(placeholder, w.lower()),
            description=template.description.replace(placeholder, w),
            word=w.lower(),
        )
        for w in words
    )


@dataclass(frozen=True)
class Param:
    """A criterion parameter the project may set under ``[criteria.NAME]``.

    The app's parameter panel is built from these: ``panel`` parameters get a widget by
    ``kind`` (a number: a spin box from ``minimum`` to ``maximum`` with ``decimals`` and
    ``step``, or a list of ``levels``; a choice: a list; a bool: a check box), labelled
    ``label`` with ``tip`` as its tooltip (English; the catalogue translates them). A
    number whose default is None (derived from the demand) offers ``default_text`` first.
    ``warn`` gives the values of ``warning`` (a template) when the value set deserves one.
    """

    kind: str  # "number" | "bool" | "choice" | "string"
    default: Any
    unit: str = ""
    help: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    label: str = ""
    panel: bool = False
    tip: str = ""
    maximum: float | None = None
    decimals: int = 1
    step: float = 1.0
    levels: tuple[float, ...] = ()
    default_text: str = ""
    choice_labels: Mapping[str, str] = field(default_factory=dict)
    warning: str = ""
    warn: Callable[[Any, float | None], Mapping[str, Any] | None] | None = None


@dataclass(frozen=True)
class Context:
    """What a criterion measures on: the sites and the opened layers, in the working CRS."""

    sites: gpd.GeoDataFrame  # index: site id
    layers: Mapping[str, tuple[Layer, ...]]
    working_crs: CRS
    demand_mw: float | None

    def of(self, role: str) -> tuple[Layer, ...]:
        """The opened vector or raster layers of a role (possibly none)."""
        return self.layers.get(role, ())

    def frame(self, role: str) -> gpd.GeoDataFrame | None:
        """All vector features of a role in one frame (None when there is no such layer)."""
        return frame_of(self.of(role), self.working_crs)


def frame_of(layers: tuple[Layer, ...], crs: CRS) -> gpd.GeoDataFrame | None:
    """The vector features of some opened layers in one frame (None when none has any)."""
    frames = [lyr.frame() for lyr in layers if lyr.data is not None]
    if not frames:
        return None
    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)


@dataclass(frozen=True)
class Measured:
    """A criterion's result: the measures table, exclusions, data issues, sources used.

    ``too_far`` lists roles whose read window proved too small (a nearest feature lay
    beyond the margin): the assessment reads those layers whole and measures again.
    """

    measures: pd.DataFrame
    exclusions: Mapping[str, tuple[Reason, ...]] = field(default_factory=dict)  # site -> why
    issues: tuple[DataIssue, ...] = ()
    sources: tuple[str, ...] = ()
    too_far: tuple[str, ...] = ()
    # Features a presenter lists per site (the power criterion's supply options).
    nearby: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteFacts:
    """What a criterion's explanation of one site reads: its measures and parameters."""

    measures: Mapping[str, Any]  # the site's measured values (NaN: not measured)
    params: Mapping[str, Any]  # the criterion's resolved parameters
    demand_mw: float | None
    excluded: bool  # this criterion excludes the site
    site: Mapping[str, Any] = field(default_factory=dict)  # the site's attributes
    nearby: tuple[Any, ...] = ()  # the features the criterion listed for the site


@dataclass(frozen=True)
class Row:
    """One measured value a report lists: what (a template), then its values joined by
    `` · `` (all of them missing: one "n/a"), then an optional note after a space."""

    label: Reason
    parts: tuple[Value, ...]
    note: Reason | None = None


@dataclass(frozen=True)
class Explanation:
    """Why a criterion scores a site as it does, structured: sentences (templates and
    values, translated by the presenters) and the measured values as rows. ``rows`` None:
    the declared measures, each with its description."""

    sentences: tuple[Reason | Listing, ...] = ()
    rows: tuple[Row, ...] | None = None


def _no_explanation(facts: SiteFacts) -> Explanation:
    return Explanation()


@dataclass(frozen=True)
class Criterion:
    """A registered criterion: what it measures, its parameters and default value function."""

    name: str
    title: str  # English; the catalogue translates it (a report's section title)
    roles: tuple[str, ...]
    params: Mapping[str, Param]
    specs: tuple[Measure, ...]  # every measure column it may give, declared
    default_measure: str
    default_transform: Callable[[Mapping[str, Any], float | None], TransformSpec]
    rationale: str  # why the default value function, with its sources
    measure: Callable[[Context, Mapping[str, Any]], Measured]
    derived_defaults: Callable[[float | None], Mapping[str, Any]] = lambda demand: {}
    # Another default measure when the layers allow it (connectivity with a fibre layer):
    # (measures, parameters) -> (measure, value function, rationale), or None.
    default_for: (
        Callable[[pd.DataFrame, Mapping[str, Any]], tuple[str, TransformSpec, str] | None] | None
    ) = None
    # The "why this score" of one site, as structured text (see Explanation).
    explain: Callable[[SiteFacts], Explanation] = _no_explanation
    short_title: str = ""  # where room is short (the app's panels); default: the title
    default_weight: float = 0.0  # its weight in a new project (0: not part of one)

    @property
    def label(self) -> str:
        """The title where room is short (English; the catalogue translates it)."""
        return self.short_title or self.title

    @property
    def measures(self) -> dict[str, str]:
        """Measure column → one-line description."""
        return {m.key: m.description for m in self.specs}

    def resolve(self, given: Mapping[str, Any], demand_mw: float | None) -> dict[str, Any]:
        """Parameters with defaults filled in (some defaults follow from the demand)."""
        out = {k: p.default for k, p in self.params.items()}
        out.update(self.derived_defaults(demand_mw))
        out.update(given)
        return out


def nearest(sites: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest target for each site and the distance to it (0 when inside).

    Distances are in the CRS units (metres in the working CRS). With no target, the
    indices are -1 and the distances NaN. Uses one STRtree query for all sites.
    """
    n = len(sites)
    idx = np.full(n, -1, dtype=np.int64)
    dist = np.full(n, np.nan)
    if n == 0 or len(targets) == 0:
        return idx, dist
    tree = shapely.STRtree(targets)
    (src, tgt), d = tree.query_nearest(sites, return_distance=True, all_matches=False)
    idx[src] = tgt
    dist[src] = d
    return idx, dist


def k_nearest(
    sites: np.ndarray, targets: np.ndarray, k: int, start_m: float = 5_000.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` nearest targets of each site: (site row, target index, distance) arrays.

    Sorted by site then distance; a site gets fewer than ``k`` rows when there are fewer
    targets. One ``dwithin`` STRtree query per round for the sites still short of ``k``
    candidates, the radius doubling each round, then exact distances for the pairs found.
    """
    n, m = len(sites), len(targets)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0 or m == 0 or k <= 0:
        return empty, empty, np.zeros(0)
    want = min(k, m)
    tree = shapely.STRtree(targets)
    _, d1 = nearest(sites, targets)
    # A radius that holds the nearest; every round doubles it for the sites still short.
    radius = np.maximum(np.nan_to_num(d1, nan=start_m) * 2.0, start_m)
    todo = np.arange(n)
    src_all, tgt_all = [], []
    while len(todo):
        src, tgt = tree.query(sites[todo], predicate="dwithin", distance=radius[todo])
        counts = np.bincount(src, minlength=len(todo))
        done = counts >= want
        keep = done[src]
        src_all.append(todo[src[keep]])
        tgt_all.append(tgt[keep])
        todo = todo[~done]
        radius[todo] *= 2.0
    s_idx = np.concatenate(src_all)
    t_idx = np.concatenate(tgt_all)
    dist = shapely.distance(sites[s_idx], targets[t_idx])
    order = np.lexsort((dist, s_idx))
    s_idx, t_idx, dist = s_idx[order], t_idx[order], dist[order]
    first = np.searchsorted(s_idx, s_idx, side="left")
    pick = (np.arange(len(s_idx)) - first) < want
    return s_idx[pick], t_idx[pick], dist[pick]


def nan_frame(index: pd.Index, columns: list[str]) -> pd.DataFrame:
    """A measures table where nothing could be measured."""
    return pd.DataFrame(np.nan, index=index, columns=columns)


def missing_layer_issue(criterion: str, role: str) -> DataIssue:
    """The data issue for a criterion whose layer the project does not give."""
    from siteassess.criteria import CRITERIA
    from siteassess.roles import ROLE_TITLES

    crit = CRITERIA.get(criterion)
    name = Term(crit.title if crit else criterion, plain=criterion)
    return DataIssue.of(
        role,
        Reason.of(
            "layer_missing",
            "no {role} layer in the project: {criterion} cannot be measured",
            role=Term(ROLE_TITLES.get(role, role), plain=role),
            criterion=name,
        ),
        action=Reason.of(
            "left_unmeasured", "{criterion} left as not measurable (NaN)", criterion=name
        ),
    )


def not_measurable(what: Term) -> Reason:
    """The action of an issue that leaves ``what`` (a criterion, a measure) not measured."""
    return Reason.of("not_measurable", "{what} not measurable (NaN)", what=what)


def window_exceeded(layers: tuple[Layer, ...], distances: np.ndarray) -> bool:
    """True when some nearest distance is beyond a layer's read margin (or none was found)."""
    margins = [lyr.margin_m for lyr in layers if lyr.read_bounds is not None]
    if not margins:
        return False
    margin = min(m for m in margins if m is not None)
    return bool(np.any(np.isnan(distances)) or np.any(distances > margin))
