"""The sample's ILLUSTRATIVE layers for grid capacity, heat networks, zoning and Natura 2000.

Called by ``build_sample.py`` once it has written ``sites.geojson``. Every figure and shape
here is INVENTED for the demonstration, placed relative to the sites' approximate outlines
(built in Lambert-93, EPSG:2154, written in WGS84 lon/lat as the rest of the sample). Each
file is in the real schema of its source, so that the sample exercises the importers:

- ``grid_capacity_illustrative.csv``: a table per RTE substation (``Code poste`` of ODRÉ),
  one row per step of MW available from a year, with a quote-part in k€/MW, as RTE's web
  map and the CRE's decisions give them. Not RTE's figures.
- ``heat_networks_illustrative.geojson``: France Chaleur Urbaine's field names
  (``Identifiant reseau``, ``nom_reseau``, ``Gestionnaire``, ``livraisons_totale_MWh``,
  ``puissance_totale_MW``, ``Taux EnR&R``). Not FCU's networks.
- ``zoning_illustrative.geojson``: the CNIG PLU standard's ``zone_urba`` fields
  (``typezone``, ``libelle``, ``libelong``). Not the communes' PLU.
- ``natura2000_illustrative.geojson``: the INPN's Natura 2000 fields (``sitecode``,
  ``sitename``, ``type``: ZPS or SIC). Not a Natura 2000 site.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

# The layers say ILLUSTRATIVE in their project sources (shown wherever they are used); the
# features carry no English label, since the French maps show their fields.
NATURA_NAME = "Zone naturelle ILLUSTRATIVE"
CAPACITY_SOURCE = "ILLUSTRATIVE figures invented for this sample, not RTE's"

# Grid capacity steps (Code poste, MW, year, quote-part k€/MW). 92.5 k€/MW is the figure of
# the CRE's Plan de Campagne decision, reused here only as an order of magnitude.
CAPACITY: tuple[tuple[str, float, int, float], ...] = (
    ("BOUCH", 300.0, 2028, 92.5),
    ("BOUCH", 400.0, 2031, 92.5),
    ("MASTA", 700.0, 2030, 92.5),
    ("WEPPE", 250.0, 2029, 92.5),
    ("AVELI", 500.0, 2030, 92.5),
    ("AVELI", 300.0, 2033, 92.5),
    ("GAVRE", 700.0, 2027, 92.5),
    ("GRAV5", 150.0, 2030, 92.5),
)

# Heat networks: site it is drawn near, metres east of that site's outline (a north-south
# trace 4 km long), or None for a network published as a point (at that distance east of
# the site's centre), then id, name, operator, MWh a year, MW, renewable share %.
HEAT: tuple[tuple[str, float, bool, str, str, str, float, float, float], ...] = (
    (
        "escaudain-soufflantes",
        1_200.0,
        False,
        "5901C",
        "Réseau de Denain",
        "Exploitant illustratif",
        45_000.0,
        18.0,
        62.0,
    ),
    (
        "douai-euradouai",
        600.0,
        False,
        "5902C",
        "Réseau de Douai",
        "Exploitant illustratif",
        90_000.0,
        35.0,
        55.0,
    ),
    (
        "courcelles-metaleurop",
        3_000.0,
        False,
        "6203C",
        "Réseau de Lens",
        "Exploitant illustratif",
        120_000.0,
        48.0,
        70.0,
    ),
    (
        "loon-plage-edf",
        6_000.0,
        False,
        "5904C",
        "Réseau de Dunkerque",
        "Exploitant illustratif",
        150_000.0,
        60.0,
        80.0,
    ),
    (
        "haubourdin-amidonnerie",
        1_500.0,
        True,
        "5905C",
        "Réseau d’Haubourdin",
        "Exploitant illustratif",
        12_000.0,
        6.0,
        40.0,
    ),
)

# PLU zones: site -> (typezone, libelle, libelong) over its outline, 150 m beyond it; a
# second zone takes the northern share given of the site.
ZONE_MARGIN_M = 150.0
ZONING: Mapping[str, tuple[tuple[str, str, str], tuple[str, str, str, float] | None]] = {
    "escaudain-soufflantes": (("U", "UE", "Zone d’activités économiques"), None),
    "douchy-total-solar": (("U", "UX", "Zone d’activités industrielles"), None),
    "douai-euradouai": (("AUc", "1AUe", "Zone à urbaniser à vocation d’activités"), None),
    "courcelles-metaleurop": (("U", "UE", "Zone d’activités économiques"), None),
    "douvrin-fm-ouest": (("U", "UI", "Zone industrielle"), None),
    "loon-plage-edf": (
        ("U", "UP", "Zone portuaire et industrielle"),
        ("A", "A", "Zone agricole", 0.30),
    ),
    "haubourdin-amidonnerie": (("U", "UE", "Zone d’activités économiques"), None),
}

# Natura 2000: one invented coastal zone over the northern fifth of Loon-Plage.
NATURA_SITE = "loon-plage-edf"
NATURA_SHARE = 0.20


def write_capacity() -> str:
    """The capacity table, ``;``-separated, UTF-8, as an ODRÉ-style export."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(["Code poste", "mw", "year", "quote_part_keur_per_mw", "source"])
    for code, mw, year, quote in CAPACITY:
        w.writerow([code, f"{mw:g}", year, f"{quote:g}", CAPACITY_SOURCE])
    return out.getvalue()


def _north(outline: Polygon, share: float, margin: float) -> tuple[BaseGeometry, BaseGeometry]:
    """The outline's bounds grown by ``margin``, cut where ``share`` of the site lies north."""
    x0, y0, x1, y1 = outline.bounds
    cut = y1 - share * (y1 - y0)
    return (
        box(x0 - margin, y0 - margin, x1 + margin, cut),
        box(x0 - margin, cut, x1 + margin, y1 + margin),
    )


def heat_features(
    outlines: Mapping[str, Polygon],
    to_wgs84: Callable[[BaseGeometry], BaseGeometry],
    feature: Callable[[dict[str, Any], BaseGeometry], dict[str, Any]],
) -> list[dict[str, Any]]:
    """The heat networks, traces and one point."""
    out = []
    for site, east, point, ident, name, operator, mwh, mw, enr in HEAT:
        o = outlines[site]
        _, y0, x1, y1 = o.bounds
        cy = (y0 + y1) / 2
        if point:
            c = o.centroid
            geom: BaseGeometry = Point(c.x + east, c.y)
        else:
            x = x1 + east
            geom = LineString([(x, cy - 2_000.0), (x, cy + 2_000.0)])
        props = {
            "Identifiant reseau": ident,
            "nom_reseau": name,
            "Gestionnaire": operator,
            "livraisons_totale_MWh": mwh,
            "puissance_totale_MW": mw,
            "Taux EnR&R": enr,
        }
        out.append(feature(props, to_wgs84(geom)))
    return out


def zoning_features(
    outlines: Mapping[str, Polygon],
    to_wgs84: Callable[[BaseGeometry], BaseGeometry],
    feature: Callable[[dict[str, Any], BaseGeometry], dict[str, Any]],
) -> list[dict[str, Any]]:
    """One PLU zone per site, or two where a share of the site lies in another zone."""
    out = []
    for site, (main, other) in ZONING.items():
        o = outlines[site]
        if other is None:
            x0, y0, x1, y1 = o.bounds
            m = ZONE_MARGIN_M
            parts: Sequence[tuple[tuple[str, str, str], BaseGeometry]] = [
                (main, box(x0 - m, y0 - m, x1 + m, y1 + m))
            ]
        else:
            south, north = _north(o, other[3], ZONE_MARGIN_M)
            parts = [(main, south), ((other[0], other[1], other[2]), north)]
        for (typezone, libelle, libelong), geom in parts:
            props = {"typezone": typezone, "libelle": libelle, "libelong": libelong}
            out.append(feature(props, to_wgs84(geom)))
    return out


def natura_features(
    outlines: Mapping[str, Polygon],
    to_wgs84: Callable[[BaseGeometry], BaseGeometry],
    feature: Callable[[dict[str, Any], BaseGeometry], dict[str, Any]],
) -> list[dict[str, Any]]:
    """One invented Natura 2000 zone: the northern fifth of a site and 2 km beyond."""
    o = outlines[NATURA_SITE]
    x0, y0, x1, y1 = o.bounds
    cut = y1 - NATURA_SHARE * (y1 - y0)
    geom = box(x0 - 1_500.0, cut, x1 + 1_500.0, y1 + 2_000.0)
    props = {"sitecode": "FR31ILLUS", "sitename": NATURA_NAME, "type": "ZPS"}
    return [feature(props, to_wgs84(geom))]
