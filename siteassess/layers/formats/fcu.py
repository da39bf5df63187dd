"""``fcu``: France Chaleur Urbaine's open data on heat networks (Licence Ouverte 2.0).

The archive ``opendata-fcu.zip`` of the data.gouv.fr dataset « Tracés des réseaux de
chaleur et de froid » (made by FCU's ``create-opendata-archive.sh``), in EPSG:2154:

- ``reseaux_de_chaleur.geojson`` / ``.shp``: network traces (MultiLineString);
- ``reseaux_de_chaleur_sans_traces.geojson`` / ``.shp``: networks whose trace FCU does not
  have, one point each, placed at the centroid of the network's commune (the annual survey
  of the SNCU says the network exists, not where its pipes run);
- ``pdp.geojson`` / ``.shp``: the priority development perimeters (« périmètres de
  développement prioritaire ») of classified networks (MultiPolygon);
- the same for cold networks (``reseaux_de_froid*``), which take no waste heat.

Fields (GeoJSON name, then the Shapefile's 10-character name from FCU's
``nomenclature_shapefile_des_reseaux_de_chaleur_et_froid.xlsx``): ``Identifiant reseau``
(``Identifian``; the national survey id, ``7501C`` for a heat network, ``…F`` for a cold
one), ``nom_reseau``, ``Gestionnaire`` (``Gestionnai``), ``communes`` (comma-separated),
``livraisons_totale_MWh`` (``livraisons``; annual heat delivered), ``puissance_totale_MW``
(``puissance_``), ``Taux EnR&R`` (%), ``reseaux classes`` (``reseaux cl``). The Shapefiles
are UTF-8 and carry every number as text (so that a blank stays blank); the GeoJSON carries
numbers. The importer gives the standard columns of the ``heat_network`` and ``heat_pdp``
roles (``network_id``, ``name``, ``operator``, ``delivered_mwh``, ``capacity_mw``,
``renewable_pct``, ``communes``) and keeps FCU's own fields beside them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from siteassess.errors import DataIssue, LayerContentError, Listing, Name, Reason
from siteassess.layers.importers import (
    Imported,
    Importer,
    ReadRequest,
    read_request_vector,
    register,
)
from siteassess.layers.roles import numbers

# Standard column -> FCU's field names (GeoJSON first, then the Shapefile's).
FIELDS: dict[str, tuple[str, ...]] = {
    "network_id": ("Identifiant reseau", "Identifian"),
    "name": ("nom_reseau",),
    "operator": ("Gestionnaire", "Gestionnai"),
    "communes": ("communes",),
    "delivered_mwh": ("livraisons_totale_MWh", "livraisons"),
    "capacity_mw": ("puissance_totale_MW", "puissance_", "puissance"),
    "renewable_pct": ("Taux EnR&R",),
}
NUMBERS = ("delivered_mwh", "capacity_mw", "renewable_pct")
TEXTS = ("network_id", "name", "operator", "communes")


def _field(cols: Sequence[str], names: Sequence[str]) -> str | None:
    present = {str(c) for c in cols}
    return next((n for n in names if n in present), None)


def _matches(cols: Sequence[str]) -> bool:
    """FCU's network files (an id and a name) or its PDP file (an id and the communes)."""
    has_id = _field(cols, FIELDS["network_id"]) is not None
    return has_id and (
        _field(cols, FIELDS["name"]) is not None or _field(cols, FIELDS["communes"]) is not None
    )


def _read_fcu(req: ReadRequest) -> Imported:
    gdf, crs = read_request_vector(req)
    cols = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    id_col = _field(cols, FIELDS["network_id"])
    if id_col is None:
        raise _not_fcu(req, cols)
    out = gdf.copy()
    for key, names in FIELDS.items():
        col = _field(cols, names)
        if col is None:
            continue
        if key in NUMBERS:
            out[key] = numbers(gdf[col])
        else:
            text = gdf[col].astype("string").str.strip()
            out[key] = text.where(text != "")
    issues: list[DataIssue] = []
    ids = out["network_id"].astype("string").str.upper()
    cold = ids.str.endswith("F").fillna(False).to_numpy(dtype=bool)
    if cold.any():
        shown = sorted({str(v) for v in out.loc[cold, "network_id"].dropna()})[:6]
        issues.append(
            DataIssue.of(
                req.label,
                Reason.of(
                    "fcu_cold_networks",
                    "{n} features are cold networks (their id ends in F: {ids}); a cold "
                    "network takes no waste heat",
                    n=int(cold.sum()),
                    ids=Listing(tuple(Name(s) for s in shown)),
                ),
                source=str(req.path),
                action=Reason("skipped", "skipped"),
                count=int(cold.sum()),
            )
        )
        out = out.loc[~cold]
    if "delivered_mwh" in out.columns and "name" in out.columns:
        # Networks give their deliveries; a PDP file (no name) has none to give.
        blank = np.isnan(out["delivered_mwh"].to_numpy(dtype=float))
        if blank.any():
            issues.append(
                DataIssue.of(
                    req.label,
                    Reason.of(
                        "fcu_no_deliveries",
                        "{n} of {total} networks give no annual heat delivered ({field})",
                        n=int(blank.sum()),
                        total=len(out),
                        field=Name(_field(cols, FIELDS["delivered_mwh"]) or ""),
                    ),
                    source=str(req.path),
                    action=Reason("delivered_unknown", "their heat delivered is not measured"),
                    severity="info",
                    count=int(blank.sum()),
                )
            )
    return Imported(
        data=out, crs=crs, rows_read=len(gdf), issues=issues, encoding=req.spec.encoding
    )


def _not_fcu(req: ReadRequest, cols: list[str]) -> LayerContentError:
    """The error for a file named ``format = "fcu"`` that is not one of FCU's."""
    return LayerContentError(
        f"layer {req.label}: {req.path} is not a France Chaleur Urbaine file: no column "
        f"'Identifiant reseau' (Shapefile: 'Identifian'). Columns: {', '.join(cols)}"
    )


FCU = Importer(
    name="fcu",
    kinds=("vector",),
    description="France Chaleur Urbaine heat networks (traces, points) and priority "
    "development perimeters, GeoJSON or Shapefile",
    read=_read_fcu,
    matches=_matches,
    publisher="France Chaleur Urbaine, data.gouv.fr « Tracés des réseaux de chaleur et de froid »",
    licence="Licence Ouverte 2.0",
)
register(FCU, before="vector")
