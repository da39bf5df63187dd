"""Build the files of the Hauts-de-France sample project from transcribed public facts.

Run from the repository root::

    python sample_sites/hauts-de-france/build_sample.py

It writes, next to this script, ``sites.geojson``, ``postes_rte_extrait.csv``,
``exchanges.csv``, ``flood_illustrative.geojson``, ``fibre_illustrative.geojson``,
``communes_admin_express.geojson`` and ``project.toml``, then reads them back, prints the
flood shares, the fibre distances and the commune of each site point, and exits with status 1
if a check fails. Running it twice gives byte-identical files.

Sources of the transcribed tables (as collected in the project's shared FACTS.md):

- sites: Cerema, Cartofriches, export of March 2023, Licence Ouverte 2.0;
- substations: RTE, ODRÉ dataset ``postes-electriques-rte``, 2024, Licence Ouverte 2.0;
- internet exchanges: public facility listings of each exchange, 2024;
- communes: IGN, Admin Express 2018 (via a public simplified copy), Licence Ouverte, read
  from the shared files ``../shared/data/communes-59-nord.geojson`` and
  ``communes-62-pas-de-calais.geojson`` (checked against their SHA-256) and clipped to the
  communes near the sites. Without the shared files the clip already written is kept.

The site outlines are APPROXIMATE (squares of the stated area around the Cartofriches point).
The flood zones and the fibre network are ILLUSTRATIVE: invented for this demonstration, they
are not real data and must never be used for a decision.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

HERE = Path(__file__).resolve().parent
WORK_CRS = "EPSG:2154"  # Lambert-93: the outlines and buffers are built and measured in metres
DECIMALS = 7  # lon/lat decimals written (about 1 cm)
SQUARE_POINTS_PER_SIDE = 10
FLOOD_MAX_SEGMENT_M = 200.0  # densify buffers before projecting so long edges stay true

TO_L93 = Transformer.from_crs("EPSG:4326", WORK_CRS, always_xy=True)
TO_WGS84 = Transformer.from_crs(WORK_CRS, "EPSG:4326", always_xy=True)

OUTLINE_NOTE = (
    "Approximate outline: square drawn to the stated area around the Cartofriches point, "
    "not a surveyed boundary"
)
FLOOD_LABEL = "ILLUSTRATIVE — not a real flood map"
FIBRE_LABEL = "ILLUSTRATIVE — not a real fibre route"

# Commune outlines (IGN Admin Express 2018, Licence Ouverte), clipped from the shared files.
SHARED_DATA = HERE.parents[2] / "shared" / "data"
COMMUNE_SOURCES = {  # file -> SHA-256 (as in ../shared/data/SHA256SUMS)
    "communes-59-nord.geojson": "40d3104bf4b5a9ecdebaad01c85da46e72849a864b46a498af0ec23c5b6f5946",
    "communes-62-pas-de-calais.geojson": (
        "d25243420aea3ed2613cb14928e83c3201b5395dc8e6f9c3905b76de94c21fa2"
    ),
}
COMMUNES_FILE = "communes_admin_express.geojson"
COMMUNES_REACH_M = 10_000.0  # communes touching this distance around a site outline
COMMUNES_TOLERANCE_M = 30.0  # coverage simplification: shared borders stay shared
COMMUNES_DECIMALS = 5  # lon/lat decimals written (about 1 m)
COMMUNES_MAX_BYTES = 400_000
COMMUNE_POINT_TOLERANCE_M = 1_000.0  # a site point may lie this far outside its commune


# --------------------------------------------------------------------------------------------
# Transcribed facts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """One Cartofriches site: its point (WGS84) and stated area."""

    site_id: str
    name: str
    commune: str
    insee: str
    lat: float
    lon: float
    area_ha: float  # the land unit ("unité foncière") where given, else the site surface
    cartofriches_id: str
    status: str


# Cerema, Cartofriches (March 2023), Licence Ouverte 2.0, as transcribed in FACTS.md.
SITES: tuple[Site, ...] = (
    Site(
        "escaudain-soufflantes",
        "Les Soufflantes (ex-Usinor)",
        "Escaudain",
        "59205",
        50.3209493,
        3.3533556,
        38.8,
        "59205_12242",
        "friche avec projet",
    ),
    Site(
        "douchy-total-solar",
        "Total solar",
        "Douchy-les-Mines",
        "59179",
        50.3079,
        3.4196,
        92.1,
        "59179_13929",
        "friche sans projet",
    ),
    Site(
        "douai-euradouai",
        "ZAC Euradouai (la Clochette)",
        "Douai",
        "59178",
        50.37234,
        3.09447,
        37.6,
        "59178_28811",
        "friche sans projet",
    ),
    Site(
        "courcelles-metaleurop",
        "Usine Metaleurop",
        "Courcelles-lès-Lens",
        "62249",
        50.42854,
        3.01342,
        45.5,
        "62249_4247",
        "friche potentielle",
    ),
    Site(
        "douvrin-fm-ouest",
        "Française de Mécanique, bande ouest",
        "Douvrin",
        "62276",
        50.52539,
        2.83851,
        47.2,
        "62276_11728",
        "friche avec projet",
    ),
    Site(
        "loon-plage-edf",
        "EDF renouvelables",
        "Loon-Plage",
        "59359",
        51.00163,
        2.21018,
        164.4,
        "59359_13985",
        "friche sans projet",
    ),
    Site(
        "haubourdin-amidonnerie",
        "Amidonnerie du Maïs",
        "Haubourdin",
        "59286",
        50.59264,
        2.97431,
        68.3,
        "59286_1417",
        "friche potentielle",
    ),
)

# RTE, ODRÉ ``postes-electriques-rte`` (2024), Licence Ouverte 2.0, as transcribed in FACTS.md:
# every poste of 225 kV or more within 15 km of a site and the nearest poste of any voltage.
# (code, name, kV, state, lat, lon); coordinates kept as the published decimal strings.
POSTES: tuple[tuple[str, str, int, str, str, str], ...] = (
    ("AVELI", "AVELIN", 400, "EN EXPLOITATION", "50.525327", "3.082217"),
    ("BOUCH", "BOUCHAIN", 400, "EN EXPLOITATION", "50.296261", "3.315286"),
    ("BOURB", "BOURBOURG", 400, "ACCORD ADMINISTRATIF", "50.947492", "2.162112"),
    ("COUSL", "COUSLIET", 400, "ACCORD ADMINISTRATIF", "50.961665", "2.190139"),
    ("GAVRE", "GAVRELLE", 400, "EN EXPLOITATION", "50.336635", "2.885996"),
    ("GRAV5", "GRAVELINES (CENTRALE)", 400, "EN EXPLOITATION", "51.013609", "2.136068"),
    ("MASTA", "MASTAING", 400, "EN EXPLOITATION", "50.297290", "3.291499"),
    ("WARAN", "WARANDE", 400, "EN EXPLOITATION", "50.949182", "2.160784"),
    ("WEPPE", "WEPPES", 400, "EN EXPLOITATION", "50.644426", "2.896666"),
    ("A.LI6", "AIR-LIQUIDE (A GRANDE SYNTHE)", 225, "EN EXPLOITATION", "51.017774", "2.273386"),
    ("ANSER", "ANSEREUILLES (LES)", 225, "EN EXPLOITATION", "50.553817", "2.938206"),
    ("ARMEN", "ARMENTIERES", 225, "EN EXPLOITATION", "50.680611", "2.898544"),
    ("ASTUR", "ASTURIES", 225, "EN EXPLOITATION", "50.411227", "3.071264"),
    ("BERCL", "BERCLAU", 225, "EN EXPLOITATION", "50.520848", "2.858567"),
    ("ZBEU5", "BEUVR / MAZIN VENDI 1", 225, "EN EXPLOITATION", "50.496776", "2.771142"),
    ("BEUVR", "BEUVRY (LABOURSE)", 225, "EN EXPLOITATION", "50.505688", "2.681339"),
    ("BRAEK", "BRAEK", 225, "EN EXPLOITATION", "51.037338", "2.294433"),
    ("BRODE", "BRODE", 225, "EN EXPLOITATION", "51.013455", "2.164884"),
    ("CLOCH", "CLOCHETTE (LA)", 225, "EN EXPLOITATION", "50.372932", "3.096440"),
    ("CZRIE", "COURRIERES", 225, "EN EXPLOITATION", "50.450108", "2.930476"),
    ("CRAYW", "CRAYWICK", 225, "ACCORD ADMINISTRATIF", "50.962820", "2.195231"),
    ("DECHY", "DECHY", 225, "EN EXPLOITATION", "50.361285", "3.138422"),
    ("DENNA", "DENNA", 225, "EN EXPLOITATION", "51.011393", "2.154154"),
    ("DOUVR", "DOUVRIN", 225, "EN EXPLOITATION", "50.508930", "2.846557"),
    ("DUVIG", "DUVIGNEAU", 225, "EN EXPLOITATION", "51.016026", "2.156555"),
    ("EPINE", "EPINETTE", 225, "EN EXPLOITATION", "50.543248", "3.045010"),
    ("ESTR6", "ESTREUX", 225, "EN EXPLOITATION", "50.359214", "3.609584"),
    ("ETINC", "ETINCHELLE", 225, "EN EXPLOITATION", "50.325994", "2.904727"),
    ("FAMAR", "FAMARS", 225, "EN EXPLOITATION", "50.311843", "3.505479"),
    ("FLAME", "FLAMENGRIE", 225, "EN EXPLOITATION", "50.645487", "2.896091"),
    ("FOUTE", "FOUTEIN", 225, "EN EXPLOITATION", "50.990139", "2.295302"),
    ("G.COL", "GRAND-COLOMBIER", 225, "EN EXPLOITATION", "51.000551", "2.160774"),
    ("G.POR", "GRAND-PORT", 225, "EN EXPLOITATION", "50.961510", "2.197600"),
    ("G.SYN", "GRANDE-SYNTHE", 225, "EN EXPLOITATION", "51.012328", "2.279558"),
    ("G.CAI", "GROS-CAILLOU", 225, "EN EXPLOITATION", "50.316954", "3.339035"),
    ("HANNA", "HANNART", 225, "EN EXPLOITATION", "50.672097", "3.135041"),
    ("H.VIN", "HAUT-VINAGE", 225, "EN EXPLOITATION", "50.660016", "3.118715"),
    ("ZHEL5", "HELLE / AVELI H.VIN 1", 225, "EN EXPLOITATION", "50.595553", "3.143019"),
    ("HELLE", "HELLEMMES", 225, "EN EXPLOITATION", "50.626768", "3.117047"),
    ("LAMBR", "LAMBRES-LES-DOUAI", 225, "ACCORD ADMINISTRATIF", "50.356559", "3.022074"),
    ("LESTA", "LESTARQUIT", 225, "EN EXPLOITATION", "50.525025", "2.840395"),
    ("L.DEL", "LILLE-DELIVRANCE", 225, "EN EXPLOITATION", "50.627525", "2.991505"),
    ("MAZIN", "MAZINGARBE", 225, "EN EXPLOITATION", "50.474302", "2.724031"),
    ("MTCRO", "MONTCROISETTE", 225, "EN EXPLOITATION", "50.450435", "2.801973"),
    ("M.LIL", "MOULINS-LILLE", 225, "EN EXPLOITATION", "50.620803", "3.065546"),
    ("PRRTT", "PIERRETTE (LA)", 225, "EN EXPLOITATION", "50.623292", "2.992483"),
    ("ZBERC", "PIQUAGE A BERCLAU", 225, "EN EXPLOITATION", "50.520181", "2.859402"),
    ("ZDUV5", "PIQUAGE A DUVIGNEAU", 225, "EN EXPLOITATION", "51.013349", "2.158011"),
    ("ZPLAC", "PIQUAGE A PLACHY (LE)", 225, "EN EXPLOITATION", "50.517559", "2.842183"),
    ("ZLAMB", "PIQUAGE LAMBRES-LEZ-DOUAI", 225, "ACCORD ADMINISTRATIF", "50.314558", "3.018335"),
    ("PLACH", "PLACHY (LE)", 225, "EN EXPLOITATION", "50.518773", "2.842264"),
    ("PREDE", "PREDEMBOURG", 225, "EN EXPLOITATION", "51.038545", "2.295401"),
    ("ZQUAR", "QUARE / THIER VALEN 2", 225, "EN EXPLOITATION", "50.395056", "3.567936"),
    ("QUARE", "QUAREZ", 225, "EN EXPLOITATION", "50.398276", "3.562475"),
    ("Q.ECL", "QUATRE-ECLUSES", 225, "EN EXPLOITATION", "51.028988", "2.382934"),
    ("ROZEB", "ROZEBOOM", 225, "EN EXPLOITATION", "51.035680", "2.278456"),
    ("SEQUE", "SEQUEDIN", 225, "EN EXPLOITATION", "50.625483", "3.004428"),
    ("SSROC", "ST-ROCH", 225, "EN EXPLOITATION", "50.671405", "3.069382"),
    ("T.NOI", "TERRES-NOIRES (S.N.C.F.)", 225, "EN EXPLOITATION", "50.359453", "3.135538"),
    ("THIER", "THIERS (BRUAY-SUR-L'ESCAUT)", 225, "EN EXPLOITATION", "50.405164", "3.563983"),
    ("ZTRIT", "TRIT5 / G.CAI TRITH 1", 225, "EN EXPLOITATION", "50.338403", "3.492815"),
    ("TRITH", "TRITH-ST-LEGER (L.M.E.)", 225, "EN EXPLOITATION", "50.338583", "3.493787"),
    ("TRIT5", "TRITH-ST-LEGER (PORT-ARTHUR LME)", 225, "EN EXPLOITATION", "50.338265", "3.493294"),
    ("VALEN", "VALENCIENNES", 225, "EN EXPLOITATION", "50.375674", "3.538607"),
    ("VENDI", "VENDIN", 225, "EN EXPLOITATION", "50.468334", "2.864524"),
    ("VERTE", "VERTEFEUILLE", 225, "EN EXPLOITATION", "50.676239", "3.037293"),
    ("WESTH", "WESTHOUCK (COPENOR G.I.E.)", 225, "EN EXPLOITATION", "51.031551", "2.247977"),
    ("HAUBO", "HAUBOURDIN", 90, "EN EXPLOITATION", "50.605501", "2.982888"),
    ("HENIN", "HENIN", 90, "EN EXPLOITATION", "50.418265", "2.981172"),
    ("RUYTI", "RUYTINGEN (DUNKERQUE LNG)", 90, "EN EXPLOITATION", "51.031630", "2.199996"),
    ("DENAI", "DENAIN", 63, "EN EXPLOITATION", "50.332287", "3.407663"),
)

ODRE_HEADER = (
    "Code poste",
    "Nom poste",
    "FONCTION",
    "Etat",
    "Tension (kV)",
    "Longitude poste (DD)",
    "Latitude poste (DD)",
    "Géo-point poste (DD)",
)

# Main facility of each exchange, public facility listings (2024), as transcribed in FACTS.md.
# (market, exchange, facility, lat, lon)
EXCHANGES: tuple[tuple[str, str, str, str, str], ...] = (
    ("Frankfurt", "DE-CIX Frankfurt", "Digital Realty FRA1-16", "50.11967", "8.73463"),
    ("London", "LINX", "Equinix LD8, Docklands", "51.498842", "-0.014327"),
    ("Amsterdam", "AMS-IX", "NIKHEF", "52.356394", "4.950837"),
    ("Paris", "France-IX Paris", "Telehouse Paris 2 (Voltaire)", "48.856654", "2.38532"),
    ("Lille", "Lillix", "ETIX Lille #3, Anzin (Valenciennes)", "50.380311", "3.521029"),
    (
        "Lille",
        "Lillix, France-IX Lille",
        "ETIX Lille #2, Sainghin-en-Mélantois",
        "50.584099",
        "3.136511",
    ),
)

# --------------------------------------------------------------------------------------------
# Invented layers (ILLUSTRATIVE)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FloodCorridor:
    """An invented flood corridor: a polyline in Lambert-93 buffered once per scenario."""

    zone: str
    vertices_l93: tuple[tuple[float, float], ...]
    widths_m: tuple[tuple[str, float], ...]  # (scenario, buffer distance), frequent first


# Vertices in Lambert-93 metres, drawn by hand to look like corridors and to give the sample
# sites a spread of flood exposure; they are NOT the real Deûle nor the real wateringues.
FLOOD_CORRIDORS: tuple[FloodCorridor, ...] = (
    FloodCorridor(
        zone="Deûle valley, Courcelles-lès-Lens – Haubourdin – Lille (illustrative)",
        vertices_l93=(
            (705200.0, 7035600.0),
            (702450.0, 7037650.0),
            (699450.0, 7037650.0),
            (696300.0, 7039600.0),
            (693600.0, 7042300.0),
            (693100.0, 7046600.0),
            (694300.0, 7050200.0),
            (698970.0, 7053550.0),
            (698970.0, 7056600.0),
            (701200.0, 7059100.0),
            (703800.0, 7060300.0),
        ),
        widths_m=(("frequent", 120.0), ("medium", 300.0), ("extreme", 600.0)),
    ),
    FloodCorridor(
        zone="Wateringues lowland, Gravelines – Loon-Plage – Mardyck (illustrative)",
        vertices_l93=(
            (636800.0, 7101200.0),
            (641400.0, 7099775.0),
            (647400.0, 7099775.0),
            (651200.0, 7101000.0),
            (654600.0, 7102600.0),
        ),
        widths_m=(("frequent", 250.0), ("medium", 700.0), ("extreme", 1020.0)),
    ),
)

# Fibre network nodes (lon, lat). The two Lille exchange facilities are nodes at their exact
# coordinates (transcribed above); the other nodes are rough motorway junctions or ends.
FIBRE_NODES: dict[str, tuple[float, float]] = {
    "lille": (3.0700, 50.6150),
    "etix_sainghin": (3.136511, 50.584099),
    "etix_anzin": (3.521029, 50.380311),
    "a1_a21": (3.0300, 50.4050),
    "lens": (2.8300, 50.4400),
    "la_bassee": (2.8100, 50.5400),
    "dunkerque": (2.3300, 51.0050),
    "calais": (1.8800, 50.9400),
    "toward_paris": (2.8500, 50.1000),
    "belgian_border": (3.1550, 50.7800),
}

# (name, start node, intermediate (lon, lat) vertices, end node). Lines meet only at nodes,
# which are shared end vertices, so a graph can be built from the line endpoints.
FIBRE_LINES: tuple[tuple[str, str, tuple[tuple[float, float], ...], str], ...] = (
    (
        "A1 corridor, Lille – Sainghin (illustrative)",
        "lille",
        ((3.1000, 50.6000),),
        "etix_sainghin",
    ),
    (
        "A1 corridor, Sainghin – Hénin-Beaumont (illustrative)",
        "etix_sainghin",
        ((3.0800, 50.5500), (3.0450, 50.5000), (3.0350, 50.4500)),
        "a1_a21",
    ),
    (
        "A1 corridor, Hénin-Beaumont – toward Paris (illustrative)",
        "a1_a21",
        ((2.9500, 50.3300), (2.8700, 50.2200)),
        "toward_paris",
    ),
    (
        "A21 corridor, Lens – Hénin-Beaumont (illustrative)",
        "lens",
        ((2.9300, 50.4200),),
        "a1_a21",
    ),
    (
        "A21 corridor, Hénin-Beaumont – Douai – Denain – Valenciennes (illustrative)",
        "a1_a21",
        (
            (3.0800, 50.3950),
            (3.2000, 50.3700),
            (3.3000, 50.3400),
            (3.4000, 50.3380),
            (3.4700, 50.3500),
        ),
        "etix_anzin",
    ),
    (
        "A23 corridor, Lille – Valenciennes (illustrative)",
        "etix_sainghin",
        ((3.2500, 50.5000), (3.4000, 50.4200)),
        "etix_anzin",
    ),
    (
        "N47 corridor, Lens – La Bassée (illustrative)",
        "lens",
        ((2.8000, 50.4850),),
        "la_bassee",
    ),
    (
        "N41 corridor, La Bassée – Haubourdin – Lille (illustrative)",
        "la_bassee",
        ((2.8800, 50.5650), (2.9900, 50.6150)),
        "lille",
    ),
    (
        "A25 corridor, Lille – Dunkerque (illustrative)",
        "lille",
        (
            (2.9500, 50.6600),
            (2.8800, 50.6900),
            (2.7300, 50.7400),
            (2.5800, 50.8000),
            (2.4200, 50.9700),
        ),
        "dunkerque",
    ),
    (
        "A16 corridor, Dunkerque – Calais (illustrative)",
        "dunkerque",
        ((2.2100, 50.9800), (2.1200, 50.9800)),
        "calais",
    ),
    (
        "A22/E17 corridor, Lille – Belgium (illustrative)",
        "lille",
        ((3.1200, 50.6800), (3.1500, 50.7400)),
        "belgian_border",
    ),
)

# Checks on the invented layers, in percent of the site outline's area (EPSG:2154).
# Sites not listed must not touch any flood zone.
FLOOD_SHARE_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "loon-plage-edf": {"frequent": (0.0, 0.0), "medium": (10.0, 20.0), "extreme": (30.0, 50.0)},
    "haubourdin-amidonnerie": {
        "frequent": (0.0, 0.0),
        "medium": (0.0, 0.0),
        "extreme": (20.0, 35.0),
    },
    "courcelles-metaleurop": {
        "frequent": (0.0, 0.0),
        "medium": (0.0, 0.0),
        "extreme": (5.0, 15.0),
    },
}
FIBRE_SITE_DISTANCE_RANGE_M = (1000.0, 6000.0)  # from the site point to the nearest line
EXCHANGE_MAX_DISTANCE_M = 500.0  # from each Lille exchange facility to the network

PROJECT_TOML = """\
schema = 1
name = "Friches Hauts-de-France (exemple)"
crs = "EPSG:2154"
demand_mw = 700

[[layers]]
role = "sites"
path = "sites.geojson"
id_field = "site_id"
name_field = "name"
source = "Cerema, Cartofriches (points and areas); outlines approximate"
source_fr = "Cerema, Cartofriches (points et surfaces), contours approximatifs"
licence = "Licence Ouverte 2.0"
date = "2023-03"

[[layers]]
role = "substations"
path = "postes_rte_extrait.csv"
format = "rte-odre"
source = "RTE, ODRÉ postes-electriques-rte (extract)"
source_fr = "RTE, ODRÉ postes-electriques-rte (extrait)"
licence = "Licence Ouverte 2.0"
date = "2024"

[[layers]]
role = "exchanges"
path = "exchanges.csv"
x_field = "lon"
y_field = "lat"
crs = "EPSG:4326"
name_field = "name"
market_field = "market"
source = "Public facility listings of the exchanges"
source_fr = "Listes publiques des points d’échange Internet"
date = "2024"

[[layers]]
role = "flood"
path = "flood_illustrative.geojson"
scenario_field = "scenario"
source = "ILLUSTRATIVE flood zones drawn for this sample, not a real flood map"
source_fr = "Zones inondables ILLUSTRATIVES dessinées pour cet exemple, pas une vraie carte des zones inondables"
date = "2026"

[[layers]]
role = "fibre"
path = "fibre_illustrative.geojson"
name_field = "name"
source = "ILLUSTRATIVE fibre network drawn for this sample, not real routes"
source_fr = "Réseau de fibre ILLUSTRATIF dessiné pour cet exemple, pas de vrais tracés"
date = "2026"

[[layers]]
role = "context"
path = "communes_admin_express.geojson"
name = "Communes"
source = "IGN, Admin Express 2018 (communes, simplified copy), within 10 km of the sites"
source_fr = "IGN, Admin Express 2018 (communes, copie simplifiée), à moins de 10 km des sites"
licence = "Licence Ouverte (Etalab)"
date = "2018"

[[layers]]
role = "grid_capacity"
path = "grid_capacity_illustrative.csv"
separator = ";"
source = "ILLUSTRATIVE grid capacity invented for this sample, not RTE's figures"
source_fr = "Capacités d’accueil ILLUSTRATIVES inventées pour cet exemple, pas les chiffres de RTE"
date = "2026"

[[layers]]
role = "heat_network"
path = "heat_networks_illustrative.geojson"
source = "ILLUSTRATIVE heat networks in France Chaleur Urbaine's fields, not real networks"
source_fr = "Réseaux de chaleur ILLUSTRATIFS aux champs de France Chaleur Urbaine, pas de vrais réseaux"
date = "2026"

[[layers]]
role = "zoning"
path = "zoning_illustrative.geojson"
source = "ILLUSTRATIVE PLU zones in the fields of the CNIG standard, not the communes' plans"
source_fr = "Zones de PLU ILLUSTRATIVES aux champs du standard CNIG, pas les plans des communes"
date = "2026"

[[layers]]
role = "context"
name = "Natura 2000"
path = "natura2000_illustrative.geojson"
source = "ILLUSTRATIVE Natura 2000 zone in the INPN's fields, not a real Natura 2000 site"
source_fr = "Zone Natura 2000 ILLUSTRATIVE aux champs de l’INPN, pas un vrai site Natura 2000"
date = "2026"

[criteria.power]
weight = 40
# min_kv is left to the rule for demand_mw: 700 MW needs the 400 kV grid (CRE's fast track
# for 400 MW to 1 GW). See README.md: setting min_kv = 225 here makes Douai rank first.

[criteria.flood]
weight = 25

[criteria.connectivity]
weight = 25
route_factor = 1.4

[criteria.land]
weight = 10

[criteria.zoning]
weight = 5

[criteria.heat]
weight = 5

# A criterion declared here, with no code: the share of the site in Natura 2000 zones, and
# any share at all excludes the site (a « bloquant » rule).
[criteria.natura2000]
kind = "overlap"
layer = "Natura 2000"
label = "Natura 2000"
weight = 5
exclude_above_pct = 0
source = "INPN, Natura 2000 sites (here an ILLUSTRATIVE zone)"
source_fr = "INPN, sites Natura 2000 (ici une zone ILLUSTRATIVE)"
"""


# --------------------------------------------------------------------------------------------
# Geometry helpers
# --------------------------------------------------------------------------------------------


def _round(value: float) -> float:
    """Round a coordinate to DECIMALS with correct decimal rounding (shortest repr in JSON)."""
    return float(f"{value:.{DECIMALS}f}")


def _project_and_round(transformer: Transformer) -> Callable[[NDArray[Any]], NDArray[Any]]:
    """Return a shapely.transform function that projects coordinates and rounds them."""

    def apply(coords: NDArray[Any]) -> NDArray[Any]:
        xs, ys = transformer.transform(coords[:, 0], coords[:, 1])
        return np.array([[_round(x), _round(y)] for x, y in zip(xs, ys, strict=True)])

    return apply


def l93_to_wgs84(geom: BaseGeometry) -> BaseGeometry:
    """Project a Lambert-93 geometry to lon/lat, rounded, polygons oriented as in RFC 7946."""
    out = shapely.transform(geom, _project_and_round(TO_WGS84))
    if isinstance(out, Polygon):
        out = orient(out, sign=1.0)  # exterior counter-clockwise
    if not out.is_valid:
        raise ValueError(f"invalid geometry after projection: {shapely.is_valid_reason(out)}")
    return out


def site_point_l93(site: Site) -> tuple[float, float]:
    """Return the Cartofriches point of a site in Lambert-93 metres."""
    x, y = TO_L93.transform(site.lon, site.lat)
    return float(x), float(y)


def square_outline_l93(site: Site) -> Polygon:
    """Return a square of the stated area centred on the site point, densified (Lambert-93)."""
    cx, cy = site_point_l93(site)
    half = math.sqrt(site.area_ha * 10_000.0) / 2.0
    corners = [
        (cx - half, cy - half),
        (cx + half, cy - half),
        (cx + half, cy + half),
        (cx - half, cy + half),
    ]
    ring: list[tuple[float, float]] = []
    for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1], strict=True):
        for i in range(SQUARE_POINTS_PER_SIDE):
            t = i / SQUARE_POINTS_PER_SIDE
            ring.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
    return Polygon(ring)


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


def _write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with LF line endings."""
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_feature_collection(path: Path, features: Sequence[dict[str, Any]]) -> None:
    """Write an RFC 7946 FeatureCollection, one feature per line (readable diffs)."""
    lines = [json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features]
    body = ",\n".join(lines)
    _write_text(path, '{"type":"FeatureCollection","features":[\n' + body + "\n]}\n")


def _feature(properties: dict[str, Any], geom: BaseGeometry) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geom)}


def build_sites() -> list[dict[str, Any]]:
    """Return the site features (approximate square outlines in lon/lat)."""
    features = []
    for site in SITES:
        properties = {
            "site_id": site.site_id,
            "name": site.name,
            "commune": site.commune,
            "insee": site.insee,
            "cartofriches_id": site.cartofriches_id,
            "status": site.status,
            "stated_area_ha": site.area_ha,
            "approximate": True,
            "outline_note": OUTLINE_NOTE,
        }
        features.append(_feature(properties, l93_to_wgs84(square_outline_l93(site))))
    return features


def _fonction(code: str, name: str) -> str:
    if code.startswith("Z") or name.startswith("PIQUAGE"):
        return "Point de piquage"
    return "Poste de transformation"


def write_postes(path: Path) -> None:
    """Write the substations in the schema of RTE's ODRÉ export (';'-separated, UTF-8)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\n")
        writer.writerow(ODRE_HEADER)
        for code, name, kv, state, lat, lon in POSTES:
            writer.writerow(
                (code, name, _fonction(code, name), state, f"{kv}kV", lon, lat, f"{lat}, {lon}")
            )


def write_exchanges(path: Path) -> None:
    """Write the internet exchange facilities (comma-separated, UTF-8, lon/lat WGS84)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("name", "market", "facility", "lon", "lat"))
        for market, exchange, facility, lat, lon in EXCHANGES:
            writer.writerow((exchange, market, facility, lon, lat))


def build_flood() -> list[dict[str, Any]]:
    """Return the illustrative flood features: nested buffers of each corridor polyline."""
    features = []
    for corridor in FLOOD_CORRIDORS:
        line = LineString(corridor.vertices_l93)
        for scenario, width in corridor.widths_m:
            zone = shapely.segmentize(line.buffer(width), FLOOD_MAX_SEGMENT_M)
            properties = {"scenario": scenario, "zone": corridor.zone, "label": FLOOD_LABEL}
            features.append(_feature(properties, l93_to_wgs84(zone)))
    return features


def build_fibre() -> list[dict[str, Any]]:
    """Return the illustrative fibre lines; nodes are shared, exactly equal end vertices."""
    features = []
    for name, start, middle, end in FIBRE_LINES:
        vertices = [FIBRE_NODES[start], *middle, FIBRE_NODES[end]]
        line = LineString([(_round(lon), _round(lat)) for lon, lat in vertices])
        features.append(_feature({"name": name, "label": FIBRE_LABEL}, line))
    return features


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_communes() -> list[dict[str, Any]] | None:
    """The communes near the sites (``code``, ``nom``), or None without the shared files.

    The two shared files are checked against their SHA-256 so that the clip is reproducible.
    The clip is simplified as a coverage (neighbours keep one shared border), rounded, and
    sorted by INSEE code.
    """
    import pandas as pd

    paths = [SHARED_DATA / name for name in COMMUNE_SOURCES]
    if not all(p.is_file() for p in paths):
        return None
    for path, digest in zip(paths, COMMUNE_SOURCES.values(), strict=True):
        if _sha256(path) != digest:
            raise SystemExit(f"{path}: not the expected file (SHA-256 differs); clip not rebuilt")
    frames = [gpd.read_file(p, columns=["code", "nom"]) for p in paths]
    communes = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    communes = communes.to_crs(WORK_CRS)
    reach = shapely.union_all([square_outline_l93(s).buffer(COMMUNES_REACH_M) for s in SITES])
    near = communes[communes.intersects(reach)].sort_values("code")
    simplified = shapely.coverage_simplify(near.geometry.values, COMMUNES_TOLERANCE_M)

    def to_lonlat(coords: NDArray[Any]) -> NDArray[Any]:
        xs, ys = TO_WGS84.transform(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([xs, ys]), COMMUNES_DECIMALS)

    features = []
    for code, nom, geom in zip(near["code"], near["nom"], simplified, strict=True):
        out = shapely.orient_polygons(shapely.transform(geom, to_lonlat))  # RFC 7946 rings
        if not out.is_valid:
            raise ValueError(f"commune {code} {nom}: invalid after simplification")
        features.append(_feature({"code": str(code), "nom": str(nom)}, out))
    return features


# --------------------------------------------------------------------------------------------
# Checks (read the written files back)
# --------------------------------------------------------------------------------------------


def _components(lines: Sequence[LineString]) -> int:
    """Count the connected components of the graph whose edges join line endpoints."""
    parent: dict[tuple[float, float], tuple[float, float]] = {}

    def find(node: tuple[float, float]) -> tuple[float, float]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for line in lines:
        coords = list(line.coords)
        a = (round(coords[0][0], DECIMALS), round(coords[0][1], DECIMALS))
        b = (round(coords[-1][0], DECIMALS), round(coords[-1][1], DECIMALS))
        parent[find(a)] = find(b)
    return len({find(node) for node in list(parent)})


def check_outputs() -> list[str]:
    """Read the outputs back, print flood shares and fibre distances; return the problems."""
    problems: list[str] = []
    sites = gpd.read_file(HERE / "sites.geojson").to_crs(WORK_CRS).set_index("site_id")
    flood = gpd.read_file(HERE / "flood_illustrative.geojson").to_crs(WORK_CRS)
    fibre = gpd.read_file(HERE / "fibre_illustrative.geojson")

    print("Site outline areas (EPSG:2154):")
    for site_id, row in sites.iterrows():
        area_ha = row.geometry.area / 10_000.0
        error = abs(area_ha - row["stated_area_ha"]) / row["stated_area_ha"]
        print(f"  {site_id:24s} {area_ha:8.3f} ha (stated {row['stated_area_ha']}) {error:.5%}")
        if error > 0.001:
            problems.append(f"{site_id}: outline area {area_ha:.3f} ha is off by {error:.3%}")

    print("Flood shares of each site outline, % of area (EPSG:2154):")
    scenarios = ("frequent", "medium", "extreme")
    zones = {s: flood.loc[flood["scenario"] == s].geometry.union_all() for s in scenarios}
    for site_id, row in sites.iterrows():
        shares = {
            s: 100.0 * row.geometry.intersection(zones[s]).area / row.geometry.area
            for s in scenarios
        }
        print(f"  {site_id:24s} " + "  ".join(f"{s} {shares[s]:5.1f}" for s in scenarios))
        ranges = FLOOD_SHARE_RANGES.get(str(site_id), dict.fromkeys(scenarios, (0.0, 0.0)))
        for s in scenarios:
            low, high = ranges[s]
            if not low - 1e-9 <= shares[s] <= high + 1e-9:
                problems.append(f"{site_id}: {s} share {shares[s]:.1f}% not in [{low}, {high}]")
    for corridor in {str(z) for z in flood["zone"]}:
        parts = flood.loc[flood["zone"] == corridor].set_index("scenario").geometry
        for inner, outer in (("frequent", "medium"), ("medium", "extreme")):
            if not parts[outer].contains(parts[inner]):
                problems.append(f"{corridor}: {inner} zone is not inside the {outer} zone")

    fibre_l93 = fibre.to_crs(WORK_CRS)
    network = fibre_l93.geometry.union_all()
    print("Distance from each site to the nearest fibre line, m (EPSG:2154):")
    low, high = FIBRE_SITE_DISTANCE_RANGE_M
    for site in SITES:
        point = Point(site_point_l93(site))
        from_point = point.distance(network)
        from_outline = sites.loc[site.site_id].geometry.distance(network)
        print(
            f"  {site.site_id:24s} from point {from_point:6.0f}  from outline {from_outline:6.0f}"
        )
        if not low <= from_point <= high or from_outline <= 0.0:
            problems.append(f"{site.site_id}: fibre at {from_point:.0f} m from the point")
    for market, exchange, facility, lat, lon in EXCHANGES:
        if market != "Lille":
            continue
        point = Point(TO_L93.transform(float(lon), float(lat)))
        distance = point.distance(network)
        print(f"  exchange {facility}: {distance:.1f} m from the network")
        if distance > EXCHANGE_MAX_DISTANCE_M:
            problems.append(f"{exchange} ({facility}) is {distance:.0f} m from the network")
    components = _components(list(fibre.geometry))
    print(f"Fibre graph from line endpoints: {len(fibre)} lines, {components} component(s)")
    if components != 1:
        problems.append(f"fibre network has {components} components, expected 1")
    problems += check_communes()
    return problems


def check_communes() -> list[str]:
    """Each site's stated commune is in the clip, at most 1 km from its point; small file.

    The outlines are generalised and three Cartofriches points fall 300-700 m outside their
    stated commune (Douchy-les-Mines, Courcelles-lès-Lens, Haubourdin): printed, not failed.
    """
    path = HERE / COMMUNES_FILE
    if not path.is_file():
        return [f"{COMMUNES_FILE} is missing and ../shared/data is not there to build it"]
    problems = []
    size = path.stat().st_size
    communes = gpd.read_file(path).to_crs(WORK_CRS)
    print(f"Communes: {len(communes)} outlines, {size} bytes")
    if size > COMMUNES_MAX_BYTES:
        problems.append(f"{COMMUNES_FILE} is {size} bytes, more than {COMMUNES_MAX_BYTES}")
    if not communes.is_valid.all() or set(communes.columns) != {"code", "nom", "geometry"}:
        problems.append(f"{COMMUNES_FILE}: invalid outlines or fields other than code, nom")
    for site in SITES:
        point = Point(site_point_l93(site))
        holder = communes[communes.contains(point)]
        found = ", ".join(f"{c} {n}" for c, n in zip(holder["code"], holder["nom"], strict=True))
        stated = communes[communes["code"] == site.insee]
        away = float(stated.distance(point).min()) if len(stated) else math.inf
        note = "" if away == 0 else f", {away:.0f} m from {site.insee} {site.commune}"
        print(f"  {site.site_id:24s} point in {found or 'no commune'}{note}")
        if away > COMMUNE_POINT_TOLERANCE_M:
            problems.append(f"{site.site_id}: {away:.0f} m from its commune {site.insee}")
    return problems


ILLUSTRATIVE_FILES = (
    "grid_capacity_illustrative.csv",
    "heat_networks_illustrative.geojson",
    "zoning_illustrative.geojson",
    "natura2000_illustrative.geojson",
)


def write_illustrative() -> None:
    """Write the ILLUSTRATIVE grid capacity, heat, zoning and Natura 2000 layers."""
    import build_illustrative as bi

    outlines = {s.site_id: square_outline_l93(s) for s in SITES}

    def to_wgs84(geom: BaseGeometry) -> BaseGeometry:
        return l93_to_wgs84(shapely.segmentize(geom, FLOOD_MAX_SEGMENT_M))

    _write_text(HERE / "grid_capacity_illustrative.csv", bi.write_capacity())
    for name, build in (
        ("heat_networks_illustrative.geojson", bi.heat_features),
        ("zoning_illustrative.geojson", bi.zoning_features),
        ("natura2000_illustrative.geojson", bi.natura_features),
    ):
        write_feature_collection(HERE / name, build(outlines, to_wgs84, _feature))


def main() -> int:
    """Write every file of the sample, check them and return the exit status."""
    write_feature_collection(HERE / "sites.geojson", build_sites())
    write_postes(HERE / "postes_rte_extrait.csv")
    write_exchanges(HERE / "exchanges.csv")
    write_feature_collection(HERE / "flood_illustrative.geojson", build_flood())
    write_feature_collection(HERE / "fibre_illustrative.geojson", build_fibre())
    communes = build_communes()
    if communes is None:
        print(f"kept {COMMUNES_FILE}: the shared commune files are not in {SHARED_DATA}")
    else:
        write_feature_collection(HERE / COMMUNES_FILE, communes)
    write_illustrative()
    _write_text(HERE / "project.toml", PROJECT_TOML)
    for name in (
        "sites.geojson",
        "postes_rte_extrait.csv",
        "exchanges.csv",
        "flood_illustrative.geojson",
        "fibre_illustrative.geojson",
        COMMUNES_FILE,
        *ILLUSTRATIVE_FILES,
        "project.toml",
    ):
        print(f"wrote {name} ({(HERE / name).stat().st_size} bytes)")
    problems = check_outputs()
    for problem in problems:
        print(f"CHECK FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
