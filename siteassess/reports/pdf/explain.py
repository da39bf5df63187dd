"""What a report says about each criterion for one site: sentences and measured values.

Each criterion explains its score itself (:attr:`siteassess.criteria.Criterion.explain`:
English templates and their values); here they are translated and the values written in
the report's language. A criterion that lists no rows shows its declared measures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from siteassess import vocabulary
from siteassess.assessment import Assessment, CriterionInfo
from siteassess.criteria import CRITERIA, MEASURES
from siteassess.criteria.base import Explanation, Row, SiteFacts, distance
from siteassess.criteria.land import surface_used
from siteassess.criteria.power import LIST_400KV, LIST_MIN_KV
from siteassess.errors import Name
from siteassess.reports.i18n_reports import (
    display_name,
    distance_text,
    number,
    tr,
)
from siteassess.reports.messages import value_text
from siteassess.reports.pdf.wording import (
    illustrative_layers,
    illustrative_warning,
    measures_of,
    site_index,
)


@dataclass(frozen=True)
class CriterionText:
    """What a report says about one criterion for one site."""

    sentences: list[str]
    rows: list[tuple[str, str]]  # (what was measured, value with unit)
    warnings: list[str] = field(default_factory=list)
    tables: list[ListTable] = field(default_factory=list)


@dataclass(frozen=True)
class ListTable:
    """A small table a criterion section lists (the supply options), with a title."""

    title: str
    head: list[str]
    rows: list[list[str]]


# ------------------------------------------------------------------------- per criterion


def _join(*parts: str) -> str:
    shown = [p for p in parts if p]
    if len(set(shown)) == 1 and shown[0] in ("n/a", "n.d."):
        return shown[0]  # "n/a", not "n/a · n/a"
    return " · ".join(shown)


def supply_tables(a: Assessment, site_id: str, min_kv: Any, lang: str) -> list[ListTable]:
    """The supply options a planner weighs: nearest in service at ≥ min kV and at 400 kV."""
    options = a.supply(site_id)
    if not options:
        return []
    kv = number(min_kv, lang, 0, "kV")
    why = {
        LIST_MIN_KV: tr("among the 3 nearest at or above {kv}", lang, kv=kv),
        LIST_400KV: tr("among the 3 nearest at 400 kV", lang),
    }
    if min_kv is not None and float(min_kv) >= 400:  # one list: say it once
        why.pop(LIST_MIN_KV)
    sep = " ; " if lang == "fr" else "; "
    rows = [
        [
            display_name(o.name),
            number(o.kv, lang, 0, "kV"),
            tr("in service", lang) if o.state == "in_service" else tr(o.state, lang),
            distance_text(o.distance_m, lang),
            sep.join(why[k] for k in o.lists if k in why),
        ]
        for o in options
    ]
    head = [
        tr("Substation", lang),
        tr("Voltage", lang),
        tr("State", lang),
        tr("Distance from the outline", lang),
        tr("Listed as", lang),
    ]
    return [ListTable(tr("Supply options", lang), head, rows)]


def surface_used_text(a: Assessment, site_id: str, lang: str) -> str:
    """Which surface the outline stands for: the land unit, the site, or the parcels."""
    sites = a.measurements.sites
    if site_id not in sites.index:
        return ""
    said = surface_used(sites.loc[site_id])
    return "" if said is None else value_text(said, lang)


def _row_text(row: Row, lang: str) -> tuple[str, str]:
    value = _join(*(value_text(v, lang) for v in row.parts))
    if row.note is not None:
        value += " " + value_text(row.note, lang)
    return value_text(row.label, lang), value


def _declared_rows(m: Mapping[str, Any], info: CriterionInfo, lang: str) -> list[tuple[str, str]]:
    """The criterion's declared measures, labelled, with their values as declared."""
    crit = CRITERIA.get(info.name)
    rows = []
    for spec in crit.specs if crit else ():
        if spec.key not in m:
            continue
        v = m.get(spec.key)
        if isinstance(v, str):
            shown: Any = Name(v)
        elif spec.unit == "m":
            shown = distance(v)
        else:
            shown = MEASURES[spec.key].quantity(v)
        rows.append((vocabulary.measure_info(spec.key, lang).label, value_text(shown, lang)))
    return rows


def explanation(a: Assessment, site_id: str, info: CriterionInfo) -> Explanation:
    """The criterion's own explanation of its score for one site (structured, English)."""
    i = site_index(a, site_id)
    crit = CRITERIA.get(info.name)
    if crit is None:
        return Explanation()
    facts = SiteFacts(
        measures=measures_of(a, i),
        params=info.params,
        demand_mw=a.project.demand_mw,
        excluded=site_id in a.measurements.exclusions.get(info.name, {}),
        site=a.measurements.sites.iloc[i].to_dict(),
        nearby=tuple(a.measurements.nearby.get(info.name, {}).get(site_id, ())),
    )
    return crit.explain(facts)


def criterion_text(a: Assessment, site_id: str, info: CriterionInfo, lang: str) -> CriterionText:
    """Sentences, measured values and warnings of one criterion for one site."""
    said = explanation(a, site_id, info)
    if said.rows is None:
        rows = _declared_rows(measures_of(a, site_index(a, site_id)), info, lang)
    else:
        rows = [_row_text(r, lang) for r in said.rows]
    tables = []
    if a.measurements.nearby.get(info.name, {}).get(site_id):
        tables = supply_tables(a, site_id, info.params.get("min_kv"), lang)
    warnings = [
        illustrative_warning(phrase, src, lang)
        for phrase, src in illustrative_layers(a, info.sources, lang)
    ]
    return CriterionText(
        [value_text(x, lang) for x in said.sentences],
        rows,
        warnings,
        tables,
    )


# ------------------------------------------------------------------------------ exclusions
