"""Small CNIG Friches exchange files, written in the real schema by the tests.

The specification: standard CNIG Friches v2023-12 and its Table Schema ``schema-friches``
v1.0.6 (https://schema.data.gouv.fr/cnigfr/schema-friches/1.0.6/documentation.html): the
51 columns in the standard's order, UTF-8, ``,``-separated, ``site_id`` of the form
``<INSEE>_<identifiant>`` (§4.2), dates ``AAAA-MM-JJ``, the standard's codes
(``friche industrielle``, ``friche sans projet``, ``pollution avérée``, ``U``…), multiple
values separated by ``|``, ``geompoint`` and ``geomsurf`` as WKT.

``CNIG_SCHEMA`` is our own Table Schema of that version, written by hand from the
documentation (fields, types, formats, allowed values, patterns, required fields, primary
key), not a copy of the official schema.json.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import shapely
import tomli_w
from pyproj import Transformer

from siteassess.layers.formats.cnig_fields import FIELDS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CNIG_SCHEMA = HERE / "cnig_friches_schema_v1.0.6.json"
SAMPLE = ROOT / "sample_sites" / "hauts-de-france"
TO_LL = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)

# Four friches at the places of the sample's Cartofriches sites (lon, lat of the point).
PLACES = {
    "59205_12242": ("Les Soufflantes (ex-Usinor)", "ESCAUDAIN", "59205", 3.3556, 50.3217),
    "59179_13929": ("Total solar", "DOUCHY-LES-MINES", "59179", 3.3993, 50.3088),
    "62249_4247": ("Usine Metaleurop", "COURCELLES-LES-LENS", "62249", 2.9627, 50.4110),
    "62276_11728": ("Française de Mécanique, bande ouest", "DOUVRIN", "62276", 2.8138, 50.5028),
}


def square_wkt(lon: float, lat: float, side_m: float) -> str:
    """A square of ``side_m`` metres (Lambert-93) around a point, as lon/lat WKT."""
    x, y = TO_L93.transform(lon, lat)
    h = side_m / 2
    sq = shapely.box(x - h, y - h, x + h, y + h)
    return shapely.to_wkt(shapely.transform(sq, lambda c: _to_ll(c)), rounding_precision=8)


def _to_ll(coords: Any) -> Any:
    lon, lat = TO_LL.transform(coords[:, 0], coords[:, 1])
    coords[:, 0], coords[:, 1] = lon, lat
    return coords


def cnig_row(site_id: str, **values: str) -> dict[str, str]:
    """A complete row of the standard for one of :data:`PLACES` (every required field)."""
    name, commune, insee, lon, lat = PLACES[site_id]
    row = dict.fromkeys(FIELDS, "")
    row.update(
        site_id=site_id,
        site_nom=name,
        site_type="friche industrielle",
        site_identif_date="2022-10-10",
        site_actu_date="2024-02-13",
        site_url="https://fiches-risques.brgm.fr/georisques/basias-detaillee/HDF5900001",
        site_statut="friche sans projet",
        activite_libelle="Sidérurgie|Dépôt de ferrailles",
        activite_code="C24.10Z|E38.31Z",
        activite_fin_annee="1988",
        comm_nom=commune,
        comm_insee=insee,
        bati_nombre="3",
        sol_pollution_existe="pollution avérée",
        unite_fonciere_surface="250000",
        unite_fonciere_refcad=f"{insee}000AB0012|{insee}000AB0013",
        urba_zone_type="U",
        urba_zone_lib="UE",
        urba_zaer="non",
        urba_doc_type="PLUI",
        desserte_distance="1|4|30",
        source_nom="BASIAS",
        source_producteur="DDTM du Nord",
        geompoint=f"POINT ({lon} {lat})",
    )
    row.update(values)
    return row


def cnig_text(rows: list[dict[str, str]], columns: tuple[str, ...] = FIELDS) -> str:
    """The rows as the standard's CSV (``,``, a header of the standard's names)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: r.get(k, "") for k in columns} for r in rows)
    return buf.getvalue()


def write_cnig(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    """Write a CNIG Friches CSV (UTF-8 unless told)."""
    path.write_bytes(cnig_text(rows).encode(encoding))
    return path


def four_friches() -> list[dict[str, str]]:
    """Two sites with their outline (geomsurf), two with a point and a land-unit area."""
    rows = []
    for i, sid in enumerate(PLACES):
        _, _, _, lon, lat = PLACES[sid]
        extra = {"geomsurf": square_wkt(lon, lat, 500.0)} if i < 2 else {}
        rows.append(cnig_row(sid, **extra))
    rows[1]["site_statut"] = "friche avec projet"
    rows[2]["site_type"] = "friche carrière ou mine"
    rows[3]["sol_pollution_existe"] = "inconnu"
    return rows


def cnig_project(folder: Path, sites: str, **layer: str) -> Path:
    """A project scoring the CNIG file ``sites`` (``layer``: more keys of its layer, such as
    ``format`` or ``crs``) against the sample's substations."""
    sites_layer: dict[str, Any] = {"role": "sites", "path": sites, **layer}
    doc = {
        "schema": 1,
        "name": "Friches CNIG",
        "demand_mw": 700,
        "layers": [
            sites_layer,
            {
                "role": "substations",
                "path": str(SAMPLE / "postes_rte_extrait.csv"),
                "format": "rte-odre",
            },
            {"role": "exchanges", "path": str(SAMPLE / "exchanges.csv"), "crs": "EPSG:4326"},
        ],
        "criteria": {
            "power": {"weight": 40, "min_kv": 225},
            "connectivity": {"weight": 25},
            "land": {"weight": 10},
        },
    }
    path = folder / "cnig.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path
