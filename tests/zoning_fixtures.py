"""Small PLU zone files in the real schema, and a project around them (issue 12 §5, §6).

Schema: CNIG « Standard de dématérialisation des documents d'urbanisme », PLU/PLUi v2017,
class ``zone_urba`` as the Géoportail de l'Urbanisme exports it as a Shapefile: fields
``IDURBA`` (``{SIREN}_PLUi_{AAAAMMJJ}``), ``LIBELLE``, ``LIBELONG``, ``TYPEZONE`` (U, AUc,
AUs, A, N), ``DESTDOMI`` (two-digit code), ``NOMFIC``, ``URLFIC``, ``INSEE``, ``DATAPPRO``
and ``DATVALID`` (``AAAAMMJJ``), in Lambert-93, UTF-8 with a ``.cpg`` file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
import tomli_w

X0, Y0 = 700_000.0, 7_000_000.0
IDURBA = "245900410_PLUi_20191219"

# A 100 m site square from (X0, Y0), and a second one far away in a U zone only.
SITE = shapely.box(X0, Y0, X0 + 100, Y0 + 100)
FAR = shapely.box(X0 + 5_000, Y0, X0 + 5_100, Y0 + 100)
# Zones: (LIBELLE, LIBELONG, TYPEZONE, DESTDOMI, geometry). The N zone is a triangle and the
# AUs zone a rotated square, so that the shares are not simple strips.
ZONES: list[tuple[str, str, str, str, shapely.Geometry]] = [
    (
        "UE",
        "Zone urbaine d'activités économiques",
        "U",
        "02",
        shapely.box(X0 - 50, Y0 - 50, X0 + 40, Y0 + 150),
    ),
    (
        "1AUe",
        "Zone à urbaniser à vocation économique",
        "AUc",
        "02",
        shapely.box(X0 + 40, Y0 - 50, X0 + 70, Y0 + 150),
    ),
    (
        "2AU",
        "Zone à urbaniser bloquée",
        "AUs",
        "00",
        shapely.affinity.rotate(shapely.box(X0 + 70, Y0 + 60, X0 + 100, Y0 + 90), 20),
    ),
    (
        "N",
        "Zone naturelle et forestière",
        "N",
        "08",
        shapely.Polygon([(X0 + 70, Y0), (X0 + 130, Y0), (X0 + 130, Y0 + 50)]),
    ),
    ("A", "Zone agricole", "A", "07", shapely.box(X0 + 200, Y0, X0 + 300, Y0 + 100)),
    ("UX", "Zone d'activités", "U", "02", shapely.box(X0 + 4_900, Y0 - 100, X0 + 5_200, Y0 + 200)),
]


def zone_urba(
    rows: Sequence[tuple[str, str, str, str, shapely.Geometry]] = ZONES,
) -> gpd.GeoDataFrame:
    """A ``zone_urba`` table in the field names and codes of the CNIG PLU standard v2017."""
    return gpd.GeoDataFrame(
        {
            "IDURBA": [IDURBA] * len(rows),
            "LIBELLE": [r[0] for r in rows],
            "LIBELONG": [r[1] for r in rows],
            "TYPEZONE": [r[2] for r in rows],
            "DESTDOMI": [r[3] for r in rows],
            "NOMFIC": [f"{IDURBA}_reglement_{r[0]}.pdf" for r in rows],
            "URLFIC": [""] * len(rows),
            "INSEE": ["59350"] * len(rows),
            "DATAPPRO": ["20191219"] * len(rows),
            "DATVALID": ["20200115"] * len(rows),
        },
        geometry=[r[4] for r in rows],
        crs="EPSG:2154",
    )


def sites(**cols: list[Any]) -> gpd.GeoDataFrame:
    """The two sites, ``s0`` across several zones and ``s1`` in a U zone."""
    return gpd.GeoDataFrame(
        {"site_id": ["s0", "s1"], "name": ["Friche des Tanneries", "Friche du Port"], **cols},
        geometry=[SITE, FAR],
        crs="EPSG:2154",
    )


def write_zoning_project(
    folder: Path,
    *,
    zones: gpd.GeoDataFrame | None = None,
    site_layer: dict[str, Any] | None = None,
    site_data: gpd.GeoDataFrame | None = None,
    zoning: dict[str, Any] | None = None,
    criteria: dict[str, Any] | None = None,
) -> Path:
    """A project of the two sites and, unless ``zones`` is None, their PLU zones."""
    folder.mkdir(parents=True, exist_ok=True)
    (site_data if site_data is not None else sites()).to_file(folder / "sites.gpkg")
    layers: list[dict[str, Any]] = [{"role": "sites", "path": "sites.gpkg", **(site_layer or {})}]
    if zones is not None:
        zones.to_file(folder / "zone_urba.shp", encoding="UTF-8")
        layers.append({"role": "zoning", "path": "zone_urba.shp", **(zoning or {})})
    doc = {
        "schema": 1,
        "name": "Zonage",
        "demand_mw": 100,
        "layers": layers,
        "criteria": criteria
        or {"zoning": {"weight": 1}, "land": {"weight": 1, "min_area_ha": 0.5}},
    }
    path = folder / "project.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path
