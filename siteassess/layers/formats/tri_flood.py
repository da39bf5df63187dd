"""``tri-flood``: flood zones of the French flood-directive maps (TRI, Géorisques).

COVADIS "Standard de données Directive inondation" v2 (2018; v2.1, 2019). The surfaces
inondables (``n_inondable_<type>_<scenario>_s``) carry a scenario code ``scenario``
(``01For`` forte probabilité, ``02Moy`` moyenne, ``03Mcc`` moyenne avec changement
climatique, ``04Fai`` faible; the 2020 coastal maps add ``01Forcc_ct`` … ) and a flood type
``typ_inond`` (``01`` débordement de cours d'eau, ``02`` ruissellement, ``03`` submersion
marine, ``04`` remontée de nappe). Field names are matched without case (shapefiles of the
first cycle write ``SCENARIO``, ``TYPE_INON``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from siteassess.errors import DataIssue, LayerContentError, Reason
from siteassess.layers.importers import (
    Imported,
    Importer,
    ReadRequest,
    read_request_vector,
    register,
)
from siteassess.layers.roles import SCENARIO_ALIASES, SCENARIOS, TRI_SCENARIO_CODES

SCENARIO_FIELDS = ("scenario",)
TYPE_FIELDS = ("typ_inond", "type_inond", "type_inon", "typ_inon")
# Flood types of the standard (TypeInondation) and words met in other files.
TYPE_CODES = {"01": "river", "02": "runoff", "03": "sea", "04": "groundwater"}
TYPE_WORDS = (
    ("river", r"d[ée]bord|cours d|fluvial|river"),
    ("sea", r"submersion|marin|\bmer\b|\bsea\b|coast|c[ôo]ti"),
    ("runoff", r"ruissel|runoff|pluvial"),
    ("groundwater", r"nappe|groundwater"),
)
FLOOD_TYPES = tuple(TYPE_CODES.values())


def find_field(columns: Sequence[str], names: Sequence[str]) -> str | None:
    """The first column whose name, without case, is one of ``names``."""
    lower = {str(c).lower(): str(c) for c in columns}
    return next((lower[n] for n in names if n in lower), None)


def _matches(cols: Sequence[str]) -> bool:
    return (
        find_field(cols, SCENARIO_FIELDS) is not None and find_field(cols, TYPE_FIELDS) is not None
    )


def scenario_of(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Standard scenarios (NA when unknown) and the climate-change flag of TRI codes.

    Codes (``02Moy``) and words (``moyenne``, ``medium``) are both accepted, without case.
    """
    key = values.astype("string").str.strip().str.lower()
    scen = key.map(SCENARIO_ALIASES).astype("string")
    climate = {code: cc for code, (_, cc) in TRI_SCENARIO_CODES.items()}
    cc = key.map(climate).astype("boolean").fillna(False).to_numpy(dtype=bool)
    return scen, cc


def flood_type_of(values: pd.Series) -> pd.Series:
    """river | sea | runoff | groundwater from TRI codes (``01``, ``1``) or words; else NA."""
    text = values.astype("string").str.strip().str.lower().str.replace(r"\.0+$", "", regex=True)
    digits = text.str.fullmatch(r"\d{1,2}").fillna(False).to_numpy(dtype=bool)
    coded = text.str.zfill(2).map(TYPE_CODES).astype("string")
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    out[digits] = coded[digits]
    for name, pattern in reversed(TYPE_WORDS):  # the first listed wins
        hit = ~digits & text.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)
        out[hit] = name
    return out


def _shown(values: pd.Series) -> list[str]:
    return sorted({"<blank>" if pd.isna(v) or str(v).strip() == "" else str(v) for v in values})


def _read_tri_flood(req: ReadRequest) -> Imported:
    """Surfaces inondables of a TRI map: ``scenario``, ``climate_change``, ``flood_type``.

    The scenario code as written is kept in ``scenario_code``; zones with an unknown code
    are skipped and reported once (naming the codes and how many zones).
    """
    gdf, crs = read_request_vector(req)
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    scen_col = req.spec.scenario_field or find_field(cols, SCENARIO_FIELDS)
    if scen_col is None or scen_col not in gdf.columns:
        raise LayerContentError(
            f"layer {req.label}: {req.path} is not a TRI flood map (Directive inondation): no "
            f"column {scen_col or 'scenario'!r}; set scenario_field. Columns: {', '.join(cols)}"
        )
    raw = gdf[scen_col]
    scen, cc = scenario_of(raw)
    type_col = find_field(cols, TYPE_FIELDS)
    ftype = (
        flood_type_of(gdf[type_col])
        if type_col is not None
        else pd.Series(pd.NA, index=gdf.index, dtype="string")
    )
    out = gdf.assign(
        scenario_code=raw.astype("string").str.strip(),
        climate_change=cc,
        flood_type=ftype,
    )
    # The raw field is replaced by the standard one, unless the project names it (then the
    # flood normaliser reads it, and knows the TRI codes too).
    if req.spec.scenario_field is None and scen_col != "scenario":
        out = out.drop(columns=[scen_col])
    out["scenario"] = scen

    issues: list[DataIssue] = []
    bad = scen.isna().to_numpy(dtype=bool)
    if bad.any():
        n = int(bad.sum())
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "unknown_scenario_code",
                    "{n} of {total} zones have an unknown scenario code {codes} in {column}; "
                    "known: 01For, 02Moy, 03Mcc, 04Fai (or the words {words})",
                    n=n,
                    total=len(gdf),
                    codes=str(_shown(raw[bad])[:8]),
                    column=repr(scen_col),
                    words=", ".join(SCENARIOS),
                ),
                source=str(req.path),
                action="skipped",
                count=n,
            )
        )
        out = out.loc[~bad]
    if type_col is not None:
        given = gdf[type_col].astype("string").str.strip().fillna("") != ""
        unknown = (ftype.isna() & given).to_numpy(dtype=bool) & ~bad
        if unknown.any():
            issues.append(
                DataIssue.of(
                    req.label,
                    Reason.of(
                        "unknown_flood_type",
                        "{n} zones have an unknown flood type {types} in {column}; known: 01 "
                        "débordement, 02 ruissellement, 03 submersion marine, 04 remontée de nappe",
                        n=int(unknown.sum()),
                        types=str(_shown(gdf.loc[unknown, type_col])[:8]),
                        column=repr(type_col),
                    ),
                    source=str(req.path),
                    action="kept, flood_type blank",
                    severity="info",
                    count=int(unknown.sum()),
                )
            )
    return Imported(
        data=out, crs=crs, rows_read=len(gdf), issues=issues, encoding=req.spec.encoding
    )


TRI_FLOOD = Importer(
    name="tri-flood",
    kinds=("vector",),
    description="French flood-directive (TRI) flood zones, COVADIS Directive inondation v2",
    read=_read_tri_flood,
    matches=_matches,
    publisher="Géorisques / DREAL (TRI, Directive inondation)",
    licence="Licence Ouverte 2.0",
)
register(TRI_FLOOD, before="vector")
