"""``cartofriches``: the Cerema Cartofriches brownfield inventory (GeoJSON, GeoPackage, CSV).

Cartofriches gives one point per site (not a surveyed centroid), its status, its areas in
m² (``unite_fonciere_surface``, the land unit, else ``site_surface``) and the cadastral
parcels of the land unit (``l_idpar``). Points become sites: ``layers.outlines`` turns
them into outlines (the union of the listed parcels when a ``parcels`` layer is given,
else an approximate disc of the stated area).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from siteassess.errors import DataIssue, Reason
from siteassess.layers.crs import parse_crs
from siteassess.layers.formats.cnig_fields import FIELDS as CNIG_FIELDS
from siteassess.layers.importers import (
    Imported,
    Importer,
    ReadRequest,
    bad_rows_issue,
    file_kind,
    register,
    with_geometry,
)
from siteassess.layers.plausibility import area_problems, name_rows
from siteassess.layers.readers import points_from_columns, read_table, read_vector, to_number

# 14-character French parcel ids: département (2, 2A/2B in Corsica) + commune (3) +
# prefix (3) + section (2) + number (4), e.g. 59205000AP0021.
PARCEL_ID = re.compile(r"\b[0-9][0-9AB][0-9]{3}[0-9]{3}[0-9A-Z]{2}[0-9]{4}\b")
KEPT = {
    "site_nom": "name",
    "site_statut": "status",
    "comm_nom": "commune",
    "comm_insee": "insee",
    "sol_pollution_existe": "pollution",
    "urba_zone_type": "zoning",
    "site_type": "site_type",
}


def _matches(cols: Sequence[str]) -> bool:
    c = set(cols)
    return {"site_id", "site_nom", "site_statut"} <= c and bool(
        {"unite_fonciere_surface", "site_surface"} & c
    )


def parse_parcel_ids(values: pd.Series) -> list[list[str]]:
    """Parcel ids from ``l_idpar`` as met in exports: a list, JSON text, ``{a,b}`` or ``a|b``."""
    out: list[list[str]] = []
    for v in values.to_numpy(dtype=object):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append([])
        elif isinstance(v, list | tuple | np.ndarray):
            out.append([str(x) for x in v if PARCEL_ID.fullmatch(str(x))])
        else:
            out.append(PARCEL_ID.findall(str(v)))
    return out


def _read(req: ReadRequest) -> Imported:
    issues: list[DataIssue] = []
    encoding = None
    if file_kind(req.path) == "table":
        df, encoding, _ = read_table(
            req.path, label=req.label, encoding=req.spec.encoding, separator=req.spec.separator
        )
        crs = parse_crs(req.spec.crs or "EPSG:4326", f"layer {req.label}: crs")
        wkt = req.spec.wkt_field or next(
            (c for c in ("geom", "geometry", "geompoint", "wkt") if c in df.columns), None
        )
        gdf, bad = points_from_columns(
            df,
            label=req.label,
            path=req.path,
            x_field=req.spec.x_field,
            y_field=req.spec.y_field,
            wkt_field=None if req.spec.x_field else wkt,
            crs=crs,
        )
        rows = len(df)
        issues.extend(bad_rows_issue(req, gdf, bad))
        gdf = with_geometry(gdf)
    else:
        gdf, crs = read_vector(
            req.path,
            label=req.label,
            sublayer=req.spec.layer,
            crs_override=req.spec.crs,
            window=req.window,
            encoding=req.spec.encoding,
        )
        rows = len(gdf)
    ids = gdf["site_id"].astype("string").str.strip()
    nan = pd.Series(np.nan, index=gdf.index)
    uf_raw = gdf.get("unite_fonciere_surface", nan)
    site_raw = gdf.get("site_surface", nan)
    with np.errstate(over="ignore", invalid="ignore"):
        uf, site = to_number(uf_raw), to_number(site_raw)
    uf_why, site_why = area_problems(uf_raw, uf), area_problems(site_raw, site)
    # A wrong area is not used: the land unit's falls back on the site's, as a blank one
    # does, and a site with neither stays a point (never a disc of an absurd size).
    uf = uf.where(uf_why == "")
    site = site.where(site_why == "")
    issues.extend(_area_issues(req, ids, uf_raw, uf_why, site_raw, site_why, uf, site))
    area = uf.fillna(site)
    source = np.where(
        uf.notna(), "unite_fonciere_surface", np.where(site.notna(), "site_surface", "")
    )
    parcels = parse_parcel_ids(gdf["l_idpar"]) if "l_idpar" in gdf else [[] for _ in ids]
    out = gpd.GeoDataFrame(
        {
            "site_id": ids,
            "cartofriches_id": ids,
            **{new: gdf[old].astype("string") for old, new in KEPT.items() if old in gdf},
            "stated_area_m2": area.to_numpy(dtype=float),
            "area_source": source,
            "site_area_m2": site.to_numpy(dtype=float),
            # Why a stated area was not used ("" when none was wrong): outlines names it.
            "area_problem": [
                "; ".join(w for w in pair if w)
                for pair in zip(
                    ("unite_fonciere_surface " + uf_why).where(uf_why != "", ""),
                    ("site_surface " + site_why).where(site_why != "", ""),
                    strict=True,
                )
            ],
            "parcel_ids": [",".join(p) for p in parcels],
            # The columns of the CNIG Friches standard as the inventory gives them (dates,
            # producer, activities…): a CNIG Friches export writes them back unchanged.
            **{c: gdf[c] for c in CNIG_FIELDS[1:] if c in gdf.columns and c not in KEPT},
            **{c: gdf[c].astype("string") for c in KEPT if c in gdf.columns},
        },
        geometry=gdf.geometry,
        crs=crs,
    )
    no_area = (area.isna() & (uf_why == "") & (site_why == "")).to_numpy()
    if no_area.any():
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "no_area",
                    "{n} sites have no area (unite_fonciere_surface and site_surface empty or "
                    "NaN): {sites}",
                    n=int(no_area.sum()),
                    sites=", ".join(ids[no_area].astype(str)[:8])
                    + ("…" if no_area.sum() > 8 else ""),
                ),
                source=str(req.path),
                action="outline from parcels if found, else kept as a point (land not measurable)",
                count=int(no_area.sum()),
            )
        )
    return Imported(data=out, crs=crs, rows_read=rows, issues=issues, encoding=encoding)


PER_SITE_AREA_ISSUES = 20


def _area_issues(
    req: ReadRequest,
    ids: pd.Series,
    uf_raw: pd.Series,
    uf_why: pd.Series,
    site_raw: pd.Series,
    site_why: pd.Series,
    uf: pd.Series,
    site: pd.Series,
) -> list[DataIssue]:
    """One warning per site whose stated area cannot be used, with the value and the outcome.

    Past :data:`PER_SITE_AREA_ISSUES` such sites the file itself is at fault (a column of
    zeros, say): one warning then counts them and names the first.
    """
    rows = np.flatnonzero(((uf_why != "") | (site_why != "")).to_numpy())
    if len(rows) > PER_SITE_AREA_ISSUES:
        reasons = pd.concat([uf_why.iloc[rows], site_why.iloc[rows]])
        top = reasons[reasons != ""].value_counts().head(3)
        return [
            DataIssue.of(
                req.label,
                Reason.of(
                    "areas_not_believable",
                    "{n} of {total} sites have a stated area that is not believable ({why}): "
                    "{sites}",
                    n=len(rows),
                    total=len(ids),
                    why=", ".join(f"{k} ×{v}" for k, v in top.items()),
                    sites=name_rows([str(v) for v in ids.iloc[rows]]),
                ),
                source=str(req.path),
                action="site_surface used where it is believable, else area unknown (a point)",
                count=len(rows),
            )
        ]
    out: list[DataIssue] = []
    for i in rows:
        wrong = [
            f"{name} = {_shown(raw.iloc[i])} m² ({why.iloc[i]})"
            for name, raw, why in (
                ("unite_fonciere_surface", uf_raw, uf_why),
                ("site_surface", site_raw, site_why),
            )
            if why.iloc[i]
        ]
        outcome: Reason | str
        if pd.notna(uf.iloc[i]):
            outcome = "the stated unite_fonciere_surface used"
        elif pd.notna(site.iloc[i]):
            outcome = Reason.of(
                "site_surface_used",
                "site_surface ({area}) used instead",
                area=f"{site.iloc[i]:,.0f} m²",
            )
        else:
            outcome = "area unknown: kept as a point unless its parcels give an outline"
        out.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "stated_area_not_believable",
                    "stated area not believable: {fields}",
                    fields="; ".join(wrong),
                ),
                source=str(req.path),
                site=str(ids.iloc[i]),
                action=outcome,
                count=1,
            )
        )
    return out


def _shown(value: object) -> str:
    """A stated area as read: numbers in short form (1e+13), text quoted as written."""
    if isinstance(value, int | float | np.number):
        return f"{float(value):g}"
    return repr(str(value))


register(
    Importer(
        name="cartofriches",
        kinds=("vector", "table"),
        description="Cerema Cartofriches brownfield inventory (points, areas, parcel ids)",
        read=_read,
        matches=_matches,
        publisher="Cerema, Cartofriches",
        licence="Licence Ouverte 2.0",
    ),
    before="csv",
)
