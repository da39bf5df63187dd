"""``etalab-cadastre``: cadastral parcels exported by Etalab (cadastre.data.gouv.fr).

The GeoJSON exports (``cadastre-59205-parcelles.json``, also gzipped ``.json.gz``) of the
DGFiP's plan cadastral informatisé give one polygon per parcel with ``id`` (14 characters:
département and commune, 5, e.g. ``59205`` or ``2A004``; prefix, 3; section, 2; number, 4:
``59205000AP0021``), ``commune``, ``prefixe``, ``section``, ``numero``, ``contenance``
(the parcel's stated area in m²), ``arpente``, ``created`` and ``updated``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely

from siteassess.errors import DataIssue, LayerContentError, Reason
from siteassess.layers.importers import (
    Imported,
    Importer,
    ReadRequest,
    read_request_vector,
    register,
)

COLUMNS = ("id", "commune", "prefixe", "section", "numero", "contenance")
# Département (2 digits, 2A/2B in Corsica; the overseas 97x take 97 + commune 3 digits),
# commune (3), prefix (3 digits), section (2, letters or digits: "AP", "0A"), number (4).
PARCEL_ID = r"(?:\d{2}|2[AB])\d{3}\d{3}[0-9A-Z]{2}\d{4}"


def _matches(cols: Sequence[str]) -> bool:
    return set(COLUMNS) <= set(cols)


def valid_parcel_ids(ids: pd.Series) -> np.ndarray:
    """True where a (trimmed, upper-case) id is a well-formed 14-character parcel id."""
    return np.asarray(ids.str.fullmatch(PARCEL_ID).fillna(False).to_numpy(dtype=bool))


def _sample(values: pd.Series, n: int = 8) -> str:
    shown = ["<blank>" if pd.isna(v) or str(v) == "" else str(v) for v in values[:n]]
    return ", ".join(shown) + ("…" if len(values) > n else "")


def _read_etalab_cadastre(req: ReadRequest) -> Imported:
    """Parcels with ``idpar`` (checked) and ``contenance_m2``; bad ids and null shapes skipped."""
    gdf, crs = read_request_vector(req)
    id_col = req.spec.id_field or "id"
    if id_col not in gdf.columns:
        cols = ", ".join(c for c in gdf.columns if c != gdf.geometry.name)
        raise LayerContentError(
            f"layer {req.label}: {req.path} is not an Etalab cadastre parcels export: no "
            f"column {id_col!r}; columns: {cols}"
        )
    ids = gdf[id_col].astype("string").str.strip().str.upper()
    area = (
        pd.to_numeric(gdf["contenance"], errors="coerce")
        if "contenance" in gdf.columns
        else pd.Series(np.nan, index=gdf.index)
    )
    out = gdf.assign(idpar=ids, contenance_m2=area.round().astype("Int64"))
    issues: list[DataIssue] = []
    good = valid_parcel_ids(ids)
    if not good.all():
        n = int((~good).sum())
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "malformed_parcel_id",
                    "{n} of {total} parcels have a malformed id in {column} (not 14 characters "
                    "as 59205000AP0021): {sample}",
                    n=n,
                    total=len(gdf),
                    column=repr(id_col),
                    sample=_sample(gdf.loc[~good, id_col]),
                ),
                source=str(req.path),
                action="skipped",
                count=n,
            )
        )
    geoms = out.geometry.values
    no_shape = good & (shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if no_shape.any():
        n = int(no_shape.sum())
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "parcels_without_geometry",
                    "{n} of {total} parcels have no geometry: {sample}",
                    n=n,
                    total=len(gdf),
                    sample=_sample(ids[no_shape]),
                ),
                source=str(req.path),
                action="skipped",
                count=n,
            )
        )
    keep = good & ~no_shape
    dup = out.loc[keep, "idpar"].duplicated(keep=False).to_numpy(dtype=bool)
    if dup.any():
        repeated = out.loc[keep, "idpar"][dup].drop_duplicates()
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "repeated_parcel_ids",
                    "{n} parcel ids occur more than once: {sample}",
                    n=len(repeated),
                    sample=_sample(repeated),
                ),
                source=str(req.path),
                action="kept",
                count=int(dup.sum()),
            )
        )
    data = out.loc[keep] if not keep.all() else out
    return Imported(
        data=data, crs=crs, rows_read=len(gdf), issues=issues, encoding=req.spec.encoding
    )


ETALAB_CADASTRE = Importer(
    name="etalab-cadastre",
    kinds=("vector",),
    description="Etalab cadastral parcels (cadastre.data.gouv.fr GeoJSON, also .json.gz)",
    read=_read_etalab_cadastre,
    matches=_matches,
    publisher="DGFiP / Etalab, plan cadastral informatisé",
    licence="Licence Ouverte 2.0",
)
register(ETALAB_CADASTRE, before="vector")
