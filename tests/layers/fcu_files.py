"""Small files in France Chaleur Urbaine's open-data schema, written where a test says.

Specification followed: FCU's archive ``opendata-fcu.zip`` on data.gouv.fr (« Tracés des
réseaux de chaleur et de froid », Licence Ouverte 2.0), as its script
``src/modules/opendata/server/create-opendata-archive.sh`` (github.com/betagouv/
france-chaleur-urbaine) makes it: GeoJSON FeatureCollections with a named CRS
``EPSG:2154`` and the properties of the SQL views in their order and types (numbers as
numbers, ``reseaux classes`` a boolean, ``communes`` joined by commas); Shapefiles in UTF-8
with FCU's 10-character field names (its ``nomenclature_shapefile_des_reseaux_de_chaleur_
et_froid.xlsx``) and every number as text. Traces are MultiLineStrings, networks without a
trace Points (``*_sans_traces``), priority development perimeters MultiPolygons
(``pdp``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

# The properties of FCU's ``opendata.reseaux_de_chaleur`` view, in order (GeoJSON names).
NETWORK_FIELDS = (
    "Identifiant reseau",
    "nom_reseau",
    "communes",
    "departement",
    "region",
    "MO",
    "Gestionnaire",
    "reseaux classes",
    "annee_creation",
    "longueur_reseau",
    "nb_pdl",
    "Taux EnR&R",
    "contenu CO2",
    "contenu CO2 ACV",
    "PM",
    "PV%",
    "PF%",
    "PM_L",
    "PM_T",
    "Rend%",
    "Dev_reseau%",
    "production_totale_MWh",
    "puissance_totale_MW",
    "livraisons_totale_MWh",
    "livraisons_residentiel_MWh",
    "livraisons_tertiaire_MWh",
    "livraisons_industrie_MWh",
    "livraisons_agriculture_MWh",
    "livraisons_autre_MWh",
    "eau_chaude",
    "eau_surchauffee",
    "vapeur",
)
# Their Shapefile names, from FCU's nomenclature (the fields this module writes).
SHAPEFILE_NAMES = {
    "Identifiant reseau": "Identifian",
    "nom_reseau": "nom_reseau",
    "communes": "communes",
    "departement": "departemen",
    "region": "region",
    "MO": "MO",
    "Gestionnaire": "Gestionnai",
    "reseaux classes": "reseaux cl",
    "annee_creation": "annee_crea",
    "longueur_reseau": "longueur_r",
    "nb_pdl": "nb_pdl",
    "Taux EnR&R": "Taux EnR&R",
    "contenu CO2": "contenu CO",
    "contenu CO2 ACV": "contenu _1",
    "puissance_totale_MW": "puissance_",
    "livraisons_totale_MWh": "livraisons",
    "livraisons_residentiel_MWh": "livraiso_1",
}
PDP_FIELDS = ("Identifiant reseau", "communes", "departement", "region")


def network(
    geometry: BaseGeometry,
    ident: str | None,
    name: str | None,
    operator: str | None = None,
    delivered_mwh: float | None = None,
    **more: Any,
) -> tuple[BaseGeometry, dict[str, Any]]:
    """One network feature: its geometry and all the view's properties (null when not given)."""
    props: dict[str, Any] = dict.fromkeys(NETWORK_FIELDS)
    props.update(
        {
            "Identifiant reseau": ident,
            "nom_reseau": name,
            "Gestionnaire": operator,
            "livraisons_totale_MWh": None if delivered_mwh is None else round(delivered_mwh),
            "departement": "Nord",
            "region": "Hauts-de-France",
            "reseaux classes": False,
        }
    )
    props.update(more)
    return geometry, props


def perimeter(
    geometry: BaseGeometry, ident: str | None, communes: str = "Lille"
) -> tuple[BaseGeometry, dict[str, Any]]:
    """One priority development perimeter, with the properties of FCU's PDP view."""
    props = {
        "Identifiant reseau": ident,
        "communes": communes,
        "departement": "Nord",
        "region": "Hauts-de-France",
    }
    return geometry, props


def _multi(geom: BaseGeometry) -> BaseGeometry:
    """FCU's traces are MultiLineStrings and its perimeters MultiPolygons."""
    if geom.geom_type == "LineString":
        return shapely.MultiLineString([geom])
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    return geom


def write_geojson(path: Path, features: list[tuple[BaseGeometry, dict[str, Any]]]) -> Path:
    """A FeatureCollection as FCU's ``dumpGeoJSON`` writes it (named CRS EPSG:2154)."""
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:2154"}},
        "features": [
            {
                "type": "Feature",
                "geometry": json.loads(shapely.to_geojson(_multi(g))),
                "properties": props,
            }
            for g, props in features
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def write_shapefile(path: Path, features: list[tuple[BaseGeometry, dict[str, Any]]]) -> Path:
    """The same features as FCU's ogr2ogr Shapefile: 10-character names, numbers as text,
    UTF-8 (a ``.cpg`` beside it)."""
    rows = []
    for _, props in features:
        row: dict[str, Any] = {}
        for full, short in SHAPEFILE_NAMES.items():
            value = props.get(full)
            if isinstance(value, bool) or value is None or isinstance(value, str):
                row[short] = value
            else:
                row[short] = str(value)  # FCU's *_shp views cast every number to text
        rows.append(row)
    gdf = gpd.GeoDataFrame(rows, geometry=[_multi(g) for g, _ in features], crs="EPSG:2154")
    gdf.to_file(path, driver="ESRI Shapefile", encoding="UTF-8")
    return path
