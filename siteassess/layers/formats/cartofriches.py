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

from siteassess.errors import DataIssue
from siteassess.layers.crs import parse_crs
from siteassess.layers.importers import Imported, Importer, ReadRequest, file_kind, register
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
        gdf, _ = points_from_columns(
            df,
            label=req.label,
            path=req.path,
            x_field=req.spec.x_field,
            y_field=req.spec.y_field,
            wkt_field=None if req.spec.x_field else wkt,
            crs=crs,
        )
        rows = len(df)
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
    uf = to_number(gdf["unite_fonciere_surface"]) if "unite_fonciere_surface" in gdf else None
    site = to_number(gdf["site_surface"]) if "site_surface" in gdf else None
    nan = pd.Series(np.nan, index=gdf.index)
    uf = uf if uf is not None else nan
    site = site if site is not None else nan
    uf = uf.where(uf > 0)
    site = site.where(site > 0)
    area = uf.fillna(site)
    source = np.where(
        uf.notna(), "unite_fonciere_surface", np.where(site.notna(), "site_surface", "")
    )
    ids = gdf["site_id"].astype("string").str.strip()
    parcels = parse_parcel_ids(gdf["l_idpar"]) if "l_idpar" in gdf else [[] for _ in ids]
    out = gpd.GeoDataFrame(
        {
            "site_id": ids,
            "cartofriches_id": ids,
            **{new: gdf[old].astype("string") for old, new in KEPT.items() if old in gdf},
            "stated_area_m2": area.to_numpy(dtype=float),
            "area_source": source,
            "site_area_m2": site.to_numpy(dtype=float),
            "parcel_ids": [",".join(p) for p in parcels],
        },
        geometry=gdf.geometry,
        crs=crs,
    )
    no_area = area.isna().to_numpy()
    if no_area.any():
        issues.append(
            DataIssue(
                layer=req.label,
                source=str(req.path),
                message=f"{int(no_area.sum())} sites have no area (unite_fonciere_surface and "
                f"site_surface empty): {', '.join(ids[no_area].astype(str)[:8])}"
                + ("…" if no_area.sum() > 8 else ""),
                action="outline from parcels if found, else kept as a point (land not measurable)",
                count=int(no_area.sum()),
            )
        )
    return Imported(data=out, crs=crs, rows_read=rows, issues=issues, encoding=encoding)


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
