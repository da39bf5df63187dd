"""The supply options a map shows for a site: the substations the power criterion listed.

Presenters never measure again: the options, their distances and their positions come from
the assessment (``Assessment.supply``, the power criterion's lists). Until an assessment
carries them, the nearest substations it scored (by name, looked up in the substations
layer for their position) stand in, with the distances the criterion measured.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from siteassess.assessment import Assessment

LIST_MIN_KV, LIST_400KV = "min_kv", "400kv"
# Scored measures used when the assessment has no supply lists: (name, distance, kV, list).
_SCORED = (
    ("substation_name", "substation_distance_m", "substation_kv", LIST_MIN_KV),
    ("substation_400kv_name", "substation_400kv_distance_m", None, LIST_400KV),
)
FRAME_FACTOR = 2.0  # options up to this times the farthest nearest-of-a-list are framed
FRAME_SLACK_M = 3_000.0  # ... or up to this much farther than it


@dataclass(frozen=True)
class SupplyPoint:
    """One supply option of a site, as a map draws it (x, y in the working CRS)."""

    name: str
    kv: float
    state: str
    distance_m: float  # from the site outline, as the criterion measured it
    x: float
    y: float
    lists: tuple[str, ...]
    frame: bool  # the map frames it with the site when the site is selected


def supply_points(a: Assessment, site_id: str) -> tuple[SupplyPoint, ...]:
    """The site's supply options, nearest first, each marked whether the frame includes it.

    The frame takes the nearest option of each list (at or above the minimum voltage, and
    400 kV) and the others not much farther (see ``FRAME_FACTOR``, ``FRAME_SLACK_M``).
    """
    raw = _from_assessment(a, site_id)
    if raw is None:
        raw = _from_measures(a, site_id)
    return _with_frame(raw)


def _from_assessment(a: Assessment, site_id: str) -> list[dict[str, Any]] | None:
    supply = getattr(a, "supply", None)
    if supply is None:
        return None
    try:
        options = supply(site_id) if callable(supply) else supply.get(site_id, ())
    except (KeyError, TypeError):
        return None
    out = []
    for o in options or ():
        d = float(o.distance_m)
        if not (math.isfinite(d) and math.isfinite(float(o.x)) and math.isfinite(float(o.y))):
            continue
        out.append(
            {
                "name": str(o.name),
                "kv": float(o.kv),
                "state": str(o.state),
                "distance_m": d,
                "x": float(o.x),
                "y": float(o.y),
                "lists": tuple(str(v) for v in o.lists),
            }
        )
    return out


def _from_measures(a: Assessment, site_id: str) -> list[dict[str, Any]]:
    m = a.measurements
    measures = m.measures
    if site_id not in measures.index:
        return []
    subs = [
        lyr.frame()
        for lyr in m.layers
        if lyr.spec.role == "substations" and lyr.data is not None and not lyr.data.empty
    ]
    found: dict[str, dict[str, Any]] = {}
    for name_key, dist_key, kv_key, list_name in _SCORED:
        if name_key not in measures.columns or dist_key not in measures.columns:
            continue
        name, dist = measures.at[site_id, name_key], measures.at[site_id, dist_key]
        if not isinstance(name, str) or not name or not _finite(dist):
            continue
        if name in found:
            found[name]["lists"] += (list_name,)
            continue
        kv = measures.at[site_id, kv_key] if kv_key and kv_key in measures.columns else None
        row = _lookup(subs, name, 400.0 if list_name == LIST_400KV else None)
        if row is None:
            continue
        pt = row.geometry.representative_point()
        found[name] = {
            "name": name,
            "kv": float(kv) if kv is not None and _finite(kv) else float(row.get("kv", math.nan)),
            "state": str(row.get("state", "in_service")),
            "distance_m": float(dist),
            "x": float(pt.x),
            "y": float(pt.y),
            "lists": (list_name,),
        }
    return sorted(found.values(), key=lambda o: (o["distance_m"], o["name"]))


def _lookup(frames: Sequence[Any], name: str, min_kv: float | None) -> Any:
    """The first in-service substation of that name (at or above ``min_kv``), else any."""
    fallback = None
    for frame in frames:
        rows = frame[frame["name"].astype(str) == name]
        for _, row in rows.iterrows():
            ok_kv = min_kv is None or (_finite(row.get("kv")) and float(row["kv"]) >= min_kv)
            if ok_kv and row.get("state") == "in_service":
                return row
            fallback = row if fallback is None else fallback
    return fallback


def _finite(v: Any) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _with_frame(raw: list[dict[str, Any]]) -> tuple[SupplyPoint, ...]:
    raw = sorted(raw, key=lambda o: (o["distance_m"], -o["kv"], o["name"]))
    firsts: dict[str, float] = {}
    for o in raw:
        for lst in o["lists"]:
            firsts.setdefault(lst, o["distance_m"])
    reach = max(firsts.values(), default=0.0)
    limit = max(reach * FRAME_FACTOR, reach + FRAME_SLACK_M)
    out = []
    for o in raw:
        first = any(firsts.get(lst) == o["distance_m"] for lst in o["lists"])
        out.append(SupplyPoint(**o, frame=first or o["distance_m"] <= limit))
    return tuple(out)
