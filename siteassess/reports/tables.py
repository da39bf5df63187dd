"""The assessment as a JSON document, and as a ranked table in CSV, JSON or GeoPackage.

The JSON document is a contract (see README, "JSON output"): keys are only ever added.
No writer replaces one of the project's input files (:mod:`siteassess.output_guard`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from siteassess import __version__
from siteassess.assessment import Assessment
from siteassess.atomic import atomic_output, atomic_write_bytes
from siteassess.errors import OutputError, Reason
from siteassess.output_guard import refuse_input_as_output
from siteassess.reports import illustrative
from siteassess.reports.frames import output_frame
from siteassess.safetext import json_safe

OUTPUT_SUFFIXES = (".csv", ".json", ".gpkg", ".xlsx")


def _clean(v: Any) -> Any:
    """JSON-safe value: NaN and NA become null, numpy scalars become Python ones."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _reason(r: Reason) -> dict[str, Any]:
    """A structured reason as JSON: its code, English template and values."""
    values = {
        k: {kk: _clean(vv) for kk, vv in v.items()} if isinstance(v, dict) else _clean(v)
        for k, v in r.plain_values().items()
    }
    return {"code": r.code, "template": r.template, "values": values}


def _designation(d: tuple[str, str, str] | None) -> dict[str, Any] | None:
    """A site's designation by the State as JSON (not scored), or None."""
    if d is None:
        return None
    what, source, date = d
    return {"text": what, "source": source or None, "date": date or None}


def assessment_document(a: Assessment) -> dict[str, Any]:
    """The JSON document of an assessment (project, CRS, layers, sites, issues)."""
    m = a.measurements
    table = a.table
    flagged = illustrative.illustrative_criteria(a)
    sites = []
    for i, sid in enumerate(a.site_ids):
        row = m.measures.iloc[i]
        sites.append(
            {
                "id": sid,
                "name": _clean(m.sites["name"].iloc[i]),
                "commune": _clean(m.sites["commune"].iloc[i]),
                "insee": _clean(m.sites["insee"].iloc[i]),
                "approximate_outline": bool(m.sites["approximate"].iloc[i]),
                "rank": int(table.ranks[i]) if not table.excluded[i] else None,
                "score": _clean(round(float(table.scores[i]), 3)),
                "excluded": bool(table.excluded[i]),
                "exclusions": list(a.exclusions.get(sid, ())),
                "exclusion_reasons": [_reason(r) for r in a.reasons.get(sid, ())],
                "same_land_unit_as": a.same_land_unit_as(sid),
                "designation": _designation(a.designation(sid)),
                "substations": [
                    {
                        "name": o.name,
                        "kv": _clean(o.kv),
                        "state": o.state,
                        "distance_m": _clean(round(o.distance_m, 1)),
                        "lists": list(o.lists),
                    }
                    for o in a.supply(sid)
                ],
                "completeness": _clean(float(table.completeness[i])),
                "measures": {k: _clean(row[k]) for k in m.measures.columns},
                "values": {c.name: _clean(table.values[i, j]) for j, c in enumerate(a.criteria)},
                "contributions": {
                    c.name: _clean(round(float(table.contributions[i, j]), 3))
                    for j, c in enumerate(a.criteria)
                },
                "p_first": _clean(float(a.sensitivity.p_first[i])) if a.sensitivity else None,
                "rank_range": [int(a.sensitivity.rank_min[i]), int(a.sensitivity.rank_max[i])]
                if a.sensitivity and not table.excluded[i]
                else None,
            }
        )
    sites.sort(key=lambda s: (s["excluded"], s["rank"] or 0, -(s["score"] or 0)))
    return {
        "project": a.project.name,
        "project_file": str(a.project.path) if a.project.path else None,
        "working_crs": m.working_crs_label,
        "version": __version__,
        "demand_mw": a.project.demand_mw,
        "layers": [
            {
                "role": lyr.spec.role,
                "name": lyr.label,
                "path": lyr.provenance.path,
                "format": lyr.provenance.format,
                "sha256": lyr.provenance.sha256,
                "modified": lyr.provenance.modified,
                "features": lyr.features,
                "crs": lyr.source_crs,
                "source": lyr.provenance.source,
                "licence": lyr.provenance.licence,
                "date": lyr.provenance.date,
                "windowed": lyr.read_bounds is not None,
                "rows_read": lyr.provenance.rows_read,
                "encoding": lyr.provenance.encoding,
                "partitions": [
                    {"path": f.path, "sha256": f.sha256, "features": f.features}
                    for f in lyr.provenance.partitions
                ],
                "illustrative": lyr.is_illustrative,
                "skipped": [
                    {"reason": i.message, "count": i.count}
                    for i in a.issues
                    if i.layer == lyr.label and i.action == "skipped" and i.count
                ],
            }
            for lyr in m.layers
        ],
        "criteria": [
            {
                "name": c.name,
                "weight": _clean(c.weight),
                "measure": c.measure,
                "unit": c.unit,
                "transform": {
                    "kind": c.transform.kind,
                    "best": _clean(c.transform.best),
                    "worst": _clean(c.transform.worst),
                    "points": [list(p) for p in c.transform.points],
                    "text": c.transform_text,
                },
                "rationale": c.rationale,
                "parameters": {k: _clean(v) for k, v in c.params.items()},
                "sources": list(c.sources),
                "illustrative": c.name in flagged,
                # A criterion declared in the project file: its declaration as written.
                "declaration": {k: _clean(v) for k, v in _declaration(a, c.name).items()} or None,
            }
            for c in a.criteria
        ],
        "ahp": None
        if a.ahp is None
        else {
            "consistency_ratio": a.ahp.consistency_ratio,
            "most_inconsistent_pair": a.ahp.most_inconsistent_pair,
        },
        "sensitivity": None
        if a.sensitivity is None
        else {
            "draws": a.sensitivity.draws,
            "spread": a.sensitivity.spread,
            "seed": a.sensitivity.seed,
            "top_two": list(a.top_two) if a.top_two else None,
            "swaps": [
                {
                    "criterion": s.criterion,
                    "weight_before": s.weight_before,
                    "weight_after": s.weight_after,
                    "delta": s.delta,
                }
                for s in a.swaps
            ],
        },
        "sites": sites,
        "issues": [
            {
                "layer": iss.layer,
                "source": iss.source,
                "site": iss.site,
                "message": iss.message,
                "action": iss.action,
                "severity": iss.severity,
                "code": iss.code,
                "values": _reason(iss.reason)["values"] if iss.reason else {},
            }
            for iss in a.issues
        ],
    }


def _declaration(a: Assessment, name: str) -> dict[str, Any]:
    settings = a.project.criterion(name)
    return dict(settings.declaration) if settings is not None else {}


def to_json(a: Assessment) -> str:
    """The JSON document as text (UTF-8, indented; C1 and bidi controls as ``\\uXXXX``)."""
    return json_safe(json.dumps(assessment_document(a), ensure_ascii=False, indent=2))


def write_output(
    a: Assessment, path: str | Path, *, lang: str | None = None, csv_dialect: str | None = None
) -> Path:
    """Write the ranked table to ``.csv``, ``.json``, ``.gpkg`` or ``.xlsx`` (by extension),
    atomically.

    ``lang`` gives the spreadsheets' headers (default: the system's language);
    ``csv_dialect`` is ``excel`` (UTF-8 BOM, ``;``, decimal comma, headers in ``lang``) or
    ``plain`` (the keys of ``ranked()``, ``,``, decimal points); by default ``excel`` in
    French and ``plain`` otherwise.
    """
    from siteassess.i18n import default_language
    from siteassess.reports import spreadsheet

    target = Path(path)
    lang = lang or default_language()
    suffix = target.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise OutputError(
            f"{target}: unknown output type {suffix or '(none)'}; use one of "
            f"{', '.join(OUTPUT_SUFFIXES)}"
        )
    refuse_input_as_output(a.project, target)
    if suffix == ".json":
        atomic_write_bytes(target, to_json(a).encode("utf-8"))
        return target
    if suffix == ".csv":
        dialect = csv_dialect or spreadsheet.default_csv_dialect(lang)
        return spreadsheet.write_csv(a, target, lang=lang, dialect=dialect)
    if suffix == ".xlsx":
        return spreadsheet.write_xlsx(a, target, lang=lang)
    ranked = output_frame(a)
    gdf = a.measurements.sites[["geometry"]].join(ranked, how="right")
    gdf = gdf.reset_index().rename(columns={"index": "site_id"})
    for col in gdf.columns:
        if gdf[col].dtype == object and col != "geometry":
            gdf[col] = gdf[col].astype("string")
    try:
        with atomic_output(target) as tmp:
            gdf.to_file(tmp, driver="GPKG", layer="sites_ranked")
    except OutputError:
        raise
    except Exception as exc:
        raise OutputError(f"{target}: cannot write the GeoPackage: {exc}") from None
    return target
