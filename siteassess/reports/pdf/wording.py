"""How the reports word a site's results: ranks, exclusions, value functions, warnings.

Plain text in the report's language; numbers through :mod:`siteassess.reports.i18n_reports`
so every report writes them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from siteassess import vocabulary
from siteassess.assessment import Assessment, CriterionInfo
from siteassess.criteria.rules import BLOCKING
from siteassess.reports.i18n_reports import (
    colon,
    is_missing,
    measure_text,
    number,
    percent,
    tr,
    trn,
)
from siteassess.reports.messages import reason_text
from siteassess.vocabulary import layer_phrase

FLAP = ("Frankfurt", "London", "Amsterdam", "Paris")


SCENARIOS = ("frequent", "medium", "extreme")


def site_index(a: Assessment, site_id: str) -> int:
    """Row of ``site_id`` in the assessment's tables (ValueError when it has no such site).

    A hashed look-up in the sites' index: ``a.site_ids`` builds a list of every id, which
    made a table of the 2,111-site inventory take seconds.
    """
    try:
        row = a.measurements.sites.index.get_loc(site_id)
    except KeyError:
        raise ValueError(f"no site with id {site_id!r}") from None
    if not isinstance(row, int):
        raise ValueError(f"site id {site_id!r} is not unique")
    return row


def measures_of(a: Assessment, i: int) -> Mapping[str, Any]:
    """The measured values of site row ``i`` (NaN: not measured)."""
    row = a.measurements.measures.iloc[i]
    return {str(k): row[k] for k in a.measurements.measures.columns}


def criterion_title(info: CriterionInfo, lang: str) -> str:
    """The criterion's title in the report's language."""
    return tr(info.title, lang)


def scenario_name(scenario: str, lang: str) -> str:
    """A flood scenario with its return period."""
    names = {
        "frequent": tr("frequent (10 to 30 years)", lang),
        "medium": tr("medium (100 to 300 years)", lang),
        "extreme": tr("extreme (about 1,000 years)", lang),
    }
    return names.get(scenario, scenario)


def market_name(market: str, lang: str) -> str:
    """A FLAP market's name (London is Londres in French)."""
    return tr(market, lang)


def rationale_text(info: CriterionInfo, lang: str) -> str:
    """Why this value function (the criterion's rationale, translated when known)."""
    return tr(info.rationale, lang) if info.rationale else ""


def illustrative_layers(a: Assessment, labels: tuple[str, ...], lang: str) -> list[tuple[str, str]]:
    """(how a sentence names the layer, its source in ``lang``) of the given layers that are
    ILLUSTRATIVE (:attr:`Layer.is_illustrative`)."""
    return [
        (
            layer_phrase(lyr.spec.role, lyr.spec.name, lang),
            lyr.source_text(lang) or tr("not stated", lang),
        )
        for lyr in a.measurements.layers
        if lyr.label in labels and lyr.is_illustrative
    ]


def illustrative_warning(layer: str, source: str, lang: str) -> str:
    """The sentence that flags illustrative data wherever it is used (``layer``: a phrase
    of :func:`siteassess.vocabulary.layer_phrase`)."""
    return tr(
        "ILLUSTRATIVE data: {layer} is not real data ({source}). Figures that use it show "
        "how the method works, not the site's real exposure.",
        lang,
        layer=layer,
        source=source,
    )


def score_sentence(a: Assessment, site_id: str, j: int, lang: str) -> str:
    """``value 0.63 × weight 25.0% = 15.7 points (of 25.0)``."""
    i = site_index(a, site_id)
    info = a.criteria[j]
    value = a.table.values[i, j]
    return tr(
        "Scored measure: {measure} = {raw}. Value {value} (0 to 1) × weight {weight} = "
        "{points} points of {max}.",
        lang,
        measure=measure_label(info, lang),
        raw=measure_text(info.measure, measures_of(a, i).get(info.measure), lang),
        value=number(value, lang, 2),
        weight=percent(info.weight, lang),
        points=number(a.table.contributions[i, j], lang, 1),
        max=number(a.table.weights[j] * 100, lang, 1),
    )


def measure_label(info: CriterionInfo, lang: str) -> str:
    """A short name of the scored measure, as its criterion declares it for a sentence."""
    from siteassess.criteria import MEASURES

    m = MEASURES.get(info.measure)
    if m is None:
        return info.measure  # a column no criterion declares: its key is all there is
    if m.phrase:
        return tr(m.phrase, lang)
    label = vocabulary.measure_info(info.measure, lang).label
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def exclusion_texts(a: Assessment, site_id: str, lang: str) -> list[str]:
    """Why a site is excluded, one line per reason, in the report's language."""
    return [reason_text(r, lang) for r in a.reasons.get(site_id, ())]


def blocking_texts(a: Assessment, site_id: str, lang: str) -> list[str]:
    """The hard rules that exclude a site, each headed « Bloquant » (Blocking)."""
    head = tr(BLOCKING, lang) + colon(lang)
    return [head + text for text in exclusion_texts(a, site_id, lang)]


def rank_range_text(a: Assessment, site_id: str, lang: str) -> str:
    """``1 to 3`` (``always 1``) under the Monte-Carlo weight draws; ``n/a`` if excluded."""
    i = site_index(a, site_id)
    s = a.sensitivity
    if s is None or a.table.excluded[i]:
        return tr("n/a", lang)
    lo, hi = int(s.rank_min[i]), int(s.rank_max[i])
    if lo == hi:
        return tr("always {rank}", lang, rank=lo)
    return tr("{lo} to {hi}", lang, lo=lo, hi=hi)


def p_first_text(a: Assessment, site_id: str, lang: str) -> str:
    """The share of weight draws in which the site ranks first (n/a for an excluded site)."""
    s = a.sensitivity
    i = site_index(a, site_id)
    if s is None or a.table.excluded[i]:
        return tr("n/a", lang)
    return percent(float(s.p_first[i]), lang)


def completeness_text(a: Assessment, site_id: str, lang: str) -> str:
    """``4 of 4 criteria measured (100.0%)``."""
    i = site_index(a, site_id)
    weighted = [j for j, c in enumerate(a.criteria) if a.table.weights[j] > 0]
    measured = int(np.isfinite(a.table.values[i, weighted]).sum()) if weighted else 0
    return trn(
        "{measured} of {total} criteria measured ({share})",
        "{measured} of {total} criteria measured ({share})",
        measured,
        lang,
        measured=measured,
        total=len(weighted),
        share=percent(float(a.table.completeness[i]), lang),
    )


def commune_text(a: Assessment, site_id: str) -> str:
    """« Escaudain (59205) », or empty when the commune is unknown."""
    site = a.measurements.sites.loc[site_id]
    name, insee = site.get("commune"), site.get("insee")
    if is_missing(name) or not str(name).strip():
        return ""
    return f"{name} ({insee})" if not is_missing(insee) and str(insee).strip() else str(name)


def separation_sentences(a: Assessment, ids: list[str] | None, lang: str) -> dict[str, str]:
    """A sentence per criterion (by name) that does not separate the sites (ranked, or ``ids``).

    The threshold is the core's :data:`siteassess.scoring.separation.SEPARATION_SHARE` of
    the 0–1 value range.
    """
    from siteassess.scoring.separation import SEPARATION_SHARE, spreads

    if ids is None:
        rows = np.flatnonzero(~a.table.excluded)
    else:
        rows = np.array([site_index(a, s) for s in ids], dtype=int)
    if len(rows) < 2:
        return {}
    names = [c.name for c in a.criteria]
    out: dict[str, str] = {}
    for c, sp in zip(a.criteria, spreads(names, a.table.values, rows), strict=True):
        if sp.separates or c.weight <= 0:
            continue
        measured = ""
        raw = a.measurements.measures.get(c.measure)
        if raw is not None:
            vals = raw.iloc[rows].to_numpy(dtype=float)
            vals = vals[np.isfinite(vals)]
            if len(vals):
                measured = tr(
                    " ({low} to {high} measured)",
                    lang,
                    low=measure_text(c.measure, float(vals.min()), lang),
                    high=measure_text(c.measure, float(vals.max()), lang),
                )
        out[c.name] = tr(
            "{criterion} does not separate these sites: their values lie between {low} and "
            "{high} on its 0 to 1 scale, less than {share} of that scale apart{measured}; "
            "it adds about the same points to every score.",
            lang,
            criterion=criterion_title(c, lang),
            low=number(sp.low, lang, 2),
            high=number(sp.high, lang, 2),
            share=number(SEPARATION_SHARE * 100, lang, 0, "%"),
            measured=measured,
        )
    return out
