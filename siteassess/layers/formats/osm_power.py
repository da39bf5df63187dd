"""``osm-power``: OpenStreetMap power grid extracts (SciGRID topology: vertices and links).

SciGRID exports OSM's high-voltage grid as vertices (``v_id``, ``typ``: substation, joint,
merge, plant…) and links between them (``l_id``, ``v_id_1``, ``v_id_2``). ``voltage`` is
OSM's tag: volts, several values separated by ``;`` (``400000;225000``) when a substation
or line carries several. ``name`` and ``operator`` may repeat one value per circuit
(``IFA 2000;IFA 2000``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from siteassess.errors import DataIssue, Reason
from siteassess.layers.importers import (
    Imported,
    Importer,
    ReadRequest,
    read_request_vector,
    register,
)
from siteassess.layers.voltage import parse_voltage_kv

VERTEX_COLUMNS = ("v_id", "typ")
LINK_COLUMNS = ("l_id", "v_id_1", "v_id_2")
# Vertex types that are substations (where a consumer can be connected); joints and merges
# are points of the line topology, plants are generators.
SUBSTATION_TYPES = ("substation", "sub_station")


def _matches(cols: Sequence[str]) -> bool:
    c = set(cols)
    return "voltage" in c and (set(VERTEX_COLUMNS) <= c or set(LINK_COLUMNS) <= c)


def distinct_values(values: pd.Series) -> pd.Series:
    """``;``-separated OSM values with repeats removed (``A;A;B`` → ``A; B``); blank → NA."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    # Files hold few distinct strings: clean each once.
    cleaned = [
        "; ".join(dict.fromkeys(p.strip() for p in str(u).split(";") if p.strip())) or None
        for u in uniques
    ]
    table = np.array([*cleaned, None], dtype=object)
    out = pd.Series(table[np.where(codes < 0, len(uniques), codes)], index=values.index)
    return out.astype("string")


def _text(gdf: gpd.GeoDataFrame, col: str) -> pd.Series:
    if col in gdf.columns:
        return gdf[col].astype("string").str.strip()
    return pd.Series(pd.NA, index=gdf.index, dtype="string")


def _read_osm_power(req: ReadRequest) -> Imported:
    """Substations (vertices) or lines (links): ``kv`` (highest, kV), ``name``, ``state``."""
    gdf, crs = read_request_vector(req)
    is_vertices = "v_id" in gdf.columns and "l_id" not in gdf.columns
    ids = _text(gdf, "v_id" if is_vertices else "l_id")
    kv = parse_voltage_kv(gdf["voltage"], "V")
    name = distinct_values(_text(gdf, "name"))
    issues: list[DataIssue] = []
    if is_vertices:
        typ = _text(gdf, "typ").str.lower()
        substation = typ.isin(SUBSTATION_TYPES).fillna(False).to_numpy(dtype=bool)
        # OSM has no planned flag in this extract: what is mapped is built.
        state = np.where(substation, "in_service", "unknown")
        name = name.fillna("OSM " + typ.fillna("vertex") + " " + ids.fillna("?"))
        if not substation.all():
            kinds = Counter(typ[~substation].fillna("<blank>"))
            listed = ", ".join(f"{k} ×{v}" for k, v in kinds.most_common())
            issues.append(
                DataIssue.of(
                    req.label,
                    Reason.of(
                        "not_substations",
                        "{n} of {total} vertices are not substations ({kinds})",
                        n=int((~substation).sum()),
                        total=len(gdf),
                        kinds=listed,
                    ),
                    source=str(req.path),
                    action="kept with state unknown: not counted as substations",
                    severity="info",
                    count=int((~substation).sum()),
                )
            )
    else:
        state = np.full(len(gdf), "in_service", dtype=object)
        name = name.fillna("OSM line " + ids.fillna("?"))
    no_kv = np.isnan(kv)
    if no_kv.any():
        sample = ", ".join(ids[no_kv].fillna("?").astype(str)[:8])
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "no_voltage",
                    "{n} of {total} features have no voltage ({ids})",
                    n=int(no_kv.sum()),
                    total=len(gdf),
                    ids=f"{'v_id' if is_vertices else 'l_id'} {sample}"
                    + ("…" if no_kv.sum() > 8 else ""),
                ),
                source=str(req.path),
                action="kept; kv unknown, never counted at or above a minimum voltage",
                severity="info",
                count=int(no_kv.sum()),
            )
        )
    out = gdf.assign(
        kv=kv,
        name=name,
        state=pd.Series(state, index=gdf.index, dtype="string"),
        operator=distinct_values(_text(gdf, "operator")),
    )
    return Imported(
        data=out, crs=crs, rows_read=len(gdf), issues=issues, encoding=req.spec.encoding
    )


OSM_POWER = Importer(
    name="osm-power",
    kinds=("vector",),
    description="OpenStreetMap power grid (SciGRID vertices or links; voltage in volts)",
    read=_read_osm_power,
    matches=_matches,
    publisher="© OpenStreetMap contributors (SciGRID extract)",
    licence="ODbL 1.0",
)
register(OSM_POWER, before="vector")
