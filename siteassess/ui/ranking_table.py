"""The ranking table's data: one array per column, and the text of a cell on demand.

:class:`Table` holds an assessment's columns as arrays in the order of its sites (the
measurements' rows); what the measurements fix is made once and shared by every
re-scoring. :func:`display`, :func:`tooltip` and :func:`sort_keys` make a cell's text, its
tooltip and a column's sort keys; nothing here is built per row up front. No Qt: the
model of :mod:`siteassess.ui.models` shows these.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd

from siteassess.reports.messages import reason_text
from siteassess.ui.i18n_ui import language, tr
from siteassess.ui.labels import fmt, fmt_pct, format_measure

if TYPE_CHECKING:
    from siteassess.assessment import Assessment

LEFT_ALIGNED = ("name", "commune", "land_unit", "designation", "exclusions", "outline")


@dataclass(frozen=True)
class Column:
    """One column of the ranking table."""

    key: str
    title: str  # English; translated when shown
    measure: bool = False
    fill: tuple[tuple[str, str], ...] = ()  # values of the title's {placeholders}


@dataclass(frozen=True)
class Row:
    """One site of the ranking, as the table shows it (made on demand, one at a time)."""

    site_id: str
    name: str
    rank: int | None  # None when excluded
    score: float
    excluded: bool
    exclusions: str
    approximate: bool
    p_first: float | None
    values: dict[str, Any]
    commune: str = ""  # "Escaudain (59205)", empty when unknown
    designation: str = ""  # a State designation (« site clé en main »), not scored
    designation_note: str = ""  # its source and date
    same_unit_as: str = ""  # the name of the better record of this land unit


@dataclass
class Table:
    """The columns of one assessment as arrays, in the order of its sites (the
    measurements' rows); ``ranking`` lists them best first, excluded last.

    What the measurements fix (ids, names, communes, measures) is made once per
    measurements and shared by every re-scoring; a new weight brings new scores, ranks,
    exclusions and ``ranking`` only.
    """

    assessment: Assessment | None = None
    ids: list[str] = field(default_factory=list)
    names: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    rank: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # 0: excl.
    score: np.ndarray = field(default_factory=lambda: np.empty(0))
    excluded: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    approximate: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    p_first: np.ndarray = field(default_factory=lambda: np.empty(0))  # NaN: not known yet
    commune: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    insee: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    values: dict[str, np.ndarray] = field(default_factory=dict)  # measure -> raw values
    numbers: dict[str, np.ndarray] = field(default_factory=dict)  # measure -> floats (NaN)
    position: dict[str, int] = field(default_factory=dict)  # site id -> row of these arrays
    ranking: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.ids)


class Rows(Sequence[Row]):
    """The sites in ranking order, each made into a :class:`Row` only when read."""

    def __init__(self, table: Table) -> None:
        self._t = table

    def __len__(self) -> int:
        return len(self._t)

    @overload
    def __getitem__(self, i: int) -> Row: ...
    @overload
    def __getitem__(self, i: slice) -> list[Row]: ...
    def __getitem__(self, i: int | slice) -> Row | list[Row]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self._t)
        if not -n <= i < n:
            raise IndexError(i)
        return make_row(self._t, int(self._t.ranking[i % n]))

    def __iter__(self) -> Iterator[Row]:
        return (self[k] for k in range(len(self)))


def _fill(title: str, params: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The values of a title's ``{parameter}`` placeholders, as numbers of the language."""
    out = []
    for name in re.findall(r"{(\w+)}", title):
        value = params.get(name)
        out.append((name, fmt(float(value), 0) if isinstance(value, int | float) else "?"))
    return tuple(out)


def columns_of(a: Assessment) -> tuple[list[Column], list[str]]:
    """The table's columns, and the other measures its tooltips name."""
    measures = a.measurements.measures
    cols = [Column("rank", "Rank"), Column("score", "Score"), Column("name", "Brownfield")]
    cols.append(Column("commune", "Commune"))
    # The headline measures the criteria declare (a measure its criterion's parameters
    # make repeat another is left out), titled as declared.
    from siteassess.criteria import criterion_of, headline_measures

    params = a.measurements.params
    extra: list[str] = []
    for m in headline_measures(params):
        if m.key in measures.columns:
            given = params.get(criterion_of(m.key) or "", {})
            cols.append(Column(m.key, m.short or m.label, True, _fill(m.short, given)))
            extra += [k for k in (m.named_by, m.detail_by) if k and k in measures]
    cols += [Column("p_first", "P(1st)"), Column("outline", "Outline")]
    if a.measurements.land_units:
        cols.append(Column("land_unit", "Land unit"))
    sites = a.measurements.sites
    if "designation" in sites.columns and sites["designation"].notna().any():
        cols.append(Column("designation", "State designation"))
    cols += [Column("exclusions", "Exclusion")]
    return cols, extra


def make_table(
    a: Assessment, p_first: dict[str, float] | None, previous: Table
) -> tuple[Table, list[Column]]:
    """The assessment's columns as arrays (vectorised; what the measurements fix is taken
    from ``previous`` when it shows the same measurements)."""
    m = a.measurements
    t = a.table
    cols, extra = columns_of(a)
    old = previous.assessment
    same = old is not None and old.measurements is m
    base = previous if same else _base(a, cols, extra)
    n = len(base)
    scores = np.asarray(t.scores, dtype=float)
    excluded = np.asarray(t.excluded, dtype=bool)
    if p_first is not None:
        pf = np.array([p_first.get(s, math.nan) for s in base.ids], dtype=float)
    elif a.sensitivity is not None:
        pf = np.asarray(a.sensitivity.p_first, dtype=float)
    else:
        pf = np.full(n, math.nan)
    table = replace(
        base,
        assessment=a,
        score=scores,
        excluded=excluded,
        rank=np.where(excluded, 0, np.asarray(t.ranks)).astype(np.int64),
        p_first=pf,
        # Best first, excluded last (Assessment.ranked's order).
        ranking=np.lexsort((-np.nan_to_num(scores, nan=-1.0), excluded)),
    )
    return table, cols


def _base(a: Assessment, cols: list[Column], extra: list[str]) -> Table:
    """What the measurements fix: ids, names, communes, outlines and measures."""
    m = a.measurements
    sites = m.sites
    ids = a.site_ids
    n = len(ids)

    def column(frame: pd.DataFrame, key: str) -> np.ndarray:
        if key not in frame.columns:
            return np.full(n, None, dtype=object)
        return np.asarray(frame[key].to_numpy())

    values: dict[str, np.ndarray] = {}
    numbers: dict[str, np.ndarray] = {}
    for key in dict.fromkeys([c.key for c in cols if c.measure] + extra):
        raw = column(m.measures, key)
        values[key] = raw
        numbers[key] = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=float)
    approx = (
        np.array([not pd.isna(v) and bool(v) for v in sites["approximate"]], dtype=bool)
        if "approximate" in sites.columns
        else np.zeros(n, dtype=bool)
    )
    return Table(
        ids=ids,
        names=sites["name"].astype(str).to_numpy(dtype=object),
        approximate=approx,
        commune=column(sites, "commune"),
        insee=column(sites, "insee"),
        values=values,
        numbers=numbers,
        position={s: k for k, s in enumerate(ids)},
    )


def _text(v: Any) -> str:
    """Text of a cell, empty for missing values (None, NaN, pandas NA)."""
    return v if isinstance(v, str) else ""


def _commune_of(t: Table, i: int) -> str:
    name, insee = _text(t.commune[i]), _text(t.insee[i])
    return f"{name} ({insee})" if name and insee else name


def _same_unit_as(t: Table, i: int) -> str:
    a = t.assessment
    if a is None or not a.measurements.land_units:
        return ""
    same = a.same_land_unit_as(t.ids[i])
    return a.site_name(same) if same else ""


def _designation(t: Table, i: int) -> tuple[str, str]:
    """A site's State designation and its source and date (empty when it has none)."""
    a = t.assessment
    designated = a.designation(t.ids[i]) if a is not None else None
    if not designated:
        return "", ""
    return designated[0], " · ".join(x for x in designated[1:] if x)


def _exclusions(t: Table, i: int) -> str:
    a = t.assessment
    reasons = a.reasons.get(t.ids[i], ()) if a is not None else ()
    return "; ".join(reason_text(x, language()) for x in reasons)


def score_of(t: Table, i: int) -> float | None:
    s = float(t.score[i])
    return None if math.isnan(s) else s


def make_row(t: Table, i: int) -> Row:
    """One row of the table as a :class:`Row`."""
    pf = float(t.p_first[i])
    return Row(
        site_id=t.ids[i],
        name=str(t.names[i]),
        rank=int(t.rank[i]) or None,
        score=float(t.score[i]),
        excluded=bool(t.excluded[i]),
        exclusions=_exclusions(t, i),
        approximate=bool(t.approximate[i]),
        p_first=None if math.isnan(pf) else pf,
        values={k: v[i] for k, v in t.values.items()},
        commune=_commune_of(t, i),
        designation=_designation(t, i)[0],
        designation_note=_designation(t, i)[1],
        same_unit_as=_same_unit_as(t, i),
    )


def display(t: Table, i: int, col: Column) -> str:
    key = col.key
    if key == "rank":
        return "—" if t.excluded[i] else str(int(t.rank[i]))
    if key == "score":
        return fmt(float(t.score[i]), 1)
    if key == "name":
        return str(t.names[i])
    if key == "commune":
        return _commune_of(t, i)
    if key == "land_unit":
        same = _same_unit_as(t, i)
        return tr("same as {name}").format(name=same) if same else ""
    if key == "designation":
        return _designation(t, i)[0]
    if key == "p_first":
        if t.excluded[i]:
            return "—"
        pf = float(t.p_first[i])
        return "…" if math.isnan(pf) else fmt_pct(pf)
    if key == "outline":
        return tr("approximate") if t.approximate[i] else tr("surveyed")
    if key == "exclusions":
        return tr("site excluded") if t.excluded[i] else ""
    return format_measure(key, _cell_value(t.values[key][i]))


def _cell_value(v: Any) -> Any:
    """A measure's raw value for :func:`format_measure` (numpy scalars as Python ones)."""
    if isinstance(v, np.generic):
        return v.item()
    if v is pd.NA:
        return None
    return v


def _codes(texts: Sequence[str], *, empty_unknown: bool = True) -> np.ndarray:
    """Text keys as float codes in casefolded order (empty text: unknown, NaN, unless
    ``empty_unknown`` is false)."""
    folded = np.array([s.casefold() for s in texts], dtype=object)
    if not len(folded):
        return np.empty(0)
    _, inverse = np.unique(folded.astype(str), return_inverse=True)
    codes = inverse.astype(float)
    if empty_unknown:
        codes[folded == ""] = math.nan
    return codes


def sort_keys(t: Table, col: Column) -> np.ndarray:
    """The keys a column sorts by, one float per row (NaN: unknown, sorted last)."""
    key, n = col.key, len(t)
    if key == "rank":
        return np.where(t.excluded, math.nan, t.rank.astype(float))
    if key == "score":
        return t.score.astype(float)
    if key == "name":
        return _codes([str(s) for s in t.names], empty_unknown=False)
    if key == "commune":
        return _codes([_commune_of(t, i) for i in range(n)])
    if key == "land_unit":
        return _codes([_same_unit_as(t, i) for i in range(n)])
    if key == "designation":
        return _codes([_designation(t, i)[0] for i in range(n)])
    if key == "p_first":
        return t.p_first.astype(float)
    if key == "outline":
        return t.approximate.astype(float)
    if key == "exclusions":
        return t.excluded.astype(float)
    return t.numbers[key].astype(float)


def _named(t: Table, i: int, col: Column) -> str | None:
    """The name of the feature a measure goes to (and its detail), as the criterion
    declares them: « BOUCHAIN — 400 kV »."""
    from siteassess.criteria import MEASURES

    m = MEASURES.get(col.key) if col.measure else None
    if m is None or m.named_by is None or m.named_by not in t.values:
        return None
    name = _cell_value(t.values[m.named_by][i])
    if not name or (isinstance(name, float) and math.isnan(name)):
        return None
    detail = _cell_value(t.values[m.detail_by][i]) if m.detail_by in t.values else None
    if m.detail_by is None or detail is None:
        return str(name)
    return f"{name} — {format_measure(m.detail_by, detail)}"


def tooltip(t: Table, i: int, col: Column) -> str | None:
    if col.key == "name":
        return f"{t.names[i]} ({t.ids[i]})"
    named = _named(t, i, col)
    if named:
        return named
    if col.key == "exclusions" and t.excluded[i]:
        return _exclusions(t, i) or None
    if col.key == "land_unit":
        same = _same_unit_as(t, i)
        if same:
            return tr(
                "Same land unit as {name}: one candidate, listed several times in the inventory"
            ).format(name=same)
        return None
    if col.key == "designation":
        what, note = _designation(t, i)
        if not what:
            return None
        if not note:
            return tr("Designated by the State (not scored)")
        return tr("Designated by the State (not scored): {source}").format(source=note)
    if col.key == "outline" and t.approximate[i]:
        return tr("Approximate outline: not surveyed; areas and distances are estimates.")
    if col.key == "p_first":
        return tr("Probability of ranking first when each weight varies by ±25 %")
    return None
